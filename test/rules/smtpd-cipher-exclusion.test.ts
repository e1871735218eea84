import rule from '../../rules/smtpd-cipher-exclusion.js';
import { CERT, STOCK_MASTER, SUBMISSION, runServerRuleCases } from '../support/server-rule-tester.js';

const MAY = `${CERT}smtpd_tls_security_level = may\n`;

runServerRuleCases(rule, {
  valid: [
    { name: 'no exclusions', main: MAY, master: STOCK_MASTER },
    { name: 'exclusions of dead weight (no client needs them)', main: `${MAY}smtpd_tls_exclude_ciphers = aNULL, eNULL, RC4, 3DES, MD5\n`, master: STOCK_MASTER },
    { name: 'no TLS offered', main: `smtpd_tls_security_level = none\nsmtpd_tls_exclude_ciphers = SHA1\n`, master: STOCK_MASTER },
    { name: 'mandatory exclusions are not read at may', main: `${MAY}smtpd_tls_mandatory_exclude_ciphers = SHA1\n`, master: STOCK_MASTER },
  ],
  invalid: [
    {
      name: 'SHA1 on the MX: the TLS 1.0 Exchange sender loses TLS',
      main: `${MAY}smtpd_tls_exclude_ciphers = SHA1\n`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'costly', file: 'main.cf', line: 4, severity: 'warning', includes: ['every suite TLS 1.0 and 1.1 can use', 'exchange-2010-ws2008r2'] }],
      output: null,
    },
    {
      // Corpus 002 (docker-mailserver): the protocol lists already refuse TLS 1.0/1.1, so removing SHA1 alone
      // restores none of the clients it blames; the protocol-floor finding carries the warning for them.
      name: 'SHA1 under a TLS 1.2 floor: the clients are named, the remedy is checked, info',
      main: `${MAY}smtpd_tls_protocols = !SSLv2,!SSLv3,!TLSv1,!TLSv1.1\nsmtpd_tls_mandatory_protocols = !SSLv2,!SSLv3,!TLSv1,!TLSv1.1\nsmtpd_tls_exclude_ciphers = aNULL, SEED, CAMELLIA, RSA+AES, SHA1\n`,
      master: STOCK_MASTER,
      errors: [
        { messageId: 'alsoRefused', severity: 'info', includes: ['excludes SHA1', 'exchange-2010-ws2008r2', 'removing SHA1 alone gives none of them TLS back'] },
      ],
      output: null,
    },
    {
      name: 'kRSA on submission: the printer loses TLS',
      main: MAY,
      master: STOCK_MASTER + SUBMISSION + '  -o smtpd_tls_mandatory_exclude_ciphers=kRSA\n',
      errors: [{ messageId: 'costly', file: 'master.cf', line: 10, includes: ['service submission/inet:', 'printer-tls10'] }],
      output: null,
    },
    {
      name: 'aRSA with an RSA certificate: only TLS 1.3 is left',
      main: `${MAY}smtpd_tls_exclude_ciphers = aRSA\n`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'keyType', severity: 'error', includes: 'RSA certificate' }],
      output: null,
    },
    {
      name: 'CBC with no profile affected is info',
      main: `${MAY}smtpd_tls_exclude_ciphers = CBC\n`,
      master: STOCK_MASTER,
      clients: [],
      errors: [{ messageId: 'costly', severity: 'info', includes: 'None of the client profiles checked is affected' }],
      output: null,
    },
  ],
});
