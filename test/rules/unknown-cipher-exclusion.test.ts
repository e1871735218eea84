import rule from '../../rules/unknown-cipher-exclusion.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: DEBIAN },
    { name: 'common hardening list with names OpenSSL 3 dropped (harmless)', code: 'smtp_tls_exclude_ciphers = aNULL, eNULL, EXPORT, DES, RC4, MD5, PSK, aECDH, EDH-DSS-DES-CBC3-SHA, EDH-RSA-DES-CBC3-SHA\n' },
    { name: 'A+B combinations and colon separators', code: 'smtpd_tls_mandatory_exclude_ciphers = kEDH+aRSA:3DES:SEED\n' },
    { name: 'suite names', code: 'smtp_tls_mandatory_exclude_ciphers = AES128-SHA ECDHE-RSA-AES256-SHA\n' },
    {
      name: 'real suite names OpenSSL 3 no longer builds are harmless to exclude, not typos (either OpenSSL generation)',
      code: 'smtp_tls_exclude_ciphers = ECDHE-RSA-RC4-SHA, DES-CBC3-SHA, ECDHE-RSA-DES-CBC3-SHA, RC4-MD5, KRB5-DES-CBC3-SHA, EXP1024-RC4-SHA, DES-CBC-MD5\n',
    },
    {
      name: 'the same with OpenSSL 1.1.1',
      code: 'smtp_tls_exclude_ciphers = ECDHE-RSA-RC4-SHA, DES-CBC3-SHA, ECDHE-RSA-DES-CBC3-SHA, SEED-SHA, IDEA-CBC-SHA\n',
      opensslVersion: 1,
    },
  ],
  invalid: [
    {
      name: '"!" prefix: session fails; safe fix strips it',
      code: 'smtp_tls_exclude_ciphers = !aNULL, !MD5\n',
      errors: [
        { messageId: 'prefix', line: 1, severity: 'error', data: { token: '"!aNULL"' }, fixKind: 'safe' },
        { messageId: 'prefix', line: 1, severity: 'error', data: { token: '"!MD5"' }, fixKind: null },
      ],
      output: 'smtp_tls_exclude_ciphers = aNULL, MD5\n',
    },
    {
      name: '"!" prefix on a continuation line, CRLF, no final newline',
      code: 'smtpd_tls_exclude_ciphers = aNULL,\r\n    !RC4',
      errors: [{ messageId: 'prefix', line: 1, fixKind: 'safe' }],
      output: 'smtpd_tls_exclude_ciphers = aNULL,\r\n    RC4',
    },
    {
      name: '"@" prefix: no fix',
      code: 'smtp_tls_exclude_ciphers = @STRENGTH\n',
      errors: [{ messageId: 'prefix', line: 1, data: { char: '@' }, fixKind: null }],
      output: null,
    },
    {
      name: 'wrong case, typo, IANA name, TLS 1.3 suite, protocol name',
      code: 'x = 1\nsmtp_tls_exclude_ciphers = sha1 MD5x TLS_RSA_WITH_AES_128_CBC_SHA TLS_AES_128_GCM_SHA256 TLSv1.1\n',
      errors: [
        { messageId: 'unknown', line: 2, data: { token: '"sha1"' }, includes: 'did you mean "SHA1"' },
        { messageId: 'unknown', line: 2, data: { token: '"MD5x"' }, includes: 'did you mean "MD5"' },
        { messageId: 'stdName', line: 2, data: { openssl: 'AES128-SHA' } },
        { messageId: 'tls13', line: 2 },
        { messageId: 'unknown', line: 2, data: { token: '"TLSv1.1"' }, includes: 'smtp_tls_protocols' },
      ],
      output: null,
    },
    {
      name: 'unknown part of an A+B token',
      code: 'lmtp_tls_mandatory_exclude_ciphers = kEDH+aRAS\n',
      errors: [{ messageId: 'unknown', data: { token: '"aRAS"' }, includes: 'aRSA' }],
      output: null,
    },
    {
      name: 'did you mean: never a name the list already has, never another key exchange',
      code: 'smtp_tls_exclude_ciphers = ECDHE-RSA-AES128-SHA, ECDHE-RSA-AES128-SHX, DES-CBC3-SHX\n',
      errors: [
        { messageId: 'unknown', data: { token: '"ECDHE-RSA-AES128-SHX"', suggestion: '' } },
        { messageId: 'unknown', data: { token: '"DES-CBC3-SHX"', suggestion: '; did you mean "DES-CBC3-SHA"?' } },
      ],
      output: null,
    },
    {
      name: 'a typo in the body of a suite name keeps its key exchange in the suggestion',
      code: 'smtp_tls_exclude_ciphers = ECDHE-RSA-DES-CBC3-SHAA\n',
      errors: [{ messageId: 'unknown', data: { token: '"ECDHE-RSA-DES-CBC3-SHAA"', suggestion: '; did you mean "ECDHE-RSA-DES-CBC3-SHA"?' } }],
      output: null,
    },
    {
      name: 'CBC is unknown before OpenSSL 3.0',
      code: 'smtp_tls_exclude_ciphers = CBC\n',
      opensslVersion: 1,
      errors: [{ messageId: 'unknown', includes: 'OpenSSL 3.0' }],
      output: null,
    },
    {
      name: 'a semicolon adds ciphers back',
      code: 'smtp_tls_exclude_ciphers = aNULL;RC4\n',
      errors: [{ messageId: 'syntax', severity: 'warning' }],
      output: null,
    },
  ],
});
