import rule from '../../rules/valid-protocol-list.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as debianDefaults } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: debianDefaults },
    'smtp_tls_protocols = >=TLSv1.2\n',
    'smtp_tls_mandatory_protocols = >=TLSv1.2 <=TLSv1.3\n',
    'smtpd_tls_protocols = !SSLv2, !SSLv3\n',
    { name: 'colon separators', code: 'smtpd_tls_mandatory_protocols = !SSLv2:!SSLv3:!TLSv1:!TLSv1.1\n' },
    { name: 'names are case-insensitive', code: 'smtp_tls_protocols = !sslv2, !SSLV3\n' },
    { name: 'hex bound', code: 'smtp_tls_protocols = >=0x0303\n' },
    { name: 'empty list allows everything', code: 'smtp_tls_protocols =\n' },
    { name: '!TLSv1.3 is known in 3.4', code: 'smtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1.3\n', version: '3.4.0' },
    { name: 'exclusions are fine before 3.6', code: 'smtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1\n', version: '3.5' },
    { name: 'the defaults are never reported', code: 'myhostname = mx.example.com\n', version: '2.11.5' },
  ],
  invalid: [
    {
      name: 'underscore typo: unambiguous, fixed',
      code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1_1\n',
      errors: [{ messageId: 'unknown-name', line: 2, severity: 'error', parameter: 'smtp_tls_protocols', data: { token: '!TLSv1_1', suggestion: ' (did you mean "!TLSv1.1"?)', usage: '' }, includes: 'aborting TLS session', fixKind: 'safe' }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1.1\n',
    },
    {
      name: 'missing "v" on the server side',
      code: 'smtpd_tls_security_level = may\nsmtpd_tls_protocols = TLS1.2, TLS1.3\n',
      errors: [{ messageId: 'unknown-name', line: 2, data: { token: 'TLS1.2', more: '; also invalid: "TLS1.3"' }, includes: '454 4.7.0' }],
      output: 'smtpd_tls_security_level = may\nsmtpd_tls_protocols = TLSv1.2, TLSv1.3\n',
    },
    {
      name: 'TLSv1.0 means TLSv1',
      code: 'smtp_tls_mandatory_protocols = !SSLv2 !SSL3 !TLSv1.0\n',
      errors: [{ messageId: 'unknown-name', line: 1, data: { token: '!SSL3' } }],
      output: 'smtp_tls_mandatory_protocols = !SSLv2 !SSLv3 !TLSv1\n',
    },
    {
      name: 'no unique meaning: suggestion but no fix',
      code: 'smtp_tls_protocols = !SSLv2, !TLSv9\n',
      errors: [{ messageId: 'unknown-name', data: { token: '!TLSv9', suggestion: ' (did you mean "!TLSv1"?)' } }],
      output: null,
    },
    {
      name: '";" separator, CRLF kept',
      code: 'smtpd_tls_security_level = encrypt\r\nsmtpd_tls_mandatory_protocols = !SSLv2;!SSLv3\r\n',
      errors: [{ messageId: 'separator', line: 2, data: { token: '!SSLv2;!SSLv3', usage: '' }, includes: 'no mail is accepted' }],
      output: 'smtpd_tls_security_level = encrypt\r\nsmtpd_tls_mandatory_protocols = !SSLv2, !SSLv3\r\n',
    },
    {
      name: 'range syntax before 3.6',
      code: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_protocols = >=TLSv1.2\n',
      version: '3.5',
      errors: [{ messageId: 'range-too-old', line: 2, data: { token: '>=TLSv1.2', version: '3.5' }, includes: 'stays queued' }],
      output: null,
    },
    {
      name: 'SSLv2 is not a bound',
      code: 'smtp_tls_protocols = >=SSLv2\n',
      errors: [{ messageId: 'bad-bound', data: { token: '>=SSLv2', suggestion: '' } }],
      output: null,
    },
    {
      name: 'misspelt bound, no final newline',
      code: 'smtp_tls_protocols = >=TLSv1_2',
      errors: [{ messageId: 'bad-bound', data: { suggestion: ' (did you mean ">=TLSv1.2"?)' }, fixKind: 'safe' }],
      output: 'smtp_tls_protocols = >=TLSv1.2',
    },
    {
      name: '!TLSv1.3 before 3.4',
      code: 'smtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1.3\n',
      version: '3.3.1',
      errors: [{ messageId: 'tlsv13-too-old' }],
      output: null,
    },
    {
      name: 'the ">= TLSv1.2" trap: only TLSv1.2',
      code: 'smtp_tls_protocols = >= TLSv1.2\n',
      errors: [{ messageId: 'bound-space', severity: 'warning', data: { op: '>=', name: 'TLSv1.2', enabled: 'TLSv1.2' }, fixKind: 'safe' }],
      output: 'smtp_tls_protocols = >=TLSv1.2\n',
    },
    {
      name: 'the trap with other items keeps them',
      code: 'smtpd_tls_protocols = >= TLSv1.1, !TLSv1.3\n',
      errors: [{ messageId: 'bound-space', data: { enabled: 'TLSv1.1' } }],
      output: 'smtpd_tls_protocols = >=TLSv1.1, !TLSv1.3\n',
    },
    {
      name: '"<= TLSv1.2": a fix would lower the floor, so none',
      code: 'smtpd_tls_protocols = <= TLSv1.2\n',
      errors: [{ messageId: 'bound-space', data: { op: '<=', enabled: 'TLSv1.2' }, fixKind: null }],
      output: null,
    },
    {
      name: 'bare bound',
      code: 'smtp_tls_protocols = !SSLv2 >=\n',
      errors: [{ messageId: 'bare-bound', severity: 'warning', data: { op: '>=' } }],
      output: null,
    },
    {
      name: 'hex bound OpenSSL refuses',
      code: 'smtp_tls_mandatory_protocols = <=0305\n',
      errors: [{ messageId: 'unsupported-bound', severity: 'warning', includes: 'error setting maximum TLS version' }],
      output: null,
    },
    {
      name: 'unused list: still reported, with a note',
      code: 'smtp_tls_security_level = none\nsmtp_tls_protocols = !TLSv9\n',
      errors: [{ messageId: 'unknown-name', line: 2, includes: 'TLS is off for smtp' }],
      output: null,
    },
    {
      name: 'value from $name: reported, not rewritten',
      code: 'my_protocols = !SSLv2, !TLSv1_1\nsmtp_tls_protocols = $my_protocols\n',
      errors: [{ messageId: 'unknown-name', line: 2, data: { token: '!TLSv1_1' } }],
      output: null,
    },
    {
      name: 'lmtp twin',
      code: 'lmtp_tls_mandatory_protocols = TLSv1.2;TLSv1.3\n',
      errors: [{ messageId: 'separator', parameter: 'lmtp_tls_mandatory_protocols' }],
      output: 'lmtp_tls_mandatory_protocols = TLSv1.2, TLSv1.3\n',
    },
  ],
});
