import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../rules/mandatory-protocols-allow-tls1.js';
import { lintWith, runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as debianDefaults } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block (opportunistic only)', code: debianDefaults },
    'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_protocols = >=TLSv1.2\n',
    'smtpd_tls_security_level = encrypt\nsmtpd_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1\n',
    { name: 'dane: the docs advise keeping TLSv1', code: 'smtp_tls_security_level = dane\nsmtp_dns_support_level = dnssec\n' },
    { name: 'dane-only: same', code: 'smtp_tls_security_level = dane-only\nsmtp_dns_support_level = dnssec\n' },
    { name: 'may does not read the mandatory list', code: 'smtp_tls_security_level = may\n' },
    { name: 'a gap that disables TLSv1.1 and up still counts by what is enabled', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_protocols = >=TLSv1.2, !TLSv1.1\n' },
  ],
  invalid: [
    {
      name: 'encrypt with the default list (anchored at line 1, default)',
      code: 'myhostname = mx.example.com\nsmtp_tls_security_level = encrypt\n',
      errors: [{ messageId: 'client', line: 1, severity: 'info', parameter: 'smtp_tls_mandatory_protocols', data: { old: 'TLSv1 and TLSv1.1', level: 'encrypt', suggested: '>=TLSv1.2' }, includes: '(default)', fixKind: null }],
      output: null,
    },
    {
      name: 'explicit list with TLSv1.1 left',
      code: 'smtp_tls_security_level = verify\nsmtp_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1\n',
      version: '3.5',
      errors: [{ messageId: 'client', line: 2, data: { old: 'TLSv1.1', suggested: '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1' } }],
      output: null,
    },
    {
      name: 'smtpd encrypt',
      code: 'smtpd_tls_security_level = encrypt\n',
      errors: [{ messageId: 'server', line: 1, parameter: 'smtpd_tls_mandatory_protocols' }],
      output: null,
    },
    {
      name: 'lmtp at encrypt',
      code: 'lmtp_tls_security_level = encrypt\nlmtp_tls_mandatory_protocols = >=TLSv1.1\n',
      errors: [{ messageId: 'client', line: 2, data: { old: 'TLSv1.1', prefix: 'lmtp' } }],
      output: null,
    },
  ],
});

test('mandatory-protocols-allow-tls1 offers a posttls-finger check for client findings', () => {
  const [f] = lintWith(rule, { code: 'smtp_tls_security_level = secure\n' });
  assert.equal(f.confirm, `posttls-finger -c -l secure -p '>=TLSv1.2' "\${NEXTHOP:?set NEXTHOP to a destination this server sends mail to: a domain, or [host]:port}"`);
});
