import rule from '../../rules/global-mandatory-tls.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN_DEFAULT } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: "Debian's default TLS block", code: DEBIAN_DEFAULT },
    'smtp_tls_security_level = may\n',
    { name: 'encrypt to a relayhost is normal', code: 'relayhost = [smtp.example.net]:587\nsmtp_tls_security_level = encrypt\n' },
    { name: 'secure to a fixed default_transport next hop', code: 'default_transport = smtp:[relay.example.net]\nsmtp_tls_security_level = secure\n' },
    { name: 'dane is not mandatory (may without TLSA)', code: 'smtp_tls_security_level = dane\nsmtp_dns_support_level = dnssec\n' },
    { name: 'no outbound mail', code: 'default_transport = error\nsmtp_tls_security_level = verify\n' },
    { name: 'legacy smtp_use_tls = yes is may', code: 'smtp_use_tls = yes\n' },
    { name: 'a level wins over legacy enforce', code: 'smtp_enforce_tls = yes\nsmtp_tls_security_level = may\n' },
    { name: 'invalid level is another rule', code: 'smtp_tls_security_level = encrypted\n' },
  ],
  invalid: [
    {
      name: 'encrypt to the internet: warning, interop fix to may',
      code: 'myhostname = mx.example.com\nsmtp_tls_security_level = encrypt\n',
      errors: [{ messageId: 'explicit', line: 2, severity: 'warning', parameter: 'smtp_tls_security_level', data: { level: 'encrypt' }, fixKind: 'interop', includes: 'Cisco ASA' }],
      output: 'myhostname = mx.example.com\nsmtp_tls_security_level = may\n',
    },
    {
      name: 'verify: error, CRLF kept',
      code: 'a = 1\r\nsmtp_tls_security_level = verify\r\nb = 2\r\n',
      errors: [{ messageId: 'explicit', line: 2, severity: 'error', data: { level: 'verify' }, includes: 'Server certificate not verified' }],
      output: 'a = 1\r\nsmtp_tls_security_level = may\r\nb = 2\r\n',
    },
    {
      name: 'secure, no final newline',
      code: 'smtp_tls_security_level = secure',
      errors: [{ messageId: 'explicit', line: 1, severity: 'error', data: { level: 'secure' } }],
      output: 'smtp_tls_security_level = may',
    },
    {
      name: 'fingerprint',
      code: 'smtp_tls_security_level = fingerprint\nsmtp_tls_fingerprint_cert_match = 3D:95:34:51\n',
      errors: [{ messageId: 'explicit', line: 1, severity: 'error', data: { level: 'fingerprint' } }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_fingerprint_cert_match = 3D:95:34:51\n',
    },
    {
      name: 'dane-only',
      code: 'smtp_dns_support_level = dnssec\nsmtp_tls_security_level = dane-only\n',
      errors: [{ messageId: 'explicit', line: 2, severity: 'error', data: { level: 'dane-only' } }],
      output: 'smtp_dns_support_level = dnssec\nsmtp_tls_security_level = may\n',
    },
    {
      name: 'level names are case-insensitive',
      code: 'smtp_tls_security_level = Encrypt\n',
      errors: [{ messageId: 'explicit', severity: 'warning', data: { level: 'encrypt' } }],
      output: 'smtp_tls_security_level = may\n',
    },
    {
      name: 'the winning duplicate is the one reported and replaced',
      code: 'smtp_tls_security_level = may\nsmtp_tls_security_level = encrypt\n',
      errors: [{ messageId: 'explicit', line: 2 }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_security_level = may\n',
    },
    {
      name: 'legacy smtp_enforce_tls = yes means verify; the first switch line becomes the level line',
      code: 'smtp_use_tls = yes\nsmtp_enforce_tls = yes\nmyhostname = mx\n',
      errors: [{ messageId: 'legacy', line: 2, severity: 'error', parameter: 'smtp_enforce_tls', data: { level: 'verify', setting: 'smtp_enforce_tls = yes' } }],
      output: 'smtp_tls_security_level = may\nmyhostname = mx\n',
    },
    {
      name: 'legacy enforce without peer name check means encrypt',
      code: 'smtp_enforce_tls = yes\nsmtp_tls_enforce_peername = no\n',
      errors: [{ messageId: 'legacy', line: 1, severity: 'warning', data: { level: 'encrypt' } }],
      output: 'smtp_tls_security_level = may\n',
    },
    {
      name: 'an empty level line is filled in',
      code: 'smtp_tls_security_level =\nsmtp_enforce_tls = yes\n',
      errors: [{ messageId: 'legacy', line: 2 }],
      output: 'smtp_tls_security_level = may\nsmtp_enforce_tls = yes\n',
    },
    {
      name: 'wrapper mode needs encrypt: reported without a fix',
      code: 'smtp_tls_wrappermode = yes\nsmtp_tls_security_level = encrypt\n',
      errors: [{ messageId: 'explicit', line: 2, fixKind: null }],
      output: null,
    },
    {
      name: 'Postfix 3.11 at compatibility_level 3.11, explicit encrypt',
      code: 'compatibility_level = 3.11\nsmtp_tls_security_level = encrypt\n',
      version: '3.11',
      errors: [{ messageId: 'explicit', line: 2 }],
      output: 'compatibility_level = 3.11\nsmtp_tls_security_level = may\n',
    },
  ],
});
