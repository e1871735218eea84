import rule from '../../rules/peer-handshake-failure.js';
import { runRuleCases } from '../support/rule-tester.js';
import { defaultPeers } from '../../src/interop/peers.js';

const peers = defaultPeers();
const SEED = [
  'smtp_tls_security_level = may',
  'smtp_tls_CApath = /etc/ssl/certs',
  'smtp_tls_protocols = >=TLSv1.2',
  'smtp_tls_exclude_ciphers = SHA1',
  '',
].join('\n');

runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: 'smtp_tls_CApath=/etc/ssl/certs\nsmtp_tls_security_level=may\n', peers },
    { name: 'no peers configured: silent', code: SEED },
    { name: 'a smarthost never meets internet peers', code: SEED + 'relayhost = [smtp.example.net]:587\n', peers },
    { name: 'TLS off: tls-off-outbound reports it, not this rule', code: 'smtp_tls_security_level = none\n', peers },
    { name: 'an invalid list is valid-protocol-list\'s finding, not one per peer', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_protocols = TLSv1.4\n', peers },
  ],
  invalid: [
    {
      name: 'the seed scenario: TLS 1.0-only Exchange 2010 gets plaintext after a failed handshake',
      code: SEED,
      peers,
      errors: [
        {
          messageId: 'failsPlaintext',
          line: 3,
          parameter: 'smtp_tls_protocols',
          severity: 'warning',
          data: { peers: 'exchange-2010-ws2008r2', count: 1 },
          includes: 'no common protocol',
        },
      ],
      output: null,
    },
    {
      name: 'the remedy it names is checked: the entry also clears the SHA1 exclusion',
      code: SEED,
      peers,
      errors: [
        {
          messageId: 'failsPlaintext',
          includes: 'the policy entry "DESTINATION may protocols=>=TLSv1 exclude=" in smtp_tls_policy_maps restores TLS (checked with the same prediction)',
        },
      ],
      output: null,
    },
    {
      name: 'SHA1 excluded alone: no common cipher with TLS 1.0-only Exchange 2010',
      code: 'smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = SHA1\n',
      peers,
      errors: [{ messageId: 'failsPlaintext', line: 2, parameter: 'smtp_tls_exclude_ciphers', data: { peers: 'exchange-2010-ws2008r2' }, includes: '"DESTINATION may exclude="' }],
      output: null,
    },
    {
      name: 'mandatory TLS 1.2 at encrypt: deferred, an error',
      code: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_protocols = >=TLSv1.2\n',
      peers,
      errors: [{ messageId: 'failsDeferred', line: 2, severity: 'error', data: { peers: 'exchange-2010-ws2008r2' } }],
      output: null,
    },
    {
      name: 'placement: at dane a peer without TLSA records meets the opportunistic list, so the finding sits on that line, not the mandatory one',
      code: 'smtp_dns_support_level = dnssec\nsmtp_tls_security_level = dane\nsmtp_tls_mandatory_protocols = >=TLSv1.2\nsmtp_tls_protocols = >=TLSv1.2\n',
      peers,
      errors: [{ messageId: 'failsPlaintext', line: 4, parameter: 'smtp_tls_protocols' }],
      output: null,
    },
    {
      name: 'one root cause, one finding: every peer blocked by a TLS 1.3 floor is named in one finding',
      code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.3\n',
      peers,
      errors: [{ messageId: 'failsPlaintext', line: 2, data: { count: 5, peers: 'exchange-2010-ws2008r2, exchange-2016-ws2012r2, exchange-2016-ws2016, exchange-2019-ws2019, exchange-online' } }],
      output: null,
    },

  ],
});
