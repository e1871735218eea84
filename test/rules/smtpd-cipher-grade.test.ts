import rule from '../../rules/smtpd-cipher-grade.js';
import wrongKnob from '../../rules/cipher-grade-wrong-knob.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintConfig } from '../../src/engine/lint-config.js';
import { defaultClients } from '../../src/interop/clients.js';
import { CERT, STOCK_MASTER, SUBMISSION, runServerRuleCases } from '../support/server-rule-tester.js';

const MAY = `${CERT}smtpd_tls_security_level = may\n`;

// Corpus 031: a >=TLSv1.2 floor, grade high and a custom high list without SHA-1 suites refuse the TLS 1.0 sender together.
const HIGH_NO_SHA = 'tls_high_cipherlist = kEECDH:+kEECDH+SHA:kEDH:+kEDH+SHA:+kEDH+CAMELLIA:kECDH:+kECDH+SHA:kRSA:+kRSA+SHA:+kRSA+CAMELLIA:!aNULL:!eNULL:!SSLv2:!RC4:!MD5:!DES:!EXP:!SEED:!IDEA:!3DES:!SHA\n';
const C031 = `${MAY}smtpd_tls_protocols = >=TLSv1.2, <=TLSv1.3\nsmtpd_tls_ciphers = high\n${HIGH_NO_SHA}`;

runServerRuleCases(rule, {
  valid: [
    { name: 'defaults', main: MAY, master: STOCK_MASTER },
    { name: 'high where TLS is mandatory', main: `${MAY}smtpd_tls_mandatory_ciphers = high\n`, master: STOCK_MASTER + SUBMISSION },
    {
      // Corpus 040: one root cause, one finding (cipher-grade-wrong-knob's warning with its fix; see below).
      name: 'a stricter opportunistic grade where every smtpd requires TLS is left to cipher-grade-wrong-knob',
      main: `${CERT}smtpd_tls_security_level = encrypt\nsmtpd_tls_ciphers = high\n`,
      master: 'submission inet n - y - - smtpd\n',
    },
    { name: 'no master.cf: a mandatory grade may serve an unknown submission entry', main: `${MAY}smtpd_tls_mandatory_ciphers = high\n` },
  ],
  invalid: [
    {
      name: 'high at level may on the public MX',
      main: `${MAY}smtpd_tls_ciphers = high\n`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'high', file: 'main.cf', line: 4, severity: 'info', fixKind: 'interop' }],
      output: { main: `${MAY}smtpd_tls_ciphers = medium\n` },
    },
    {
      name: 'corpus 031: a sender the protocol floor refuses too is named as such and raises nothing',
      main: C031,
      master: STOCK_MASTER,
      errors: [{ messageId: 'high', line: 5, severity: 'info', includes: ['Client profiles refused by other settings too, so smtpd_tls_ciphers = medium alone gives them no TLS back: exchange-2010-ws2008r2'] }],
      output: { main: C031.replace('ciphers = high', 'ciphers = medium') },
    },
    {
      name: 'high alone refuses the sender (no floor): warning with a confirm command',
      main: `${MAY}smtpd_tls_ciphers = high\n${HIGH_NO_SHA}`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'high', line: 4, severity: 'warning', includes: 'Client profiles that lose TLS: exchange-2010-ws2008r2' }],
      output: { main: `${MAY}smtpd_tls_ciphers = medium\n${HIGH_NO_SHA}` },
    },
    {
      name: 'a mandatory grade no service reads',
      main: `${MAY}smtpd_tls_mandatory_ciphers = high\n`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'notRead', line: 4, severity: 'info', includes: 'every smtpd runs at level may or none' }],
      output: null,
    },
    {
      name: 'an opportunistic grade while every service requires TLS',
      main: `${CERT}smtpd_tls_security_level = encrypt\nsmtpd_tls_ciphers = low\n`,
      master: 'submission inet n - y - - smtpd\n',
      errors: [{ messageId: 'notRead', line: 4, includes: 'every smtpd requires TLS' }],
      output: null,
    },
  ],
});

test('corpus 040: smtpd_tls_ciphers = high in main.cf, the only smtpd at encrypt by -o: one finding, a warning at the -o line pointing to main.cf', () => {
  const main = `${CERT}smtpd_tls_security_level = may\nsmtpd_tls_ciphers = high\n`;
  const master = 'smtp      inet  n       -       y       -       -       smtpd\n  -o smtpd_tls_security_level=encrypt\n';
  const findings = lintConfig(
    { main: { path: 'main.cf', text: main }, master: { path: 'master.cf', text: master }, configDir: '/etc/postfix' },
    { postfixVersion: '3.7.11', rules: [rule, wrongKnob], clients: defaultClients() },
  ).findings.filter((f) => f.parameter === 'smtpd_tls_ciphers');
  assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.severity}`), ['master.cf:2 cipher-grade-wrong-knob warning']);
  assert.deepEqual(findings[0].related.map((r) => `${r.file}:${r.line}`), ['main.cf:4']);
});
