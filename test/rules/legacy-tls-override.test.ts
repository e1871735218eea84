import rule from '../../rules/legacy-tls-override.js';
import { CERT, STOCK_MASTER, runServerRuleCases } from '../support/server-rule-tester.js';

const SUB = 'submission inet n       -       y       -       -       smtpd\n  -o syslog_name=postfix/submission\n';

runServerRuleCases(rule, {
  valid: [
    { name: 'levels in -o', main: CERT, master: STOCK_MASTER + SUB + '  -o smtpd_tls_security_level=encrypt\n' },
    { name: 'legacy switches in main.cf are legacy-tls-parameters findings', main: `${CERT}smtpd_use_tls = yes\n`, master: STOCK_MASTER },
  ],
  invalid: [
    {
      name: '-o smtpd_enforce_tls=yes becomes -o smtpd_tls_security_level=encrypt',
      main: CERT,
      master: STOCK_MASTER + SUB + '  -o smtpd_enforce_tls=yes\n',
      errors: [{ messageId: 'replace', file: 'master.cf', line: 8, severity: 'warning', parameter: 'smtpd_enforce_tls', includes: ['service submission/inet: -o smtpd_enforce_tls=yes is obsolete', 'level "encrypt"'], fixKind: 'safe' }],
      output: { master: STOCK_MASTER + SUB + '  -o smtpd_tls_security_level=encrypt\n' },
    },
    {
      name: 'both switches: one becomes the level, the other goes',
      main: CERT,
      master: STOCK_MASTER + SUB + '  -o smtpd_use_tls=yes\n  -o smtpd_enforce_tls=yes\n',
      errors: [{ messageId: 'replace', line: 8 }, { messageId: 'replace', line: 9, fixKind: null }],
      output: { master: STOCK_MASTER + SUB + '  -o smtpd_tls_security_level=encrypt\n' },
    },
    {
      name: 'ignored next to a level from main.cf',
      main: `${CERT}smtpd_tls_security_level = may\n`,
      master: STOCK_MASTER + SUB + '  -o smtpd_enforce_tls=yes\n',
      errors: [{ messageId: 'ignored', line: 8, includes: 'smtpd_tls_security_level = may decides' }],
      output: { master: STOCK_MASTER + SUB },
    },
  ],
});
