import rule from '../../rules/certificate-chain.js';
import { runFileRuleCases } from '../support/file-rule-tester.js';
import { days, standard, type Pki } from '../support/pki.js';

const CHAIN = 'smtpd_tls_chain_files = /etc/postfix/key.pem, /etc/postfix/chain.pem\nsmtpd_tls_security_level = may\n';

/** root -> int1 -> int2 -> leaf */
function deep(p: Pki) {
  const s = standard(p);
  const int2 = p.issue(s.intermediate, 'deep-int2', { cn: 'Second Intermediate CA', ca: true, freshKey: true, start: days(-30), end: days(900) });
  const leaf = p.issue(int2, 'deep-leaf', { cn: 'mx.example.org', dns: ['mx.example.org'] });
  return { s, int2, leaf };
}

runFileRuleCases(rule, {
  valid: [
    { name: 'leaf then intermediate', main: CHAIN, files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/chain.pem': standard(p).fullchain }) },
    { name: 'leaf, intermediate and root', main: CHAIN, files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/chain.pem': standard(p).fullchain + standard(p).root.certPem }) },
    {
      name: 'two intermediates in order',
      main: CHAIN,
      files: (p) => {
        const d = deep(p);
        return { '/etc/postfix/key.pem': d.leaf.keyPem, '/etc/postfix/chain.pem': d.leaf.certPem + d.int2.certPem + d.s.intermediate.certPem };
      },
    },
    { name: 'a self-signed certificate needs no issuer', main: CHAIN, files: (p) => { const c = p.issue(null, 'ss-chain', { cn: 'mx.example.org', dns: ['mx.example.org'] }); return { '/etc/postfix/key.pem': c.keyPem, '/etc/postfix/chain.pem': c.certPem }; } },
    {
      name: 'the leaf alone, with the intermediate in smtpd_tls_CAfile (OpenSSL completes the chain)',
      main: 'smtpd_tls_cert_file = /etc/postfix/cert.pem\nsmtpd_tls_key_file = /etc/postfix/key.pem\nsmtpd_tls_CAfile = /etc/postfix/ca.pem\nsmtpd_tls_security_level = may\n',
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/cert.pem': standard(p).leaf.certPem, '/etc/postfix/ca.pem': standard(p).intermediate.certPem + standard(p).root.certPem }),
    },
    {
      name: 'ECDSA and RSA pairs with full chains',
      main: 'smtpd_tls_chain_files = /etc/postfix/rsa.pem, /etc/postfix/ec.pem\nsmtpd_tls_security_level = may\n',
      files: (p) => ({ '/etc/postfix/rsa.pem': standard(p).leaf.keyPem + standard(p).fullchain, '/etc/postfix/ec.pem': standard(p).ecLeaf.keyPem + standard(p).ecFullchain }),
    },
  ],
  invalid: [
    {
      name: 'the leaf alone: intermediate missing',
      main: CHAIN,
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/chain.pem': standard(p).leaf.certPem }),
      errors: [{ messageId: 'issuerMissing', line: 1, severity: 'warning', related: '/etc/postfix/chain.pem', includes: ['The certificate CN=mx.example.org (presented by smtpd) is sent without the intermediate CA certificate that issued it (CN=std Intermediate CA)', 'unable to get local issuer certificate'] }],
    },
    {
      name: 'intermediates out of order',
      main: CHAIN,
      files: (p) => {
        const d = deep(p);
        return { '/etc/postfix/key.pem': d.leaf.keyPem, '/etc/postfix/chain.pem': d.leaf.certPem + d.s.intermediate.certPem + d.int2.certPem };
      },
      errors: [{ messageId: 'outOfOrder', includes: 'CN=mx.example.org -> CN=std Intermediate CA -> CN=Second Intermediate CA' }],
    },
    {
      name: 'an unrelated certificate in the chain',
      main: CHAIN,
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/chain.pem': standard(p).fullchain + p.issue(null, 'unrelated', { cn: 'Somebody Else CA', ca: true }).certPem }),
      errors: [{ messageId: 'unrelated', includes: ['1 certificate(s)', 'CN=Somebody Else CA'] }],
    },
    {
      name: 'the leaf alone in a legacy cert_file',
      main: 'smtpd_tls_cert_file = /etc/postfix/cert.pem\nsmtpd_tls_key_file = /etc/postfix/key.pem\nsmtpd_tls_security_level = may\n',
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/cert.pem': standard(p).leaf.certPem }),
      errors: [{ messageId: 'issuerMissing', line: 1, parameter: 'smtpd_tls_cert_file' }],
    },
  ],
});
