/**
 * Cipher-string alias definitions (OpenSSL 3.0 semantics, ssl/ssl_ciph.c).
 *
 * Each alias is a pattern: a suite matches when, for every non-zero mask, the
 * suite's bit intersects it; a version pins the exact minimum version. Which
 * of these names the library actually accepts depends on the build (disabled
 * algorithms drop their aliases); that list comes from the generated table.
 */
import { AU_BITS, ENC_BITS, KX_BITS, MAC_BITS, STRENGTH_BITS, VERSION_CODES } from './suites.js';

export interface AliasPattern {
  readonly kx: number;
  readonly au: number;
  readonly enc: number;
  readonly mac: number;
  readonly minTls: number;
  readonly strength: number;
}

const k = KX_BITS, a = AU_BITS, e = ENC_BITS, m = MAC_BITS, s = STRENGTH_BITS;

const AES128_ALL = e.AES128 | e.AES128GCM | e.AES128CCM | e.AES128CCM8;
const AES256_ALL = e.AES256 | e.AES256GCM | e.AES256CCM | e.AES256CCM8;
const PSK_ALL = k.kPSK | k.kRSAPSK | k.kECDHEPSK | k.kDHEPSK;
const CBC_ALL = e.DES | e['3DES'] | e.RC2 | e.IDEA | e.AES128 | e.AES256 | e.CAMELLIA128 | e.CAMELLIA256 | e.SEED;

function p(fields: Partial<AliasPattern>): AliasPattern {
  return { kx: 0, au: 0, enc: 0, mac: 0, minTls: 0, strength: 0, ...fields };
}

