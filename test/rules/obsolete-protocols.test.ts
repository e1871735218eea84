import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule, { withoutSsl } from '../../rules/obsolete-protocols.js';
import { execFileSync } from 'node:child_process';
import { parseProtocols } from '../../src/model/values/index.js';
import { defaultFor } from '../../src/model/catalogue/index.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as debianDefaults } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block (3.7 defaults are >=TLSv1)', code: debianDefaults },
    { name: 'Debian block on a 3.0 line (latest patch defaults exclude SSLv3)', code: debianDefaults, version: '3.0' },
    'smtp_tls_protocols = >=TLSv1.2\n',
    'smtpd_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1\n',
    { name: 'SSLv2 alone is moot from 3.6 (OpenSSL 1.1.1 required)', code: 'smtp_tls_protocols = !SSLv3\n' },
    { name: 'include list without SSL', code: 'smtpd_tls_protocols = TLSv1.2, TLSv1.3\n' },
    { name: 'weak default not read: TLS off', code: 'myhostname = mx.example.com\n', version: '2.11.5' },
    { name: 'weak mandatory default at level may is not read', code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = !SSLv2, !SSLv3\n', version: '3.0.1' },
    { name: 'DANE levels exclude SSL by themselves', code: 'smtp_tls_security_level = dane\nsmtp_tls_protocols = !SSLv2, !SSLv3\n', version: '2.11.5' },
    { name: 'invalid lists belong to valid-protocol-list', code: 'smtp_tls_protocols = !SSLv2;!TLSv1\n' },
    { name: 'a list the level does not read has no effect (a service or entry that reads it reports it there)', code: 'smtp_tls_security_level = encrypt\nsmtp_tls_protocols = SSLv3 TLSv1\n' },
    { name: 'TLS off: the client reads no list', code: 'smtp_tls_mandatory_protocols = !SSLv2\n' },
  ],
  invalid: [
    {
      name: 'explicit "!SSLv2" on 3.7: floor syntax',
      code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = !SSLv2\n',
      errors: [{ messageId: 'explicit', line: 2, severity: 'warning', parameter: 'smtp_tls_protocols', data: { protocols: 'SSLv3', how: 'nothing excludes SSLv3' }, fixKind: 'safe' }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1\n',
    },
    {
      name: '">=SSLv3" floor raised, ceiling kept, CRLF',
      code: 'smtpd_tls_security_level = may\r\nsmtpd_tls_protocols = >=SSLv3 <=TLSv1.3\r\n',
      errors: [{ messageId: 'explicit', line: 2, severity: 'error', data: { how: '">=SSLv3" puts the floor at SSLv3' } }],
      output: 'smtpd_tls_security_level = may\r\nsmtpd_tls_protocols = >=TLSv1 <=TLSv1.3\r\n',
    },
    {
      name: 'include list naming SSLv3 at smtpd encrypt: replaced by the mandatory floor, never a shorter list of names',
      code: 'smtpd_tls_security_level = encrypt\nsmtpd_tls_mandatory_protocols = SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3\n',
      errors: [{ messageId: 'explicit', severity: 'error', data: { how: 'the list includes SSLv3', range: 'TLSv1 and newer' } }],
      output: 'smtpd_tls_security_level = encrypt\nsmtpd_tls_mandatory_protocols = >=TLSv1.2\n',
    },
    {
      name: '"SSLv3, TLSv1" means TLS 1.0 only: the message says so and the fix is a floor, not "TLSv1"',
      code: 'smtp_tls_security_level = may\nsmtp_tls_protocols = SSLv3, TLSv1\n',
      errors: [{ messageId: 'explicit', severity: 'warning', data: { range: 'TLSv1 only' }, includes: 'excludes every other version' }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1\n',
    },
    {
      name: 'other exclusions are kept (3.7: a floor is added)',
      code: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_protocols = !SSLv2, !TLSv1.1',
      errors: [{ messageId: 'explicit', severity: 'error', data: { range: 'TLSv1 only' }, includes: 'gap' }],
      output: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_protocols = !SSLv2, !TLSv1.1, >=TLSv1.2',
    },
    {
      name: 'before 3.6: exclusions appended',
      code: 'smtpd_tls_security_level = may\nsmtpd_tls_protocols = !SSLv2, !TLSv1\n',
      version: '3.5',
      errors: [{ messageId: 'explicit', data: { protocols: 'SSLv3' } }],
      output: 'smtpd_tls_security_level = may\nsmtpd_tls_protocols = !SSLv2, !TLSv1, !SSLv3\n',
    },
    {
      name: 'before 3.6: SSLv2 allowed too, empty list',
      code: 'lmtp_tls_security_level = may\nlmtp_tls_protocols =\n',
      version: '3.4',
      errors: [{ messageId: 'explicit', severity: 'warning', data: { protocols: 'SSLv2 and SSLv3', how: 'an empty list allows every protocol' } }],
      output: 'lmtp_tls_security_level = may\nlmtp_tls_protocols = !SSLv2, !SSLv3\n',
    },
    {
      name: 'weak opportunistic default of 2.11.5, inserted beside the level',
      code: 'myhostname = mx.example.com\nsmtp_tls_security_level = may\nrelayhost =\n',
      version: '2.11.5',
      errors: [{ messageId: 'default', line: 1, severity: 'warning', parameter: 'smtp_tls_protocols', data: { protocols: 'SSLv3', suggested: '!SSLv2, !SSLv3' }, includes: '(default)' }],
      output: 'myhostname = mx.example.com\nsmtp_tls_security_level = may\nsmtp_tls_protocols = !SSLv2, !SSLv3\nrelayhost =\n',
    },
    {
      name: 'weak mandatory defaults of 3.0.1 at encrypt (client and server)',
      code: 'smtp_tls_security_level = encrypt\nsmtpd_tls_security_level = encrypt\n',
      version: '3.0.1',
      errors: [
        { messageId: 'default', line: 1, severity: 'error', parameter: 'smtp_tls_mandatory_protocols' },
        { messageId: 'default', line: 1, severity: 'error', parameter: 'smtpd_tls_mandatory_protocols' },
      ],
      output: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1\nsmtpd_tls_security_level = encrypt\nsmtpd_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1\n',
    },
    {
      name: 'server default of 2.11.5 is empty: SSLv2 and SSLv3',
      code: 'smtpd_use_tls = yes\n',
      version: '2.11.5',
      errors: [{ messageId: 'default', parameter: 'smtpd_tls_protocols', severity: 'error', data: { protocols: 'SSLv2 and SSLv3' } }],
      output: 'smtpd_use_tls = yes\nsmtpd_tls_protocols = !SSLv2, !SSLv3\n',
    },
    {
      name: 'value through $name: reported, no fix',
      code: 'smtp_tls_security_level = may\nweak = !SSLv2\nsmtp_tls_protocols = $weak\n',
      errors: [{ messageId: 'explicit', line: 3, fixKind: null }],
      output: null,
    },
  ],
});

