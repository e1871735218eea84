import rule from '../../rules/private-key-permissions.js';
import { runFileRuleCases } from '../support/file-rule-tester.js';
import { standard, type Pki } from '../support/pki.js';

const PAIR = 'smtpd_tls_cert_file = /etc/postfix/cert.pem\nsmtpd_tls_key_file = /etc/postfix/key.pem\nsmtpd_tls_security_level = may\n';
const cert = (p: Pki) => standard(p).fullchain;

runFileRuleCases(rule, {
  valid: [
    { name: 'root-owned, mode 0600', main: PAIR, files: (p) => ({ '/etc/postfix/cert.pem': cert(p), '/etc/postfix/key.pem': { content: standard(p).leaf.keyPem, mode: 0o600 } }) },
    { name: "Debian's ssl-cert group (mode 0640)", main: PAIR, files: (p) => ({ '/etc/postfix/cert.pem': cert(p), '/etc/postfix/key.pem': { content: standard(p).leaf.keyPem, mode: 0o640, gid: 111, group: 'ssl-cert' } }) },
    {
      name: 'world-readable, but in a directory others cannot enter (certbot archive)',
      main: PAIR,
      files: (p) => ({ '/etc/postfix/cert.pem': cert(p), '/etc/postfix/key.pem': { content: standard(p).leaf.keyPem, mode: 0o644, ancestors: [{ mode: 0o755, uid: 0, gid: 0 }, { mode: 0o700, uid: 0, gid: 0 }] } }),
    },
    {
      name: 'owned by another user, through a symlink into /etc/letsencrypt',
      main: PAIR,
      files: (p) => ({ '/etc/postfix/cert.pem': cert(p), '/etc/postfix/key.pem': { content: standard(p).leaf.keyPem, mode: 0o600, uid: 990, links: [{ path: '/etc/postfix/key.pem', target: '/etc/letsencrypt/live/mx/privkey.pem' }], realpath: '/etc/letsencrypt/archive/mx/privkey1.pem' } }),
    },
    { name: 'a certificate file may be world-readable', main: PAIR, files: (p) => ({ '/etc/postfix/cert.pem': { content: cert(p), mode: 0o644 }, '/etc/postfix/key.pem': { content: standard(p).leaf.keyPem, mode: 0o400 } }) },
  ],
  invalid: [
    {
      name: 'world-readable key',
      main: PAIR,
      files: (p) => ({ '/etc/postfix/cert.pem': cert(p), '/etc/postfix/key.pem': { content: standard(p).leaf.keyPem, mode: 0o644 } }),
      errors: [{ messageId: 'others', line: 2, severity: 'warning', related: '/etc/postfix/key.pem', includes: ['can be read by every local user (mode 0644)', 'chmod 600 /etc/postfix/key.pem'] }],
    },
    {
      name: 'readable by the group mail',
      main: PAIR,
      files: (p) => ({ '/etc/postfix/cert.pem': cert(p), '/etc/postfix/key.pem': { content: standard(p).leaf.keyPem, mode: 0o640, gid: 8, group: 'mail' } }),
      errors: [{ messageId: 'group', includes: 'group mail (mode 0640)' }],
    },
    {
      name: 'owned by postfix',
      main: PAIR,
      files: (p) => ({ '/etc/postfix/cert.pem': cert(p), '/etc/postfix/key.pem': { content: standard(p).leaf.keyPem, mode: 0o600, uid: 107, user: 'postfix' } }),
      errors: [{ messageId: 'owner', includes: 'belongs to postfix (uid 107), not root' }],
    },
    {
      name: 'a chain file that holds the key, world-readable',
      main: 'smtpd_tls_chain_files = /etc/postfix/all.pem\nsmtpd_tls_security_level = may\n',
      files: (p) => ({ '/etc/postfix/all.pem': { content: standard(p).leaf.keyPem + cert(p), mode: 0o644 } }),
      errors: [{ messageId: 'others', line: 1 }],
    },
  ],
});
