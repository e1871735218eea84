import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseSourceTable } from '../../src/policy/source-table.js';
import { parseInlineTable, parseStaticTable, resolveTablePath, tableRefs } from '../../src/policy/table-ref.js';
import { parsePolicyValue, parsePerSiteValue, policyOverrides } from '../../src/policy/entry.js';
import { destinationForm, lookupKeys, lookupPolicy } from '../../src/policy/lookup.js';
import { tempConfigDir, removeDir } from '../support/postfix.js';

function havePostmap(): boolean {
  return spawnSync('postmap', ['-q', 'x', 'inline:{x=y}'], { encoding: 'utf8' }).status === 0;
}
const NO_POSTMAP = 'postmap (Postfix) is not installed: lookup agreement test skipped';

const TABLE = [
  '# TLS policy',
  'Example.COM      may protocols=>=TLSv1',
  'example.com      encrypt',
  '',
  '.example.org     verify',
  '   match=nexthop',
  '  # a comment inside the continuation',
  '\tciphers=high',
  'novalue',
  '[mx.example.net]:587 secure # not a comment',
  'example.net:2525 encrypt',
  '.net             may',
  '',
].join('\n');

test('source table: continuation lines, comments, duplicates, lines without a value', () => {
  const t = parseSourceTable(TABLE);
  const keys = t.entries.map((e) => [e.key, e.effective, e.line]);
  assert.deepEqual(keys, [
    ['Example.COM', true, 2],
    ['example.com', false, 3],
    ['.example.org', true, 5],
    ['[mx.example.net]:587', true, 10],
    ['example.net:2525', true, 11],
    ['.net', true, 12],
  ]);
  const org = t.entries[2];
  assert.equal(org.value, 'verify   match=nexthop\tciphers=high');
  assert.equal(org.endLine, 8);
  // Lossless: ranges point at the bytes in the file.
  assert.equal(TABLE.slice(org.keyRange[0], org.keyRange[1]), '.example.org');
  const m = org.value.indexOf('match');
  const r = org.valueSpan(m, m + 'match=nexthop'.length);
  assert.equal(TABLE.slice(r[0], r[1]), 'match=nexthop');
  assert.deepEqual(t.problems.map((p) => [p.code, p.line]), [['duplicate-key', 3], ['expected-key-value', 9]]);
});

test('lookup order: exact key, then .parent domains; [host]:port and host:port only as written', () => {
  assert.deepEqual(lookupKeys('Mail.Example.ORG'), ['mail.example.org', '.example.org', '.org']);
  assert.deepEqual(lookupKeys('[mx.example.net]:587'), ['[mx.example.net]:587']);
  assert.deepEqual(lookupKeys('example.net:2525'), ['example.net:2525']);
  const t = parseSourceTable(TABLE).entries;
  assert.equal(lookupPolicy([t], 'EXAMPLE.com')?.entry.value, 'may protocols=>=TLSv1');
  assert.equal(lookupPolicy([t], 'example.org'), null, '".example.org" matches subdomains only');
  assert.equal(lookupPolicy([t], 'a.b.example.org')?.key, '.example.org');
  assert.equal(lookupPolicy([t], 'x.example.net')?.key, '.net');
  assert.equal(lookupPolicy([t], '[mx.example.net]')?.entry, undefined);
  // Key-major: the exact key in a later table beats a parent match in an earlier one.
  const second = parseSourceTable('sub.example.org encrypt\n').entries;
  assert.equal(lookupPolicy([t, second], 'sub.example.org')?.tableIndex, 1);
  assert.deepEqual(['example.com', '.example.com', '[h]', '[h]:25', 'h:25', '*'].map((k) => destinationForm(k)), ['domain', 'parent-domain', 'bracketed', 'bracketed', 'host-port', 'other']);
});

