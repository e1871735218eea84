import { test } from 'node:test';
import assert from 'node:assert/strict';
import { havePostconf, NO_POSTCONF, postconf, removeDir, tempConfigDir } from '../support/postfix.js';
import rule from '../../rules/verify-without-trust-anchors.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN_DEFAULT } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: "Debian's default TLS block", code: DEBIAN_DEFAULT },
    { name: 'Debian block raised to secure keeps its CApath', code: DEBIAN_DEFAULT.replace('smtp_tls_security_level=may', 'smtp_tls_security_level=secure') },
    'smtp_tls_security_level = verify\nsmtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt\n',
    'smtp_tls_security_level = secure\nsmtp_tls_trust_anchor_file = /etc/postfix/relay-ta.pem\n',
    { name: 'CAfile through a $reference', code: 'ca = /etc/ssl/certs/ca-certificates.crt\nsmtp_tls_CAfile = $ca\nsmtp_tls_security_level = verify\n' },
    { name: 'encrypt does not verify', code: 'smtp_tls_security_level = encrypt\n' },
    { name: 'fingerprint and dane do not use CAs', code: 'smtp_tls_security_level = fingerprint\nlmtp_tls_security_level = dane\n' },
    { name: 'legacy enforce without peer name check is encrypt', code: 'smtp_enforce_tls = yes\nsmtp_tls_enforce_peername = no\n' },
    { name: 'no outbound SMTP', code: 'default_transport = error\nsmtp_tls_security_level = verify\n' },
  ],
  invalid: [
    {
      name: 'verify with nothing to trust',
      code: 'smtp_tls_security_level = verify\n',
      errors: [{ messageId: 'noTrustAnchors', line: 1, severity: 'error', parameter: 'smtp_tls_security_level', data: { prefix: 'smtp', appendNote: '', lmtpNote: '' }, includes: 'Server certificate not verified' }],
      output: null,
    },
    {
      name: 'secure to a relay, CAfile set but empty',
      code: 'relayhost = [relay.example.net]\nsmtp_tls_CAfile =\nsmtp_tls_security_level = secure\n',
      errors: [{ messageId: 'noTrustAnchors', line: 3, data: { setting: 'smtp_tls_security_level = secure' } }],
      output: null,
    },
    {
      name: 'tls_append_default_CA = yes does not help when CAfile and CApath are empty',
      code: 'tls_append_default_CA = yes\nsmtp_tls_security_level = verify\n',
      errors: [{ messageId: 'noTrustAnchors', line: 2, includes: 'tls_append_default_CA = yes has no effect' }],
      output: null,
    },
    {
      name: 'legacy smtp_enforce_tls = yes means verify',
      code: 'smtp_enforce_tls = yes\n',
      errors: [{ messageId: 'noTrustAnchors', line: 1, parameter: 'smtp_enforce_tls', includes: 'smtp_enforce_tls = yes (level verify' }],
      output: null,
    },
    {
      name: 'CAfile reference to an empty parameter',
      code: 'smtp_tls_CAfile = $my_ca\nmy_ca =\nsmtp_tls_security_level = verify\n',
      errors: [{ messageId: 'noTrustAnchors', line: 3 }],
      output: null,
    },
    {
      name: 'lmtp_ CA parameters do not inherit the smtp_ ones',
      code: 'smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt\nlmtp_tls_security_level = secure\n',
      errors: [{ messageId: 'noTrustAnchors', line: 2, parameter: 'lmtp_tls_security_level', data: { prefix: 'lmtp' }, includes: 'do not inherit' }],
      output: null,
    },
  ],
});

// Oracle: the defaults the messages rely on (no CA anywhere, lmtp_ not inheriting smtp_).
test('verify-without-trust-anchors: postconf 3.7 defaults behind the message', (t) => {
  if (!havePostconf()) return t.skip(NO_POSTCONF);
  const dir = tempConfigDir({ 'main.cf': '', 'master.cf': '' });
  try {
    const r = postconf(dir, ['-d', 'smtp_tls_CAfile', 'smtp_tls_CApath', 'smtp_tls_trust_anchor_file', 'lmtp_tls_CAfile', 'lmtp_tls_CApath', 'tls_append_default_CA']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'smtp_tls_CAfile =',
      'smtp_tls_CApath =',
      'smtp_tls_trust_anchor_file =',
      'lmtp_tls_CAfile =',
      'lmtp_tls_CApath =',
      'tls_append_default_CA = no',
    ]);
  } finally {
    removeDir(dir);
  }
});
