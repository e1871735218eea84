/**
 * Differential test: our evaluator against this machine's `openssl ciphers`.
 * Thousands of generated cipher strings plus a table of tricky ones; every
 * case must give the same stdout and exit code (and the same first stderr line).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { runCiphersCommand } from '../../src/cli/ciphers-command.js';
import { evaluateCipherString, usableSuites } from '../../src/ciphers/evaluate.js';
import { allLegacySuites } from '../../src/ciphers/suites.js';
import { Prng } from '../support/prng.js';

const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const opensslVersion = probe.status === 0 ? probe.stdout.trim() : '';
const haveOpenssl30 = /^OpenSSL 3\.0\./.test(opensslVersion);
const skipReason = opensslVersion === ''
  ? 'openssl not installed'
  : haveOpenssl30 ? undefined : `needs OpenSSL 3.0.x, found ${opensslVersion}`;

function prng(seed: number): () => number {
  const rng = new Prng(seed);
  return () => rng.next();
}

const ALIASES = [
  'ALL', 'COMPLEMENTOFALL', 'COMPLEMENTOFDEFAULT', 'HIGH', 'MEDIUM', 'LOW', 'EXPORT', 'aNULL', 'eNULL', 'NULL',
  'kRSA', 'RSA', 'aRSA', 'kEECDH', 'EECDH', 'ECDHE', 'kECDHE', 'ECDH', 'kEDH', 'EDH', 'DHE', 'kDHE', 'DH', 'ADH', 'AECDH',
  'AESGCM', 'AESCCM', 'AESCCM8', 'AES', 'AES128', 'AES256', 'CHACHA20', 'CAMELLIA', 'CAMELLIA128', 'CAMELLIA256',
  'ARIA', 'ARIAGCM', 'ARIA128', 'ARIA256', '3DES', 'DES', 'RC4', 'RC2', 'SEED', 'IDEA', 'GOST', 'CBC',
  'MD5', 'SHA1', 'SHA', 'SHA256', 'SHA384', 'TLSv1', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'SSLv3', 'SSLv2',
  'PSK', 'kPSK', 'aPSK', 'kRSAPSK', 'kDHEPSK', 'kECDHEPSK', 'SRP', 'kSRP', 'aSRP', 'ECDSA', 'aECDSA', 'DSS', 'aDSS',
  'FIPS', 'kDH', 'kECDH', 'aDH', 'kGOST', 'aGOST', 'EDH-RSA-DES-CBC3-SHA', 'EDH-DSS-DES-CBC3-SHA', 'DEFAULT',
];
const UNKNOWN = ['FOO', 'aes', 'high', 'RC5', 'TLS_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'DES-CBC3-SHA', 'RC4-SHA', 'X-Y.Z=1'];
const SEPARATORS = [':', ':', ':', ',', ' ', ';', ': ', ', ', '::'];
const POSTFIX_BASES = [
  'aNULL:-aNULL:HIGH:@STRENGTH',
  'aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH',
  'aNULL:-aNULL:HIGH:MEDIUM:LOW:+RC4:@STRENGTH',
  'aNULL:-aNULL:HIGH:MEDIUM:LOW:EXPORT:+RC4:@STRENGTH',
  'eNULL:!aNULL',
  'aNULL:-aNULL:HIGH:!SEED:!IDEA:!3DES:!RC2:!RC4:!RC5:!kDH:!kECDH:!aDSS:!MD5:@STRENGTH',
  'aNULL:-aNULL:HIGH:MEDIUM:!SEED:!IDEA:!3DES:!RC2:!RC4:!RC5:!kDH:!kECDH:!aDSS:!MD5:+RC4:@STRENGTH',
  'eNULL:!kDH:!kECDH:!aDSS:!MD5:!aNULL',
  '!EXPORT:!LOW:!MEDIUM:ALL:+RC4:@STRENGTH',
  '!EXPORT:!LOW:ALL:+RC4:@STRENGTH',
  'ALL:!EXPORT:!LOW:!MEDIUM:+RC4:@STRENGTH',
  'DEFAULT',
];

function generate(rand: () => number, names: readonly string[]): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const atom = (): string => {
    const r = rand();
    if (r < 0.6) return pick(ALIASES);
    if (r < 0.9) return pick(names);
    return pick(UNKNOWN);
  };
  const term = (first = false): string => {
    const r = first && rand() < 0.8 ? 1 : rand();
    if (r < 0.05) return '@STRENGTH';
    if (r < 0.08) return `@SECLEVEL=${rand() < 0.05 ? 6 : Math.floor(rand() * 6)}`;
    if (r < 0.083) return pick(['@FOO', '@STRENGTH+HIGH', '@SECLEVEL=10', '@', '!', '_x', 'A++B', 'AES+!x', 'RC4+!x', '-', '--HIGH', '+-AES']);
    const prefix = first ? '' : pick(['', '', '', '', '!', '!', '-', '+']);
    let body = atom();
    const combos = rand() < 0.25 ? 1 + Math.floor(rand() * 2) : 0;
    for (let i = 0; i < combos; i++) body += '+' + atom();
    return prefix + body;
  };
  const r = rand();
  let out: string;
  if (r < 0.2) {
    // Postfix style: a base list plus ":!token" exclusions.
    out = pick(POSTFIX_BASES);
    const n = Math.floor(rand() * 4);
    for (let i = 0; i < n; i++) out += ':!' + atom() + (rand() < 0.2 ? '+' + atom() : '');
  } else {
    const n = 1 + Math.floor(rand() * 7);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(term(i === 0));
    out = parts.map((p, i) => (i === 0 ? p : pick(SEPARATORS) + p)).join('');
    if (rand() < 0.08) out = pick(['DEFAULT:', 'DEFAULT', 'DEFAULT,', 'SUITEB128:', 'SUITEB192', 'SUITEB128ONLY', 'SUITEB128C2', ':', ' ']) + out;
    if (rand() < 0.03) out += pick([':', ' ', '+', '!']);
  }
  return out;
}

const TRICKY = [
  '', ' ', ':', 'FOO', 'ALL', 'ALL:COMPLEMENTOFALL', 'COMPLEMENTOFALL', 'COMPLEMENTOFDEFAULT', 'DEFAULT', 'DEFAULT:@STRENGTH',
  'DEFAULTX', 'DEFAULT+RSA', 'DEFAULT:!kRSA', 'HIGH:DEFAULT', 'DEFAULT:-ALL:ALL', 'SUITEB128', 'SUITEB128:ALL', 'SUITEB192',
  'SUITEB128ONLY', 'SUITEB128C2', 'SUITEB', 'HIGH', 'MEDIUM', 'LOW', 'EXPORT', 'aNULL', 'eNULL', 'NULL', 'HIGH+FIPS',
  'FIPS', 'FIPS+HIGH', 'kRSA+SHA1', 'RSA+SHA256', 'AES128-SHA+AES256-SHA', 'AES128-SHA+RSA', 'AES128-SHA+TLSv1.2',
  'TLSv1.2+AES128-SHA', 'TLSv1+TLSv1.2', 'SSLv3+SHA1', 'ECDHE-RSA-AES128-GCM-SHA256+COMPLEMENTOFDEFAULT',
  'DHE-DSS-AES256-GCM-SHA384+COMPLEMENTOFDEFAULT', 'EDH+aNULL', 'EDH+aRSA', 'kEDH+aRSA', 'AESGCM+!aNULL',
  'aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH', 'aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH:!SHA1:!kRSA',
  'aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH:!aNULL:!MD5:!RC4:!kEDH+aRSA:!eNULL', 'aNULL:-aNULL:HIGH:@STRENGTH:!3DES:!SEED:!eNULL',
  '@STRENGTH', '@STRENGTH:ALL', 'ALL:@STRENGTH', 'eNULL:ALL:@STRENGTH', 'ALL:@STRENGTHX', 'ALL:@STRENGTH+X', 'ALL:@SECLEVEL=0',
  'ALL:@SECLEVEL=5', 'ALL:@SECLEVEL=6', 'ALL:@SECLEVEL=', 'ALL:@SECLEVEL=10', 'ALL:@SECLEVEL=1x', 'ALL:@', 'ALL:@FOO',
  'ALL:!', 'ALL:-', 'ALL:+', 'ALL+', 'ALL:_', 'ALL:a_b', 'ALL;HIGH', 'ALL HIGH', 'ALL,HIGH', 'ALL\tHIGH', 'ALL::HIGH',
  'AES+!x', 'RC4+!x', '3DES+!x', 'SEED+!x', 'ALL:--HIGH', 'ALL:+-AES', 'ALL:-+AES', 'A++B', 'ALL:!HIGH:HIGH', 'ALL:-HIGH:HIGH',
  'ALL:-HIGH:MEDIUM:HIGH', '-ALL:ALL', '+ALL:ALL', '!ALL:ALL', 'ALL:+aNULL', 'ALL:+kRSA:+aNULL:@STRENGTH', 'kRSA:kECDHE:-kRSA:ALL',
  'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256:!ECDHE-RSA-AES128-GCM-SHA256',
  'NULL-MD5:NULL-SHA:NULL-SHA256:@STRENGTH', 'EDH-RSA-DES-CBC3-SHA', 'DES-CBC3-SHA', 'RC4-SHA', 'CBC', 'CBC+SHA256', 'ARIA:CAMELLIA:CHACHA20',
  'PSK:SRP', 'kPSK+aPSK', 'PSK+kRSAPSK', 'ECDSA:DSS', 'aGOST', 'GOST', 'kGOST', 'TLSv1.0', 'TLSv1.1', 'TLSv1.3', 'SSLv3',
  'aNULL:!aNULL', 'HIGH:!ALL', 'HIGH:!COMPLEMENTOFALL', 'COMPLEMENTOFALL:@SECLEVEL=3', 'ALL:!SHA1:!SHA256:!SHA384:!AEAD',
  'ECDHE-RSA-AES128-GCM-SHA256\u0000:ALL', 'HIGH:\u00e9', 'SHA1:SHA256:SHA384', 'ALL:+SHA1:+SHA256',
];

interface OpensslAnswer { stdout: string; stderr: string; code: number }

function runOpenssl(args: string[]): Promise<OpensslAnswer> {
  return new Promise((resolve) => {
    execFile('openssl', args, { encoding: 'latin1' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

/** Runs jobs with a small concurrency limit, keeping results in order. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

function ours(cipherString: string, verbose: boolean): OpensslAnswer {
  let stdout = '';
  let stderr = '';
  const code = runCiphersCommand({ cipherString, verbose }, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
  return { stdout, stderr, code };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

const GENERATED = 2500;

test('generated and tricky cipher strings match openssl ciphers', { skip: skipReason }, async () => {
  const rand = prng(0x5eed2025);
  const names = allLegacySuites().map((s) => s.name);
  const cases = [...TRICKY];
  for (let i = 0; i < GENERATED; i++) cases.push(generate(rand, names));

  const verboseEvery = 10;
  const jobs = cases.map((s, i) => ({ s, verbose: i % verboseEvery === 0 }));
  const answers = await pool(jobs, 4, (j) => runOpenssl(['ciphers', ...(j.verbose ? ['-v'] : []), '--', j.s.split('\u0000')[0]]));
  const failures: string[] = [];
  let okCount = 0;
  let invalidCount = 0;
  let noMatchCount = 0;
  jobs.forEach((j, i) => {
    const want = answers[i];
    const got = ours(j.s, j.verbose);
    if (got.stdout !== want.stdout || got.code !== want.code || firstLine(got.stderr) !== firstLine(want.stderr)) {
      failures.push(`${JSON.stringify(j.s)}${j.verbose ? ' (-v)' : ''}\n  openssl: ${want.code} ${JSON.stringify(want.stdout.slice(0, 300))} ${JSON.stringify(firstLine(want.stderr))}\n  ours:    ${got.code} ${JSON.stringify(got.stdout.slice(0, 300))} ${JSON.stringify(firstLine(got.stderr))}`);
    } else if (want.code === 0) okCount++;
    else if (/invalid command/.test(want.stderr)) invalidCount++;
    else noMatchCount++;
  });
  console.log(`# cipher strings compared with ${opensslVersion}: ${cases.length} (${TRICKY.length} hand-written, ${GENERATED} generated); ` +
    `agreed on ${okCount} lists, ${invalidCount} invalid-command and ${noMatchCount} no-match errors; ${failures.length} differed`);
  assert.equal(failures.length, 0, failures.slice(0, 10).join('\n'));
});

test('usableSuites matches openssl ciphers -s at each security level', { skip: skipReason }, async () => {
  const strings = [
    'ALL:COMPLEMENTOFALL', 'DEFAULT', 'aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH', 'eNULL:!aNULL', 'HIGH:@STRENGTH',
    'kRSA:aNULL', 'SHA1:MD5', 'AES128:CAMELLIA128:ARIA128',
  ];
  const jobs: Array<{ s: string }> = [];
  for (const s of strings) {
    jobs.push({ s });
    for (let level = 0; level <= 5; level++) jobs.push({ s: `${s}:@SECLEVEL=${level}` });
  }
  const answers = await pool(jobs, 4, (j) => runOpenssl(['ciphers', '-s', '--', j.s]));
  jobs.forEach((j, i) => {
    const want = answers[i];
    const result = evaluateCipherString(j.s);
    assert.ok(result.ok, j.s);
    const line = usableSuites(result).map((x) => x.name).join(':');
    assert.equal(line + '\n', want.stdout, `-s ${j.s}`);
  });
});

test('the TLS 1.3 setting matches openssl ciphers -ciphersuites', { skip: skipReason }, async () => {
  const settings = [
    'TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256', 'TLS_AES_128_CCM_SHA256:bogus', '', ' TLS_AES_128_GCM_SHA256 : TLS_AES_256_GCM_SHA384 ',
    'TLS_AES_128_CCM_SHA256::TLS_AES_128_GCM_SHA256', 'tls_aes_128_ccm_sha256', 'TLS_AES_128_CCM_SHA256,TLS_AES_128_GCM_SHA256', ':',
    'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_FALLBACK_SCSV',
  ];
  const lists = ['NULL-MD5', 'FOO', 'AES128-SHA'];
  const jobs = settings.flatMap((tls13Suites) => lists.map((s) => ({ tls13Suites, s })));
  const answers = await pool(jobs, 4, (j) => runOpenssl(['ciphers', '-ciphersuites', j.tls13Suites, '--', j.s]));
  jobs.forEach((j, i) => {
    const want = answers[i];
    const result = evaluateCipherString(j.s, { tls13Suites: j.tls13Suites });
    const line = result.ok ? [...result.tls13, ...result.suites].map((x) => x.name).join(':') + '\n' : '';
    assert.equal(line, want.stdout, `${j.tls13Suites} / ${j.s}`);
    assert.equal(result.ok ? 0 : 1, want.code, `${j.tls13Suites} / ${j.s}`);
  });
});
