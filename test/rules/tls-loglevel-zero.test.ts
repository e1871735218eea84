import rule from '../../rules/tls-loglevel-zero.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN_DEFAULT } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: "Debian's default TLS block with the recommended loglevel", code: DEBIAN_DEFAULT + 'smtp_tls_loglevel = 1\n' },
    { name: 'TLS off: nothing to log', code: 'smtp_tls_security_level = none\n' },
    { name: 'Postfix 3.7 default level is no TLS', code: 'myhostname = mx.example.com\n' },
    'smtp_tls_security_level = encrypt\nsmtp_tls_loglevel = 2\n',
    { name: 'word alias', code: 'smtp_tls_security_level = may\nsmtp_tls_loglevel = routine\n' },
    { name: 'feature words log something', code: 'smtp_tls_security_level = may\nsmtp_tls_loglevel = summary\n' },
    { name: 'an unknown word is the value rule\'s finding', code: 'smtp_tls_security_level = may\nsmtp_tls_loglevel = bogus\n' },
    { name: 'no outbound SMTP', code: 'default_transport = error\nsmtp_tls_security_level = may\n' },
  ],
  invalid: [
    {
      name: "Debian's default TLS block: default loglevel 0 (anchored at line 1)",
      code: DEBIAN_DEFAULT,
      errors: [{ messageId: 'default', line: 1, severity: 'info', parameter: 'smtp_tls_loglevel', data: { prefix: 'smtp', level: 'level may' }, fixKind: 'safe' }],
      output: DEBIAN_DEFAULT.replace('smtp_tls_security_level=may\n', 'smtp_tls_security_level=may\nsmtp_tls_loglevel=1\n'),
    },
    {
      name: 'explicit 0, CRLF',
      code: 'smtp_tls_security_level = encrypt\r\nsmtp_tls_loglevel = 0\r\n',
      errors: [{ messageId: 'explicit', line: 2, data: { value: '0', level: 'level encrypt' } }],
      output: 'smtp_tls_security_level = encrypt\r\nsmtp_tls_loglevel = 1\r\n',
    },
    {
      name: 'explicit none, no final newline',
      code: 'smtp_tls_security_level = may\nsmtp_tls_loglevel = none',
      errors: [{ messageId: 'explicit', line: 2, data: { value: 'none' } }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1',
    },
    {
      name: 'legacy smtp_use_tls = yes uses TLS',
      code: 'smtp_use_tls = yes\n',
      errors: [{ messageId: 'default', line: 1, data: { level: 'level may' } }],
      output: 'smtp_use_tls = yes\nsmtp_tls_loglevel = 1\n',
    },
    {
      name: 'Postfix 3.11 defaults to may at compatibility_level 3.11',
      code: 'compatibility_level = 3.11\n',
      version: '3.11',
      errors: [{ messageId: 'default', line: 1 }],
      output: 'compatibility_level = 3.11\nsmtp_tls_loglevel = 1\n',
    },
    {
      name: 'LMTP client with TLS',
      code: 'lmtp_tls_security_level = may\n',
      errors: [{ messageId: 'default', line: 1, parameter: 'lmtp_tls_loglevel', data: { prefix: 'lmtp' } }],
      output: 'lmtp_tls_security_level = may\nlmtp_tls_loglevel = 1\n',
    },
  ],
});
