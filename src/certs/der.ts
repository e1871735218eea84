/**
 * The few DER facts of an X.509 certificate that Node's X509Certificate does
 * not expose: the signature algorithm (and the hash it uses) and the exact
 * validity instants. A minimal, bounds-checked TLV reader; anything it does
 * not understand yields null instead of throwing. Pure.
 */

interface Tlv {
  readonly tag: number;
  /** Offset of the tag. */
  readonly pos: number;
  /** Offset of the content. */
  readonly start: number;
  /** Offset just past the content. */
  readonly end: number;
}

function readTlv(buf: Uint8Array, pos: number, limit: number): Tlv | null {
  if (pos + 2 > limit) return null;
  const tag = buf[pos];
  let len = buf[pos + 1];
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > limit) return null;
  return { tag, pos, start: p, end: p + len };
}

/** The TLVs directly inside a constructed value. */
function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.start;
  while (p < parent.end) {
    const t = readTlv(buf, p, parent.end);
    if (!t) return out;
    out.push(t);
    p = t.end;
  }
  return out;
}

function oid(buf: Uint8Array, t: Tlv): string | null {
  if (t.tag !== 0x06 || t.end <= t.start) return null;
  const parts: number[] = [];
  let value = 0;
  for (let i = t.start; i < t.end; i++) {
    value = value * 128 + (buf[i] & 0x7f);
    if ((buf[i] & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  if (parts.length === 0) return null;
  const first = parts[0] < 80 ? Math.floor(parts[0] / 40) : 2;
  return [first, parts[0] - first * 40, ...parts.slice(1)].join('.');
}

function time(buf: Uint8Array, t: Tlv): Date | null {
  const s = String.fromCharCode(...buf.subarray(t.start, t.end));
  // UTCTime YYMMDDHHMMSSZ (years 50-99 are 19xx), GeneralizedTime YYYYMMDDHHMMSSZ.
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : t.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : null;
  if (!m) return null;
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year >= 50 ? 1900 : 2000;
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  return Number.isNaN(d.getTime()) ? null : d;
}

export type SignatureHash = 'md2' | 'md4' | 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'intrinsic' | 'unknown';

export interface SignatureAlgorithm {
  /** Short name as openssl prints it, e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA1". */
  readonly name: string;
  readonly hash: SignatureHash;
}

const HASH_OIDS: Readonly<Record<string, SignatureHash>> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const SIGNATURE_OIDS: Readonly<Record<string, SignatureAlgorithm>> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'md2' },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', hash: 'md4' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSA', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'dsaWithSHA1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa_with_SHA224', hash: 'sha224' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa_with_SHA256', hash: 'sha256' },
  '1.3.101.112': { name: 'ED25519', hash: 'intrinsic' },
  '1.3.101.113': { name: 'ED448', hash: 'intrinsic' },
};

const RSASSA_PSS = '1.2.840.113549.1.1.10';

/** RSASSA-PSS names its hash in the parameters; absent means SHA-1 (RFC 4055). */
function pssHash(buf: Uint8Array, params: Tlv | undefined): SignatureHash {
  if (!params || params.tag !== 0x30) return 'sha1';
  const first = children(buf, params)[0];
  if (!first || first.tag !== 0xa0) return 'sha1';
  const alg = children(buf, first)[0];
  const id = alg && alg.tag === 0x30 ? children(buf, alg)[0] : undefined;
  const o = id ? oid(buf, id) : null;
  return (o && HASH_OIDS[o]) || 'unknown';
}

export interface CertificateDer {
  readonly signature: SignatureAlgorithm;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The certificate has a basicConstraints extension (absent on v1 certificates and some old roots). */
  readonly hasBasicConstraints: boolean;
  /** DER of the subject and issuer names, for exact comparison. */
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
}

const BASIC_CONSTRAINTS = '2.5.29.19';

function hasExtension(buf: Uint8Array, tbsFields: readonly Tlv[], wanted: string): boolean {
  const wrapper = tbsFields.find((t) => t.tag === 0xa3);
  if (!wrapper) return false;
  const list = children(buf, wrapper)[0];
  if (!list) return false;
  return children(buf, list).some((ext) => {
    const id = children(buf, ext)[0];
    return id !== undefined && oid(buf, id) === wanted;
  });
}

/** Signature algorithm, validity and names of a DER certificate, or null when it is not one. */
export function readCertificateDer(der: Uint8Array): CertificateDer | null {
  const outer = readTlv(der, 0, der.length);
  if (!outer || outer.tag !== 0x30) return null;
  const [tbs, sigAlg] = children(der, outer);
  if (!tbs || tbs.tag !== 0x30 || !sigAlg || sigAlg.tag !== 0x30) return null;
  const [algId, params] = children(der, sigAlg);
  const algOid = algId ? oid(der, algId) : null;
  if (!algOid) return null;
  const signature: SignatureAlgorithm = algOid === RSASSA_PSS ? { name: 'rsassaPss', hash: pssHash(der, params) } : SIGNATURE_OIDS[algOid] ?? { name: algOid, hash: 'unknown' };
  let fields = children(der, tbs);
  if (fields[0]?.tag === 0xa0) fields = fields.slice(1); // [0] version
  // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, extensions...
  const [, , issuer, validity, subject] = fields;
  if (!issuer || !validity || !subject || validity.tag !== 0x30) return null;
  const [from, to] = children(der, validity);
  const notBefore = from ? time(der, from) : null;
  const notAfter = to ? time(der, to) : null;
  if (!notBefore || !notAfter) return null;
  return {
    signature,
    notBefore,
    notAfter,
    hasBasicConstraints: hasExtension(der, fields, BASIC_CONSTRAINTS),
    subjectDer: der.subarray(subject.pos, subject.end),
    issuerDer: der.subarray(issuer.pos, issuer.end),
  };
}
