import rule from '../../rules/encrypt-without-authentication.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN_DEFAULT } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: "Debian's default TLS block", code: DEBIAN_DEFAULT },
    'smtp_tls_security_level = secure\nsmtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt\n',
    'smtp_tls_security_level = dane\nsmtp_dns_support_level = dnssec\n',
    { name: 'legacy enforce with peer name check is verify', code: 'smtp_enforce_tls = yes\n' },
    { name: 'no outbound SMTP mail', code: 'default_transport = discard\nsmtp_tls_security_level = encrypt\n' },
    { name: 'server-side encrypt is not this rule', code: 'smtpd_tls_security_level = encrypt\n' },
  ],
  invalid: [
    {
      name: 'encrypt to the internet',
      code: 'smtp_tls_security_level = encrypt\n',
      errors: [{ messageId: 'direct', line: 1, severity: 'info', parameter: 'smtp_tls_security_level', data: { setting: 'smtp_tls_security_level = encrypt', prefix: 'smtp' } }],
      output: null,
    },
    {
      name: 'encrypt to a relayhost names the relay',
      code: 'relayhost = [smtp.example.net]:587\nsmtp_tls_security_level = encrypt\n',
      errors: [{ messageId: 'relay', line: 2, data: { nexthop: '[smtp.example.net]:587' }, includes: 'fingerprint' }],
      output: null,
    },
    {
      name: 'legacy booleans that add up to encrypt',
      code: 'smtp_enforce_tls = yes\nsmtp_tls_enforce_peername = no\n',
      errors: [{ messageId: 'direct', line: 2, parameter: 'smtp_tls_enforce_peername', includes: 'smtp_enforce_tls = yes with smtp_tls_enforce_peername = no' }],
      output: null,
    },
    {
      name: 'LMTP client at encrypt',
      code: 'lmtp_tls_security_level = encrypt\n',
      errors: [{ messageId: 'direct', line: 1, parameter: 'lmtp_tls_security_level', data: { prefix: 'lmtp' }, includes: 'lmtp_dns_support_level' }],
      output: null,
    },
  ],
});
