import rule from '../../rules/duplicate-parameter.js';
import { runRuleCases } from '../support/rule-tester.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: DEBIAN },
    { name: 'names that differ only in case are different parameters', code: 'smtp_tls_CApath = /a\nsmtp_tls_capath = /b\n' },
  ],
  invalid: [
    {
      name: 'different values: the last wins, earlier removed',
      code: 'smtp_tls_security_level = may\nmyhostname = mx\nsmtp_tls_security_level = encrypt\n',
      errors: [{ messageId: 'differs', line: 3, severity: 'warning', data: { name: 'smtp_tls_security_level', line: 3, value: '"encrypt"', count: 2, lines: 'line 1' }, fixKind: 'safe' }],
      output: 'myhostname = mx\nsmtp_tls_security_level = encrypt\n',
    },
    {
      name: 'same value three times: info; CRLF; no final newline',
      code: 'smtp_tls_ciphers = medium\r\na = 1\r\nsmtp_tls_ciphers = medium\r\nsmtp_tls_ciphers = medium',
      errors: [{ messageId: 'same', line: 4, severity: 'info', data: { count: 3, lines: 'lines 1, 3' } }],
      output: 'a = 1\r\nsmtp_tls_ciphers = medium',
    },
    {
      name: 'continued value differs in whitespace only: postconf still warns; continuation lines removed',
      code: 'smtp_tls_protocols = >=TLSv1.2\n  <=TLSv1.3\na = 1\nsmtp_tls_protocols = >=TLSv1.2 <=TLSv1.3\n',
      errors: [{ messageId: 'differs', line: 4, severity: 'warning' }],
      output: 'a = 1\nsmtp_tls_protocols = >=TLSv1.2 <=TLSv1.3\n',
    },
  ],
});

// Oracle: postconf warns "overriding earlier entry" exactly for the names reported as "differs".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintWith } from '../support/rule-tester.js';
import { havePostconf, NO_POSTCONF, postconf, removeDir, tempConfigDir } from '../support/postfix.js';
import { DEBIAN_TLS_BLOCK as DEBIAN } from '../support/debian.js';

test('duplicate-parameter agrees with postconf "overriding earlier entry" (3.7.11)', (t) => {
  if (!havePostconf()) return t.skip(NO_POSTCONF);
  const code = 'a = 1\nb = 2\na = 2\nb = 2\nc = x  y\nc = x y\nsmtp_tls_protocols = >=TLSv1.2\n  <=TLSv1.3\nsmtp_tls_protocols = >=TLSv1.2 <=TLSv1.3\nd = 1\n';
  const dir = tempConfigDir({ 'main.cf': code, 'master.cf': '' });
  try {
    const run = postconf(dir, ['-n']);
    const warned = new Set([...run.stderr.matchAll(/overriding earlier entry: ([^=]+)=/g)].map((m) => m[1]));
    const findings = lintWith(rule, { code });
    assert.deepEqual(findings.filter((f) => f.messageId === 'differs').map((f) => f.parameter).sort(), [...warned].sort());
    assert.deepEqual(findings.map((f) => f.parameter).sort(), ['a', 'b', 'c', 'smtp_tls_protocols']);
  } finally {
    removeDir(dir);
  }
});
