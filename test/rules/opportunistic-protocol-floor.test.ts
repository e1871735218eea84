import rule from '../../rules/opportunistic-protocol-floor.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintWith, runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as debianDefaults } from '../support/debian.js';
import { defaultPeers } from '../../src/interop/peers.js';

const peers = defaultPeers();


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: debianDefaults },
    'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1\n',
    'smtp_tls_security_level = may\nsmtp_tls_protocols = !SSLv2, !SSLv3\n',
    { name: 'a ceiling is not a floor', code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1 <=TLSv1.2\n' },
    { name: 'mandatory level does not read smtp_tls_protocols', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_protocols = >=TLSv1.2\n' },
    { name: 'TLS off', code: 'smtp_tls_security_level = none\nsmtp_tls_protocols = >=TLSv1.2\n' },
    { name: 'no outbound mail', code: 'default_transport = error\nsmtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\n' },
    { name: 'server lists are not opportunistic client TLS', code: 'smtpd_tls_security_level = may\nsmtpd_tls_protocols = >=TLSv1.2\n' },
    { name: 'invalid lists belong to valid-protocol-list', code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1_2\n' },
  ],
  invalid: [
    {
      name: '>=TLSv1.2 at may (interop fix)',
      code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\n',
      peers,
      errors: [{ messageId: 'floor', line: 2, severity: 'warning', parameter: 'smtp_tls_protocols', data: { floor: 'TLSv1.2', suggested: '>=TLSv1', daneNote: '', peerIds: 'exchange-2010-ws2008r2', also: '' }, includes: 'Exchange 2010 on Windows Server 2008 R2', fixKind: 'interop' }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1\n',
    },
    {
      name: 'the classic case: lowering the floor alone restores nothing while SHA1 is excluded, so the fix does both and says so',
      code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\nsmtp_tls_exclude_ciphers = SHA1\n',
      peers,
      errors: [{ messageId: 'floor', line: 2, fixKind: 'interop', data: { also: ' (and remove SHA1 from smtp_tls_exclude_ciphers: that setting blocks the same peers)' } }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1\n',
    },
    {
      name: 'no peer to check the remedy with: reported, no fix',
      code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\n',
      errors: [{ messageId: 'floor', line: 2, fixKind: null }],
      output: null,
    },
    {
      name: '>=TLSv1.3 also names every Exchange SMTP peer; CRLF',
      code: 'smtp_tls_security_level = may\r\nsmtp_tls_protocols = >=TLSv1.3\r\n',
      peers,
      errors: [{ messageId: 'floor', line: 2, data: { floor: 'TLSv1.3', policyProtocols: '>=TLSv1.3' }, includes: 'Exchange 2013/2016/2019' }],
      output: 'smtp_tls_security_level = may\r\nsmtp_tls_protocols = >=TLSv1\r\n',
    },
    {
      name: 'dane falls back to may with the opportunistic list; before 3.6; no final newline',
      code: 'smtp_tls_security_level = dane\nsmtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1',
      version: '3.5',
      peers,
      errors: [{ messageId: 'floor', line: 2, data: { floor: 'TLSv1.2', suggested: '!SSLv2, !SSLv3', policyProtocols: '!SSLv2:!SSLv3:!TLSv1:!TLSv1.1' }, includes: 'without usable TLSA' }],
      output: 'smtp_tls_security_level = dane\nsmtp_tls_protocols = !SSLv2, !SSLv3',
    },
    {
      name: 'TLSv1.1 floor also shuts out TLS 1.0-only peers',
      code: 'smtp_use_tls = yes\nsmtp_tls_protocols = >=TLSv1.1\n',
      peers,
      errors: [{ messageId: 'floor', data: { floor: 'TLSv1.1' } }],
      output: 'smtp_use_tls = yes\nsmtp_tls_protocols = >=TLSv1\n',
    },
    {
      name: 'smarthost: info, confirm against the relay, no global fix',
      code: 'relayhost = [smtp.example.net]:587\nsmtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\n',
      errors: [{ messageId: 'smarthost', line: 3, severity: 'info', data: { nexthop: '[smtp.example.net]:587' }, fixKind: null }],
      output: null,
    },
  ],
});

test('opportunistic-protocol-floor: posttls-finger command with the configured list', () => {
  const [f] = lintWith(rule, { code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\n' });
  assert.equal(f.confirm, `posttls-finger -c -l may -p '>=TLSv1.2' "\${NEXTHOP:?set NEXTHOP to a destination this server sends mail to: a domain, or [host]:port}"`);
  const [s] = lintWith(rule, { code: 'relayhost = [relay.example.org]\nsmtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.3\n' });
  assert.equal(s.confirm, `posttls-finger -c -l may -p '>=TLSv1.3' "[relay.example.org]"`);
});
