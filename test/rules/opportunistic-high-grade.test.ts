import rule from '../../rules/opportunistic-high-grade.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: DEBIAN },
    { name: 'high only for mandatory TLS', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_ciphers = high\nsmtp_tls_mandatory_ciphers = high\n' },
    { name: 'TLS off', code: 'smtp_tls_ciphers = high\n' },
    { name: 'no outbound mail', code: 'default_transport = error\nsmtp_tls_security_level = may\nsmtp_tls_ciphers = high\n' },
    { name: 'server side is not this rule', code: 'smtpd_tls_security_level = may\nsmtpd_tls_ciphers = high\n' },
  ],
  invalid: [
    {
      name: 'high at may: interop fix to medium',
      code: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = high\n',
      errors: [{ messageId: 'high', line: 2, severity: 'info', data: { level: 'may' }, fixKind: 'interop', includes: 'adds no suite' }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = medium\n',
    },
    {
      name: 'OpenSSL 1.1.1 wording, legacy smtp_use_tls, CRLF',
      code: 'smtp_use_tls = yes\r\nsmtp_tls_ciphers = HIGH\r\n',
      opensslVersion: 1,
      errors: [{ messageId: 'high', line: 2, includes: 'OpenSSL 1.1.1' }],
      output: 'smtp_use_tls = yes\r\nsmtp_tls_ciphers = medium\r\n',
    },
    {
      name: 'dane falls back to may for servers without TLSA',
      code: 'smtp_dns_support_level = dnssec\nsmtp_tls_security_level = dane\nsmtp_tls_ciphers = high',
      errors: [{ messageId: 'high', line: 3, data: { level: 'dane' } }],
      output: 'smtp_dns_support_level = dnssec\nsmtp_tls_security_level = dane\nsmtp_tls_ciphers = medium',
    },
  ],
});
