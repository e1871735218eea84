/**
 * Cipher suite objects built (once, on first use) from the generated table.
 */
import {
  DEFAULT_TLS13_SUITES,
  KNOWN_ALIASES,
  LEGACY_SUITE_ROWS,
  OPENSSL_VERSION,
  TLS13_SUITE_ROWS,
} from './suite-table.js';

export type ProtocolVersion = 'SSLv3' | 'TLSv1' | 'TLSv1.2' | 'TLSv1.3' | 'unknown';
export type StrengthClass = 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE';

export interface Suite {
  /** OpenSSL name, e.g. ECDHE-RSA-AES128-GCM-SHA256. */
  readonly name: string;
  /** IANA / RFC name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
  readonly stdName: string;
  /** Two-byte suite id, e.g. 0xC02F. */
  readonly id: number;
  /** Lowest protocol version the suite works with. */
  readonly minVersion: ProtocolVersion;
  /** OpenSSL key-exchange class: kRSA, kDHE, kECDHE, kPSK, kRSAPSK, kDHEPSK, kECDHEPSK, kSRP, kANY. */
  readonly kx: string;
  /** Authentication: aRSA, aDSS, aECDSA, aNULL, aPSK, aSRP, aANY. */
  readonly au: string;
  /** Bulk cipher: AES128, AES256GCM, CHACHA20POLY1305, eNULL, ... */
  readonly enc: string;
  /** MAC: MD5, SHA1, SHA256, SHA384, AEAD. */
  readonly mac: string;
  /** Effective symmetric strength (OpenSSL's strength_bits). */
  readonly strengthBits: number;
  /** Nominal key bits (OpenSSL's alg_bits). */
  readonly algBits: number;
  /** HIGH/MEDIUM/LOW alias class; NONE for NULL encryption and TLS 1.3 suites. */
  readonly strength: StrengthClass;
  readonly fips: boolean;
  /** Member of DEFAULT's pool (not in COMPLEMENTOFDEFAULT). */
  readonly inDefault: boolean;
  readonly tls13: boolean;
}

// Bit masks mirroring the way OpenSSL describes a suite. Only set relations
// matter (intersection tests), so the numbering is ours.
export const KX_BITS: Readonly<Record<string, number>> = {
  kRSA: 1 << 0, kDHE: 1 << 1, kECDHE: 1 << 2, kPSK: 1 << 3, kRSAPSK: 1 << 4, kECDHEPSK: 1 << 5,
  kDHEPSK: 1 << 6, kSRP: 1 << 7, kGOST: 1 << 8, kGOST18: 1 << 9, kANY: 1 << 10,
};
export const AU_BITS: Readonly<Record<string, number>> = {
  aRSA: 1 << 0, aDSS: 1 << 1, aNULL: 1 << 2, aECDSA: 1 << 3, aPSK: 1 << 4, aGOST01: 1 << 5,
  aGOST12: 1 << 6, aSRP: 1 << 7, aANY: 1 << 8,
};
export const ENC_BITS: Readonly<Record<string, number>> = {
  DES: 1 << 0, '3DES': 1 << 1, RC4: 1 << 2, RC2: 1 << 3, IDEA: 1 << 4, eNULL: 1 << 5,
  AES128: 1 << 6, AES256: 1 << 7, CAMELLIA128: 1 << 8, CAMELLIA256: 1 << 9, GOST89: 1 << 10,
  SEED: 1 << 11, AES128GCM: 1 << 12, AES256GCM: 1 << 13, AES128CCM: 1 << 14, AES256CCM: 1 << 15,
  AES128CCM8: 1 << 16, AES256CCM8: 1 << 17, GOST8912: 1 << 18, CHACHA20POLY1305: 1 << 19,
  ARIA128GCM: 1 << 20, ARIA256GCM: 1 << 21, MAGMA: 1 << 22, KUZNYECHIK: 1 << 23, unknown: 1 << 24,
};
export const MAC_BITS: Readonly<Record<string, number>> = {
  MD5: 1 << 0, SHA1: 1 << 1, GOST94: 1 << 2, GOST89MAC: 1 << 3, SHA256: 1 << 4, SHA384: 1 << 5,
  AEAD: 1 << 6, GOST12_256: 1 << 7, GOST89MAC12: 1 << 8, GOST12_512: 1 << 9, unknown: 1 << 10,
};
export const STRENGTH_BITS = {
  NONE: 1 << 0, LOW: 1 << 1, MEDIUM: 1 << 2, HIGH: 1 << 3, FIPS: 1 << 4, NOT_DEFAULT: 1 << 5,
} as const;
export const STRONG_MASK = 0x1f;
export const DEFAULT_MASK = 0x20;
export const VERSION_CODES: Readonly<Record<ProtocolVersion, number>> = {
  SSLv3: 0x0300, TLSv1: 0x0301, 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304, unknown: 0,
};