test('lookups agree with postmap -q on texthash: and hash: tables', (t) => {
  if (!havePostmap()) return t.skip(NO_POSTMAP);
  const dir = tempConfigDir({ tls_policy: TABLE });
  try {
    const file = join(dir, 'tls_policy');
    assert.equal(spawnSync('postmap', [`hash:${file}`], { encoding: 'latin1' }).status, 0);
    const entries = parseSourceTable(TABLE).entries;
    const queries = ['example.com', 'EXAMPLE.COM', '.example.org', 'example.org', '[mx.example.net]:587', 'example.net:2525', '.net', 'novalue', 'nothing.example'];
    for (const type of ['texthash', 'hash']) {
      for (const q of queries) {
        const r = spawnSync('postmap', ['-q', q, `${type}:${file}`], { encoding: 'latin1' });
        const ours = entries.find((e) => e.effective && e.foldedKey === q.toLowerCase());
        if (r.status === 0) assert.equal(ours?.value, r.stdout.replace(/\n$/, ''), `${type} ${q}`);
        else assert.equal(ours, undefined, `${type} ${q}: postmap finds nothing`);
      }
    }
  } finally {
    removeDir(dir);
  }
});

test('maps list: types, resolved paths, $config_directory copies, inline and static', () => {
  const refs = tableRefs('hash:/etc/postfix/tls_policy, texthash:rel/policy inline:{ {a.example = may protocols=>=TLSv1}, b.example=encrypt } static:{ encrypt ciphers=high } ldap:/etc/postfix/l.cf proxy:hash:/x bogus', 'smtp_tls_policy_maps', '/tmp/cfg');
  assert.deepEqual(refs.map((r) => [r.type, r.cls]), [['hash', 'source-file'], ['texthash', 'source-file'], ['inline', 'inline'], ['static', 'static'], ['ldap', 'unread'], ['proxy', 'unread'], ['', 'malformed']]);
  assert.deepEqual(refs[0].candidates, ['/tmp/cfg/tls_policy', '/etc/postfix/tls_policy']);
  assert.equal(refs[1].relative, true);
  assert.equal(refs[1].sourcePath, '/tmp/cfg/rel/policy');
  assert.deepEqual(resolveTablePath('/etc/postfix/x', '/etc/postfix').candidates, ['/etc/postfix/x']);
  const inline = parseInlineTable(refs[2], (s, e) => [s, e], 1);
  assert.deepEqual(inline.entries.map((e) => [e.key, e.value]), [['a.example', 'may protocols=>=TLSv1'], ['b.example', 'encrypt']]);
  const st = parseStaticTable(refs[3], (s, e) => [s, e], 1);
  assert.equal(st.entries[0].value, 'encrypt ciphers=high');
  assert.equal(lookupPolicy([st.entries], 'anything.example')?.entry.value, 'encrypt ciphers=high');
});

test('inline and static values agree with postmap -q', (t) => {
  if (!havePostmap()) return t.skip(NO_POSTMAP);
  const spec = 'inline:{ {a.example = may protocols=>=TLSv1}, b.example=encrypt }';
  const [ref] = tableRefs(spec, 'p', null);
  const entries = parseInlineTable(ref, (s, e) => [s, e], 1).entries;
  for (const e of entries) assert.equal(spawnSync('postmap', ['-q', e.key, spec], { encoding: 'latin1' }).stdout.replace(/\n$/, ''), e.value);
  const [sref] = tableRefs('static:{ encrypt ciphers=high }', 'p', null);
  const s = parseStaticTable(sref, (a, b) => [a, b], 1).entries[0];
  assert.equal(spawnSync('postmap', ['-q', 'x.example', 'static:{ encrypt ciphers=high }'], { encoding: 'latin1' }).stdout.replace(/\n$/, ''), s.value);
});

