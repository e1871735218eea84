import rule from '../../rules/opportunistic-high-grade.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN } from '../support/debian.js';
import { defaultPeers } from '../../src/interop/peers.js';

const peers = defaultPeers();
const NARROW_HIGH = 'tls_high_cipherlist = ECDHE+AESGCM\n';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: DEBIAN },
    { name: 'high only for mandatory TLS', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_ciphers = high\nsmtp_tls_mandatory_ciphers = high\n' },
    { name: 'TLS off', code: 'smtp_tls_ciphers = high\n' },
    { name: 'no outbound mail', code: 'default_transport = error\nsmtp_tls_security_level = may\nsmtp_tls_ciphers = high\n' },
    { name: 'server side is not this rule', code: 'smtpd_tls_security_level = may\nsmtpd_tls_ciphers = high\n' },
    { name: 'OpenSSL 3 with the default lists: medium adds no suite, so the advice would change nothing', code: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = high\n', peers },
    {
      name: 'a custom medium list narrower than high: medium would lose peers the predictor says get TLS now',
      code: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = high\ntls_medium_cipherlist = AES128+EECDH:AES128+EDH\n',
      peers,
    },
  ],
  invalid: [
    {
      name: 'high with a narrow custom high list: medium adds suites and gives the 2012 R2 Exchange TLS again (verified)',
      code: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = high\n' + NARROW_HIGH,
      peers,
      errors: [{ messageId: 'high', line: 2, severity: 'info', data: { level: 'may' }, fixKind: 'interop', includes: 'exchange-2016-ws2012r2 would get TLS again (predicted)' }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = medium\n' + NARROW_HIGH,
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
      code: 'smtp_dns_support_level = dnssec\nsmtp_tls_security_level = dane\nsmtp_tls_ciphers = high\n' + NARROW_HIGH,
      errors: [{ messageId: 'high', line: 3, data: { level: 'dane' } }],
      output: 'smtp_dns_support_level = dnssec\nsmtp_tls_security_level = dane\nsmtp_tls_ciphers = medium\n' + NARROW_HIGH,
    },
  ],
});
