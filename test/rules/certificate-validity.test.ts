import rule from '../../rules/certificate-validity.js';
import { runFileRuleCases } from '../support/file-rule-tester.js';
import { days, standard } from '../support/pki.js';

const CHAIN = 'smtpd_tls_chain_files = /etc/postfix/key.pem, /etc/postfix/fullchain.pem\nsmtpd_tls_security_level = may\n';
const good = (p: Parameters<typeof standard>[0]) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain });

runFileRuleCases(rule, {
  valid: [
    { name: 'a certificate valid for another 90 days', main: CHAIN, files: good },
    { name: 'valid for 60 more days: not yet worth a warning at the default 14 days', main: CHAIN, settings: { now: days(30) }, files: good },
    { name: '--cert-expiry-days 0: no early warning', main: CHAIN, settings: { now: days(85), expiryDays: 0 }, files: good },
    {
      name: 'a sent root that expired is not judged (clients use their own copy)',
      main: CHAIN,
      files: (p) => {
        const s = standard(p);
        const oldRoot = p.issue(null, 'old-root', { cn: 'Old Root', ca: true, start: days(-800), end: days(-10) });
        return { '/etc/postfix/key.pem': s.leaf.keyPem, '/etc/postfix/fullchain.pem': s.fullchain + oldRoot.certPem };
      },
    },
  ],
  invalid: [
    {
      name: 'expired (--now after notAfter)',
      main: CHAIN,
      settings: { now: days(100) },
      files: good,
      errors: [{ messageId: 'expired', line: 1, severity: 'error', related: '/etc/postfix/fullchain.pem', includes: ['The certificate CN=mx.example.org in /etc/postfix/fullchain.pem (presented by smtpd) expired on', 'Opportunistic senders still complete TLS with smtp (port 25', 'refuse to send'] }],
    },
    {
      name: 'not yet valid',
      main: CHAIN,
      settings: { now: days(-5) },
      files: good,
      errors: [{ messageId: 'notYetValid', severity: 'error', includes: 'is not valid before' }],
    },
    {
      name: 'expires within 14 days',
      main: CHAIN,
      settings: { now: days(80) },
      files: good,
      errors: [{ messageId: 'expiring', severity: 'warning', includes: ['expires on', 'day(s). Renew it'] }],
    },
    {
      name: 'an expired intermediate',
      main: CHAIN,
      files: (p) => {
        const s = standard(p);
        const int = p.issue(s.root, 'old-int', { cn: 'Old Intermediate', ca: true, start: days(-400), end: days(-3) });
        const leaf = p.issue(int, 'old-int-leaf', { cn: 'mx.example.org', dns: ['mx.example.org'] });
        return { '/etc/postfix/key.pem': leaf.keyPem, '/etc/postfix/fullchain.pem': leaf.certPem + int.certPem };
      },
      errors: [{ messageId: 'expired', includes: 'The intermediate certificate CN=Old Intermediate in /etc/postfix/fullchain.pem (sent by smtpd with CN=mx.example.org) expired' }],
    },
    {
      name: 'the certificate is judged even when this run may not read the key (a non-root run of a live Debian configuration)',
      main: 'smtpd_tls_cert_file = /etc/ssl/certs/cert.pem\nsmtpd_tls_key_file = /etc/ssl/private/key.pem\nsmtpd_tls_security_level = may\n',
      settings: { now: days(100) },
      files: (p) => ({ '/etc/ssl/certs/cert.pem': standard(p).fullchain, '/etc/ssl/private/key.pem': { unreadable: true, mode: 0o640 } }),
      errors: [{ messageId: 'expired', line: 1, parameter: 'smtpd_tls_cert_file' }],
    },
    {
      name: 'an expired client certificate is a warning',
      main: 'smtp_tls_security_level = may\nsmtp_tls_chain_files = /etc/postfix/client.pem\n',
      settings: { now: days(100) },
      files: (p) => ({ '/etc/postfix/client.pem': standard(p).leaf.keyPem + standard(p).fullchain }),
      errors: [{ messageId: 'expired', line: 2, severity: 'warning', includes: 'presented by smtp(8) as its client certificate' }],
    },
  ],
});
