import rule from '../../rules/cipherlist-seclevel.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: DEBIAN },
    { name: 'default list written out (3.7)', code: 'tls_medium_cipherlist = aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH\n' },
    { name: 'legacy smtp_tls_cipherlist is unknown in 3.7 (unknown-tls-parameter reports it)', code: 'smtp_tls_cipherlist = DEFAULT:@SECLEVEL=2\n' },
  ],
  invalid: [
    {
      name: 'Mozilla-style medium list with @SECLEVEL=2',
      code: 'tls_medium_cipherlist = ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=2\n',
      errors: [{ messageId: 'seclevel', line: 1, severity: 'warning', data: { level: 2, param: 'tls_medium_cipherlist' }, includes: 'TLS 1.0/1.1' }],
      output: null,
    },
    {
      name: '@SECLEVEL=1 matters with OpenSSL 3 only',
      code: 'tls_high_cipherlist = HIGH:@SECLEVEL=1\n',
      errors: [{ messageId: 'seclevel', data: { level: 1 }, includes: 'legacy sigalg' }],
      output: null,
    },
    {
      name: '@SECLEVEL=1 with OpenSSL 1.1.1 is only a changed list',
      code: 'tls_high_cipherlist = HIGH:@SECLEVEL=1\n',
      opensslVersion: 1,
      errors: [{ messageId: 'changed', severity: 'info' }],
      output: null,
    },
    {
      name: 'changed high list: info',
      code: 'tls_high_cipherlist = ECDHE+AESGCM\n',
      errors: [{ messageId: 'changed', line: 1, severity: 'info', data: { default: '"aNULL:-aNULL:HIGH:@STRENGTH"' } }],
      output: null,
    },
    {
      name: 'low list on 3.9 is ignored',
      code: 'tls_low_cipherlist = HIGH\n',
      version: '3.9',
      errors: [{ messageId: 'changed', includes: 'ignored' }],
      output: null,
    },
  ],
});