export const ALIAS_PATTERNS: ReadonlyMap<string, AliasPattern> = new Map<string, AliasPattern>([
  // "ALL" leaves out NULL encryption, which must be asked for by name.
  ['ALL', p({ enc: ~e.eNULL })],
  ['COMPLEMENTOFALL', p({ enc: e.eNULL })],
  // Only suites found in ALL, despite the name.
  ['COMPLEMENTOFDEFAULT', p({ strength: s.NOT_DEFAULT })],

  ['kRSA', p({ kx: k.kRSA })],
  ['kEDH', p({ kx: k.kDHE })],
  ['kDHE', p({ kx: k.kDHE })],
  ['DH', p({ kx: k.kDHE })],
  ['kEECDH', p({ kx: k.kECDHE })],
  ['kECDHE', p({ kx: k.kECDHE })],
  ['ECDH', p({ kx: k.kECDHE })],
  ['kPSK', p({ kx: k.kPSK })],
  ['kRSAPSK', p({ kx: k.kRSAPSK })],
  ['kECDHEPSK', p({ kx: k.kECDHEPSK })],
  ['kDHEPSK', p({ kx: k.kDHEPSK })],
  ['kSRP', p({ kx: k.kSRP })],
  ['kGOST', p({ kx: k.kGOST })],
  ['kGOST18', p({ kx: k.kGOST18 })],

  ['aRSA', p({ au: a.aRSA })],
  ['aDSS', p({ au: a.aDSS })],
  ['DSS', p({ au: a.aDSS })],
  ['aNULL', p({ au: a.aNULL })],
  ['aECDSA', p({ au: a.aECDSA })],
  ['ECDSA', p({ au: a.aECDSA })],
  ['aPSK', p({ au: a.aPSK })],
  ['aGOST01', p({ au: a.aGOST01 })],
  ['aGOST12', p({ au: a.aGOST12 })],
  ['aGOST', p({ au: a.aGOST01 | a.aGOST12 })],
  ['aSRP', p({ au: a.aSRP })],

  // Key exchange combined with "authenticated": excludes anonymous suites.
  ['EDH', p({ kx: k.kDHE, au: ~a.aNULL })],
  ['DHE', p({ kx: k.kDHE, au: ~a.aNULL })],
  ['EECDH', p({ kx: k.kECDHE, au: ~a.aNULL })],
  ['ECDHE', p({ kx: k.kECDHE, au: ~a.aNULL })],
  ['NULL', p({ enc: e.eNULL })],
  ['RSA', p({ kx: k.kRSA, au: a.aRSA })],
  ['ADH', p({ kx: k.kDHE, au: a.aNULL })],
  ['AECDH', p({ kx: k.kECDHE, au: a.aNULL })],
  ['PSK', p({ kx: PSK_ALL })],
  ['SRP', p({ kx: k.kSRP })],

  ['3DES', p({ enc: e['3DES'] })],
  ['RC4', p({ enc: e.RC4 })],
  ['RC2', p({ enc: e.RC2 })],
  ['IDEA', p({ enc: e.IDEA })],
  ['SEED', p({ enc: e.SEED })],
  ['eNULL', p({ enc: e.eNULL })],
  ['GOST', p({ enc: e.GOST89 | e.GOST8912 })],
  ['AES128', p({ enc: AES128_ALL })],
  ['AES256', p({ enc: AES256_ALL })],
  ['AES', p({ enc: AES128_ALL | AES256_ALL })],
  ['AESGCM', p({ enc: e.AES128GCM | e.AES256GCM })],
  ['AESCCM', p({ enc: e.AES128CCM | e.AES256CCM | e.AES128CCM8 | e.AES256CCM8 })],
  ['AESCCM8', p({ enc: e.AES128CCM8 | e.AES256CCM8 })],
  ['CAMELLIA128', p({ enc: e.CAMELLIA128 })],
  ['CAMELLIA256', p({ enc: e.CAMELLIA256 })],
  ['CAMELLIA', p({ enc: e.CAMELLIA128 | e.CAMELLIA256 })],
  ['CHACHA20', p({ enc: e.CHACHA20POLY1305 })],
  ['ARIA', p({ enc: e.ARIA128GCM | e.ARIA256GCM })],
  ['ARIAGCM', p({ enc: e.ARIA128GCM | e.ARIA256GCM })],
  ['ARIA128', p({ enc: e.ARIA128GCM })],
  ['ARIA256', p({ enc: e.ARIA256GCM })],
  // New in 3.0.
  ['CBC', p({ enc: CBC_ALL })],
  ['MAGMA', p({ enc: e.MAGMA })],
  ['KUZNYECHIK', p({ enc: e.KUZNYECHIK })],

  ['MD5', p({ mac: m.MD5 })],
  ['SHA1', p({ mac: m.SHA1 })],
  ['SHA', p({ mac: m.SHA1 })],
  ['GOST94', p({ mac: m.GOST94 })],
  ['GOST89MAC', p({ mac: m.GOST89MAC | m.GOST89MAC12 })],
  ['SHA256', p({ mac: m.SHA256 })],
  ['SHA384', p({ mac: m.SHA384 })],
  ['GOST12', p({ mac: m.GOST12_256 })],

  // Exact minimum protocol version, not "usable with".
  ['SSLv3', p({ minTls: VERSION_CODES.SSLv3 })],
  ['TLSv1', p({ minTls: VERSION_CODES.TLSv1 })],
  ['TLSv1.0', p({ minTls: VERSION_CODES.TLSv1 })],
  ['TLSv1.2', p({ minTls: VERSION_CODES['TLSv1.2'] })],

  ['LOW', p({ strength: s.LOW })],
  ['MEDIUM', p({ strength: s.MEDIUM })],
  ['HIGH', p({ strength: s.HIGH })],
  ['FIPS', p({ enc: ~e.eNULL, strength: s.FIPS })],

  // Old "EDH-" spellings of two 3DES suites, kept as patterns.
  ['EDH-DSS-DES-CBC3-SHA', p({ kx: k.kDHE, au: a.aDSS, enc: e['3DES'], mac: m.SHA1, strength: s.HIGH | s.FIPS })],
  ['EDH-RSA-DES-CBC3-SHA', p({ kx: k.kDHE, au: a.aRSA, enc: e['3DES'], mac: m.SHA1, strength: s.HIGH | s.FIPS })],
]);
