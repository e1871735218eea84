import rule from '../../rules/client-sasl-plaintext.js';
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
      errors: [{ messageId: 'plaintext', line: 4, severity: 'error', includes: 'every session' }],
      output: `${RELAY}smtp_sasl_security_options = noplaintext\nsmtp_sasl_tls_security_options = \n`,
    },
    {
      name: 'TLS options already set are left alone',
      code: `${RELAY}smtp_tls_security_level = may\nsmtp_sasl_security_options = noanonymous\nsmtp_sasl_tls_security_options = noanonymous\n`,
      errors: [{ messageId: 'plaintext' }],
      output: `${RELAY}smtp_tls_security_level = may\nsmtp_sasl_security_options = noanonymous, noplaintext\nsmtp_sasl_tls_security_options = noanonymous\n`,
    },
  ],
});
