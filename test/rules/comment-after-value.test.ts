import rule from '../../rules/comment-after-value.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: DEBIAN },
    { name: 'comment lines inside a continued value are skipped by Postfix', code: 'smtp_tls_protocols = >=TLSv1.2\n  # upper bound\n  <=TLSv1.3\n' },
    { name: '"#" inside a word is not a comment start', code: 'smtp_tls_CAfile = /etc/ssl/ca#1.pem\n' },
    { name: 'free-text banner', code: 'smtpd_banner = $myhostname ESMTP # no UCE\n' },
    { name: 'inline map', code: 'header_checks = inline:{ {/^X-#/ IGNORE} }\n' },
  ],
  invalid: [
    {
      name: 'myhostname with a trailing comment is fatal for every Postfix program, not a warning',
      code: 'myhostname = mail.example.com # primary name\n',
      errors: [{ messageId: 'breaks', line: 1, severity: 'error', includes: 'every Postfix program' }],
      output: '# primary name\nmyhostname = mail.example.com\n',
    },
    {
      name: 'a time value stops at its unit letter: the comment is ignored (information)',
      code: 'smtp_tls_session_cache_timeout = 3600s # one hour\n',
      errors: [{ messageId: 'timeIgnored', line: 1, severity: 'info' }],
      output: '# one hour\nsmtp_tls_session_cache_timeout = 3600s\n',
    },
    {
      name: 'a time value without a unit letter before the comment is fatal',
      code: 'smtp_tls_session_cache_timeout = 3600 # one hour\n',
      errors: [{ messageId: 'breaks', line: 1, severity: 'error', includes: 'bad time value or unit' }],
      output: '# one hour\nsmtp_tls_session_cache_timeout = 3600\n',
    },
    {
      name: 'level with a trailing comment: fatal; comment moved above',
      code: 'smtp_tls_security_level = may   # opportunistic\n',
      errors: [{ messageId: 'breaks', line: 1, severity: 'error', data: { value: '"may # opportunistic"' }, includes: 'Invalid TLS level', fixKind: 'safe' }],
      output: '# opportunistic\nsmtp_tls_security_level = may\n',
    },
    {
      name: 'protocol list on a continued value, CRLF kept',
      code: 'a = 1\r\nsmtp_tls_protocols = >=TLSv1.2\r\n  # c\r\n  <=TLSv1.3 # upper bound\r\n',
      errors: [{ messageId: 'breaks', line: 2, includes: 'Invalid TLS protocol list' }],
      output: 'a = 1\r\n# upper bound\r\nsmtp_tls_protocols = >=TLSv1.2\r\n  # c\r\n  <=TLSv1.3\r\n',
    },
    {
      name: 'boolean, no final newline',
      code: 'smtpd_tls_received_header = yes # log ciphers',
      errors: [{ messageId: 'breaks', includes: 'bad boolean' }],
      output: '# log ciphers\nsmtpd_tls_received_header = yes',
    },
    {
      name: 'path: warning; 3.8 postconf warns',
      code: 'smtp_tls_CAfile = /etc/ssl/ca.pem # bundle\n',
      version: '3.8',
      errors: [{ messageId: 'kept', severity: 'warning', includes: 'comment after other text' }],
      output: '# bundle\nsmtp_tls_CAfile = /etc/ssl/ca.pem\n',
    },
    {
      name: 'non-catalogue parameter: warning',
      code: 'mynetworks = 127.0.0.0/8 # loopback\n',
      errors: [{ messageId: 'kept', severity: 'warning' }],
      output: '# loopback\nmynetworks = 127.0.0.0/8\n',
    },
    {
      name: 'comment not on the last line: reported without a fix',
      code: 'smtp_tls_security_level = may # x\n  encrypt\n',
      errors: [{ messageId: 'breaks', fixKind: null }],
      output: null,
    },
    {
      name: 'value that is only a comment',
      code: 'smtp_tls_ciphers = # medium\n',
      errors: [{ messageId: 'breaks', includes: 'invalid cipher grade' }],
      output: '# medium\nsmtp_tls_ciphers =\n',
    },
  ],
});
