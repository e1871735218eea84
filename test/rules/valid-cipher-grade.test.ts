import rule from '../../rules/valid-cipher-grade.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: DEBIAN },
    'smtp_tls_ciphers = MEDIUM\nsmtp_tls_mandatory_ciphers = high\nsmtpd_tls_ciphers = null\nlmtp_tls_ciphers = export\n',
    { name: 'grade through a $reference', code: 'my_grade = high\nsmtp_tls_mandatory_ciphers = $my_grade\n' },
  ],
  invalid: [
    {
      name: 'OpenSSL string in the grade in force (client at may)',
      code: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = HIGH:!aNULL\n',
      errors: [{ messageId: 'invalid', line: 2, severity: 'error', parameter: 'smtp_tls_ciphers', includes: 'tls_high_cipherlist' }],
      output: null,
    },
    {
      name: 'bad mandatory grade while the client runs at may: error-in-waiting',
      code: 'smtp_tls_security_level = may\nsmtp_tls_mandatory_ciphers = strong\n',
      errors: [{ messageId: 'idle', line: 2, severity: 'warning', data: { value: '"strong"' } }],
      output: null,
    },
    {
      name: 'both knobs wrong at encrypt: mandatory in force',
      code: 'smtp_tls_security_level = encrypt\nsmtp_tls_ciphers = strong\nsmtp_tls_mandatory_ciphers = HIGH:!aNULL\n',
      errors: [
        { messageId: 'idle', line: 2, severity: 'warning' },
        { messageId: 'invalid', line: 3, severity: 'error' },
      ],
      output: null,
    },
    {
      name: 'trailing comment in the server grade',
      code: 'smtpd_tls_security_level = may\nsmtpd_tls_ciphers = medium # default\n',
      errors: [{ messageId: 'invalid', line: 2, severity: 'error', includes: 'drops the connection' }],
      output: null,
    },
    {
      name: 'TLS off: reported as a warning',
      code: 'smtpd_tls_mandatory_ciphers = 3DES\n',
      errors: [{ messageId: 'idle', line: 1, severity: 'warning' }],
      output: null,
    },
  ],
});
