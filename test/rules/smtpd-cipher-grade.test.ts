import rule from '../../rules/smtpd-cipher-grade.js';
import { CERT, STOCK_MASTER, SUBMISSION, runServerRuleCases } from '../support/server-rule-tester.js';

const MAY = `${CERT}smtpd_tls_security_level = may\n`;

runServerRuleCases(rule, {
  valid: [
    { name: 'defaults', main: MAY, master: STOCK_MASTER },
    { name: 'high where TLS is mandatory', main: `${MAY}smtpd_tls_mandatory_ciphers = high\n`, master: STOCK_MASTER + SUBMISSION },
    { name: 'no master.cf: a mandatory grade may serve an unknown submission entry', main: `${MAY}smtpd_tls_mandatory_ciphers = high\n` },
  ],
  invalid: [
    {
      name: 'high at level may on the public MX',
      main: `${MAY}smtpd_tls_ciphers = high\n`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'high', file: 'main.cf', line: 4, severity: 'info', fixKind: 'interop' }],
      output: { main: `${MAY}smtpd_tls_ciphers = medium\n` },
    },
    {
      name: 'a mandatory grade no service reads',
      main: `${MAY}smtpd_tls_mandatory_ciphers = high\n`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'notRead', line: 4, severity: 'info', includes: 'every smtpd runs at level may or none' }],
      output: null,
    },
    {
      name: 'an opportunistic grade while every service requires TLS',
      main: `${CERT}smtpd_tls_security_level = encrypt\nsmtpd_tls_ciphers = high\n`,
      master: 'submission inet n - y - - smtpd\n',
      errors: [{ messageId: 'notRead', line: 4, includes: 'every smtpd requires TLS' }],
      output: null,
    },
  ],
});
