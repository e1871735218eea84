import rule from '../../rules/no-usable-protocol.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as debianDefaults } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: debianDefaults },
    'smtp_tls_protocols = >=TLSv1.3\n',
    'smtpd_tls_mandatory_protocols = >=TLSv1.2 <=TLSv1.2\n',
    { name: 'a gap still leaves the lower run', code: 'smtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1.1\n' },
    { name: 'TLSv1.3 unknown before 3.4 stays enabled', code: 'smtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1, !TLSv1.2\n', version: '3.3.1' },
    { name: 'invalid lists belong to valid-protocol-list', code: 'smtp_tls_protocols = >=TLSv9\n' },
  ],
  invalid: [
    {
      name: 'floor excluded',
      code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.3, !TLSv1.3\n',
      errors: [{ messageId: 'empty', line: 2, severity: 'error', parameter: 'smtp_tls_protocols', data: { usage: '' }, includes: 'sent in plaintext' }],
      output: null,
    },
    {
      name: 'floor above ceiling',
      code: 'smtp_tls_security_level = verify\nsmtp_tls_mandatory_protocols = <=TLSv1 >=TLSv1.2\n',
      errors: [{ messageId: 'empty', line: 2, data: { reason: 'the floor TLSv1.2 is above the ceiling TLSv1' }, includes: 'stays queued' }],
      output: null,
    },
    {
      name: 'every version excluded on the server',
      code: 'smtpd_tls_security_level = encrypt\nsmtpd_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1, !TLSv1.2, !TLSv1.3\n',
      errors: [{ messageId: 'empty', line: 2, data: { reason: 'it excludes every version (SSLv3, TLSv1, TLSv1.1, TLSv1.2 and TLSv1.3)' }, includes: 'no mail is accepted' }],
      output: null,
    },
    {
      name: 'only SSLv3, which OpenSSL no longer has',
      code: 'smtpd_tls_protocols = SSLv3\n',
      errors: [{ messageId: 'empty', includes: 'leave SSLv3 out' }],
      output: null,
    },
    {
      name: 'excluding every TLS version leaves only SSLv3 (contiguity)',
      code: 'smtp_tls_protocols = !TLSv1 !TLSv1.1 !TLSv1.2 !TLSv1.3\n',
      errors: [{ messageId: 'empty', includes: 'only SSLv3 would remain' }],
      output: null,
    },
    {
      name: 'list not read at the current level: noted',
      code: 'smtpd_tls_security_level = may\nsmtpd_tls_mandatory_protocols = >=TLSv1.3 <=TLSv1.2\n',
      errors: [{ messageId: 'empty', line: 2, includes: 'level "may" does not read this list' }],
      output: null,
    },
  ],
});
