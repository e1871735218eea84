import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintConfig } from '../../src/engine/lint-config.js';

test('policy-table-unread: database, regexp and proxy tables get an info finding; file tables do not', () => {
  const main = 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_policy_maps = ldap:/etc/postfix/l.cf, pcre:/etc/postfix/p.pcre, proxy:mysql:/etc/postfix/m.cf, inline:{ a.example=may }\n';
  const fs = lintConfig({ main: { path: 'main.cf', text: main }, configDir: '/cfg' }, { postfixVersion: '3.7.11' }).findings;
  assert.deepEqual(fs.map((f) => `${f.ruleId} ${f.severity} ${f.data.type}`), ['policy-table-unread info ldap', 'policy-table-unread info pcre', 'policy-table-unread info proxy']);
  assert.ok(fs.every((f) => f.line === 3 && f.file === 'main.cf'));
});
