import rule from '../../rules/main-cf-syntax.js';
import { runRuleCases } from '../support/rule-tester.js';

runRuleCases(rule, {
  valid: ['a = b\n', '# comment\n\n  \nx = y\n  continued\n', ''],
  invalid: [
    {
      name: 'missing =',
      code: 'smtp_tls_security_level = may\nsmtp_tls_loglevel 1\n',
      errors: [{ messageId: 'fatal', line: 2, severity: 'error', includes: "missing '='" }],
      output: null,
    },
    {
      name: 'missing name',
      code: '= encrypt\n',
      errors: [{ messageId: 'fatal', line: 1, includes: 'missing attribute name' }],
      output: null,
    },
    {
      name: 'leading whitespace on the first logical line',
      code: '# header\n   smtp_tls_loglevel = 1\nsmtp_tls_security_level = may\n',
      errors: [{ messageId: 'skipped', line: 2, severity: 'warning' }],
      output: null,
    },
    {
      name: 'NUL byte',
      code: 'smtp_tls_security_level = may\0encrypt\n',
      errors: [{ messageId: 'skipped', line: 1, includes: 'NUL' }],
      output: null,
    },
  ],
});
