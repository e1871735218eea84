import rule from '../../rules/client-sasl-plaintext.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintConfig } from '../../src/engine/lint-config.js';
import { runRuleCases } from '../support/rule-tester.js';

const RELAY = 'relayhost = [smtp.example.net]:587\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n';

runRuleCases(rule, {
  valid: [
    'smtp_tls_security_level = may\n',
    { name: 'default options keep noplaintext', code: `${RELAY}smtp_tls_security_level = may\n` },
    { name: 'TLS required for the relay', code: `${RELAY}smtp_tls_security_level = encrypt\nsmtp_sasl_security_options = noanonymous\n` },
    { name: 'SASL_README pattern', code: `${RELAY}smtp_tls_security_level = may\nsmtp_sasl_security_options = noanonymous, noplaintext\nsmtp_sasl_tls_security_options = noanonymous\n` },
  ],
  invalid: [
    {
      name: 'noanonymous only, at may',
      code: `${RELAY}smtp_tls_security_level = may\nsmtp_sasl_security_options = noanonymous\n`,
      errors: [{ messageId: 'plaintext', line: 5, severity: 'warning', parameter: 'smtp_sasl_security_options', includes: 'can send its SASL password in plaintext', fixKind: 'safe' }],
      output: `${RELAY}smtp_tls_security_level = may\nsmtp_sasl_security_options = noanonymous, noplaintext\nsmtp_sasl_tls_security_options = noanonymous\n`,
    },
    {
      name: 'empty options without TLS at all is an error',
      code: `${RELAY}smtp_sasl_security_options =\n`,
      errors: [{ messageId: 'plaintext', line: 4, severity: 'error', includes: 'every session. noplaintext alone would leave no mechanism a PLAIN/LOGIN server accepts, so relay mail would be deferred until TLS is enabled: the fix also sets smtp_tls_security_level = may' }],
      output: `${RELAY}smtp_sasl_security_options = noplaintext\nsmtp_sasl_tls_security_options = \nsmtp_tls_security_level = may\n`,
    },
    {
      // Corpus 034: Mandrill relay, TLS commented out. noplaintext alone would leave no mechanism: the fix enables TLS too.
      name: 'corpus 034: level none with a relayhost: the fix makes TLS available, so the relay still gets the password',
      code: 'relayhost = [smtp.mandrillapp.com]\n\n# enable SASL authentication\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\nsmtp_sasl_security_options = noanonymous\n\n#smtp_tls_security_level = may\n',
      errors: [{ messageId: 'plaintext', line: 6, severity: 'error', includes: 'so relay mail would be deferred until TLS is enabled' }],
      output: 'relayhost = [smtp.mandrillapp.com]\n\n# enable SASL authentication\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\nsmtp_sasl_security_options = noanonymous, noplaintext\nsmtp_sasl_tls_security_options = noanonymous\n\n#smtp_tls_security_level = may\nsmtp_tls_security_level = may\n',
    },
    {
      name: 'level none from smtp_use_tls = no: the level is set where TLS decisions live',
      code: `${RELAY}smtp_use_tls = no\nsmtp_sasl_security_options = noanonymous\n`,
      errors: [{ messageId: 'plaintext', severity: 'error' }],
      output: `${RELAY}smtp_use_tls = no\nsmtp_tls_security_level = may\nsmtp_sasl_security_options = noanonymous, noplaintext\nsmtp_sasl_tls_security_options = noanonymous\n`,
    },
    {
      name: 'TLS options already set are left alone',
      code: `${RELAY}smtp_tls_security_level = may\nsmtp_sasl_security_options = noanonymous\nsmtp_sasl_tls_security_options = noanonymous\n`,
      errors: [{ messageId: 'plaintext' }],
      output: `${RELAY}smtp_tls_security_level = may\nsmtp_sasl_security_options = noanonymous, noplaintext\nsmtp_sasl_tls_security_options = noanonymous\n`,
    },
  ],
});

test('client-sasl-plaintext: a policy entry at may for the relay is judged at its table line', () => {
  const fs = lintConfig(
    {
      main: { path: 'main.cf', text: `${RELAY}smtp_tls_security_level = encrypt\nsmtp_sasl_security_options = noanonymous\nsmtp_tls_policy_maps = texthash:/cfg/tls_policy\n` },
      configDir: '/cfg',
      tables: new Map([['/cfg/tls_policy', { path: 'tls_policy', text: '[smtp.example.net]:587 may\n' }]]),
    },
    { postfixVersion: '3.7.11', rules: [rule] },
  ).findings;
  assert.deepEqual(fs.map((f) => `${f.file}:${f.line} ${f.messageId}`), ['tls_policy:1 plaintext']);
  assert.match(fs[0].message, /^policy for "\[smtp\.example\.net\]:587": The SMTP client can send its SASL password in plaintext/);
});

test('client-sasl-plaintext: corpus 013 (no relayhost, sender-dependent relays): the confirm command runs as is and says what NEXTHOP is', () => {
  const main = 'sender_dependent_relayhost_maps = hash:/etc/postfix/sender_relay\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_security_options =\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\nsmtp_sasl_tls_security_options = noanonymous\nsmtp_use_tls = yes\n';
  const [f] = lintConfig({ main: { path: 'main.cf', text: main }, configDir: '/etc/postfix' }, { postfixVersion: '3.7.11', rules: [rule] }).findings;
  assert.equal(f.confirm, 'posttls-finger -c -l may "${NEXTHOP:?set NEXTHOP to a relay from sender_dependent_relayhost_maps, as [host]:port}"');
  assert.doesNotMatch(f.confirm ?? '', /example\.net/);
});
