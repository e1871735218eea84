import rule from '../../rules/self-signed-certificate.js';
import { runFileRuleCases } from '../support/file-rule-tester.js';
import { standard, type Pki } from '../support/pki.js';
import { STOCK_MASTER, SUBMISSION } from '../support/server-rule-tester.js';

const CERT = 'smtpd_tls_cert_file = /etc/postfix/cert.pem\nsmtpd_tls_key_file = /etc/postfix/key.pem\nsmtpd_tls_security_level = may\n';
const selfSigned = (p: Pki) => {
  const c = p.issue(null, 'self', { cn: 'mx.example.org', dns: ['mx.example.org'] });
  return { '/etc/postfix/key.pem': c.keyPem, '/etc/postfix/cert.pem': c.certPem };
};

runFileRuleCases(rule, {
  valid: [
    { name: 'a CA-issued certificate on the public MX', main: CERT, files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/cert.pem': standard(p).fullchain }) },
    { name: 'a self-signed certificate on a local-only smtpd', main: CERT + 'inet_interfaces = loopback-only\n', files: selfSigned },
  ],
  invalid: [
    {
      name: 'a self-signed certificate on the public MX (info)',
      main: CERT,
      files: selfSigned,
      errors: [{ messageId: 'publicMx', line: 1, severity: 'info', related: '/etc/postfix/cert.pem', includes: ['present(s) a self-signed certificate (CN=mx.example.org)', 'Opportunistic senders still use TLS', 'MTA-STS enforce'] }],
    },
    {
      name: "Debian's snakeoil certificate",
      main: 'smtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem\nsmtpd_tls_key_file = /etc/ssl/private/ssl-cert-snakeoil.key\nsmtpd_tls_security_level = may\n',
      files: (p) => {
        const c = p.issue(null, 'snakeoil', { cn: 'debian', dns: ['debian'] });
        return { '/etc/ssl/private/ssl-cert-snakeoil.key': c.keyPem, '/etc/ssl/certs/ssl-cert-snakeoil.pem': c.certPem };
      },
      errors: [{ messageId: 'publicMx', includes: "Debian's snakeoil certificate" }],
    },
    {
      name: 'submission with a self-signed certificate (warning)',
      main: CERT,
      master: STOCK_MASTER + SUBMISSION,
      files: selfSigned,
      errors: [
        { messageId: 'publicMx', severity: 'info' },
        { messageId: 'submission', severity: 'warning', includes: ['submission (port 587)', 'Mail clients verify'] },
      ],
    },
  ],
});
