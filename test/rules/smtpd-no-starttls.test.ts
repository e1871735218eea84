import rule from '../../rules/smtpd-no-starttls.js';
import { CERT, STOCK_MASTER, SUBMISSION, runServerRuleCases } from '../support/server-rule-tester.js';

runServerRuleCases(rule, {
  valid: [
    { name: 'level may', main: `${CERT}smtpd_tls_security_level = may\n`, master: STOCK_MASTER },
    { name: 'legacy smtpd_use_tls = yes', main: `${CERT}smtpd_use_tls = yes\n`, master: STOCK_MASTER },
    { name: 'loopback-only host', main: 'inet_interfaces = loopback-only\n', master: STOCK_MASTER },
    { name: 'a lone main.cf that leaves smtpd alone (maybe a null client)', main: 'smtp_tls_security_level = may\n' },
    { name: 'only a local content-filter smtpd without TLS', main: `${CERT}smtpd_tls_security_level = may\n`, master: `${STOCK_MASTER}127.0.0.1:10025 inet n - n - - smtpd\n  -o smtpd_tls_security_level=none\n` },
  ],
  invalid: [
    {
      name: 'no TLS settings at all (stock main.cf): no certificate, so no fix',
      main: 'myhostname = mx.example.org\n',
      master: STOCK_MASTER,
      errors: [{ messageId: 'none', file: 'main.cf', line: 1, severity: 'warning', includes: ['smtp (port 25)', 'give smtpd a certificate', 'smtpd_use_tls = no (default)'] }],
      output: null,
    },
    {
      name: 'a lone main.cf with smtpd settings but no TLS: the stock master.cf is assumed',
      main: 'smtpd_sasl_auth_enable = no\n',
      errors: [{ messageId: 'none', includes: 'stock one assumed' }],
      output: null,
    },
    {
      name: 'level none with a certificate: set may',
      main: `${CERT}smtpd_tls_security_level = none\n`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'none', line: 3, fixKind: 'safe' }],
      output: { main: `${CERT}smtpd_tls_security_level = may\n` },
    },
    {
      name: 'submission forced to none with -o',
      main: `${CERT}smtpd_tls_security_level = may\n`,
      master: STOCK_MASTER + SUBMISSION.replace('encrypt', 'none'),
      errors: [{ messageId: 'none', file: 'master.cf', line: 8, includes: 'service submission/inet:' }],
      output: { master: STOCK_MASTER + SUBMISSION.replace('encrypt', 'may') },
    },
  ],
});
