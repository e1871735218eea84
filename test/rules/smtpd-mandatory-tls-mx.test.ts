import rule from '../../rules/smtpd-mandatory-tls-mx.js';
import { CERT, STOCK_MASTER, SUBMISSION, runServerRuleCases } from '../support/server-rule-tester.js';

const ENCRYPT = `${CERT}smtpd_tls_security_level = encrypt\n`;

runServerRuleCases(rule, {
  valid: [
    { name: 'level may on the MX', main: `${CERT}smtpd_tls_security_level = may\n`, master: STOCK_MASTER + SUBMISSION },
    { name: 'encrypt only on submission', main: `${CERT}smtpd_tls_security_level = may\n`, master: STOCK_MASTER + SUBMISSION },
    { name: 'encrypt in main.cf, port 25 overridden to may', main: ENCRYPT, master: STOCK_MASTER.replace('smtpd\n', 'smtpd\n  -o smtpd_tls_security_level=may\n') + SUBMISSION },
    { name: 'loopback-only host is no public MX', main: `${ENCRYPT}inet_interfaces = loopback-only\n`, master: STOCK_MASTER },
    { name: 'port-25 listener bound to 127.0.0.1', main: ENCRYPT, master: STOCK_MASTER.replace('smtp      inet', '127.0.0.1:smtp inet') },
    { name: 'no smtpd on port 25 (null client)', main: ENCRYPT, master: STOCK_MASTER.replace('smtp      inet  n       -       y       -       -       smtpd\n', '') },
  ],
  invalid: [
    {
      name: 'encrypt in main.cf: the port-25 entry gets -o may, submission keeps encrypt',
      main: ENCRYPT,
      master: STOCK_MASTER + SUBMISSION,
      errors: [{ messageId: 'required', file: 'main.cf', line: 3, severity: 'error', parameter: 'smtpd_tls_security_level', includes: ['public MX smtp (port 25)', 'RFC 3207'], fixKind: 'interop' }],
      output: { master: STOCK_MASTER.replace('smtpd\n', 'smtpd\n  -o smtpd_tls_security_level=may\n') + SUBMISSION },
    },
    {
      name: 'legacy smtpd_enforce_tls = yes',
      main: `${CERT}smtpd_enforce_tls = yes\n`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'required', line: 3, parameter: 'smtpd_enforce_tls', includes: 'smtpd_enforce_tls = yes' }],
      output: { master: STOCK_MASTER.replace('smtpd\n', 'smtpd\n  -o smtpd_tls_security_level=may\n') },
    },
    {
      name: 'encrypt set with -o on the port-25 entry: found at the -o line, fixed there',
      main: `${CERT}smtpd_tls_security_level = may\n`,
      master: STOCK_MASTER.replace('smtpd\n', 'smtpd\n  -o smtpd_tls_security_level=encrypt\n'),
      errors: [{ messageId: 'required', file: 'master.cf', line: 2, includes: 'service smtp/inet: smtpd requires TLS' }],
      output: { master: STOCK_MASTER.replace('smtpd\n', 'smtpd\n  -o smtpd_tls_security_level=may\n') },
    },
    {
      name: 'behind postscreen: the smtpd pass service is the MX',
      main: ENCRYPT,
      master: 'smtp      inet  n       -       y       -       1       postscreen\nsmtpd     pass  -       -       y       -       -       smtpd\n',
      errors: [{ messageId: 'required', file: 'main.cf', includes: 'smtpd behind postscreen on smtp (port 25)' }],
      output: { master: 'smtp      inet  n       -       y       -       1       postscreen\nsmtpd     pass  -       -       y       -       -       smtpd\n  -o smtpd_tls_security_level=may\n' },
    },
    {
      name: 'no master.cf: the stock one is assumed (warning), main.cf fixed',
      main: ENCRYPT,
      errors: [{ messageId: 'required', file: 'main.cf', severity: 'warning', includes: 'the stock one is assumed' }],
      output: { main: `${CERT}smtpd_tls_security_level = may\n` },
    },
  ],
});
