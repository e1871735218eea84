/** policy-table-entry findings come from the whole-configuration linter (tables are separate files). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintConfig } from '../../src/engine/lint-config.js';

function run(table: string, main = 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_policy_maps = texthash:/etc/postfix/tls_policy\n', version = '3.7.11') {
  return lintConfig(
    { main: { path: 'main.cf', text: main }, configDir: '/cfg', tables: new Map([['/cfg/tls_policy', { path: 'tls_policy', text: table }]]) },
    { postfixVersion: version },
  ).findings.filter((f) => f.ruleId === 'policy-table-entry');
}

const INVALID: [string, RegExp][] = [
  ['a.example encrypt protocols=>=TLSv1.2,<=TLSv1.3\n', /invalid attribute name: "<"/],
  ['a.example may # old peer\n', /does not start a comment/],
  ['a.example encrypt match=nexthop\n', /invalid at security level "encrypt"/],
  ['a.example encrypt ciphers=high ciphers=medium\n', /multiple times/],
  ['a.example mandatory\n', /invalid security level "mandatory"/],
];
for (const [table, re] of INVALID) {
  test(`policy-table-entry: invalid entry ${JSON.stringify(table)} is an error at its line`, () => {
    const fs = run(table);
    assert.equal(fs.length, 1);
    assert.equal(fs[0].severity, 'error');
    assert.equal(fs[0].messageId, 'invalid');
    assert.equal(fs[0].file, 'tls_policy');
    assert.match(fs[0].message, re);
  });
}

test('policy-table-entry: valid entries, per-site tables and table line problems', () => {
  assert.deepEqual(run('a.example may protocols=>=TLSv1\n[b.example]:587 secure match=nexthop\n'), []);
  const lines = run('a.example may\nA.EXAMPLE encrypt\nnovalue\nc.example none ciphers=high\n');
  assert.deepEqual(lines.map((f) => `${f.line} ${f.messageId} ${f.severity}`), ['2 tableLine warning', '3 tableLine warning', '4 ignored warning']);
  const perSite = run('a.example MUST_NOPEERMATCH\nb.example SOMETIMES\n', 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_per_site = hash:/etc/postfix/tls_policy\n');
  assert.deepEqual(perSite.map((f) => `${f.line} ${f.messageId}`), ['2 invalid']);
  assert.match(perSite[0].message, /unknown TLS policy 'SOMETIMES'/);
  // connection_reuse was refused before 3.4.14.
  assert.equal(run('a.example may connection_reuse=yes\n', undefined, '3.4.13').length, 1);
  assert.equal(run('a.example may connection_reuse=yes\n', undefined, '3.4.14').length, 0);
});

test('policy-table-entry: severity settings apply', () => {
  const fs = lintConfig(
    { main: { path: 'main.cf', text: 'smtp_tls_policy_maps = texthash:/cfg/t\n' }, configDir: '/cfg', tables: new Map([['/cfg/t', { path: 't', text: 'a.example bogus\n' }]]) },
    { postfixVersion: '3.7.11', settings: { severities: { 'policy-table-entry': 'off' } } },
  ).findings;
  assert.ok(!fs.some((f) => f.ruleId === 'policy-table-entry'));
});

// Corpus 006 (Mailu): smtp_tls_policy_maps = hash:/etc/postfix/tls_policy.map, a table the container generates.
// A config repo or CI job rarely holds such tables: absence here counts only as --files counts a missing file.
test('policy-table-entry: a table absent on the lint machine is info unless the configuration is live or --files on', () => {
  const main = 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_policy_maps=hash:/etc/postfix/tls_policy.map\n';
  const lint = (files?: { mode: 'auto' | 'on' | 'off'; live: boolean }) => lintConfig(
    { main: { path: 'main.cf', text: main }, configDir: '/cfg', tables: new Map() },
    { postfixVersion: '3.7.11', ...(files ? { files: { ...files, now: new Date(0), expiryDays: 14 } } : {}) },
  ).findings.filter((f) => f.ruleId === 'policy-table-entry').map((f) => `${f.messageId} ${f.severity}`);
  assert.deepEqual(lint(), ['missing info']);
  assert.deepEqual(lint({ mode: 'auto', live: false }), ['missing info']);
  assert.deepEqual(lint({ mode: 'auto', live: true }), ['missing warning']);
  assert.deepEqual(lint({ mode: 'on', live: false }), ['missing warning']);
});