test('withoutSsl removes SSL and nothing else', () => {
  const cases: Array<[string, string, string | null]> = [
    ['!SSLv2', '3.7', '>=TLSv1'],
    ['!SSLv2', '3.5', '!SSLv2, !SSLv3'],
    ['!SSLv2:!TLSv1.1', '3.7', '!SSLv2:!TLSv1.1 >=TLSv1'],
    ['>=SSLv3, <=TLSv1.2', '3.7', '>=TLSv1, <=TLSv1.2'],
    ['>=0x0300', '3.7', '>=TLSv1'],
    // A list of names becomes a floor: never a shorter list of names, which would lock in TLS 1.0.
    ['SSLv3 TLSv1', '3.5', '!SSLv2, !SSLv3'],
    ['SSLv3, TLSv1', '3.7', '>=TLSv1'],
    ['SSLv3', '3.7', '>=TLSv1'],
  ];
  for (const [value, version, expected] of cases) {
    assert.equal(withoutSsl(value, parseProtocols(value, version), version), expected, `${value} @ ${version}`);
  }
});

test('oracle: the 3.7 protocol defaults these rules compare against match postconf -d', (t) => {
  const names = ['smtp_tls_protocols', 'smtp_tls_mandatory_protocols', 'lmtp_tls_protocols', 'lmtp_tls_mandatory_protocols', 'smtpd_tls_protocols', 'smtpd_tls_mandatory_protocols'];
  let out: string;
  try {
    out = execFileSync('postconf', ['-d', ...names], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    t.skip('postconf not installed');
    return;
  }
  const version = execFileSync('postconf', ['-dh', 'mail_version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('3.7.')) {
    t.skip(`postconf is ${version}, not 3.7`);
    return;
  }
  for (const line of out.trim().split('\n')) {
    const [name, value] = line.split(/ = ?/, 2);
    assert.equal(defaultFor(name, version), value ?? '', name);
  }
});
