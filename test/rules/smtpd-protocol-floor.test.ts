import rule from '../../rules/smtpd-protocol-floor.js';
import { findBuiltinClient } from '../../src/interop/clients.js';
import { CERT, STOCK_MASTER, SUBMISSION, runServerRuleCases } from '../support/server-rule-tester.js';

const MAY = `${CERT}smtpd_tls_security_level = may\n`;
const MODERN_ONLY = [findBuiltinClient('exchange-2019-ws2019')!, findBuiltinClient('gmail')!];

// Corpus 031: a >=TLSv1.2 floor, grade high and a custom high list without SHA-1 suites refuse the TLS 1.0 sender together.
const HIGH_NO_SHA = 'tls_high_cipherlist = kEECDH:+kEECDH+SHA:kEDH:+kEDH+SHA:+kEDH+CAMELLIA:kECDH:+kECDH+SHA:kRSA:+kRSA+SHA:+kRSA+CAMELLIA:!aNULL:!eNULL:!SSLv2:!RC4:!MD5:!DES:!EXP:!SEED:!IDEA:!3DES:!SHA\n';
const C031 = `${MAY}smtpd_tls_protocols = >=TLSv1.2, <=TLSv1.3\nsmtpd_tls_ciphers = high\n${HIGH_NO_SHA}`;

runServerRuleCases(rule, {
  valid: [
    { name: 'defaults', main: MAY, master: STOCK_MASTER },
    { name: 'the floor on the mandatory list (used by submission)', main: `${MAY}smtpd_tls_mandatory_protocols = >=TLSv1.2\n`, master: STOCK_MASTER + SUBMISSION },
    { name: 'only SSLv2/SSLv3 excluded', main: `${MAY}smtpd_tls_protocols = !SSLv2, !SSLv3\n`, master: STOCK_MASTER },
    { name: 'floor on a submission service only', main: MAY, master: STOCK_MASTER + SUBMISSION.replace('=encrypt', '=may') + '  -o smtpd_tls_protocols=>=TLSv1.2\n' },
    { name: 'encrypt reads the mandatory list (another rule reports the wrong knob)', main: `${CERT}smtpd_tls_security_level = encrypt\nsmtpd_tls_protocols = >=TLSv1.2\n`, master: STOCK_MASTER },
  ],
  invalid: [
    {
      name: '>=TLSv1.2 on the public MX names the TLS 1.0 Exchange sender',
      main: `${MAY}smtpd_tls_protocols = >=TLSv1.2\n`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'floor', file: 'main.cf', line: 4, severity: 'warning', fixKind: 'interop', includes: ['refuses senders below TLSv1.2', 'exchange-2010-ws2008r2 (handshake fails; the mail stays queued'] }],
      output: { main: `${MAY}smtpd_tls_protocols = >=TLSv1\n` },
    },
    {
      name: '>=TLSv1.3 also loses Exchange Online (queued) and is fixed at the port-25 -o',
      main: MAY,
      master: STOCK_MASTER.replace('smtpd\n', 'smtpd\n  -o smtpd_tls_protocols=>=TLSv1.3\n'),
      errors: [{ messageId: 'floor', file: 'master.cf', line: 2, includes: ['exchange-online', 'exchange-2016-ws2016'] }],
      output: { master: STOCK_MASTER.replace('smtpd\n', 'smtpd\n  -o smtpd_tls_protocols=>=TLSv1\n') },
    },
    {
      name: 'corpus 031: the floor carries the sender it refuses with the grade; its fix changes both (predicted)',
      main: C031,
      master: STOCK_MASTER,
      errors: [{ messageId: 'floor', line: 4, severity: 'warning', includes: ['Client profiles refused by smtpd_tls_ciphers too, so they get TLS back only with smtpd_tls_ciphers = medium as well: exchange-2010-ws2008r2'] }],
      output: { main: C031.replace('>=TLSv1.2, <=TLSv1.3', '>=TLSv1').replace('ciphers = high', 'ciphers = medium') },
    },
    {
      name: 'corpus 002: the floor and a SHA1 exclusion refuse the sender together; the fix drops SHA1 too',
      main: `${MAY}smtpd_tls_protocols = !SSLv2,!SSLv3,!TLSv1,!TLSv1.1\nsmtpd_tls_exclude_ciphers = aNULL, SEED, SHA1\n`,
      master: STOCK_MASTER,
      errors: [{ messageId: 'floor', line: 4, severity: 'warning', includes: 'get TLS back only with smtpd_tls_exclude_ciphers = aNULL, SEED as well: exchange-2010-ws2008r2' }],
      output: { main: `${MAY}smtpd_tls_protocols = >=TLSv1\nsmtpd_tls_exclude_ciphers = aNULL, SEED\n` },
    },
    {
      name: 'no client profile affected: said so',
      main: `${MAY}smtpd_tls_protocols = >=TLSv1.2\n`,
      clients: MODERN_ONLY,
      errors: [{ messageId: 'floor', includes: 'None of the client profiles checked is affected' }],
      output: { main: `${MAY}smtpd_tls_protocols = >=TLSv1\n` },
    },
  ],
});
