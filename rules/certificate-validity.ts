import { defineRule } from '../src/engine/types.js';
import { day, daemonLabel, loadedChains, presentedBy, siteOf } from '../src/engine/file-rules.js';
import { certName } from '../src/certs/objects.js';
import type { CredentialsUse } from '../src/model/tls-files.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Who stops talking to this daemon once the certificate is not valid. */
function verifiersFail(use: CredentialsUse): string {
  if (use.daemon.side === 'client') return 'servers that verify client certificates reject it';
  return 'senders that verify the certificate (MTA-STS enforce, DANE-TA, mail clients on submission) refuse to send';
}

/** What an invalid certificate does to the peers of this daemon (a sentence of its own). */
function consequence(use: CredentialsUse): string {
  if (use.daemon.side === 'client') return 'Servers that verify client certificates reject it; the others ignore it';
  const who = use.sni ? `smtpd when they ask for "${use.sni.key}"` : daemonLabel(use.daemon);
  return `Opportunistic senders still complete TLS with ${who} (they do not check the certificate), but ${verifiersFail(use)}`;
}

export default defineRule({
  meta: {
    id: 'certificate-validity',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'The certificates Postfix presents must be valid now, and not expire within --cert-expiry-days (default 14).',
    why: 'Postfix loads an expired (or not yet valid) certificate without a word and keeps presenting it. Opportunistic senders do not check it and still use TLS, so nothing looks wrong; senders that verify certificates (MTA-STS in enforce mode, DANE-TA, "secure" policies, and every mail client on the submission port) refuse to send. Renewals that silently failed are the usual cause.',
    parameters: ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file', 'smtpd_tls_dcert_file', 'smtp_tls_chain_files', 'smtp_tls_cert_file', 'smtp_tls_eccert_file', 'tls_server_sni_maps'],
    fixable: false,
    messages: {
      expired: '{{what}} {{cert}} in {{path}} ({{by}}) expired on {{date}}. {{consequence}}',
      notYetValid: '{{what}} {{cert}} in {{path}} ({{by}}) is not valid before {{date}}. {{consequence}}',
      expiring: '{{what}} {{cert}} in {{path}} ({{by}}) expires on {{date}}, in {{days}} day(s). Renew it: from then on {{after}}',
    },
    references: [
      { title: 'RFC 5280 section 4.1.2.5: Validity', url: 'https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5' },
      { title: 'RFC 8461 (MTA-STS) section 4.1: the MX certificate must be valid', url: 'https://www.rfc-editor.org/rfc/rfc8461#section-4.1' },
      { title: 'TLS_README: Server-side certificate and private key configuration', url: 'https://www.postfix.org/TLS_README.html#server_cert_key' },
    ],
  },
  check() {
    // The files are checked by checkFiles (src/engine/lint-files.ts).
  },
  checkFiles(ctx) {
    const now = ctx.settings.now.getTime();
    for (const { use, chain } of loadedChains(ctx)) {
      const site = siteOf(use, chain.leaf.file);
      // The leaf and the intermediates; a sent root is ignored by clients that have it in their store.
      const certs = [chain.leaf, ...chain.extra.filter((c) => !c.cert.selfSigned)];
      for (const c of certs) {
        const intermediate = c !== chain.leaf;
        const what = intermediate ? 'The intermediate certificate' : 'The certificate';
        const by = intermediate ? `sent by ${presentedBy(use).replace(/^presented by /, '')} with ${certName(chain.leaf.cert)}` : presentedBy(use);
        const data = { what, by, cert: certName(c.cert), path: c.file, consequence: consequence(use) };
        const related = [{ path: c.file, block: c.block, message: `${certName(c.cert)}: valid ${day(c.cert.notBefore)} to ${day(c.cert.notAfter)}` }];
        const severity = use.daemon.side === 'client' ? 'warning' : 'error';
        if (c.cert.notAfter.getTime() < now) {
          ctx.report({ messageId: 'expired', data: { ...data, date: day(c.cert.notAfter) }, site, severity, related });
        } else if (c.cert.notBefore.getTime() > now) {
          ctx.report({ messageId: 'notYetValid', data: { ...data, date: day(c.cert.notBefore) }, site, severity, related });
        } else if (c.cert.notAfter.getTime() - now < ctx.settings.expiryDays * DAY_MS) {
          const days = Math.max(0, Math.floor((c.cert.notAfter.getTime() - now) / DAY_MS));
          ctx.report({ messageId: 'expiring', data: { ...data, date: day(c.cert.notAfter), days, after: verifiersFail(use) }, site, severity: 'warning', related });
        }
      }
    }
  },
});
