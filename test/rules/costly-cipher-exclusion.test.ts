import rule from '../../rules/costly-cipher-exclusion.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN } from '../support/debian.js';
import { defaultPeers } from '../../src/interop/peers.js';

const peers = defaultPeers();


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: DEBIAN },
    { name: 'harmless exclusions', code: 'smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = aNULL, MD5, RC4, 3DES, SEED\n' },
    { name: 'mandatory exclusions are not read at may', code: 'smtp_tls_security_level = may\nsmtp_tls_mandatory_exclude_ciphers = SHA1\n' },
    { name: 'TLS off', code: 'smtp_tls_exclude_ciphers = SHA1\n' },
    { name: 'no outbound mail', code: 'default_transport = error\nsmtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = SHA1\n' },
    { name: 'SSLv3 alone still leaves TLSv1 suites', code: 'smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = SSLv3\n' },
    { name: 'server exclusions are not this rule', code: 'smtpd_tls_security_level = may\nsmtpd_tls_exclude_ciphers = SHA1\n' },
  ],
  invalid: [
    {
      name: 'SHA1 alone: the interop fix drops it, and the predictor says it gives the TLS 1.0-only Exchange TLS again',
      code: 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_exclude_ciphers = SHA1\n',
      peers,
      errors: [{ messageId: 'costly', line: 3, fixKind: 'interop', data: { peerIds: 'exchange-2010-ws2008r2', also: '' } }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n',
    },
    {
      name: 'the classic case: dropping SHA1 alone restores nothing while the floor is TLS 1.2, so the fix does both and says so',
      code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\nsmtp_tls_exclude_ciphers = SHA1, aNULL\n',
      peers,
      errors: [{ messageId: 'costly', line: 3, fixKind: 'interop', includes: 'and lower smtp_tls_protocols to >=TLSv1: only both together' }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1\nsmtp_tls_exclude_ciphers = aNULL\n',
    },
    {
      name: 'no peer to check the remedy with: no fix',
      code: 'smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = SHA1\n',
      errors: [{ messageId: 'costly', line: 2, fixKind: null }],
      output: null,
    },
    {
      name: 'SHA1 and kRSA at may: warning, plaintext fallback',
      code: 'smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = SHA1, kRSA, aNULL\n',
      errors: [
        { messageId: 'costly', line: 2, severity: 'warning', data: { token: 'SHA1' }, includes: 'no suite usable with TLS 1.0/1.1 remains' },
        { messageId: 'costly', line: 2, severity: 'warning', data: { token: 'kRSA' }, includes: 'Windows Server 2003' },
      ],
      output: null,
    },
    {
      name: 'mandatory exclusion toward a smarthost: info',
      code: 'relayhost = [smart.example.com]:587\nsmtp_tls_security_level = encrypt\nsmtp_tls_mandatory_exclude_ciphers = CBC\n',
      errors: [{ messageId: 'costly', line: 3, severity: 'info', data: { param: 'smtp_tls_mandatory_exclude_ciphers', token: 'CBC' }, includes: 'deferred' }],
      output: null,
    },
    {
      name: 'mandatory level to the internet: warning',
      code: 'smtp_tls_security_level = verify\nsmtp_tls_exclude_ciphers = aRSA\n',
      errors: [{ messageId: 'costly', line: 2, severity: 'warning', data: { token: 'aRSA' } }],
      output: null,
    },
    {
      name: 'ECDHE family',
      code: 'smtp_use_tls = yes\nsmtp_tls_exclude_ciphers = kEECDH\n',
      errors: [{ messageId: 'costly', line: 2, data: { token: 'kEECDH' }, includes: 'ECDHE-only' }],
      output: null,
    },
  ],
});
