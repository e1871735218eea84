import rule from '../../rules/tls-off-outbound.js';
import { runRuleCases } from '../support/rule-tester.js';

runRuleCases(rule, {
  valid: [
    'smtp_tls_security_level = may\n',
    'smtp_tls_security_level = encrypt\n',
    { name: 'legacy smtp_use_tls = yes means may', code: 'smtp_use_tls = yes\n' },
    { name: 'no outbound mail at all', code: 'default_transport = error\n' },
    { name: '3.11 at compatibility_level 3.11 defaults to may', code: 'compatibility_level = 3.11\n', version: '3.11' },
  ],
  invalid: [
    {
      name: 'explicit none',
      code: 'myhostname = mx.example.com\nsmtp_tls_security_level = none\n',
      errors: [{ messageId: 'explicit', line: 2, parameter: 'smtp_tls_security_level', fixKind: 'safe' }],
      output: 'myhostname = mx.example.com\nsmtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n',
    },
    {
      name: 'empty file: the 3.7 default is no TLS',
      code: 'myhostname = mx.example.com\n',
      errors: [{ messageId: 'implicit', line: 1, data: { legacy: 'smtp_use_tls is off' } }],
      output: 'myhostname = mx.example.com\nsmtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n',
    },
    {
      name: 'legacy smtp_use_tls = no: the new line goes next to it, CRLF kept',
      code: 'a = 1\r\nsmtp_use_tls = no\r\nb = 2\r\n',
      errors: [{ messageId: 'implicit', line: 2, data: { legacy: 'smtp_use_tls = no' } }],
      output: 'a = 1\r\nsmtp_use_tls = no\r\nsmtp_tls_security_level = may\r\nsmtp_tls_loglevel = 1\r\nb = 2\r\n',
    },
    {
      name: '3.11 below compatibility_level 3.11 still defaults to no TLS',
      code: 'compatibility_level = 3.10\n',
      version: '3.11',
      errors: [{ messageId: 'implicit' }],
      output: 'compatibility_level = 3.10\nsmtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n',
    },
    {
      name: 'empty value, no final newline',
      code: 'smtp_tls_security_level =',
      errors: [{ messageId: 'implicit', line: 1 }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1',
    },
    {
      name: 'an explicit smtp_tls_loglevel = 0 is raised by the same fix; a set loglevel is left alone',
      code: 'smtp_tls_loglevel = 0\nsmtp_tls_security_level = none\n',
      errors: [{ messageId: 'explicit', line: 2 }],
      output: 'smtp_tls_loglevel = 1\nsmtp_tls_security_level = may\n',
    },
    {
      name: 'loglevel 2 stays',
      code: 'smtp_tls_loglevel = 2\nsmtp_tls_security_level = none\n',
      errors: [{ messageId: 'explicit', line: 2 }],
      output: 'smtp_tls_loglevel = 2\nsmtp_tls_security_level = may\n',
    },
  ],
});
