import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PARAMETERS, catalogueNames, defaultFor, existsIn, getParameter, isComputedDefault, isKnownParameterName,
  isPrintedByPostconfN, isRawParameter, isReadOnlyParameter, parameterNames, postconfType, referencedNames,
  releaseFor, releaseTable, tlsParameterNames, unusedParameterNames, isLegacyParameter,
} from '../../src/model/catalogue/index.js';
import { tableReleases } from '../../src/model/catalogue/release-table.js';
import { MODELLED_VERSIONS } from '../../src/model/version.js';
import type { MasterService } from '../../src/model/catalogue/index.js';
import { backdate, hostnameFor, postconfCommand } from '../support/postfix.js';
import { ConfigModel } from '../../src/model/config.js';
import { foldWhitespace, parseMainCf as parseMainCfText } from '../../src/parser/main-cf.js';
import { cliEnvironment } from '../../src/cli/environment.js';
import { compareVersions } from '../../src/model/version.js';

function hasPostconf(): boolean {
  return spawnSync('postconf', ['-h', 'mail_version'], { encoding: 'latin1' }).status === 0;
}
const POSTCONF = hasPostconf();
const SKIP = 'postconf not installed';

/** postconf -c DIR ARGS with DIR holding `mainCf` and an empty master.cf (no service-derived names). */
function postconfEmpty(args: string[], mainCf = '', hostname?: string): { stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cat-test-'));
  try {
    writeFileSync(join(dir, 'main.cf'), mainCf);
    writeFileSync(join(dir, 'master.cf'), '');
    backdate(dir);
    const [command, argv] = postconfCommand(['-c', dir, ...args], hostname);
    const r = spawnSync(command, argv, { encoding: 'latin1', maxBuffer: 1 << 26 });
    return { stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `postconf -d` as a name -> value map, read against an empty config, as if the machine were called `hostname`. */
function postconfDefaults(hostname?: string): { version: string; defaults: Map<string, string> } {
  const version = postconfEmpty(['-h', 'mail_version']).stdout.trim();
  const defaults = new Map<string, string>();
  for (const line of postconfEmpty(['-d'], '', hostname).stdout.split('\n')) {
    if (!line) continue;
    const i = line.indexOf(' = ');
    if (i < 0) defaults.set(line.replace(/ =$/, ''), '');
    else defaults.set(line.slice(0, i), line.slice(i + 3));
  }
  return { version, defaults };
}

test('catalogue names are unique and every spec is well formed', () => {
  const names = catalogueNames();
  assert.equal(new Set(names).size, names.length);
  for (const s of PARAMETERS) {
    // Every name exists in some modelled release, except those of newer releases (since > 3.11).
    assert.ok(s.defaults.length > 0 || compareVersions(s.since, '3.11.9999') > 0, s.name);
    assert.ok(s.summary.length > 0, s.name);
    if (s.type === 'enum' || s.type === 'cipher-grade') assert.ok(s.values && s.values.length > 0, `${s.name} values`);
  }
});

test('(a) postconf -d equality for every parameter of the installed release', (t) => {
  if (!POSTCONF) return t.skip(SKIP);
  const hostname = 'mx1';
  const { version, defaults } = postconfDefaults(hostname);
  // Names: exactly what `postconf -d` lists (legacy names aside, which it does not list).
  assert.deepEqual([...parameterNames(version)], [...defaults.keys()].sort());
  // Values: the table's text; computed ones as the model computes them on this machine.
  const model = new ConfigModel(parseMainCfText('', 'main.cf'), version, undefined, cliEnvironment(hostnameFor(hostname)));
  const differing: string[] = [];
  for (const [name, value] of defaults) {
    if (name === 'process_id') continue; // postconf's own pid
    // postconf prints values with whitespace folded (its mynetworks ends with a space).
    const ours = isComputedDefault(name, version) ? foldWhitespace(model.raw(name) ?? '') : defaultFor(name, version);
    if (ours !== value) differing.push(`${name}: postconf ${JSON.stringify(value)}, catalogue ${JSON.stringify(ours)}`);
  }
  assert.deepEqual(differing, []);
  assert.ok(defaults.size > 800, `checked ${defaults.size}`);
  assert.equal(model.raw('process_id'), String(process.pid));
});

test('(a) every *tls* parameter of the installed release is in the TLS catalogue', (t) => {
  if (!POSTCONF) return t.skip(SKIP);
  const { version, defaults } = postconfDefaults();
  const tlsNames = [...defaults.keys()].filter((n) => /tls/i.test(n));
  assert.deepEqual(tlsNames.filter((n) => !getParameter(n)), []);
  assert.deepEqual(new Set(tlsParameterNames(version)), new Set(tlsNames));
});

test('(a) legacy names: postconf knows them with an empty default but does not list them', (t) => {
  if (!POSTCONF) return t.skip(SKIP);
  const { version, defaults } = postconfDefaults();
  const legacy = [...(releaseTable(version)?.legacy ?? [])].sort();
  assert.ok(legacy.includes('virtual_maps') && legacy.includes('tlsproxy_client_level'), legacy.join());
  for (const n of legacy) assert.ok(!defaults.has(n), `${n} is listed by postconf -d`);
  const printed = postconfEmpty(['-d', ...legacy]).stdout.split('\n').filter(Boolean);
  assert.deepEqual(printed, legacy.map((n) => `${n} =`));
  for (const n of legacy) assert.equal(defaultFor(n, version), '', n);
});

test('(a) raw and read-only parameters: postconf does not scan their values', (t) => {
  if (!POSTCONF) return t.skip(SKIP);
  const { version, defaults } = postconfDefaults();
  // `P = $r_P` leaves r_P unused when postconf does not scan P (raw) or drops P (read-only).
  let mainCf = '';
  for (const n of defaults.keys()) if (/^[A-Za-z0-9_]+$/.test(n)) mainCf += `${n} = $r_${n}\nr_${n} = 1\n`;
  const r = postconfEmpty(['-n'], mainCf);
  const unscanned = [...r.stderr.matchAll(/unused parameter: r_([A-Za-z0-9_]+)=/g)].map((m) => m[1]).sort();
  const ours = [...defaults.keys()].filter((n) => isRawParameter(n, version) || isReadOnlyParameter(n, version)).sort();
  assert.deepEqual(unscanned, ours);
  assert.ok(ours.includes('mailbox_command') && ours.includes('process_name'), ours.join());
});

test('(a) the TLS catalogue agrees with the table: value types and first releases', () => {
  const kinds: Record<string, readonly string[]> = { boolean: ['bool', 'nbool'], time: ['time'], integer: ['int', 'nint', 'long'] };
  for (const s of PARAMETERS) {
    if (s.defaults.length === 0) continue; // in no modelled release (e.g. a 3.12 name)
    const first = s.defaults[0].from;
    const type = postconfType(s.name, first);
    const expected = kinds[s.type];
    if (expected && type !== 'legacy') assert.ok(type !== undefined && expected.includes(type), `${s.name}: catalogue ${s.type}, postconf ${type}`);
    // `since` is the first release that has it, or (a backport to older patch releases) a later line.
    if (first === '2.11') assert.ok(compareVersions(s.since, '2.11') <= 0, `${s.name}: since ${s.since}, exists in 2.11.0`);
    else if (/^\d+\.\d+$/.test(first)) assert.equal(s.since, first, `${s.name}: since ${s.since}, first release ${first}`);
    else assert.ok(compareVersions(s.since, first) >= 0, `${s.name}: since ${s.since}, but it exists from ${first}`);
  }
});

test('(b) protocol and cipher defaults across releases', () => {
  assert.equal(defaultFor('smtp_tls_protocols', '3.5'), '!SSLv2, !SSLv3');
  assert.equal(defaultFor('smtp_tls_protocols', '2.11'), '!SSLv2, !SSLv3');
  assert.equal(defaultFor('smtp_tls_protocols', '2.11.5'), '!SSLv2');
  assert.equal(defaultFor('smtp_tls_protocols', '3.0.1'), '!SSLv2');
  assert.equal(defaultFor('smtp_tls_protocols', '3.0'), '!SSLv2, !SSLv3');
  assert.equal(defaultFor('smtp_tls_protocols', '3.6'), '>=TLSv1');
  assert.equal(defaultFor('smtpd_tls_protocols', '2.11.5'), '');
  assert.equal(defaultFor('smtpd_tls_mandatory_protocols', '3.11'), '>=TLSv1');
  assert.equal(defaultFor('lmtp_tls_mandatory_protocols', '3.4'), '!SSLv2, !SSLv3');
  assert.equal(defaultFor('smtp_tls_ciphers', '3.0.1'), 'export');
  assert.equal(defaultFor('smtp_tls_ciphers', '3.0'), 'medium');
  assert.equal(defaultFor('tls_low_cipherlist', '3.8'), '');
  assert.equal(defaultFor('tls_export_cipherlist', '3.11'), '');
  assert.equal(defaultFor('tls_low_cipherlist', '3.7'), 'aNULL:-aNULL:HIGH:MEDIUM:LOW:+RC4:@STRENGTH');
  assert.equal(defaultFor('tls_high_cipherlist', '3.8'), 'aNULL:-aNULL:HIGH:!SEED:!IDEA:!3DES:!RC2:!RC4:!RC5:!kDH:!kECDH:!aDSS:!MD5:@STRENGTH');
  assert.equal(defaultFor('tls_medium_cipherlist', '3.9'), 'aNULL:-aNULL:HIGH:MEDIUM:!SEED:!IDEA:!3DES:!RC2:!RC4:!RC5:!kDH:!kECDH:!aDSS:!MD5:+RC4:@STRENGTH');
  assert.equal(defaultFor('tls_null_cipherlist', '3.10'), 'eNULL:!kDH:!kECDH:!aDSS:!MD5:!aNULL');
  assert.equal(getParameter('tls_low_cipherlist')?.ignoredSince, '3.8');
});

test('(b) security level, digest and DANE defaults across releases', () => {
  assert.equal(defaultFor('smtp_tls_security_level', '3.10'), '');
  assert.equal(defaultFor('smtp_tls_security_level', '3.11'), '${{$compatibility_level} <level {3.11} ? {} : {may}}');
  assert.equal(defaultFor('lmtp_tls_security_level', '3.11'), '');
  assert.equal(defaultFor('smtp_tls_fingerprint_digest', '3.5'), 'md5');
  assert.equal(defaultFor('smtpd_tls_fingerprint_digest', '3.6'), '${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}');
  const expr = '${{$smtp_tls_security_level} == {dane} ? {dane} : {may}}';
  assert.equal(defaultFor('smtp_tls_dane_insecure_mx_policy', '3.0'), undefined);
  assert.equal(defaultFor('smtp_tls_dane_insecure_mx_policy', '3.5.8'), 'dane');
  assert.equal(defaultFor('smtp_tls_dane_insecure_mx_policy', '3.5.9'), expr);
  assert.equal(defaultFor('smtp_tls_dane_insecure_mx_policy', '3.7.11'), expr);
  assert.equal(defaultFor('smtp_tls_dane_insecure_mx_policy', '3.7.13'), 'dane');
  assert.equal(defaultFor('smtp_tls_dane_insecure_mx_policy', '3.10'), 'dane');
  assert.equal(defaultFor('smtp_tlsrpt_skip_reused_handshakes', '3.10'), 'yes');
  assert.equal(defaultFor('smtp_tlsrpt_skip_reused_handshakes', '3.11'), 'no');
  assert.equal(defaultFor('tlsproxy_client_security_level', '3.11'), '${tlsproxy_client_level?{$tlsproxy_client_level}:{$smtp_tls_security_level}}');
  assert.equal(defaultFor('tls_eecdh_auto_curves', '3.10'), 'X25519 X448 prime256v1 secp384r1 secp521r1');
});

test('(b) existence, deprecation and version forms', () => {
  assert.equal(existsIn('tls_ffdhe_auto_groups', '3.7'), false);
  assert.equal(defaultFor('tls_ffdhe_auto_groups', '3.8'), 'ffdhe2048 ffdhe3072');
  for (const n of ['smtp_tls_enable_rpk', 'smtpd_tls_enable_rpk', 'lmtp_tls_enable_rpk']) {
    assert.equal(existsIn(n, '3.8'), false, n);
    assert.equal(defaultFor(n, '3.9'), 'no', n);
  }
  assert.equal(existsIn('smtp_tlsrpt_enable', '3.9'), false);
  assert.equal(existsIn('smtp_tlsrpt_enable', '3.10.1'), true);
  assert.equal(existsIn('smtp_requiretls_policy', '3.11'), true);
  assert.equal(existsIn('requiretls_enable', '3.10'), false);
  assert.equal(defaultFor('tls_required_enable', '3.10'), 'yes');
  assert.equal(defaultFor('smtp_log_tls_feature_status', '3.11'), 'yes');
  assert.equal(existsIn('tls_config_file', '3.5'), true);
  assert.equal(existsIn('tls_config_file', '3.5.19'), false);
  assert.equal(existsIn('tls_config_file', '3.7.11'), true);
  assert.equal(existsIn('tls_config_file', '3.4'), false);
  assert.equal(existsIn('smtp_tls_chain_files', '3.3'), false);
  assert.equal(existsIn('smtp_tls_wrappermode', '2.11'), false);
  assert.equal(existsIn('smtp_tls_security_level', '2.3'), true); // older than the model: `since` decides
  assert.equal(defaultFor('smtp_tls_security_level', '2.10'), undefined);
  assert.equal(defaultFor('smtp_tls_security_level', '3.12'), '${{$compatibility_level} <level {3.11} ? {} : {may}}');
  assert.equal(defaultFor('no_such_parameter', '3.7'), undefined);
  assert.equal(defaultFor('smtp_tls_protocols', 'garbage'), undefined);
  assert.equal(getParameter('smtp_use_tls')?.deprecated?.since, '3.9');
  assert.equal(getParameter('lmtp_tls_enforce_peername')?.deprecated?.replacement, 'lmtp_tls_security_level');
  assert.equal(getParameter('smtpd_tls_eecdh_grade')?.ignoredSince, '3.6');
  assert.equal(isKnownParameterName('tlsproxy_client_level', '3.3'), false);
  assert.equal(isKnownParameterName('tlsproxy_client_level', '3.5'), true);
  assert.equal(isKnownParameterName('tlsproxy_client_level', '3.11'), true);
  assert.equal(isKnownParameterName('smtp_tls_enable_rpk', '3.7'), false);
});

test('(b) the table has every patch release of every modelled line, and what only the builds showed', () => {
  const releases = tableReleases();
  for (const line of MODELLED_VERSIONS) {
    const patches = releases.filter((r) => r.startsWith(`${line}.`)).map((r) => Number(r.split('.')[2]));
    assert.ok(patches.length > 0, line);
    assert.deepEqual(patches, patches.map((_, i) => i), `${line}: patch releases ${patches.join(' ')}`);
  }
  assert.equal(releaseFor('3.7'), releases.filter((r) => r.startsWith('3.7.')).at(-1));
  assert.equal(releaseFor('3.7.99'), releaseFor('3.7'));
  assert.equal(releaseFor('3.12.1'), releases.at(-1));
  assert.equal(releaseFor('2.10.9'), undefined);
  // A x.y.0 release calls itself x.y.
  assert.equal(defaultFor('mail_version', '3.9.0'), '3.9');
  assert.equal(defaultFor('mail_version', '3.9.1'), '3.9.1');
  // Backports leave gaps: tls_config_file is in 3.5.20+, 3.6.10+, 3.7.6+ and 3.8.1+, not in 3.6.0-3.6.9.
  assert.equal(existsIn('tls_config_file', '3.5.20'), true);
  assert.equal(existsIn('tls_config_file', '3.6.9'), false);
  assert.equal(existsIn('tls_config_file', '3.6.10'), true);
  assert.equal(existsIn('tls_config_file', '3.8.0'), false);
  assert.equal(existsIn('tls_fast_shutdown_enable', '3.1.14'), true);
  assert.equal(existsIn('tls_fast_shutdown_enable', '3.2.10'), false);
  assert.equal(getParameter('tls_legacy_public_key_fingerprints')?.until, '3.11');
  assert.equal(existsIn('tls_legacy_public_key_fingerprints', '3.11'), false);
  // 2.11 had no {braces} in conditional expansions of defaults.
  assert.equal(defaultFor('smtpd_starttls_timeout', '2.11'), '${stress?10}${stress:300}s');
  assert.equal(defaultFor('smtpd_starttls_timeout', '3.0'), '${stress?{10}:{300}}s');
  // Non-TLS parameters, with their postconf types.
  assert.equal(defaultFor('data_directory', '3.7'), '/var/lib/postfix');
  assert.equal(postconfType('smtpd_tls_received_header', '3.7'), 'bool');
  assert.equal(postconfType('mailbox_command', '3.7'), 'raw');
  assert.equal(postconfType('myhostname', '3.7'), 'str-fn');
  assert.equal(isLegacyParameter('tlsproxy_client_level', '3.6'), false);
  assert.equal(isLegacyParameter('tlsproxy_client_level', '3.7'), true);
  assert.ok(parameterNames('3.7').includes('smtpd_banner'));
  assert.ok(!parameterNames('3.7').includes('virtual_maps'));
});

test('referencedNames follows postconf scanning rules', () => {
  assert.deepEqual(referencedNames('$a ${b} $(c) $$d ${e?{$f}:{g}} ${{$h} == {1} ? {y} : {n}}'), ['a', 'b', 'c', 'e', 'f', 'h']);
});

// ---------------------------------------------------------------- (c) against postconf -n

const MASTER_CF = `smtp      inet  n       -       y       -       -       smtpd
  -o myo=$myref
relay     unix  -       -       n       -       -       smtp
foo       unix  -       -       n       -       -       lmtp
bar       unix  -       -       n       -       -       pipe flags=x user=nobody argv=/bin/true
baz       unix  -       -       n       -       -       spawn
qux       unix  -       -       n       -       -       smtpd
tlsproxy  unix  -       -       n       -       0       tlsproxy
`;
const MASTER_SERVICES: MasterService[] = [
  { name: 'smtp', command: 'smtpd' }, { name: 'relay', command: 'smtp' }, { name: 'foo', command: 'lmtp' },
  { name: 'bar', command: 'pipe' }, { name: 'baz', command: 'spawn' }, { name: 'qux', command: 'smtpd' },
  { name: 'tlsproxy', command: 'tlsproxy' },
];

const CASES: Record<string, string> = {
  references: 'foo = 1\nbar = $foo\nbaz = 2\nqq = 1\nfoo_x = ${qq?a}\nzz = $(baz2)\nbaz2 = 1\na3 = 1\nx3 = $$a3\na4 = 1\na5 = 1\nx4 = ${a4?{$a5}:{z}}\na2 = 1\nx2 = ${{$a2} == {1} ? {y} : {n}}\n',
  tls: 'smtp_tls_security_level = may\nsmtp_tls_bogus = 3\ntlsproxy_enable = yes\nsmtps_tls_wrappermode = yes\nrelay_tls_security_level = may\ntlsproxy_client_level = may\nsmtp_tls_CAfile = $ca\nca = /etc/ssl/certs/ca.pem\n',
  services: 'relay_destination_concurrency_limit = 4\nrelay_time_limit = 1\nfoo_transport_rate_delay = 1s\nbar_time_limit = 1\nbar_destination_rate_delay = 1\nbaz_time_limit = 1\nbaz_destination_rate_delay = 1\nqux_time_limit = 1\nxx_destination_concurrency_limit = 3\nmyref = 1\n',
  classes: 'smtpd_restriction_classes = cls1, $clsref\nclsref = cls2\ncls1 = permit\ncls2 = permit\ncls3 = permit\n',
  raw_and_legacy: 'mailbox_command = $mc1\nmc1 = 1\nvirtual_alias_maps = x\nvirtual_maps = 1\nfallback_relay = y\nhome = 1\nalias_maps = ldap:ldapsrc, proxy:pgsql:pgs\nldapsrc_server_host = x\npgs_hosts = y\n',
};

function parseMainCf(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) m.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return m;
}

for (const [label, mainCf] of Object.entries(CASES)) {
  test(`(c) isPrintedByPostconfN matches postconf -n: ${label}`, (t) => {
    if (!POSTCONF) return t.skip(SKIP);
    const dir = mkdtempSync(join(tmpdir(), 'cat-n-'));
    try {
      writeFileSync(join(dir, 'main.cf'), mainCf);
      writeFileSync(join(dir, 'master.cf'), MASTER_CF);
      backdate(dir);
      const r = spawnSync('postconf', ['-c', dir, '-n'], { encoding: 'latin1' });
      const printed = new Set(r.stdout.split('\n').filter(Boolean).map((l) => l.split(' = ')[0] as string));
      printed.delete('config_directory');
      const fileParams = parseMainCf(mainCf);
      const version = execFileSync('postconf', ['-h', 'mail_version'], { encoding: 'latin1' }).trim();
      const ctx = { masterServices: MASTER_SERVICES, masterOverrideValues: ['$myref'] };
      const ours = new Set([...fileParams.keys()].filter((n) => isPrintedByPostconfN(n, fileParams, version, ctx)));
      assert.deepEqual([...ours].sort(), [...printed].sort());
      const warned = [...r.stderr.matchAll(/main\.cf: unused parameter: ([^=]+)=/g)].map((m) => m[1] as string).sort();
      assert.deepEqual(unusedParameterNames(fileParams, version, ctx), warned);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('isPrintedByPostconfN is version aware without postconf', () => {
  const file = new Map([['smtp_tls_enable_rpk', 'yes'], ['tls_ffdhe_auto_groups', 'ffdhe2048']]);
  assert.equal(isPrintedByPostconfN('smtp_tls_enable_rpk', file, '3.7'), false);
  assert.equal(isPrintedByPostconfN('smtp_tls_enable_rpk', file, '3.9'), true);
  assert.equal(isPrintedByPostconfN('tls_ffdhe_auto_groups', file, '3.8'), true);
  assert.equal(isPrintedByPostconfN('absent', file, '3.8'), false);
  const svc = new Map([['relay_transport_rate_delay', '1s']]);
  const ctx = { masterServices: [{ name: 'relay', command: 'smtp' }] };
  assert.equal(isPrintedByPostconfN('relay_transport_rate_delay', svc, '3.4', ctx), false);
  assert.equal(isPrintedByPostconfN('relay_transport_rate_delay', svc, '3.5', ctx), true);
});
