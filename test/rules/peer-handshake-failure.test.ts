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
          data: { peer: 'exchange-2010-ws2008r2', outcome: 'handshake-failure' },
          includes: 'no common protocol',
        },
      ],
      output: null,
    },
    {
      name: 'SHA1 excluded alone: no common cipher with TLS 1.0-only Exchange 2010',
      code: 'smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = SHA1\n',
      peers,
      errors: [{ messageId: 'failsPlaintext', line: 2, parameter: 'smtp_tls_exclude_ciphers', data: { peer: 'exchange-2010-ws2008r2' } }],
      output: null,
    },
    {
      name: 'mandatory TLS 1.2 at encrypt: deferred, an error',
      code: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_protocols = >=TLSv1.2\n',
      peers,
      errors: [{ messageId: 'failsDeferred', line: 2, severity: 'error', data: { peer: 'exchange-2010-ws2008r2' } }],
      output: null,
    },
  ],
});
