import rule from '../../rules/unknown-tls-parameter.js';
import { runRuleCases } from '../support/rule-tester.js';


runRuleCases(rule, {
  valid: [
    { name: 'Debian default TLS block', code: DEBIAN },
    { name: 'user-defined name referenced elsewhere is used', code: 'my_tls_grade = high\nsmtp_tls_mandatory_ciphers = $my_tls_grade\n' },
    { name: 'non-TLS unknown names are not this rule', code: 'bogus_param = 1\n' },
    { name: 'queue-manager names of a master.cf service', code: 'smtp-tls_destination_concurrency_limit = 2\n' },
    { name: 'tls_config_file exists in 3.7.11 (backport)', code: 'tls_config_file = none\n' },
    { name: 'smtp_tls_connection_reuse on 3.4', code: 'smtp_tls_connection_reuse = yes\n', version: '3.4' },
    { name: 'legacy names referenced by defaults', code: 'tlsproxy_client_level = may\n' },
  ],
  invalid: [
    {
      name: 'a rename that would switch on a weaker setting is an interop fix, not a safe one',
      code: 'smtp_tls_security_level = may\nsmtp_tls_cipher = export\n',
      errors: [{ messageId: 'unknown', line: 2, includes: 'did you mean smtp_tls_ciphers?', fixKind: 'interop' }],
      output: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = export\n',
    },
    {
      name: 'a misspelt level that would turn server TLS off is an interop fix',
      code: 'smtpd_use_tls = yes\nsmtpd_tls_securty_level = none\n',
      errors: [{ messageId: 'unknown', line: 2, includes: 'did you mean smtpd_tls_security_level?', fixKind: 'interop' }],
      output: 'smtpd_use_tls = yes\nsmtpd_tls_security_level = none\n',
    },
    {
      name: 'typo with an unambiguous suggestion: safe rename',
      code: 'smtp_tls_securty_level = may\n',
      errors: [{ messageId: 'unknown', line: 1, severity: 'warning', includes: 'did you mean smtp_tls_security_level?', fixKind: 'safe' }],
      output: 'smtp_tls_security_level = may\n',
    },
    {
      name: 'wrong case, CRLF, no final newline',
      code: 'a = 1\r\nsmtp_tls_capath = /etc/ssl/certs',
      errors: [{ messageId: 'unknown', line: 2, includes: 'smtp_tls_CApath', fixKind: 'safe' }],
      output: 'a = 1\r\nsmtp_tls_CApath = /etc/ssl/certs',
    },
    {
      name: 'no rename when the target is already set',
      code: 'smtp_tls_security_level = encrypt\nsmtp_tls_securty_level = may\n',
      errors: [{ messageId: 'unknown', line: 2, fixKind: null }],
      output: null,
    },
    {
      name: 'tlsproxy_enable does not exist',
      code: 'tlsproxy_enable = yes\n',
      errors: [{ messageId: 'unknown', includes: 'master.cf' }],
      output: null,
    },
    {
      name: 'truncated name',
      code: 'smtpd_tls_cert = /etc/ssl/certs/x.pem\n',
      errors: [{ messageId: 'unknown', includes: 'smtpd_tls_cert_file', fixKind: null }],
      output: null,
    },
    {
      name: 'smtp_tls_connection_reuse on 3.3',
      code: 'smtp_tls_connection_reuse = yes\n',
      version: '3.3',
      errors: [{ messageId: 'notInVersion', severity: 'error', data: { since: '3.4' } }],
      output: null,
    },
    {
      name: 'smtp_tls_enable_rpk on 3.7',
      code: 'smtp_tls_enable_rpk = yes\n',
      errors: [{ messageId: 'notInVersion', severity: 'error', data: { since: '3.9' } }],
      output: null,
    },
    {
      name: 'tls_legacy_public_key_fingerprints after its removal in 3.11',
      code: 'tls_legacy_public_key_fingerprints = yes\n',
      version: '3.11',
      errors: [{ messageId: 'removed', severity: 'error', data: { until: '3.11' } }],
      output: null,
    },
    {
      name: 'a misspelt TLS name whose nearest known name is not a TLS parameter',
      code: 'smtpd_tls_sasl_auth_enable = yes\n',
      errors: [{ messageId: 'unknown', includes: 'did you mean smtpd_sasl_auth_enable?' }],
      output: 'smtpd_sasl_auth_enable = yes\n',
    },
    {
      name: 'tls_config_file before its 3.5.20 backport',
      code: 'tls_config_file = none\n',
      version: '3.5.10',
      errors: [{ messageId: 'notInVersion', includes: '3.5.20' }],
      output: null,
    },
  ],
});

// Oracle: the local postconf (3.7.11) must report exactly the TLS-looking names this rule flags as unused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintWith } from '../support/rule-tester.js';
import { havePostconf, NO_POSTCONF, postconf, removeDir, tempConfigDir } from '../support/postfix.js';
import { DEBIAN_TLS_BLOCK as DEBIAN } from '../support/debian.js';

test('unknown-tls-parameter agrees with postconf "unused parameter" (3.7.11)', (t) => {
  if (!havePostconf()) return t.skip(NO_POSTCONF);
  const configs = [
    'smtp_tls_securty_level = may\nmy_tls_x = 1\nz = $my_tls_x\nsmtp_tls_enable_rpk = yes\ntlsproxy_enable = yes\n',
    'smtpd_tls_cert = /x\nsmtp_tls_capath = /etc/ssl/certs\ntls_config_file = none\nsmtp_tls_connection_reuse = yes\nbogus = 1\n',
    'lmtp_tls_ssl_thing = 1\nsmtp_tls_CApath = /etc/ssl/certs\ntlsproxy_client_level = may\nsmtp_sasl_tls_security_options = noanonymous\n',
  ];
  for (const code of configs) {
    const dir = tempConfigDir({ 'main.cf': code, 'master.cf': '' });
    try {
      const run = postconf(dir, ['-n']);
      const unused = [...run.stderr.matchAll(/unused parameter: ([^=]+)=/g)].map((m) => m[1]).filter((n) => /tls|ssl/i.test(n));
      const flagged = lintWith(rule, { code }).map((f) => f.parameter);
      assert.deepEqual([...new Set(flagged)].sort(), [...new Set(unused)].sort(), code);
    } finally {
      removeDir(dir);
    }
  }
});
