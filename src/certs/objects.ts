/**
 * The objects of a PEM file as Postfix's TLS library sees them: certificates
 * ("CERTIFICATE", "X509 CERTIFICATE"), private keys ("PRIVATE KEY", "RSA /
 * EC / DSA PRIVATE KEY"), encrypted keys (which Postfix cannot use: it has
 * no passphrase), public keys (trust-anchor files) and everything else
 * (ignored). Parsed with Node's crypto (X509Certificate, createPrivateKey)
 * on the bytes the CLI read. Pure apart from the memo (by byte array).
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { splitPem, type PemBlock, type PemFile } from './pem.js';
import { readCertificateDer, type SignatureAlgorithm } from './der.js';

export type KeyAlgorithm = 'RSA' | 'RSA-PSS' | 'ECDSA' | 'DSA' | 'Ed25519' | 'Ed448' | 'other';

export interface KeyFacts {
  readonly algorithm: KeyAlgorithm;
  /** RSA/DSA modulus bits, EC curve bits; null when unknown. */
  readonly bits: number | null;
  /** EC curve as OpenSSL names it (prime256v1, secp384r1). */
  readonly curve: string | null;
}

export interface Certificate {
  readonly x509: X509Certificate;
  /** "CN=mx.example.org, O=Example" */
  readonly subject: string;
  readonly issuer: string;
  readonly commonName: string | null;
  readonly dnsNames: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** basicConstraints CA:TRUE, or a self-signed certificate without basicConstraints (an old v1 root). */
  readonly isCA: boolean;
  readonly selfSigned: boolean;
  readonly key: KeyFacts;
  readonly signature: SignatureAlgorithm;
}

export interface PrivateKey {
  readonly keyObject: KeyObject;
  readonly facts: KeyFacts;
}

export type PemObject =
  | { readonly kind: 'certificate'; readonly block: PemBlock; readonly cert: Certificate }
  | { readonly kind: 'private-key'; readonly block: PemBlock; readonly key: PrivateKey }
  | { readonly kind: 'encrypted-key'; readonly block: PemBlock }
  | { readonly kind: 'public-key'; readonly block: PemBlock }
  | { readonly kind: 'invalid'; readonly block: PemBlock; readonly expected: 'certificate' | 'private key' | 'public key'; readonly reason: string }
  | { readonly kind: 'other'; readonly block: PemBlock };

export interface PemObjects extends PemFile {
  readonly objects: readonly PemObject[];
}

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);
/** The key labels Postfix's chain loader accepts (tls_certkey.c). */
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY']);

function keyFacts(k: KeyObject): KeyFacts {
  const d = k.asymmetricKeyDetails ?? {};
  switch (k.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return { algorithm: k.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS', bits: d.modulusLength ?? null, curve: null };
    case 'dsa':
      return { algorithm: 'DSA', bits: d.modulusLength ?? null, curve: null };
    case 'ec': {
      const curve = d.namedCurve ?? null;
      const m = curve ? /(\d{3})/.exec(curve) : null;
      return { algorithm: 'ECDSA', bits: m ? Number(m[1]) : null, curve };
    }
    case 'ed25519':
      return { algorithm: 'Ed25519', bits: 256, curve: null };
    case 'ed448':
      return { algorithm: 'Ed448', bits: 456, curve: null };
    default:
      return { algorithm: 'other', bits: null, curve: null };
  }
}

/** "CN=a\nO=b" (Node's form) -> "CN=a, O=b". */
function oneLine(name: string): string {
  return name.split('\n').filter((s) => s !== '').join(', ');
}

function dnsNames(x: X509Certificate): string[] {
  const san = x.subjectAltName;
  if (!san) return [];
  return san.split(/,\s*/).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4).toLowerCase());
}

function commonName(x: X509Certificate): string | null {
  const m = /(?:^|\n)CN=([^\n]*)/.exec(x.subject);
  return m ? m[1] : null;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `issuer` signed `cert`: names (and key identifiers) match and the signature verifies. */
export function issuedBy(cert: Certificate, issuer: Certificate): boolean {
  try {
    return cert.x509.checkIssued(issuer.x509) && cert.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

export function parseCertificate(der: Uint8Array): Certificate | string {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (e) {
    return `not a valid X.509 certificate (${e instanceof Error ? e.message : String(e)})`;
  }
  const info = readCertificateDer(der);
  if (!info) return 'not a valid X.509 certificate (unreadable DER structure)';
  let selfSigned = false;
  if (sameBytes(info.subjectDer, info.issuerDer)) {
    try {
      selfSigned = x509.verify(x509.publicKey);
    } catch {
      selfSigned = false;
    }
  }
  return {
    x509,
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    commonName: commonName(x509),
    dnsNames: dnsNames(x509),
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    isCA: x509.ca || (selfSigned && !info.hasBasicConstraints),
    selfSigned,
    key: keyFacts(x509.publicKey),
    signature: info.signature,
  };
}

function encrypted(block: PemBlock): boolean {
  return block.label === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/i.test(block.headers.get('Proc-Type') ?? '');
}

function toObject(block: PemBlock): PemObject {
  if (CERT_LABELS.has(block.label)) {
    if (!block.der) return { kind: 'invalid', block, expected: 'certificate', reason: 'the base64 body does not decode' };
    const cert = parseCertificate(block.der);
    return typeof cert === 'string' ? { kind: 'invalid', block, expected: 'certificate', reason: cert } : { kind: 'certificate', block, cert };
  }
  if (encrypted(block)) return { kind: 'encrypted-key', block };
  if (KEY_LABELS.has(block.label)) {
    try {
      const keyObject = createPrivateKey(block.text);
      return { kind: 'private-key', block, key: { keyObject, facts: keyFacts(keyObject) } };
    } catch (e) {
      return { kind: 'invalid', block, expected: 'private key', reason: e instanceof Error ? e.message : String(e) };
    }
  }
  if (block.label === 'PUBLIC KEY') {
    try {
      createPublicKey(block.text);
      return { kind: 'public-key', block };
    } catch (e) {
      return { kind: 'invalid', block, expected: 'public key', reason: e instanceof Error ? e.message : String(e) };
    }
  }
  return { kind: 'other', block };
}

const memo = new WeakMap<Uint8Array, PemObjects>();

/** Every PEM object of a file, parsed (memoized per byte array: the fix loop lints the same files again). */
export function pemObjects(bytes: Uint8Array): PemObjects {
  const hit = memo.get(bytes);
  if (hit) return hit;
  const file = splitPem(bytes);
  const result: PemObjects = { ...file, objects: file.blocks.map(toObject) };
  memo.set(bytes, result);
  return result;
}

/** "RSA 2048", "ECDSA P-256 (prime256v1)", "Ed25519". */
export function describeKey(k: KeyFacts): string {
  if (k.algorithm === 'ECDSA') return `ECDSA ${k.bits ?? '?'}-bit${k.curve ? ` (${k.curve})` : ''}`;
  if (k.algorithm === 'Ed25519' || k.algorithm === 'Ed448' || k.algorithm === 'other') return k.algorithm;
  return `${k.algorithm} ${k.bits ?? '?'}-bit`;
}

/** "CN=mx.example.org" or the subject when there is no CN. */
export function certName(c: Certificate): string {
  return c.commonName !== null ? `CN=${c.commonName}` : c.subject || '(empty subject)';
}
