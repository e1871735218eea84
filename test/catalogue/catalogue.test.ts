import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PARAMETERS, catalogueNames, defaultFor, existsIn, getParameter, isKnownParameterName,
  isPrintedByPostconfN, referencedNames, tlsParameterNames, unusedParameterNames,
} from '../../src/model/catalogue/index.js';
import type { MasterService } from '../../src/model/catalogue/index.js';
import { backdate } from '../support/postfix.js';

function hasPostconf(): boolean {
  return spawnSync('postconf', ['-h', 'mail_version'], { encoding: 'latin1' }).status === 0;
}
const POSTCONF = hasPostconf();
const SKIP = 'postconf not installed';

/** `postconf -d` as a name -> value map, read against an empty config (no service-derived names). */
function postconfDefaults(): { version: string; defaults: Map<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'cat-test-'));
  try {
    writeFileSync(join(dir, 'main.cf'), '');
    writeFileSync(join(dir, 'master.cf'), '');
    backdate(dir);
    const version = execFileSync('postconf', ['-c', dir, '-h', 'mail_version'], { encoding: 'latin1' }).trim();
    const defaults = new Map<string, string>();
    for (const line of execFileSync('postconf', ['-c', dir, '-d'], { encoding: 'latin1' }).split('\n')) {
      if (!line) continue;
      const i = line.indexOf(' = ');
      if (i < 0) defaults.set(line.replace(/ =$/, ''), '');
      else defaults.set(line.slice(0, i), line.slice(i + 3));
    }
    return { version, defaults };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('catalogue names are unique and every spec is well formed', () => {
  const names = catalogueNames();
  assert.equal(new Set(names).size, names.length);
  for (const s of PARAMETERS) {
    assert.ok(s.defaults.length > 0, s.name);
    assert.ok(s.summary.length > 0, s.name);
    if (s.type === 'enum' || s.type === 'cipher-grade') assert.ok(s.values && s.values.length > 0, `${s.name} values`);
  }
});

test('(a) 3.7 defaults equal the local postconf -d, and every *tls* parameter is catalogued', (t) => {
  if (!POSTCONF) return t.skip(SKIP);
  const { version, defaults } = postconfDefaults();
  // The oracle is an exact patch release; ask for that release (3.7.11), not the latest 3.7.
  let checked = 0;
  for (const s of PARAMETERS) {
    if (!existsIn(s.name, version)) {
      assert.ok(!defaults.has(s.name), `${s.name} should not exist in ${version}`);
      continue;
    }
    assert.ok(defaults.has(s.name), `${s.name} missing from postconf -d ${version}`);
    assert.equal(defaultFor(s.name, version), defaults.get(s.name), s.name);
    checked++;
  }
  assert.ok(checked > 190, `checked ${checked}`);
  const tlsNames = [...defaults.keys()].filter((n) => /tls/i.test(n));
  const missing = tlsNames.filter((n) => !getParameter(n));
  assert.deepEqual(missing, []);
  assert.deepEqual(new Set(tlsParameterNames(version)), new Set(tlsNames));
});

test('(a) all built-in 3.7 names are known, and unknown ones are not', (t) => {
  if (!POSTCONF) return t.skip(SKIP);
  const { defaults } = postconfDefaults();
  for (const n of defaults.keys()) assert.ok(isKnownParameterName(n, '3.7'), n);
  assert.equal(isKnownParameterName('tlsproxy_enable', '3.7'), false);
  assert.equal(isKnownParameterName('smtp_tls_bogus', '3.7'), false);
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
