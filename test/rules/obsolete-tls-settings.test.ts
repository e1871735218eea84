import rule from '../../rules/obsolete-tls-settings.js';
import { CERT, STOCK_MASTER, runServerRuleCases } from '../support/server-rule-tester.js';

const MAY = `${CERT}smtpd_tls_security_level = may\n`;

runServerRuleCases(rule, {
  valid: [
    { name: 'nothing obsolete', main: MAY, master: STOCK_MASTER },
    { name: 'eecdh grade still read before 3.6', main: `${MAY}smtpd_tls_eecdh_grade = ultra\n`, version: '3.5' },
    { name: 'dh1024 file = auto', main: `${MAY}smtpd_tls_dh1024_param_file = auto\n` },
    { name: 'a 2048-bit DH file with OpenSSL 1.1.1', main: `${MAY}smtpd_tls_dh1024_param_file = /etc/postfix/dh2048.pem\n`, opensslVersion: 1 },
  ],
  invalid: [
    {
      name: 'eecdh grade, dh512 and the eecdh curves are ignored from 3.6',
      main: `${MAY}smtpd_tls_eecdh_grade = strong\nsmtpd_tls_dh512_param_file = /etc/postfix/dh512.pem\ntls_eecdh_strong_curve = prime256v1\n`,
      errors: [
        { messageId: 'ignored', line: 4, severity: 'warning', includes: ['smtpd_tls_eecdh_grade', 'ignored from Postfix 3.6'], fixKind: 'safe' },
        { messageId: 'ignored', line: 5, includes: 'smtpd_tls_dh512_param_file' },
        { messageId: 'ignored', line: 6 },
      ],
      output: { main: MAY },
    },
    {
      name: 'low cipher list ignored from 3.8',
      main: `${MAY}tls_low_cipherlist = ALL:!EXPORT\n`,
      version: '3.8.0',
      errors: [{ messageId: 'ignored', includes: '3.8' }],
      output: { main: MAY },
    },
    {
      name: 'dh1024 with OpenSSL 3 on 3.7 (info) and on 3.9 (warning)',
      main: `${MAY}smtpd_tls_dh1024_param_file = /etc/postfix/dh2048.pem\n`,
      version: '3.9.1',
      errors: [{ messageId: 'dhOpenssl3', severity: 'warning', includes: 'postconf warns' }],
      output: null,
    },
    {
      name: 'a 4096-bit DH file',
      main: `${MAY}smtpd_tls_dh1024_param_file = /etc/postfix/dh4096.pem\n`,
      errors: [{ messageId: 'dhLarge', severity: 'info', includes: '4096-bit' }],
      output: null,
    },
    {
      name: 'an -o override of the eecdh grade is removed from master.cf',
      main: MAY,
      master: STOCK_MASTER.replace('smtpd\n', 'smtpd\n  -o smtpd_tls_eecdh_grade=ultra\n'),
      errors: [{ messageId: 'ignored', file: 'master.cf', line: 2, includes: 'service smtp/inet:' }],
      output: { master: STOCK_MASTER },
    },
  ],
});
