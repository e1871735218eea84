import rule from '../../rules/submission-without-mandatory-tls.js';
import { CERT, STOCK_MASTER, SUBMISSION, runServerRuleCases } from '../support/server-rule-tester.js';

const MAY = `${CERT}smtpd_tls_security_level = may\n`;
const OPTIONAL = SUBMISSION.replace('  -o smtpd_tls_security_level=encrypt\n', '');

runServerRuleCases(rule, {
  valid: [
    { name: 'stock submission', main: MAY, master: STOCK_MASTER + SUBMISSION },
    { name: 'submission without AUTH (e.g. relay for trusted networks)', main: MAY, master: STOCK_MASTER + 'submission inet n - y - - smtpd\n' },
    { name: 'no master.cf: no submission assumed', main: `${MAY}smtpd_sasl_auth_enable = yes\n` },
    { name: 'legacy -o smtpd_enforce_tls=yes requires TLS while the level is empty', main: CERT, master: STOCK_MASTER + OPTIONAL + '  -o smtpd_enforce_tls=yes\n' },
  ],
  invalid: [
    {
      name: 'submission with AUTH inherits level may',
      main: MAY,
      master: STOCK_MASTER + OPTIONAL,
      errors: [{ messageId: 'optional', file: 'master.cf', line: 8, severity: 'warning', includes: ['submission (port 587)', 'level may'], fixKind: 'safe' }],
      output: { master: STOCK_MASTER + OPTIONAL + '  -o smtpd_tls_security_level=encrypt\n' },
    },
    {
      name: 'submission explicitly at may: the -o value changes',
      main: MAY,
      master: STOCK_MASTER + SUBMISSION.replace('=encrypt', '=may'),
      errors: [{ messageId: 'optional', file: 'master.cf', line: 8 }],
      output: { master: STOCK_MASTER + SUBMISSION },
    },
    {
      name: 'SASL from main.cf, submission inherits both: no certificate, so no fix',
      main: 'smtpd_tls_security_level = may\nsmtpd_sasl_auth_enable = yes\n',
      master: STOCK_MASTER + 'submission inet n - y - - smtpd\n',
      errors: [{ messageId: 'optional', file: 'main.cf', line: 1 }],
      output: null,
    },
  ],
});
