import rule from '../../rules/certificate-name-mismatch.js';
import { runFileRuleCases } from '../support/file-rule-tester.js';
import { standard, type Pki } from '../support/pki.js';

const CHAIN = 'smtpd_tls_chain_files = /etc/postfix/key.pem, /etc/postfix/chain.pem\nsmtpd_tls_security_level = may\n';
const good = (p: Pki) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/chain.pem': standard(p).fullchain });

function wildcard(p: Pki) {
  const s = standard(p);
  const leaf = p.issue(s.intermediate, 'wildcard', { cn: '*.example.org', dns: ['*.example.org', 'example.org'] });
  return { '/etc/postfix/wild-key.pem': leaf.keyPem, '/etc/postfix/wild.pem': leaf.certPem + s.intermediate.certPem };
}

runFileRuleCases(rule, {
  valid: [
    { name: 'the certificate names myhostname', main: CHAIN + 'myhostname = mx.example.org\n', files: good },
    { name: 'myhostname not set: its default (the system name) is not known offline', main: CHAIN, files: good },
    { name: 'a wildcard certificate covers myhostname', main: 'smtpd_tls_chain_files = /etc/postfix/wild-key.pem, /etc/postfix/wild.pem\nsmtpd_tls_security_level = may\nmyhostname = mx.example.org\n', files: wildcard },
    { name: 'a local-only service is not checked', main: CHAIN + 'myhostname = other.example.net\ninet_interfaces = loopback-only\n', files: good },
    {
      name: 'SNI entries whose certificates name them (a wildcard for .example.org)',
      main: CHAIN + 'myhostname = mx.example.org\ntls_server_sni_maps = texthash:/etc/postfix/sni\n',
      tables: { '/etc/postfix/sni': 'mx.example.org /etc/postfix/key.pem /etc/postfix/chain.pem\n.example.org /etc/postfix/wild-key.pem, /etc/postfix/wild.pem\n' },
      files: (p) => ({ ...good(p), ...wildcard(p) }),
    },
  ],
  invalid: [
    {
      name: 'myhostname is not in the certificate of the public MX',
      main: CHAIN + 'myhostname = mail.example.net\n',
      files: good,
      errors: [{ messageId: 'myhostname', line: 1, severity: 'warning', related: '/etc/postfix/chain.pem', includes: ['does not name myhostname (mail.example.net): it is for mx.example.org', 'smtp (port 25', 'hostname mismatch'] }],
    },
    {
      name: 'an SNI entry with another name\'s certificate',
      main: CHAIN + 'myhostname = mx.example.org\ntls_server_sni_maps = texthash:/etc/postfix/sni\n',
      tables: { '/etc/postfix/sni': '# names\nmail.example.net /etc/postfix/key.pem, /etc/postfix/chain.pem\n' },
      files: good,
      errors: [{ messageId: 'sni', file: 'sni', line: 2, includes: 'The certificate for SNI name "mail.example.net" in /etc/postfix/chain.pem does not cover "mail.example.net"' }],
    },
    {
      name: 'a parent-domain SNI key without a wildcard certificate',
      main: CHAIN + 'tls_server_sni_maps = inline:{ { .example.org = /etc/postfix/key.pem /etc/postfix/chain.pem } }\n',
      files: good,
      errors: [{ messageId: 'sni', file: 'main.cf', line: 3, includes: '".example.org"' }],
    },
  ],
});
