import { test } from 'node:test';
import assert from 'node:assert/strict';
import { havePostconf, NO_POSTCONF, postconf, removeDir, tempConfigDir } from '../support/postfix.js';
import rule from '../../rules/legacy-tls-parameters.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN_DEFAULT } from '../support/debian.js';


// Debian 10 and older shipped the legacy switch.
const OLD_DEBIAN = [
  'smtpd_tls_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem',
  'smtpd_tls_key_file=/etc/ssl/private/ssl-cert-snakeoil.key',
  'smtpd_use_tls=yes',
  'smtpd_tls_session_cache_database = btree:${data_directory}/smtpd_scache',
  'smtp_tls_session_cache_database = btree:${data_directory}/smtp_scache',
  '',
].join('\n');

runRuleCases(rule, {
  valid: [
    { name: "Debian's default TLS block", code: DEBIAN_DEFAULT },
    'smtp_tls_security_level = encrypt\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n',
    { name: 'an empty per-site table is harmless', code: 'smtp_tls_per_site =\n' },
    { name: 'invalid booleans are fatal and another rule\'s finding', code: 'smtp_use_tls = maybe\n' },
  ],
  invalid: [
    {
      name: "old Debian's smtpd_use_tls = yes becomes smtpd_tls_security_level = may in place",
      code: OLD_DEBIAN,
      errors: [{ messageId: 'replace', line: 3, severity: 'warning', parameter: 'smtpd_use_tls', data: { level: 'may', levelParam: 'smtpd_tls_security_level' }, fixKind: 'safe' }],
      output: OLD_DEBIAN.replace('smtpd_use_tls=yes', 'smtpd_tls_security_level=may'),
    },
    {
      name: 'legacy client pair: first line renamed, the other removed; CRLF kept',
      code: 'smtp_use_tls = yes\r\nmyhostname = mx\r\nsmtp_enforce_tls = yes\r\n',
      errors: [
        { messageId: 'replace', line: 1, data: { level: 'verify', because: 'smtp_enforce_tls = yes (line 3) with smtp_tls_enforce_peername = yes (default)' }, fixKind: 'safe' },
        { messageId: 'replace', line: 3, data: { level: 'verify' }, fixKind: null },
      ],
      output: 'smtp_tls_security_level = verify\r\nmyhostname = mx\r\n',
    },
    {
      name: 'enforce without peer name check is encrypt; no final newline',
      code: 'smtp_enforce_tls = yes\nsmtp_tls_enforce_peername = no',
      errors: [
        { messageId: 'replace', line: 1, data: { level: 'encrypt' }, includes: '3.9' },
        { messageId: 'replace', line: 2, data: { level: 'encrypt' }, includes: '3.11' },
      ],
      output: 'smtp_tls_security_level = encrypt\n',
    },
    {
      name: 'only smtp_use_tls = no: the equivalent is none',
      code: 'smtp_use_tls = no\n',
      errors: [{ messageId: 'replace', line: 1, data: { level: 'none', because: 'smtp_use_tls = no (line 1)' } }],
      output: 'smtp_tls_security_level = none\n',
    },
    {
      name: 'an empty level line is filled in and the switches removed',
      code: 'smtp_tls_security_level =\nsmtp_use_tls = yes\n',
      errors: [{ messageId: 'replace', line: 2, data: { level: 'may' } }],
      output: 'smtp_tls_security_level = may\n',
    },
    {
      name: 'switches next to a level are ignored and removed, duplicates too',
      code: 'smtp_use_tls = yes\nsmtp_tls_security_level = may\nsmtp_enforce_tls = yes\nsmtp_use_tls = yes\n',
      errors: [
        { messageId: 'ignored', line: 3, parameter: 'smtp_enforce_tls', data: { levelSetting: 'smtp_tls_security_level = may (line 2)' } },
        { messageId: 'ignored', line: 4, parameter: 'smtp_use_tls' },
      ],
      output: 'smtp_tls_security_level = may\n',
    },
    {
      name: 'server switches next to a level',
      code: 'smtpd_tls_security_level = may\nsmtpd_enforce_tls = yes\n',
      errors: [{ messageId: 'ignored', line: 2, data: { levelSetting: 'smtpd_tls_security_level = may (line 1)' } }],
      output: 'smtpd_tls_security_level = may\n',
    },
    {
      name: 'Postfix 3.11 at compatibility_level 3.11: the default level may wins over smtp_enforce_tls',
      code: 'compatibility_level = 3.11\nsmtp_enforce_tls = yes\n',
      version: '3.11',
      errors: [{ messageId: 'ignored', line: 2, data: { levelSetting: 'smtp_tls_security_level = may (default)' }, includes: 'postconf warns' }],
      output: 'compatibility_level = 3.11\n',
    },
    {
      name: 'Postfix 3.7: the deprecation warning is still to come',
      code: 'smtpd_enforce_tls = yes\n',
      errors: [{ messageId: 'replace', line: 1, data: { level: 'encrypt' }, includes: 'Postfix 3.9 and later warn' }],
      output: 'smtpd_tls_security_level = encrypt\n',
    },
    {
      name: 'LMTP twins',
      code: 'lmtp_use_tls = yes\n',
      errors: [{ messageId: 'replace', parameter: 'lmtp_use_tls', data: { levelParam: 'lmtp_tls_security_level', level: 'may' } }],
      output: 'lmtp_tls_security_level = may\n',
    },
    {
      name: 'smtp_tls_per_site alone: move to smtp_tls_policy_maps, no fix',
      code: 'smtp_tls_security_level = may\nsmtp_tls_per_site = hash:/etc/postfix/tls_per_site\n',
      errors: [{ messageId: 'perSite', line: 2, parameter: 'smtp_tls_per_site', fixKind: null }],
      output: null,
    },
    {
      name: 'smtp_tls_per_site next to smtp_tls_policy_maps is ignored',
      code: 'smtp_tls_policy_maps = hash:/etc/postfix/tls_policy\nsmtp_tls_per_site = hash:/etc/postfix/tls_per_site\n',
      errors: [{ messageId: 'perSiteIgnored', line: 2, includes: 'smtp_tls_per_site ignored when smtp_tls_policy_maps is not empty' }],
      output: null,
    },
  ],
});

// Oracle: postconf 3.7 knows every switch the rule handles, with the defaults the equivalence table assumes.
test('legacy-tls-parameters: postconf 3.7 defaults of the obsolete switches', (t) => {
  if (!havePostconf()) return t.skip(NO_POSTCONF);
  const names = ['smtp_use_tls', 'smtp_enforce_tls', 'smtp_tls_enforce_peername', 'lmtp_use_tls', 'lmtp_enforce_tls', 'lmtp_tls_enforce_peername', 'smtpd_use_tls', 'smtpd_enforce_tls', 'smtp_tls_per_site', 'lmtp_tls_per_site'];
  const dir = tempConfigDir({ 'main.cf': '', 'master.cf': '' });
  try {
    const r = postconf(dir, ['-d', ...names]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', 'no unknown-parameter warnings');
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'smtp_use_tls = no',
      'smtp_enforce_tls = no',
      'smtp_tls_enforce_peername = yes',
      'lmtp_use_tls = no',
      'lmtp_enforce_tls = no',
      'lmtp_tls_enforce_peername = yes',
      'smtpd_use_tls = no',
      'smtpd_enforce_tls = no',
      'smtp_tls_per_site =',
      'lmtp_tls_per_site =',
    ]);
  } finally {
    removeDir(dir);
  }
});
