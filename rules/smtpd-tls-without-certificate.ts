import { defineRule } from '../src/engine/types.js';
import { serverScope, serviceLabel } from '../src/engine/server-scope.js';

const PARAMS = [
  'smtpd_tls_cert_file', 'smtpd_tls_key_file', 'smtpd_tls_chain_files', 'smtpd_tls_eccert_file', 'smtpd_tls_dcert_file',
  'smtpd_tls_wrappermode', 'smtpd_tls_security_level', 'smtpd_use_tls', 'smtpd_enforce_tls',
];

export default defineRule({
  meta: {
    id: 'smtpd-tls-without-certificate',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'An smtpd that offers TLS (STARTTLS, or wrapper mode on port 465) needs a server certificate.',
    why: 'Without smtpd_tls_chain_files, smtpd_tls_cert_file (with its key) or smtpd_tls_eccert_file, smtpd logs "No server certs available. TLS won\'t be enabled". It still announces STARTTLS but answers it with "454 4.7.0 TLS not available due to local problem": senders that insist on TLS cannot deliver and the others continue in plaintext. In wrapper mode (smtpd_tls_wrappermode = yes, port 465) there is no plaintext to continue in: every connection fails.',
    parameters: PARAMS,
    fixable: false,
    messages: {
      wrapper:
        'The wrapper-mode service {{services}} has no server certificate, so every connection to it fails. smtpd_tls_wrappermode = yes starts TLS on the first byte, but neither smtpd_tls_chain_files nor smtpd_tls_cert_file / smtpd_tls_eccert_file names a certificate ("No server certs available. TLS won\'t be enabled"). Configure a certificate and key (smtpd_tls_chain_files = /etc/postfix/key.pem, /etc/postfix/fullchain.pem)',
      starttls:
        '{{services}} announces STARTTLS without a server certificate, so STARTTLS is answered with 454 and mail arrives in plaintext. At {{level}} smtpd logs "No server certs available. TLS won\'t be enabled": clients that insist on TLS cannot deliver and the others continue without it. Configure a certificate and key (smtpd_tls_chain_files, or smtpd_tls_cert_file and smtpd_tls_key_file)',
      required:
        '{{services}} requires TLS but has no server certificate, so no client can deliver mail there. smtpd cannot start TLS without a certificate (it logs "No server certs available"), and at {{level}} it accepts no mail without TLS: nothing arrives, in plaintext or otherwise. Configure a certificate and key (smtpd_tls_chain_files, or smtpd_tls_cert_file and smtpd_tls_key_file)',
    },
    references: [
      { title: 'postconf(5): smtpd_tls_chain_files, smtpd_tls_cert_file, smtpd_tls_wrappermode', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_chain_files' },
      { title: 'TLS_README: Server-side certificate and private key configuration', url: 'https://www.postfix.org/TLS_README.html#server_cert_key' },
      { title: 'TLS_README: Server-side TLS activity and enforcement (smtpd_tls_wrappermode for port 465)', url: 'https://www.postfix.org/TLS_README.html#server_enable' },
      { title: 'RFC 8314: Use of TLS for Email Submission (implicit TLS on port 465)', url: 'https://www.rfc-editor.org/rfc/rfc8314' },
    ],
  },
  check({ model, facts, report }) {
    const scope = serverScope(model, facts, PARAMS.slice(0, 5));
    const missing = scope.services.filter((s) => s.policy.offersTls && !s.policy.certificates.configured && !s.policy.certificates.none);
    const wrapper = missing.filter((s) => s.policy.wrappermode);
    const starttls = missing.filter((s) => !s.policy.wrappermode && s.role !== 'local-only');
    const node = model.definition('smtpd_tls_cert_file') ?? model.definition('smtpd_tls_chain_files');
    if (wrapper.length > 0) {
      report({ messageId: 'wrapper', data: { services: wrapper.map(serviceLabel).join(', ') }, parameter: 'smtpd_tls_chain_files', node: node ?? model.definition('smtpd_tls_wrappermode') });
    }
    // Where TLS is required nothing "continues in plaintext": the level itself refuses mail without TLS.
    for (const [group, messageId, severity] of [
      [starttls.filter((s) => s.policy.enforced), 'required', 'error'],
      [starttls.filter((s) => !s.policy.enforced), 'starttls', 'warning'],
    ] as const) {
      if (group.length === 0) continue;
      report({
        messageId,
        data: { services: group.map(serviceLabel).join(', '), level: `level ${group[0].policy.level}` },
        parameter: 'smtpd_tls_chain_files',
        node: node ?? model.definition('smtpd_tls_security_level'),
        severity,
      });
    }
  },
});
