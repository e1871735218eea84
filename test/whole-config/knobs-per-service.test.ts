/** Issue 13, classes 6 and 14: knobs judged per service level, and related locations at the setting in force. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintConfig } from '../../src/engine/lint-config.js';
import type { ConfigSources } from '../../src/model/whole-config.js';

function sources(main: string, master: string): ConfigSources {
  return { main: { path: 'main.cf', text: main }, master: { path: 'master.cf', text: master }, configDir: '/cfg', tables: new Map() };
}
const lint = (s: ConfigSources) => lintConfig(s, { postfixVersion: '3.7.11' }).findings;

const MAIN = 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtpd_tls_security_level = may\n';
const MASTER = [
  'smtp       inet  n       -       y       -       -       smtpd',
  'submission inet  n       -       y       -       -       smtpd',
  '  -o smtpd_tls_security_level=encrypt',
  '  -o smtpd_tls_protocols=!SSLv2',
  'smtp       unix  -       -       y       -       -       smtp',
  'secure     unix  -       -       y       -       -       smtp',
  '  -o smtp_tls_security_level=encrypt',
  '  -o smtp_tls_ciphers=export',
  '  -o smtp_tls_protocols=SSLv3,TLSv1',
  'hardened   unix  -       -       y       -       -       smtp',
  '  -o smtp_tls_security_level=encrypt',
  '  -o smtp_tls_ciphers=high',
  '',
].join('\n');

test('an -o list or grade the service level does not read is a wrong knob, not a protocol or cipher problem', () => {
  const fs = lint(sources(MAIN, MASTER));
  const byLine = (line: number) => fs.filter((f) => f.file === 'master.cf' && f.line === line).map((f) => f.ruleId);
  assert.deepEqual(byLine(4), ['protocols-wrong-knob']);
  assert.deepEqual(byLine(8), ['cipher-grade-wrong-knob']);
  assert.deepEqual(byLine(9), ['protocols-wrong-knob']);
  assert.deepEqual(byLine(12), ['cipher-grade-wrong-knob']);
  for (const f of fs) {
    assert.ok(!['obsolete-protocols', 'weak-cipher-grade', 'opportunistic-high-grade'].includes(f.ruleId), `${f.ruleId}: ${f.message}`);
    assert.doesNotMatch(f.message, /when TLS is optional/);
  }
  const hardened = fs.find((f) => f.line === 12)!;
  assert.match(hardened.message, /-o smtp_tls_mandatory_ciphers=high/);
  assert.equal(hardened.severity, 'warning');
});

test('related locations point at the setting in force: the -o level, not the main.cf line it overrides', () => {
  const fs = lint(sources(MAIN, MASTER));
  const tls1 = fs.find((f) => f.ruleId === 'mandatory-protocols-allow-tls1' && f.message.startsWith('service submission/inet'))!;
  assert.ok(tls1, 'submission at encrypt reads the mandatory list');
  assert.deepEqual(tls1.related.map((r) => `${r.file}:${r.line}`), ['master.cf:3']);
});
