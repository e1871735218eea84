import { defineRule } from '../src/engine/types.js';
import { loadedChains, siteOf } from '../src/engine/file-rules.js';
import { certName } from '../src/certs/objects.js';
import { serviceLabel } from '../src/engine/server-scope.js';

export default defineRule({
  meta: {
    id: 'self-signed-certificate',
    category: 'interop',
    defaultSeverity: 'info',
    description: 'A public MX or submission service should present a certificate from a CA the senders trust, not a self-signed one such as Debian\'s snakeoil certificate.',
    why: 'Most sending MTAs use opportunistic TLS and do not verify the certificate, so a self-signed certificate (Debian and Ubuntu install ssl-cert-snakeoil.pem by default) still gives them encryption. Senders that verify (a domain with an MTA-STS policy in enforce mode, DANE-TA, "secure" TLS policies) cannot, and keep the mail queued. On the submission ports every mail client verifies: users get a certificate warning, or the client refuses to send.',
    parameters: ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file'],
    fixable: false,
    messages: {
      publicMx: '{{services}} present(s) a self-signed certificate ({{cert}}{{snakeoil}}). Opportunistic senders still use TLS with it, but senders that verify the certificate (MTA-STS enforce, DANE-TA, "secure" policies) refuse to deliver; use a certificate from a public CA (for example Let\'s Encrypt) if any sender should verify',
      submission: '{{services}} present(s) a self-signed certificate ({{cert}}{{snakeoil}}). Mail clients verify the submission server: they show a certificate warning or refuse to send until each user accepts it by hand; use a certificate from a public CA (for example Let\'s Encrypt)',
    },
    references: [
      { title: 'TLS_README: Server-side certificate and private key configuration', url: 'https://www.postfix.org/TLS_README.html#server_cert_key' },
      { title: 'RFC 8461 (MTA-STS) section 4.1: the MX certificate must chain to a trusted root', url: 'https://www.rfc-editor.org/rfc/rfc8461#section-4.1' },
      { title: 'RFC 7672 (SMTP security via opportunistic DANE TLS) section 3.1.2: DANE-TA', url: 'https://www.rfc-editor.org/rfc/rfc7672#section-3.1.2' },
      { title: 'Debian ssl-cert package: /etc/ssl/certs/ssl-cert-snakeoil.pem', url: 'https://packages.debian.org/stable/ssl-cert' },
    ],
  },
  check() {
    // The files are checked by checkFiles (src/engine/lint-files.ts).
  },
  checkFiles(ctx) {
    for (const { use, chain } of loadedChains(ctx)) {
      if (use.daemon.side !== 'server' || use.daemon.daemon !== 'smtpd' || use.sni) continue;
      const snakeoil = /snakeoil/i.test(chain.leaf.file);
      if (!chain.leaf.cert.selfSigned && !snakeoil) continue;
      const site = siteOf(use, chain.leaf.file);
      const data = { cert: certName(chain.leaf.cert), snakeoil: snakeoil ? ", Debian's snakeoil certificate" : '' };
      const related = [{ path: chain.leaf.file, block: chain.leaf.block, message: `${certName(chain.leaf.cert)}, issued by ${chain.leaf.cert.issuer || 'itself'}` }];
      const mx = use.daemon.services.filter((s) => s.role === 'public-mx');
      const submission = use.daemon.services.filter((s) => s.role === 'submission' || s.role === 'submissions');
      if (mx.length > 0) ctx.report({ messageId: 'publicMx', data: { ...data, services: mx.map(serviceLabel).join(', ') }, site, related });
      if (submission.length > 0) ctx.report({ messageId: 'submission', data: { ...data, services: submission.map(serviceLabel).join(', ') }, site, severity: 'warning', related });
    }
  },
});