const CASES: { value: string; version?: string; valid: boolean; problem?: RegExp }[] = [
  { value: 'may protocols=>=TLSv1', valid: true },
  { value: 'encrypt protocols=>=TLSv1.2:<=TLSv1.3 ciphers=high exclude=3DES:RC4', valid: true },
  { value: 'encrypt protocols=>=TLSv1.2,<=TLSv1.3', valid: false, problem: /invalid attribute name: "<"/ },
  { value: 'encrypt protocols=!SSLv2 !SSLv3', valid: false, problem: /invalid attribute name: "!SSLv3"|malformed/ },
  { value: 'encrypt match=nexthop', valid: false, problem: /"match" invalid at security level "encrypt"/ },
  { value: 'verify match=nexthop match=dot-nexthop', valid: true },
  { value: 'fingerprint match=AA:BB|CC:DD', valid: true },
  { value: 'encrypt ciphers=high ciphers=medium', valid: false, problem: /specified multiple times/ },
  { value: 'encrypt ciphers=', valid: false, problem: /empty value/ },
  { value: 'may tafile=/x', valid: false, problem: /"tafile" invalid/ },
  { value: 'secure tafile=/x tafile=/y', valid: true },
  { value: 'may tls_connection_reuse=yes', valid: false, problem: /the attribute is connection_reuse/ },
  { value: 'may connection_reuse=yes', valid: true },
  { value: 'may connection_reuse=yes', version: '3.4.10', valid: false, problem: /needs Postfix 3.4.14/ },
  { value: 'may connection_reuse=maybe', valid: false, problem: /bad value/ },
  { value: 'may servername=bad_name!', valid: false, problem: /invalid hostname/ },
  { value: 'may servername=hostname', valid: true },
  { value: 'may # comment', valid: false, problem: /does not start a comment/ },
  { value: 'MAY Protocols=>=TLSv1', valid: true },
  { value: 'bogus', valid: false, problem: /invalid security level "bogus"/ },
  { value: 'halfdane', valid: false, problem: /appears only in logs/ },
  { value: 'may { protocols = >=TLSv1 }', version: '3.10', valid: true },
  { value: 'may { protocols = >=TLSv1 }', version: '3.7', valid: false },
  { value: 'may enable_rpk=yes', version: '3.8', valid: false, problem: /needs Postfix 3.9/ },
  { value: 'may policy_ttl=60', version: '3.10', valid: false, problem: /built-in policy has unexpected attribute/ },
];

for (const c of CASES) {
  test(`policy value "${c.value}" (Postfix ${c.version ?? '3.7.11'}): ${c.valid ? 'valid' : 'invalid'}`, () => {
    const p = parsePolicyValue(c.value, c.version ?? '3.7.11');
    assert.equal(p.valid, c.valid, JSON.stringify(p.problems));
    if (c.problem) assert.match(p.problems[0].message, c.problem);
  });
}

test('none ignores attributes; per-site keywords; attribute overrides per level', () => {
  const none = parsePolicyValue('none ciphers=high', '3.7');
  assert.equal(none.valid, true);
  assert.equal(none.ignored.length, 1);
  assert.equal(parsePerSiteValue('must_nopeermatch').level, 'encrypt');
  assert.equal(parsePerSiteValue('sometimes').valid, false);
  const may = policyOverrides(parsePolicyValue('may protocols=>=TLSv1 ciphers=medium exclude=aNULL', '3.7'), 'smtp');
  assert.deepEqual([...may].map(([k, v]) => [k, v.value]), [
    ['smtp_tls_security_level', 'may'],
    ['smtp_tls_protocols', '>=TLSv1'],
    ['smtp_tls_ciphers', 'medium'],
    ['smtp_tls_exclude_ciphers', 'aNULL'],
    ['smtp_tls_mandatory_exclude_ciphers', ''],
  ]);
  const enc = policyOverrides(parsePolicyValue('encrypt protocols=>=TLSv1.2', '3.7'), 'lmtp');
  assert.deepEqual([...enc.keys()], ['lmtp_tls_security_level', 'lmtp_tls_mandatory_protocols']);
  const dane = policyOverrides(parsePolicyValue('dane protocols=>=TLSv1.2', '3.7'), 'smtp');
  assert.deepEqual([...dane.keys()], ['smtp_tls_security_level', 'smtp_tls_protocols', 'smtp_tls_mandatory_protocols']);
  const fp = policyOverrides(parsePolicyValue('fingerprint match=AA:BB|CC:DD match=EE:FF', '3.7'), 'smtp');
  assert.equal(fp.get('smtp_tls_fingerprint_cert_match')?.value, 'AA:BB CC:DD EE:FF');
});
