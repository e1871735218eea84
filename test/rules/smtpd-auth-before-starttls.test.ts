import rule from '../../rules/smtpd-auth-before-starttls.js';
import { CERT, STOCK_MASTER, SUBMISSION, SUBMISSIONS, runServerRuleCases } from '../support/server-rule-tester.js';

const MAY = `${CERT}smtpd_tls_security_level = may\n`;

runServerRuleCases(rule, {
  valid: [
    { name: 'no SASL anywhere', main: MAY, master: STOCK_MASTER },
    { name: 'stock submission (encrypt implies auth_only) and submissions (wrapper mode)', main: MAY, master: STOCK_MASTER + SUBMISSION + SUBMISSIONS },
    { name: 'auth_only set', main: `${MAY}smtpd_sasl_auth_enable = yes\nsmtpd_tls_auth_only = yes\n`, master: STOCK_MASTER },
    { name: 'AUTH on a loopback-only content-filter smtpd', main: MAY, master: `${STOCK_MASTER}127.0.0.1:10025 inet n - n - - smtpd\n  -o smtpd_sasl_auth_enable=yes\n  -o smtpd_tls_security_level=none\n` },
  ],
  invalid: [
    {
      name: 'SASL in main.cf at level may: AUTH before STARTTLS on port 25',
      main: `${MAY}smtpd_sasl_auth_enable = yes\n`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'beforeStarttls', file: 'main.cf', line: 4, severity: 'warning', parameter: 'smtpd_tls_auth_only', includes: 'smtp (port 25)', fixKind: 'safe' }],
      output: { main: `${MAY}smtpd_sasl_auth_enable = yes\nsmtpd_tls_auth_only = yes\n` },
    },
    {
      name: 'submission at may with -o SASL: found and fixed at the service',
      main: MAY,
      master: STOCK_MASTER + SUBMISSION.replace('encrypt', 'may'),
      errors: [{ messageId: 'beforeStarttls', file: 'master.cf', line: 9, includes: 'service submission/inet:' }],
      output: { master: STOCK_MASTER + SUBMISSION.replace('encrypt', 'may') + '  -o smtpd_tls_auth_only=yes\n' },
    },
    {
      name: 'AUTH without any TLS is an error with no fix',
      main: 'smtpd_sasl_auth_enable = yes\n',
      master: STOCK_MASTER,
      errors: [{ messageId: 'noTls', file: 'main.cf', line: 1, severity: 'error', includes: 'without any TLS' }],
      output: null,
    },
    {
      name: 'explicit auth_only = no',
      main: `${MAY}smtpd_sasl_auth_enable = yes\nsmtpd_tls_auth_only = no\n`,
      errors: [{ messageId: 'beforeStarttls', line: 5 }],
      output: { main: `${MAY}smtpd_sasl_auth_enable = yes\nsmtpd_tls_auth_only = yes\n` },
    },
  ],
});
