import { defineRule } from '../src/engine/types.js';
import { loadedChains, presentedBy, siteOf, type FileRuleContext } from '../src/engine/file-rules.js';
import { analyzeChain } from '../src/certs/chain.js';
import { certName, pemObjects, type Certificate } from '../src/certs/objects.js';

/** Certificates of the daemon's CAfile: OpenSSL completes a chain from them when the chain file sends no issuers. */
function caFileCertificates(ctx: FileRuleContext, path: string | null): Certificate[] {
  if (!path) return [];
  const f = ctx.read(path);
  if (f?.kind !== 'file') return [];
  return pemObjects(f.bytes).objects.flatMap((o) => (o.kind === 'certificate' ? [o.cert] : []));
}

export default defineRule({
  meta: {
    id: 'certificate-chain',
    category: 'interop',
    defaultSeverity: 'warning',
    description: 'A certificate file must carry the intermediate CA certificates, leaf first and each followed by its issuer, and nothing else.',
    why: 'Clients hold root certificates only: the server must send the intermediate that issued its certificate, or verification fails with "unable to get local issuer certificate" (public CAs never sign server certificates with a root). TLS 1.2 requires each certificate to be followed by the one that certified it; strict clients reject chains out of order or with unrelated certificates, and every extra certificate is sent in every handshake. Opportunistic senders do not verify and notice nothing, so a broken chain hurts exactly the senders that care: MTA-STS, DANE-TA and mail clients.',
    parameters: ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file', 'smtpd_tls_CAfile', 'smtp_tls_chain_files', 'smtp_tls_cert_file', 'tls_server_sni_maps'],
    fixable: false,
    messages: {
      issuerMissing: 'The certificate {{cert}} ({{by}}) is sent without the intermediate CA certificate that issued it ({{issuer}}). The file {{path}} holds no issuer and the leaf is not self-signed, so clients that verify cannot build a path to a trusted root ("unable to get local issuer certificate") and refuse to send; opportunistic senders do not check. Use the full chain file (leaf, then intermediates, such as certbot\'s fullchain.pem), unless a private CA that your clients trust signs server certificates directly',
      outOfOrder: 'The chain sent with the certificate {{cert}} ({{by}}) is out of order. It goes {{order}}; TLS 1.2 requires the leaf first and each certificate followed by its issuer (RFC 5246 section 7.4.2); strict clients reject such a chain. Reorder {{path}}: leaf, its issuer, then that issuer\'s issuer',
      unrelated: 'The chain sent with the certificate {{cert}} ({{by}}) carries {{count}} certificate(s) that are not on its path to the root. They are {{list}}: every handshake sends them for nothing, and strict clients reject a chain with stray certificates; remove them from {{path}}',
    },
    references: [
      { title: 'RFC 5246 section 7.4.2: Server Certificate (each following certificate must directly certify the one preceding it)', url: 'https://www.rfc-editor.org/rfc/rfc5246#section-7.4.2' },
      { title: 'RFC 8446 section 4.4.2: Certificate', url: 'https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2' },
      { title: 'postconf(5): smtpd_tls_chain_files (the certificate chain: leaf first, then the issuers)', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_chain_files' },
      { title: 'CA/Browser Forum Baseline Requirements section 6.1.7: root CA keys do not sign subscriber certificates', url: 'https://cabforum.org/baseline-requirements-documents/' },
    ],
  },
  check() {
    // The files are checked by checkFiles (src/engine/lint-files.ts).
  },
  checkFiles(ctx) {
    for (const { use, chain } of loadedChains(ctx)) {
      const a = analyzeChain(chain, caFileCertificates(ctx, use.caFile));
      const site = siteOf(use, chain.leaf.file);
      const base = { by: presentedBy(use), cert: certName(chain.leaf.cert), path: chain.leaf.file };
      const leafRelated = { path: chain.leaf.file, block: chain.leaf.block, message: `${certName(chain.leaf.cert)}, issued by ${chain.leaf.cert.issuer}` };
      if (a.issuerMissing) {
        ctx.report({ messageId: 'issuerMissing', data: { ...base, issuer: chain.leaf.cert.issuer }, site, related: [leafRelated] });
      }
      if (a.outOfOrder) {
        const order = [chain.leaf, ...chain.extra.filter((c) => a.path.includes(c))].map((c) => certName(c.cert)).join(' -> ');
        ctx.report({ messageId: 'outOfOrder', data: { ...base, order }, site, related: chain.extra.filter((c) => a.path.includes(c)).map((c) => ({ path: c.file, block: c.block, message: `${certName(c.cert)}, issued by ${c.cert.issuer}` })) });
      }
      if (a.unrelated.length > 0) {
        const list = a.unrelated.map((c) => certName(c.cert)).join(', ');
        ctx.report({ messageId: 'unrelated', data: { ...base, count: a.unrelated.length, list }, site, related: a.unrelated.map((c) => ({ path: c.file, block: c.block, message: `${certName(c.cert)}: not on the path of ${certName(chain.leaf.cert)}` })) });
      }
    }
  },
});
