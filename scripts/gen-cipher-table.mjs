#!/usr/bin/env node
// Regenerates src/ciphers/suite-table.ts from this machine's `openssl ciphers`.
// Run by hand (node scripts/gen-cipher-table.mjs) on a machine with OpenSSL 3.0;
// the product never runs openssl itself.
//
// What it records:
//  * every TLS <= 1.2 suite the library compiles in and can use, with its
//    OpenSSL and standard names, id, minimum version, kx/au/enc/mac and bits;
//  * strength flags (HIGH/MEDIUM/LOW/FIPS) and COMPLEMENTOFDEFAULT membership,
//    measured by asking openssl for each alias;
//  * the "base order": the order OpenSSL puts all suites in before it reads a
//    cipher string. A single alias adds its suites in that order, so the order is
//    rebuilt by merging the outputs of every single-alias query;
//  * which alias names this build knows (unknown or disabled names are skipped
//    by OpenSSL, which matters for syntax errors after `NAME+`);
//  * the TLS 1.3 suites and the default TLS 1.3 list.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const outFile = path.join(here, '..', 'src', 'ciphers', 'suite-table.ts');

function openssl(args) {
  const r = spawnSync('openssl', args, { encoding: 'latin1' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Suites (TLS <= 1.2 only) selected by a cipher string, in order; [] on "no cipher match". */
function listOf(cipherString) {
  const r = openssl(['ciphers', '-ciphersuites', '', cipherString]);
  if (r.status !== 0) return [];
  return r.stdout.trim().split(':').filter(Boolean);
}

const ALL_STRING = 'ALL:COMPLEMENTOFALL';

// --- 1. Suite attributes from -V -v and -stdname ---------------------------
const TLS13_ALL = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256';
const verbose = openssl(['ciphers', '-V', '-v', '-stdname', '-ciphersuites', TLS13_ALL, `${ALL_STRING}@SECLEVEL=0`]);
if (verbose.status !== 0) throw new Error('openssl ciphers failed: ' + verbose.stderr);

const KX = { RSA: 'kRSA', DH: 'kDHE', ECDH: 'kECDHE', PSK: 'kPSK', RSAPSK: 'kRSAPSK', DHEPSK: 'kDHEPSK', ECDHEPSK: 'kECDHEPSK', SRP: 'kSRP', GOST: 'kGOST', any: 'kANY' };
const AU = { RSA: 'aRSA', DSS: 'aDSS', None: 'aNULL', ECDSA: 'aECDSA', PSK: 'aPSK', SRP: 'aSRP', any: 'aANY' };
const ENC = {
  'DES(56)': ['DES', 56], '3DES(168)': ['3DES', 112], 'RC4(128)': ['RC4', 128], 'RC2(128)': ['RC2', 128], 'IDEA(128)': ['IDEA', 128],
  None: ['eNULL', 0], 'AES(128)': ['AES128', 128], 'AES(256)': ['AES256', 256], 'AESGCM(128)': ['AES128GCM', 128], 'AESGCM(256)': ['AES256GCM', 256],
  'AESCCM(128)': ['AES128CCM', 128], 'AESCCM(256)': ['AES256CCM', 256], 'AESCCM8(128)': ['AES128CCM8', 128], 'AESCCM8(256)': ['AES256CCM8', 256],
  'Camellia(128)': ['CAMELLIA128', 128], 'Camellia(256)': ['CAMELLIA256', 256], 'ARIAGCM(128)': ['ARIA128GCM', 128], 'ARIAGCM(256)': ['ARIA256GCM', 256],
  'SEED(128)': ['SEED', 128], 'CHACHA20/POLY1305(256)': ['CHACHA20POLY1305', 256],
};
const ALG_BITS = { '3DES': 168, DES: 56 };
const MAC = { MD5: 'MD5', SHA1: 'SHA1', SHA256: 'SHA256', SHA384: 'SHA384', AEAD: 'AEAD' };
const VERSIONS = { SSLv3: 'SSLv3', TLSv1: 'TLSv1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' };

const suites = [];
for (const line of verbose.stdout.split('\n')) {
  if (!line.trim()) continue;
  // "          0xC0,0x2C - TLS_ECDHE_... - ECDHE-ECDSA-AES256-GCM-SHA384  TLSv1.2 Kx=ECDH Au=ECDSA Enc=AESGCM(256) Mac=AEAD"
  const m = /^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+- (\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)\s+Enc=(\S+)\s+Mac=(\S+)\s*$/.exec(line);
  if (!m) throw new Error('cannot parse: ' + line);
  const [, hi, lo, stdName, name, version, kx, au, enc, mac] = m;
  const encInfo = ENC[enc];
  if (!KX[kx] || !AU[au] || !encInfo || !MAC[mac] || !VERSIONS[version]) throw new Error('unknown attribute in: ' + line);
  suites.push({
    name, stdName, id: parseInt(hi + lo, 16), minVersion: VERSIONS[version],
    kx: KX[kx], au: AU[au], enc: encInfo[0], mac: MAC[mac],
    strengthBits: encInfo[1], algBits: ALG_BITS[encInfo[0]] ?? encInfo[1],
  });
}
const tls13 = suites.filter((s) => s.minVersion === 'TLSv1.3');
const legacy = suites.filter((s) => s.minVersion !== 'TLSv1.3');

// --- 2. Flags by alias membership ------------------------------------------
const member = (alias) => new Set(listOf(alias));
const high = member('HIGH'), medium = member('MEDIUM'), low = member('LOW');
const fips = member('FIPS'), notDefault = member('COMPLEMENTOFDEFAULT');
for (const s of legacy) {
  s.strength = high.has(s.name) ? 'HIGH' : medium.has(s.name) ? 'MEDIUM' : low.has(s.name) ? 'LOW' : 'NONE';
  s.fips = fips.has(s.name);
  s.notDefault = notDefault.has(s.name);
}

// --- 3. Known alias names ---------------------------------------------------
// Every alias name OpenSSL 1.1.1-3.x has had (plus a few it never had, as
// controls). `NAME+!x` gives "invalid command" only when NAME is known.
const CANDIDATES = [
  'ALL', 'COMPLEMENTOFALL', 'COMPLEMENTOFDEFAULT',
  'kRSA', 'kEDH', 'kDHE', 'DH', 'kEECDH', 'kECDHE', 'ECDH', 'kPSK', 'kRSAPSK', 'kECDHEPSK', 'kDHEPSK', 'kSRP', 'kGOST', 'kGOST18',
  'aRSA', 'aDSS', 'DSS', 'aNULL', 'aECDSA', 'ECDSA', 'aPSK', 'aGOST01', 'aGOST12', 'aGOST', 'aSRP',
  'EDH', 'DHE', 'EECDH', 'ECDHE', 'NULL', 'RSA', 'ADH', 'AECDH', 'PSK', 'SRP',
  '3DES', 'RC4', 'RC2', 'IDEA', 'SEED', 'eNULL', 'GOST', 'AES128', 'AES256', 'AES', 'AESGCM', 'AESCCM', 'AESCCM8',
  'CAMELLIA128', 'CAMELLIA256', 'CAMELLIA', 'CHACHA20', 'ARIA', 'ARIAGCM', 'ARIA128', 'ARIA256', 'CBC', 'MAGMA', 'KUZNYECHIK',
  'MD5', 'SHA1', 'SHA', 'GOST94', 'GOST89MAC', 'SHA256', 'SHA384', 'GOST12',
  'SSLv3', 'TLSv1', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'DTLSv1', 'DTLSv1.0', 'DTLSv1.2',
  'LOW', 'MEDIUM', 'HIGH', 'FIPS', 'EXPORT', 'EXP', 'EXPORT40', 'EXPORT56', 'DES', 'KRB5', 'kKRB5', 'aKRB5', 'kDH', 'kECDH', 'aDH', 'aECDH',
  'EDH-DSS-DES-CBC3-SHA', 'EDH-RSA-DES-CBC3-SHA', 'AEAD', 'CCM', 'GCM', 'CHACHA20POLY1305', 'kANY', 'aANY',
];
const knownAliases = [];
for (const name of CANDIDATES) {
  const r = openssl(['ciphers', '-ciphersuites', '', `${name}+!x`]);
  if (/invalid command/.test(r.stderr)) knownAliases.push(name);
  else if (!/no cipher match/.test(r.stderr)) throw new Error(`unexpected answer for ${name}: ${r.stderr}`);
}

// --- 4. Base order ----------------------------------------------------------
// Each single-alias output is the base order restricted to that alias. Merge
// them all (topological sort), breaking ties by the ALL:COMPLEMENTOFALL order.
const fallback = listOf(ALL_STRING);
const rank = new Map(fallback.map((n, i) => [n, i]));
const edges = new Map(fallback.map((n) => [n, new Set()]));
const indegree = new Map(fallback.map((n) => [n, 0]));
const probes = [];
for (const alias of knownAliases) {
  if (alias === 'DEFAULT') continue;
  const list = listOf(alias);
  probes.push([alias, list]);
  for (let i = 0; i + 1 < list.length; i++) {
    const a = list[i], b = list[i + 1];
    if (!edges.get(a).has(b)) { edges.get(a).add(b); indegree.set(b, indegree.get(b) + 1); }
  }
}
const order = [];
const ready = fallback.filter((n) => indegree.get(n) === 0);
while (ready.length) {
  ready.sort((x, y) => rank.get(x) - rank.get(y));
  const n = ready.shift();
  order.push(n);
  for (const m of edges.get(n)) {
    indegree.set(m, indegree.get(m) - 1);
    if (indegree.get(m) === 0) ready.push(m);
  }
}
if (order.length !== fallback.length) throw new Error('alias outputs are not consistent with one base order');
for (const [alias, list] of probes) {
  const set = new Set(list);
  const restricted = order.filter((n) => set.has(n));
  if (restricted.join(':') !== list.join(':')) throw new Error(`base order does not reproduce ${alias}`);
}
const byName = new Map(legacy.map((s) => [s.name, s]));
const orderedLegacy = order.map((n) => {
  const s = byName.get(n);
  if (!s) throw new Error('suite missing from -v output: ' + n);
  return s;
});

// --- 5. Defaults ------------------------------------------------------------
const defaults = openssl(['ciphers', '-v', 'NULL-SHA']).stdout.split('\n')
  .map((l) => l.split(/\s+/)[0]).filter((n) => n.startsWith('TLS_'));
const version = openssl(['version']).stdout.trim();

// --- 6. Write ---------------------------------------------------------------
const row = (s) => `  [${JSON.stringify(s.name)}, ${JSON.stringify(s.stdName)}, 0x${s.id.toString(16).toUpperCase().padStart(4, '0')}, ` +
  `'${s.minVersion}', '${s.kx}', '${s.au}', '${s.enc}', '${s.mac}', ${s.strengthBits}, ${s.algBits}` +
  (s.strength !== undefined ? `, '${s.strength}', ${s.fips}, ${s.notDefault}` : '') + '],';

const text = `// GENERATED by scripts/gen-cipher-table.mjs from \`openssl ciphers\` on: ${version}
// Do not edit by hand; rerun the script instead.
//
// Rows are plain tuples so that importing this module costs almost nothing;
// src/ciphers/suites.ts turns them into objects on first use.

/** name, standard name, id, min version, kx, au, enc, mac, strength bits, alg bits, strength class, FIPS, not in DEFAULT */
export type LegacySuiteRow = readonly [string, string, number, string, string, string, string, string, number, number, string, boolean, boolean];
/** name, standard name, id, min version, kx, au, enc, mac, strength bits, alg bits */
export type Tls13SuiteRow = readonly [string, string, number, string, string, string, string, string, number, number];

export const OPENSSL_VERSION = ${JSON.stringify(version)};

/** TLS <= 1.2 suites in OpenSSL's base order (before any cipher string is applied). */
export const LEGACY_SUITE_ROWS: readonly LegacySuiteRow[] = [
${orderedLegacy.map(row).join('\n')}
];

/** TLS 1.3 suites this build knows. */
export const TLS13_SUITE_ROWS: readonly Tls13SuiteRow[] = [
${tls13.map(row).join('\n')}
];

/** Default TLS 1.3 ciphersuites setting. */
export const DEFAULT_TLS13_SUITES = ${JSON.stringify(defaults.join(':'))};

/** Alias names this build recognises in cipher strings (others are skipped like unknown names). */
export const KNOWN_ALIASES: readonly string[] = ${JSON.stringify(knownAliases)};
`;
writeFileSync(outFile, text);
console.log(`wrote ${outFile}: ${orderedLegacy.length} TLS<=1.2 suites, ${tls13.length} TLS 1.3 suites, ${knownAliases.length} known aliases`);
