import { createPrivateKey } from 'node:crypto';
import rule from '../../rules/certificate-load-failure.js';
import { runFileRuleCases } from '../support/file-rule-tester.js';
import { standard } from '../support/pki.js';
import { STOCK_MASTER } from '../support/server-rule-tester.js';

const MAY = 'smtpd_tls_security_level = may\n';
const CHAIN = 'smtpd_tls_chain_files = /etc/postfix/key.pem, /etc/postfix/fullchain.pem\n';
const PAIR = 'smtpd_tls_cert_file = /etc/postfix/fullchain.pem\nsmtpd_tls_key_file = /etc/postfix/key.pem\n';

function der(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64'));
}

runFileRuleCases(rule, {
  valid: [
    { name: 'chain files: key first, then leaf and intermediate', main: CHAIN + MAY, files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain }) },
    { name: 'separate certificate and key files', main: PAIR + MAY, files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain }) },
    { name: 'key and certificate in one file (key_file left at its default)', main: 'smtpd_tls_cert_file = /etc/postfix/both.pem\n' + MAY, files: (p) => ({ '/etc/postfix/both.pem': standard(p).fullchain + standard(p).leaf.keyPem }) },
    {
      name: 'RSA and ECDSA chains in one chain_files list',
      main: 'smtpd_tls_chain_files = /etc/postfix/rsa.pem, /etc/postfix/ec.pem\n' + MAY,
      files: (p) => ({ '/etc/postfix/rsa.pem': standard(p).leaf.keyPem + standard(p).fullchain, '/etc/postfix/ec.pem': standard(p).ecLeaf.keyPem + standard(p).ecFullchain }),
    },
    {
      name: 'legacy RSA and ECDSA pairs',
      main: PAIR + 'smtpd_tls_eccert_file = /etc/postfix/ec.crt\nsmtpd_tls_eckey_file = /etc/postfix/ec.key\n' + MAY,
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain, '/etc/postfix/ec.key': standard(p).ecLeaf.keyPem, '/etc/postfix/ec.crt': standard(p).ecFullchain }),
    },
    { name: 'missing files in a config repository (not live, --files auto) are not reported', main: CHAIN + MAY, files: () => ({ '/etc/postfix/key.pem': { missing: true }, '/etc/postfix/fullchain.pem': { missing: true } }) },
    { name: 'smtpd does not load certificates at level none', main: CHAIN + 'smtpd_tls_security_level = none\n', files: () => ({ '/etc/postfix/key.pem': 'garbage', '/etc/postfix/fullchain.pem': 'garbage' }) },
    { name: 'a CA file with the CA bundle', main: PAIR + MAY + 'smtpd_tls_CAfile = /etc/ssl/ca.pem\n', files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain, '/etc/ssl/ca.pem': standard(p).root.certPem }) },
  ],
  invalid: [
    {
      name: 'missing key file of a live configuration',
      main: PAIR + MAY,
      settings: { live: true },
      files: (p) => ({ '/etc/postfix/fullchain.pem': standard(p).fullchain, '/etc/postfix/key.pem': { missing: true } }),
      errors: [{ messageId: 'missing', line: 2, parameter: 'smtpd_tls_key_file', severity: 'error', related: '/etc/postfix/key.pem', includes: ['smtpd cannot load its private key and certificate: /etc/postfix/key.pem does not exist.', 'cannot get RSA private key from file "/etc/postfix/key.pem"', 'answers it with "454 4.7.0 TLS not available due to local problem"'] }],
    },
    {
      name: 'missing chain file with --files on',
      main: CHAIN + MAY,
      settings: { mode: 'on' },
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': { missing: true } }),
      errors: [{ messageId: 'missing', line: 1, includes: 'error opening chain file: /etc/postfix/fullchain.pem' }],
    },
    {
      name: 'key does not match the certificate (separate files)',
      main: PAIR + MAY,
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).strayKeyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain }),
      errors: [{ messageId: 'mismatch', line: 2, includes: ['does not belong to the certificate', 'RSA private key in /etc/postfix/key.pem does not match public key in /etc/postfix/fullchain.pem: disabling TLS support'] }],
    },
    {
      name: 'key does not match the certificate (chain files)',
      main: CHAIN + MAY,
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).strayKeyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain }),
      errors: [{ messageId: 'mismatch', line: 1, includes: 'key at index 1 in /etc/postfix/key.pem does not match next certificate' }],
    },
    {
      name: 'encrypted key (PKCS#8)',
      main: PAIR + MAY,
      files: (p) => ({ '/etc/postfix/key.pem': createPrivateKey(standard(p).leaf.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string, '/etc/postfix/fullchain.pem': standard(p).fullchain }),
      errors: [{ messageId: 'encrypted', line: 2, includes: ['is encrypted', 'no passphrase'] }],
    },
    {
      name: 'encrypted key (traditional, Proc-Type: 4,ENCRYPTED) in chain files',
      main: CHAIN + MAY,
      files: (p) => ({ '/etc/postfix/key.pem': createPrivateKey(standard(p).leaf.keyPem).export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string, '/etc/postfix/fullchain.pem': standard(p).fullchain }),
      errors: [{ messageId: 'encrypted', includes: 'error loading private key (PEM object number 1) from /etc/postfix/key.pem' }],
    },
    {
      name: 'encrypted PKCS#8 key in chain files is skipped, so the certificate comes first',
      main: CHAIN + MAY,
      files: (p) => ({ '/etc/postfix/key.pem': createPrivateKey(standard(p).leaf.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string, '/etc/postfix/fullchain.pem': standard(p).fullchain }),
      errors: [{ messageId: 'encrypted', includes: 'key not first' }],
    },
    {
      name: 'certificate in DER, not PEM',
      main: PAIR + MAY,
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': der(standard(p).leaf.certPem) }),
      errors: [{ messageId: 'load', line: 1, includes: ['binary file', 'openssl x509 -inform der'] }],
    },
    {
      name: 'empty certificate file',
      main: PAIR + MAY,
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': '' }),
      errors: [{ messageId: 'load', includes: '/etc/postfix/fullchain.pem is empty' }],
    },
    {
      name: 'key and certificate parameters swapped: a key where the certificate belongs',
      main: 'smtpd_tls_cert_file = /etc/postfix/key.pem\nsmtpd_tls_key_file = /etc/postfix/fullchain.pem\n' + MAY,
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain }),
      errors: [{ messageId: 'load', line: 1, parameter: 'smtpd_tls_cert_file', includes: 'holds a private key but no certificate' }],
    },
    {
      name: 'chain files: certificate before its key',
      main: 'smtpd_tls_chain_files = /etc/postfix/fullchain.pem, /etc/postfix/key.pem\n' + MAY,
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain }),
      errors: [{ messageId: 'load', line: 1, includes: ['error loading chain from /etc/postfix/fullchain.pem: key not first', 'each key comes first'] }],
    },
    {
      name: 'chain files: a key without its certificate',
      main: 'smtpd_tls_chain_files = /etc/postfix/key.pem\n' + MAY,
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem }),
      errors: [{ messageId: 'load', includes: 'No certs for key at index 1 in /etc/postfix/key.pem' }],
    },
    {
      name: 'chain files: two keys back to back',
      main: 'smtpd_tls_chain_files = /etc/postfix/keys.pem, /etc/postfix/fullchain.pem\n' + MAY,
      files: (p) => ({ '/etc/postfix/keys.pem': standard(p).leaf.keyPem + standard(p).ecLeaf.keyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain }),
      errors: [{ messageId: 'load', includes: 'not followed by a certificate' }],
    },
    {
      name: 'a wrapper-mode service with its own broken chain: at the -o line',
      main: PAIR + MAY,
      master: STOCK_MASTER + 'submissions inet n - y - - smtpd\n  -o smtpd_tls_wrappermode=yes\n  -o smtpd_tls_chain_files=/etc/postfix/fullchain.pem,/etc/postfix/key.pem\n',
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain }),
      errors: [{ messageId: 'load', file: 'master.cf', line: 8, includes: 'submissions (port 465) (wrapper mode) drops every connection' }],
    },
    {
      name: 'a service that requires TLS: nobody can send',
      main: CHAIN + 'smtpd_tls_security_level = encrypt\n',
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).strayKeyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain }),
      errors: [{ messageId: 'mismatch', includes: 'no client can send' }],
    },
    {
      name: 'CA file missing in a live configuration',
      main: PAIR + MAY + 'smtpd_tls_CAfile = /etc/ssl/missing.pem\n',
      settings: { live: true },
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain, '/etc/ssl/missing.pem': { missing: true } }),
      errors: [{ messageId: 'caFile', line: 4, parameter: 'smtpd_tls_CAfile', includes: 'cannot load Certification Authority data' }],
    },
    {
      name: 'client CA file without any certificate: the SMTP client runs without TLS',
      main: 'smtp_tls_security_level = encrypt\nsmtp_tls_CAfile = /etc/ssl/empty.pem\n',
      files: () => ({ '/etc/ssl/empty.pem': '# nothing here\n' }),
      errors: [{ messageId: 'caFile', line: 2, includes: ['smtp(8) cannot load its CA file', 'deferred with 4.7.5 "TLS is required, but our TLS engine is unavailable"'] }],
    },
    {
      name: 'client certificate that does not match its key',
      main: 'smtp_tls_security_level = may\nsmtp_tls_cert_file = /etc/postfix/client.pem\nsmtp_tls_key_file = /etc/postfix/client.key\n',
      files: (p) => ({ '/etc/postfix/client.pem': standard(p).leaf.certPem, '/etc/postfix/client.key': standard(p).strayKeyPem }),
      errors: [{ messageId: 'mismatch', line: 3, includes: ['smtp(8) cannot load', 'opportunistic deliveries go out in plaintext'] }],
    },
    {
      name: 'tafile= of a policy entry is missing (live): the destination is deferred',
      main: 'smtp_tls_security_level = may\nsmtp_tls_policy_maps = texthash:/etc/postfix/tls_policy\n',
      tables: { '/etc/postfix/tls_policy': 'example.com secure tafile=/etc/postfix/ta.pem\n' },
      settings: { live: true },
      files: () => ({ '/etc/postfix/ta.pem': { missing: true } }),
      errors: [{ messageId: 'trustAnchors', file: 'tls_policy', line: 1, parameter: 'tafile', includes: ['policy for "example.com"', 'client TLS configuration problem'] }],
    },
    {
      name: 'a key file this run cannot read is only noted',
      main: PAIR + MAY,
      files: (p) => ({ '/etc/postfix/fullchain.pem': standard(p).fullchain, '/etc/postfix/key.pem': { unreadable: true, mode: 0o600 } }),
      errors: [{ messageId: 'unchecked', severity: 'info', includes: 'was not checked' }],
    },
    {
      name: 'an SNI entry whose key does not match: at the table line',
      main: PAIR + MAY + 'tls_server_sni_maps = hash:/etc/postfix/sni\n',
      tables: { '/etc/postfix/sni': '# SNI\nmail.example.net /etc/postfix/sni-key.pem, /etc/postfix/sni-chain.pem\n' },
      files: (p) => ({ '/etc/postfix/key.pem': standard(p).leaf.keyPem, '/etc/postfix/fullchain.pem': standard(p).fullchain, '/etc/postfix/sni-key.pem': standard(p).strayKeyPem, '/etc/postfix/sni-chain.pem': standard(p).fullchain }),
      errors: [{ messageId: 'mismatch', file: 'sni', line: 2, includes: ['smtpd cannot load the chain for SNI name "mail.example.net": the private key in sni-key.pem does not match its certificate.', 'handshake aborted'] }],
    },
  ],
});
