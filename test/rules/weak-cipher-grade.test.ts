import rule from '../../rules/weak-cipher-grade.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: DEBIAN },
    'smtp_tls_security_level = may\nsmtp_tls_ciphers = medium\nsmtp_tls_mandatory_ciphers = high\n',
    { name: '3.0.2 and later default the opportunistic grade to medium', code: 'smtp_tls_security_level = may\nsmtpd_tls_security_level = may\n', version: '3.0.2' },
    { name: 'pre-3.0.2 export default is not read while TLS is off', code: 'myhostname = mx.example.com\n', version: '3.0.1' },
    { name: 'invalid grades are valid-cipher-grade\'s business', code: 'smtp_tls_ciphers = HIGH:!aNULL\n' },
    { name: 'an unread weak grade has no effect (cipher-grade-wrong-knob, or where a service reads it)', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_ciphers = export\n' },
  ],
  invalid: [
    {
      name: 'explicit export on the client (3.7)',
      code: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = export\n',
      errors: [{ messageId: 'weak', line: 2, severity: 'error', parameter: 'smtp_tls_ciphers', data: { grade: 'export' }, fixKind: 'safe' }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = medium\n',
    },
    {
      name: 'low on the server mandatory grade at encrypt',
      code: 'smtpd_tls_security_level = encrypt\r\nsmtpd_tls_mandatory_ciphers = LOW\r\n',
      errors: [{ messageId: 'weak', line: 2, data: { grade: 'low', param: 'smtpd_tls_mandatory_ciphers', side: 'the SMTP server' } }],
      output: 'smtpd_tls_security_level = encrypt\r\nsmtpd_tls_mandatory_ciphers = medium\r\n',
    },
    {
      name: 'from 3.8 export behaves as medium: a misleading setting, warning',
      code: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = export',
      version: '3.8',
      errors: [{ messageId: 'asMedium', line: 2, severity: 'warning' }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = medium',
    },
    {
      name: 'null on the SMTP client',
      code: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_ciphers = null\n',
      errors: [{ messageId: 'null', line: 2, severity: 'error' }],
      output: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_ciphers = medium\n',
    },
    {
      name: 'null on LMTP: only sensible over a UNIX socket',
      code: 'lmtp_tls_security_level = encrypt\nlmtp_tls_mandatory_ciphers = null\n',
      errors: [{ messageId: 'nullLmtp', line: 2, severity: 'warning' }],
      output: 'lmtp_tls_security_level = encrypt\nlmtp_tls_mandatory_ciphers = medium\n',
    },
    {
      name: 'pre-3.0.2 default export is in force at level may (default, line 1)',
      code: 'smtp_tls_security_level = may\n',
      version: '3.0.1',
      errors: [{ messageId: 'weak', line: 1, data: { setting: 'smtp_tls_ciphers = export (default)' } }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = medium\n',
    },
    {
      name: '2.11.5 server with legacy smtpd_use_tls uses the export default',
      code: 'smtpd_use_tls = yes\n',
      version: '2.11.5',
      errors: [{ messageId: 'weak', line: 1, parameter: 'smtpd_tls_ciphers' }],
      output: 'smtpd_use_tls = yes\nsmtpd_tls_ciphers = medium\n',
    },
  ],
});
