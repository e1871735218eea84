import rule from '../../rules/ca-file-without-ca.js';
import { runFileRuleCases } from '../support/file-rule-tester.js';
import { standard } from '../support/pki.js';

runFileRuleCases(rule, {
  valid: [
    { name: 'a CAfile with the root', main: 'smtp_tls_security_level = verify\nsmtp_tls_CAfile = /etc/ssl/ca.pem\n', files: (p) => ({ '/etc/ssl/ca.pem': standard(p).root.certPem }) },
    { name: 'a CApath with hash links', main: 'smtp_tls_security_level = may\nsmtp_tls_CApath = /etc/ssl/certs\n', files: (p) => ({ '/etc/ssl/certs': { directory: { 'root.pem': standard(p).root.certPem, '1a2b3c4d.0': standard(p).root.certPem } } }) },
    { name: 'a missing CApath of a repository copy (not live)', main: 'smtp_tls_security_level = may\nsmtp_tls_CApath = /etc/ssl/certs\n', files: () => ({ '/etc/ssl/certs': { missing: true } }) },
    {
      name: 'a trust-anchor file with the server certificate (DANE-EE style)',
      main: 'smtp_tls_security_level = may\nsmtp_tls_policy_maps = texthash:/etc/postfix/tls_policy\n',
      tables: { '/etc/postfix/tls_policy': 'example.com secure tafile=/etc/postfix/ta.pem\n' },
      files: (p) => ({ '/etc/postfix/ta.pem': standard(p).leaf.certPem }),
    },
  ],
  invalid: [
    {
      name: 'the client CAfile holds only a server certificate, at level verify',
      main: 'smtp_tls_security_level = verify\nsmtp_tls_CAfile = /etc/ssl/ca.pem\n',
      files: (p) => ({ '/etc/ssl/ca.pem': standard(p).leaf.certPem }),
      errors: [{ messageId: 'caFile', line: 2, severity: 'error', related: '/etc/ssl/ca.pem', includes: ['holds no CA certificate, only one end-entity certificate (CN=mx.example.org)', 'Server certificate not verified'] }],
    },
    {
      name: 'the same at level may is a warning',
      main: 'smtp_tls_security_level = may\nsmtp_tls_CAfile = /etc/ssl/ca.pem\n',
      files: (p) => ({ '/etc/ssl/ca.pem': standard(p).leaf.certPem }),
      errors: [{ messageId: 'caFile', severity: 'warning', includes: 'Untrusted TLS connection established' }],
    },
    {
      name: "smtpd's CAfile with its own leaf: client certificates are never trusted",
      main: 'smtpd_tls_security_level = may\nsmtpd_tls_chain_files = /etc/postfix/chain.pem\nsmtpd_tls_CAfile = /etc/postfix/chain.pem\n',
      files: (p) => ({ '/etc/postfix/chain.pem': standard(p).leaf.keyPem + standard(p).leaf.certPem }),
      errors: [{ messageId: 'caFile', line: 3, includes: 'cannot verify any client certificate' }],
    },
    {
      name: 'a CApath that does not exist (live)',
      main: 'smtp_tls_security_level = may\nsmtp_tls_CApath = /etc/ssl/nowhere\n',
      settings: { live: true },
      files: () => ({ '/etc/ssl/nowhere': { missing: true } }),
      errors: [{ messageId: 'caPathMissing', line: 2 }],
    },
    {
      name: 'a CApath without hash links',
      main: 'smtp_tls_security_level = may\nsmtp_tls_CApath = /etc/ssl/mycas\n',
      files: (p) => ({ '/etc/ssl/mycas': { directory: { 'root.pem': standard(p).root.certPem, 'int.crt': standard(p).intermediate.certPem } } }),
      errors: [{ messageId: 'noHashLinks', includes: ['none of its 2 certificate file(s)', 'openssl rehash /etc/ssl/mycas'] }],
    },
    {
      name: 'an empty CApath',
      main: 'smtp_tls_security_level = may\nsmtp_tls_CApath = /etc/ssl/empty\n',
      files: () => ({ '/etc/ssl/empty': { directory: {} } }),
      errors: [{ messageId: 'caPathEmpty' }],
    },
    {
      name: 'CApath names a file',
      main: 'smtp_tls_security_level = may\nsmtp_tls_CApath = /etc/ssl/certs/ca-certificates.crt\n',
      files: (p) => ({ '/etc/ssl/certs/ca-certificates.crt': standard(p).root.certPem }),
      errors: [{ messageId: 'caPathNotDirectory', includes: 'not a directory' }],
    },
    {
      name: 'hash links to server certificates only',
      main: 'smtp_tls_security_level = may\nsmtp_tls_CApath = /etc/ssl/leafs\n',
      files: (p) => ({ '/etc/ssl/leafs': { directory: { '0badbeef.0': standard(p).leaf.certPem } } }),
      errors: [{ messageId: 'caPathNoCa', includes: '1 hash link(s)' }],
    },
    {
      name: 'a trust-anchor file with a private key only',
      main: 'smtp_tls_security_level = may\nsmtp_tls_policy_maps = texthash:/etc/postfix/tls_policy\n',
      tables: { '/etc/postfix/tls_policy': 'example.com secure tafile=/etc/postfix/ta.pem\n' },
      files: (p) => ({ '/etc/postfix/ta.pem': standard(p).leaf.keyPem }),
      errors: [{ messageId: 'trustAnchors', file: 'tls_policy', severity: 'error', includes: 'PRIVATE KEY' }],
    },
  ],
});