/** A suite plus the masks the rule engine matches on. */
export interface SuiteEntry {
  readonly suite: Suite;
  readonly kxMask: number;
  readonly auMask: number;
  readonly encMask: number;
  readonly macMask: number;
  readonly minTls: number;
  readonly strengthMask: number;
}

export interface CipherData {
  readonly opensslVersion: string;
  /** TLS <= 1.2 suites in OpenSSL's base order. */
  readonly legacy: readonly SuiteEntry[];
  readonly tls13: readonly Suite[];
  /** Lookup by OpenSSL name (TLS <= 1.2 only: cipher strings cannot name TLS 1.3 suites). */
  readonly legacyByName: ReadonlyMap<string, number>;
  /** Lookup by standard name over every suite OpenSSL knows, as the TLS 1.3 setting does. */
  readonly byStdName: ReadonlyMap<string, Suite>;
  readonly knownAliases: ReadonlySet<string>;
  readonly defaultTls13Suites: string;
}

let cached: CipherData | undefined;

function bit(table: Readonly<Record<string, number>>, key: string): number {
  const value = table[key];
  if (value === undefined) throw new Error(`suite table: unknown attribute ${key}`);
  return value;
}

/** Signalling pseudo-suites that OpenSSL also finds by standard name. */
const SCSV_SUITES: readonly Suite[] = [
  ['TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 0x00ff],
  ['TLS_FALLBACK_SCSV', 0x5600],
].map(([name, id]) => ({
  name: name as string, stdName: name as string, id: id as number, minVersion: 'unknown', kx: 'kANY', au: 'aANY',
  enc: 'unknown', mac: 'unknown', strengthBits: 0, algBits: 0, strength: 'NONE', fips: false, inDefault: false, tls13: false,
}));

export function cipherData(): CipherData {
  if (cached) return cached;
  const legacy: SuiteEntry[] = LEGACY_SUITE_ROWS.map((row) => {
    const [name, stdName, id, minVersion, kx, au, enc, mac, strengthBits, algBits, strength, fips, notDefault] = row;
    const suite: Suite = {
      name, stdName, id, minVersion: minVersion as ProtocolVersion, kx, au, enc, mac, strengthBits, algBits,
      strength: strength as StrengthClass, fips, inDefault: !notDefault, tls13: false,
    };
    return {
      suite,
      kxMask: bit(KX_BITS, kx),
      auMask: bit(AU_BITS, au),
      encMask: bit(ENC_BITS, enc),
      macMask: bit(MAC_BITS, mac),
      minTls: VERSION_CODES[suite.minVersion],
      strengthMask: STRENGTH_BITS[suite.strength] | (fips ? STRENGTH_BITS.FIPS : 0) | (notDefault ? STRENGTH_BITS.NOT_DEFAULT : 0),
    };
  });
  const tls13: Suite[] = TLS13_SUITE_ROWS.map(([name, stdName, id, minVersion, kx, au, enc, mac, strengthBits, algBits]) => ({
    name, stdName, id, minVersion: minVersion as ProtocolVersion, kx, au, enc, mac, strengthBits, algBits,
    strength: 'NONE', fips: false, inDefault: true, tls13: true,
  }));
  const byStdName = new Map<string, Suite>();
  for (const s of [...tls13, ...legacy.map((e) => e.suite), ...SCSV_SUITES]) byStdName.set(s.stdName, s);
  cached = {
    opensslVersion: OPENSSL_VERSION,
    legacy,
    tls13,
    legacyByName: new Map(legacy.map((e, i) => [e.suite.name, i])),
    byStdName,
    knownAliases: new Set(KNOWN_ALIASES),
    defaultTls13Suites: DEFAULT_TLS13_SUITES,
  };
  return cached;
}

/** All TLS <= 1.2 suites in OpenSSL's base order. */
export function allLegacySuites(): readonly Suite[] {
  return cipherData().legacy.map((e) => e.suite);
}

/** All TLS 1.3 suites. */
export function allTls13Suites(): readonly Suite[] {
  return cipherData().tls13;
}
