import rule from '../../rules/protocols-wrong-knob.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as debianDefaults } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: debianDefaults },
    { name: 'both lists set', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_protocols = >=TLSv1.2\nsmtp_tls_mandatory_protocols = >=TLSv1.2\n' },
    { name: 'the list in force is the tightened one', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_protocols = >=TLSv1.2\n' },
    { name: 'dane reads both lists', code: 'smtp_tls_security_level = dane\nsmtp_tls_protocols = >=TLSv1.2\n' },
    { name: 'policy table: either list may be used', code: 'smtp_tls_security_level = may\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\nsmtp_tls_mandatory_protocols = >=TLSv1.2\n' },
    { name: 'not a raised floor (ceiling only)', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_protocols = >=TLSv1 <=TLSv1.2\n' },
    { name: 'TLS off', code: 'smtp_tls_security_level = none\nsmtp_tls_mandatory_protocols = >=TLSv1.2\n' },
    { name: 'smtpd at may with the mandatory list tightened (master.cf submission)', code: 'smtpd_tls_security_level = may\nsmtpd_tls_mandatory_protocols = >=TLSv1.2\n' },
    { name: 'invalid level: smtp(8) does not start, nothing to say here', code: 'smtp_tls_security_level = bogus\nsmtp_tls_protocols = >=TLSv1.2\n' },
  ],
  invalid: [
    {
      name: 'encrypt with only smtp_tls_protocols tightened',
      code: 'smtp_tls_security_level = encrypt\nsmtp_tls_protocols = >=TLSv1.2\nsmtp_tls_loglevel = 1\n',
      errors: [{ messageId: 'client-mandatory', line: 2, severity: 'warning', parameter: 'smtp_tls_protocols', data: { level: 'encrypt', inForce: 'smtp_tls_mandatory_protocols', lowest: 'TLSv1' }, fixKind: 'safe' }],
      output: 'smtp_tls_security_level = encrypt\nsmtp_tls_protocols = >=TLSv1.2\nsmtp_tls_mandatory_protocols = >=TLSv1.2\nsmtp_tls_loglevel = 1\n',
    },
    {
      name: 'legacy smtp_enforce_tls (verify), CRLF, no final newline',
      code: 'smtp_enforce_tls = yes\r\nsmtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1',
      errors: [{ messageId: 'client-mandatory', line: 2, data: { level: 'verify' } }],
      output: 'smtp_enforce_tls = yes\r\nsmtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1\r\nsmtp_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1',
    },
    {
      name: 'dane-only: reported without a fix (the docs advise keeping TLSv1 for DANE)',
      code: 'smtp_tls_security_level = dane-only\nsmtp_tls_protocols = >=TLSv1.2\n',
      errors: [{ messageId: 'client-dane-only', line: 2, fixKind: null }],
      output: null,
    },
    {
      name: 'may with only the mandatory list raised to TLSv1.2: no fix (would push peers to plaintext)',
      code: 'smtp_tls_security_level = may\nsmtp_tls_mandatory_protocols = >=TLSv1.2\n',
      errors: [{ messageId: 'client-opportunistic', line: 2, fixKind: null, includes: 'smtp_tls_policy_maps' }],
      output: null,
    },
    {
      name: 'may with only the mandatory list dropping SSLv3 (3.0.1 defaults): copied',
      code: 'smtp_tls_security_level = may\nsmtp_tls_mandatory_protocols = !SSLv2, !SSLv3\n',
      version: '3.0.1',
      errors: [{ messageId: 'client-opportunistic', line: 2, fixKind: 'safe', data: { inForceValue: '!SSLv2' } }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_mandatory_protocols = !SSLv2, !SSLv3\nsmtp_tls_protocols = !SSLv2, !SSLv3\n',
    },
    {
      name: 'smtpd encrypt with only smtpd_tls_protocols tightened',
      code: 'smtpd_tls_security_level = encrypt\nsmtpd_tls_protocols = >=TLSv1.2\n',
      errors: [{ messageId: 'server-encrypt', line: 2, parameter: 'smtpd_tls_protocols', data: { inForce: 'smtpd_tls_mandatory_protocols' } }],
      output: 'smtpd_tls_security_level = encrypt\nsmtpd_tls_protocols = >=TLSv1.2\nsmtpd_tls_mandatory_protocols = >=TLSv1.2\n',
    },
    {
      name: 'smtpd_enforce_tls = yes means encrypt',
      code: 'smtpd_enforce_tls = yes\nsmtpd_tls_protocols = >=TLSv1.2\n',
      errors: [{ messageId: 'server-encrypt', line: 2 }],
      output: 'smtpd_enforce_tls = yes\nsmtpd_tls_protocols = >=TLSv1.2\nsmtpd_tls_mandatory_protocols = >=TLSv1.2\n',
    },
    {
      name: 'lmtp twin',
      code: 'lmtp_tls_security_level = encrypt\nlmtp_tls_protocols = >=TLSv1.3\n',
      errors: [{ messageId: 'client-mandatory', parameter: 'lmtp_tls_protocols', data: { prefix: 'lmtp' } }],
      output: 'lmtp_tls_security_level = encrypt\nlmtp_tls_protocols = >=TLSv1.3\nlmtp_tls_mandatory_protocols = >=TLSv1.3\n',
    },
  ],
});
