import { defineRule } from '../src/engine/types.js';
import { loadedChains, siteOf } from '../src/engine/file-rules.js';
import { certName, type Certificate } from '../src/certs/objects.js';
import { serviceLabel } from '../src/engine/server-scope.js';

/** The name as X509Certificate.checkHost matches it (DNS names; the CN only without them; wildcards one label deep). */
function covers(cert: Certificate, host: string): boolean {
  try {
    return cert.x509.checkHost(host) !== undefined;
  } catch {
    return false;
  }
}

function namesOf(cert: Certificate): string {
  const names = cert.dnsNames.length > 0 ? cert.dnsNames : cert.commonName ? [cert.commonName] : [];
  return names.length === 0 ? 'no name at all' : names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
}

const VERIFIED_ROLES = new Set(['public-mx', 'submission', 'submissions']);

export default defineRule({
  meta: {
    id: 'certificate-name-mismatch',
    category: 'interop',
    defaultSeverity: 'warning',
    description: 'The server certificate must name the host clients connect to: myhostname for the default certificate, the lookup name for each tls_server_sni_maps entry.',
    why: 'Senders that verify the server (MTA-STS, DANE-TA) check that the certificate names the MX host they connect to, and mail clients check the host name they were configured with; a certificate for another name fails with "hostname mismatch" and they refuse to send. The MX host is usually myhostname (it is also the name in the SMTP banner and HELO). For tls_server_sni_maps, the chain a client gets for a name must carry that name, or SNI only swaps one wrong certificate for another.',
    parameters: ['myhostname', 'smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file', 'tls_server_sni_maps'],
    fixable: false,
    messages: {
      myhostname: 'The certificate {{cert}} in {{path}} does not name myhostname ({{host}}): it is for {{names}}. It is presented by {{services}}, so senders that verify the MX name (MTA-STS, DANE-TA) and mail clients that connect to {{host}} refuse it ("hostname mismatch"). Get a certificate that names {{host}}, or set myhostname to the name your MX records and clients use if the certificate names it',
      sni: 'The certificate for SNI name "{{key}}" in {{path}} does not cover "{{key}}": it is for {{names}}. Clients that ask for "{{key}}" get it and, when they verify the name, refuse it ("hostname mismatch")',
    },
    references: [
      { title: 'RFC 8461 (MTA-STS) section 4.1: the certificate must match the MX host name', url: 'https://www.rfc-editor.org/rfc/rfc8461#section-4.1' },
      { title: 'RFC 6125: service identity in certificates', url: 'https://www.rfc-editor.org/rfc/rfc6125' },
      { title: 'postconf(5): tls_server_sni_maps', url: 'https://www.postfix.org/postconf.5.html#tls_server_sni_maps' },
      { title: 'postconf(5): myhostname', url: 'https://www.postfix.org/postconf.5.html#myhostname' },
    ],
  },
  check() {
    // The files are checked by checkFiles (src/engine/lint-files.ts).
  },
  checkFiles(ctx) {
    for (const { use, chain } of loadedChains(ctx)) {
      if (use.daemon.side !== 'server' || use.daemon.daemon !== 'smtpd') continue;
      const leaf = chain.leaf.cert;
      if (leaf.selfSigned) continue; // nobody verifies a self-signed certificate by name (self-signed-certificate)
      const site = siteOf(use, chain.leaf.file);
      const related = [{ path: chain.leaf.file, block: chain.leaf.block, message: `${certName(leaf)}: ${namesOf(leaf)}` }];
      const data = { cert: certName(leaf), path: chain.leaf.file, names: namesOf(leaf) };
      if (use.sni) {
        const key = use.sni.key;
        const probe = key.startsWith('.') ? `any-subdomain${key}` : key;
        if (!covers(leaf, probe)) ctx.report({ messageId: 'sni', data: { ...data, key }, site, related });
        continue;
      }
      // Per myhostname: services with -o myhostname may differ; only a myhostname that is set is known offline.
      const byHost = new Map<string, typeof use.daemon.services[number][]>();
      for (const s of use.daemon.services) {
        if (!VERIFIED_ROLES.has(s.role) || s.model.resolve('myhostname')?.source === 'default') continue;
        const host = s.model.value('myhostname').trim().toLowerCase();
        if (host !== '') byHost.set(host, [...(byHost.get(host) ?? []), s]);
      }
      for (const [host, services] of byHost) {
        if (covers(leaf, host)) continue;
        ctx.report({ messageId: 'myhostname', data: { ...data, host, services: services.map(serviceLabel).join(', ') }, site, related });
      }
    }
  },
});
