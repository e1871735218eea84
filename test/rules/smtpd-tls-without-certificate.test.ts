import rule from '../../rules/smtpd-tls-without-certificate.js';
import { CERT, STOCK_MASTER, SUBMISSIONS, runServerRuleCases } from '../support/server-rule-tester.js';

runServerRuleCases(rule, {
  valid: [
    { name: 'certificate and wrapper mode', main: `${CERT}smtpd_tls_security_level = may\n`, master: STOCK_MASTER + SUBMISSIONS },
    { name: 'chain files', main: 'smtpd_tls_chain_files = /etc/postfix/key.pem, /etc/postfix/fullchain.pem\nsmtpd_tls_security_level = may\n', master: STOCK_MASTER },
    { name: 'no TLS offered', main: 'smtpd_tls_security_level = none\n', master: STOCK_MASTER },
    { name: 'cert file = none is deliberate', main: 'smtpd_tls_cert_file = none\nsmtpd_tls_security_level = may\n', master: STOCK_MASTER },
  ],
  invalid: [
    {
      name: 'wrapper mode without certificate',
      main: 'smtpd_tls_security_level = none\n',
      master: STOCK_MASTER + SUBMISSIONS,
      errors: [{ messageId: 'wrapper', file: 'main.cf', line: 1, severity: 'error', includes: 'submissions (port 465)' }],
      output: null,
    },
    {
      name: 'STARTTLS announced without certificate',
      main: 'smtpd_tls_security_level = may\n',
      master: STOCK_MASTER,
      errors: [{ messageId: 'starttls', severity: 'warning', includes: ['smtp (port 25)', '454'] }],
      output: null,
    },
    {
      // Corpus template 23 (Dockerfile: postconf -e "smtpd_tls_security_level = encrypt", no certificate).
      name: 'TLS required without certificate: nothing arrives, not "plaintext"',
      main: 'smtpd_use_tls = yes\nsmtpd_tls_security_level = encrypt\n',
      master: STOCK_MASTER,
      errors: [{ messageId: 'required', severity: 'error', includes: ['smtp (port 25)', 'nothing arrives'] }],
      output: null,
    },
    {
      name: 'wrapper mode in an -o service whose own certificate setting is empty',
      main: `${CERT}smtpd_tls_security_level = may\n`,
      master: STOCK_MASTER + SUBMISSIONS + '  -o smtpd_tls_cert_file=\n',
      errors: [{ messageId: 'wrapper', file: 'master.cf', line: 10, includes: 'service submissions/inet:' }],
      output: null,
    },
  ],
});
