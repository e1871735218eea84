import rule from '../../rules/cipher-grade-wrong-knob.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN } from '../support/debian.js';

runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: DEBIAN },
    { name: 'the grade the level reads', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_ciphers = high\n' },
    { name: 'both set deliberately', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_ciphers = high\nsmtp_tls_mandatory_ciphers = medium\n' },
    { name: 'dane reads both grades', code: 'smtp_tls_security_level = dane\nsmtp_tls_ciphers = high\n' },
    { name: 'a policy table may select either level', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\nsmtp_tls_ciphers = high\n' },
    { name: 'a weaker unread grade is not a hardening on the wrong knob', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_ciphers = medium\n' },
    { name: 'TLS off', code: 'smtp_tls_ciphers = high\n' },
    { name: 'a stricter mandatory grade at level may is a template for mandatory transports', code: 'smtp_tls_security_level = may\nsmtp_tls_mandatory_ciphers = high\n' },
  ],
  invalid: [
    {
      name: 'high on the opportunistic grade at encrypt: copied to the mandatory grade',
      code: 'smtp_tls_security_level = encrypt\nsmtp_tls_ciphers = high\n',
      errors: [{ messageId: 'unread', line: 2, severity: 'warning', parameter: 'smtp_tls_ciphers', data: { inForce: 'smtp_tls_mandatory_ciphers', inForceValue: 'medium' }, fixKind: 'safe' }],
      output: 'smtp_tls_security_level = encrypt\nsmtp_tls_ciphers = high\nsmtp_tls_mandatory_ciphers = high\n',
    },
    {
      name: 'smtpd at encrypt with only smtpd_tls_ciphers = high, CRLF',
      code: 'smtpd_tls_security_level = encrypt\r\nsmtpd_tls_ciphers = high\r\n',
      errors: [{ messageId: 'unread', line: 2, data: { side: 'smtpd', inForce: 'smtpd_tls_mandatory_ciphers' } }],
      output: 'smtpd_tls_security_level = encrypt\r\nsmtpd_tls_ciphers = high\r\nsmtpd_tls_mandatory_ciphers = high\r\n',
    },
  ],
});
