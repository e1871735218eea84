import rule from '../../rules/weak-certificate.js';
import { runFileRuleCases } from '../support/file-rule-tester.js';
import { days, standard, type IssueOptions, type Pki } from '../support/pki.js';

const CHAIN = 'smtpd_tls_chain_files = /etc/postfix/key.pem, /etc/postfix/chain.pem\nsmtpd_tls_security_level = may\n';

function leafWith(p: Pki, name: string, o: Partial<IssueOptions>) {
  const s = standard(p);
  const leaf = p.issue(s.intermediate, name, { cn: 'mx.example.org', dns: ['mx.example.org'], ...o });
  return { '/etc/postfix/key.pem': leaf.keyPem, '/etc/postfix/chain.pem': leaf.certPem + s.intermediate.certPem };
}

runFileRuleCases(rule, {
  valid: [
    { name: 'RSA 2048, SHA-256', main: CHAIN, files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/chain.pem': standard(p).fullchain }) },
    { name: 'ECDSA P-256', main: CHAIN, files: (p) => ({ '/etc/postfix/key.pem': standard(p).ecLeaf.keyPem, '/etc/postfix/chain.pem': standard(p).ecFullchain }) },
    { name: 'ECDSA P-384 and RSA 3072', main: CHAIN, files: (p) => leafWith(p, 'p384', { key: 'ec:P-384' }) },
    {
      name: 'a sent root with a SHA-1 self-signature (nobody checks a root\'s own signature)',
      main: CHAIN,
      files: (p) => {
        const root = p.issue(null, 'sha1-root', { cn: 'Old SHA-1 Root', ca: true, digest: 'sha1', freshKey: true, start: days(-10), end: days(900) });
        const leaf = p.issue(root, 'under-sha1-root', { cn: 'mx.example.org', dns: ['mx.example.org'] });
        return { '/etc/postfix/key.pem': leaf.keyPem, '/etc/postfix/chain.pem': leaf.certPem + root.certPem };
      },
    },
  ],
  invalid: [
    {
      name: 'RSA 1024-bit key',
      main: CHAIN,
      files: (p) => leafWith(p, 'rsa1024', { key: 'rsa:1024' }),
      errors: [{ messageId: 'key', severity: 'warning', related: '/etc/postfix/chain.pem', includes: ['has a weak RSA 1024-bit key', 'security level 2 and above', 'key too weak', 'opportunistic TLS) still use it'] }],
    },
    {
      name: 'SHA-1 signature',
      main: CHAIN,
      files: (p) => leafWith(p, 'sha1', { digest: 'sha1' }),
      errors: [{ messageId: 'signature', includes: ['sha1WithRSAEncryption signature', 'security level 1 and above', 'CA signature digest algorithm too weak'] }],
    },
    {
      name: 'MD5 signature',
      main: CHAIN,
      files: (p) => leafWith(p, 'md5', { digest: 'md5' }),
      errors: [{ messageId: 'signature', includes: 'md5WithRSAEncryption signature' }],
    },
    {
      name: 'ECDSA P-224',
      main: CHAIN,
      files: (p) => leafWith(p, 'p224', { key: 'ec:P-224' }),
      errors: [{ messageId: 'key', includes: ['ECDSA 224-bit key (secp224r1)', 'offer no signature algorithm'] }],
    },
    {
      name: 'an intermediate signed with SHA-1',
      main: CHAIN,
      files: (p) => {
        const s = standard(p);
        const int = p.issue(s.root, 'sha1-int', { cn: 'SHA-1 Intermediate', ca: true, digest: 'sha1', freshKey: true, start: days(-10), end: days(900) });
        const leaf = p.issue(int, 'under-sha1-int', { cn: 'mx.example.org', dns: ['mx.example.org'] });
        return { '/etc/postfix/key.pem': leaf.keyPem, '/etc/postfix/chain.pem': leaf.certPem + int.certPem };
      },
      errors: [{ messageId: 'signature', includes: 'The intermediate certificate CN=SHA-1 Intermediate in /etc/postfix/chain.pem (sent by smtpd with CN=mx.example.org)' }],
    },
  ],
});
