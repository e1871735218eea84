import { defineRule } from '../src/engine/types.js';
import { daemonLabel, reportsMissing, type FileRuleContext } from '../src/engine/file-rules.js';
import { certName, pemObjects, type Certificate } from '../src/certs/objects.js';
import type { TrustUse } from '../src/model/tls-files.js';

/** Names OpenSSL looks up in a CApath: the subject hash, ".", a number (".r" + number for CRLs). */
const HASH_LINK = /^[0-9a-f]{8}\.\d+$/;

function certificates(bytes: Uint8Array): Certificate[] {
  return pemObjects(bytes).objects.flatMap((o) => (o.kind === 'certificate' ? [o.cert] : []));
}

function verifying(levels: readonly string[]): boolean {
  return levels.some((l) => l === 'verify' || l === 'secure');
}

/** What a CA store that trusts nobody does to this daemon. */
function untrusted(use: TrustUse): { effect: string; severity: 'error' | 'warning' } {
  const d = use.daemon;
  if (d.side === 'server') return { effect: `${daemonLabel(d)} cannot verify any client certificate: every one is "untrusted" (permit_tls_clientcerts and smtpd_tls_req_ccert never succeed)`, severity: 'warning' };
  if (verifying(d.levels)) return { effect: `${daemonLabel(d)} trust${d.labels.length === 1 ? 's' : ''} no server: deliveries at level verify or secure are deferred with 4.7.5 "Server certificate not verified"`, severity: 'error' };
  return { effect: `${daemonLabel(d)} log${d.labels.length === 1 ? 's' : ''} every server as "Untrusted TLS connection established"; a verify or secure policy would defer every delivery`, severity: 'warning' };
}

function caFile(ctx: FileRuleContext, use: TrustUse): void {
  const f = ctx.read(use.path);
  if (f?.kind !== 'file') return;
  const certs = certificates(f.bytes);
  if (certs.length === 0 || certs.some((c) => c.isCA)) return; // no certificate at all: certificate-load-failure
  const { effect, severity } = untrusted(use);
  const what = certs.length === 1 ? `one end-entity certificate (${certName(certs[0])})` : `${certs.length} end-entity certificates`;
  ctx.report({ messageId: 'caFile', data: { param: use.site.param, path: use.path, what, effect }, site: use.site, severity, related: [{ path: use.path, message: `${what}, no CA certificate` }] });
}

function caPath(ctx: FileRuleContext, use: TrustUse): void {
  const f = ctx.read(use.path);
  const { effect, severity } = untrusted(use);
  const data = { param: use.site.param, path: use.path, effect };
  const related = [{ path: use.path, message: 'the CA directory' }];
  if (f?.kind === 'missing') {
    if (reportsMissing(ctx.settings)) ctx.report({ messageId: 'caPathMissing', data, site: use.site, severity, related });
    return;
  }
  if (f?.kind === 'file' || f?.kind === 'special') {
    ctx.report({ messageId: 'caPathNotDirectory', data, site: use.site, severity, related });
    return;
  }
  if (f?.kind !== 'directory') return;
  const links = f.entries.filter((e) => HASH_LINK.test(e.name));
  if (links.length === 0) {
    const withCerts = f.entries.filter((e) => e.bytes && certificates(e.bytes).length > 0).length;
    ctx.report({ messageId: withCerts > 0 ? 'noHashLinks' : 'caPathEmpty', data: { ...data, count: withCerts }, site: use.site, severity, related });
    return;
  }
  // Stop at the first CA: the CLI reads a link's bytes only when asked (a system CApath has hundreds).
  let anyRead = false;
  for (const e of links) {
    const bytes = e.bytes;
    if (!bytes) continue;
    anyRead = true;
    if (certificates(bytes).some((c) => c.isCA)) return;
  }
  if (!anyRead) return;
  ctx.report({ messageId: 'caPathNoCa', data: { ...data, count: links.length }, site: use.site, severity, related });
}

function trustAnchors(ctx: FileRuleContext, use: TrustUse): void {
  if (use.daemon.side !== 'client' || !verifying(use.daemon.levels)) return;
  const f = ctx.read(use.path);
  if (f?.kind !== 'file') return;
  const objects = pemObjects(f.bytes).objects;
  if (objects.length === 0 || objects.some((o) => o.kind === 'certificate' || o.kind === 'public-key')) return; // empty: certificate-load-failure
  ctx.report({
    messageId: 'trustAnchors',
    data: { param: use.site.param, path: use.path, who: daemonLabel(use.daemon), labels: objects.map((o) => o.block.label).join(', ') },
    site: use.site,
    severity: 'error',
    related: [{ path: use.path, message: 'the trust-anchor file' }],
  });
}

export default defineRule({
  meta: {
    id: 'ca-file-without-ca',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'A CAfile, CApath or trust-anchor file must hold CA certificates (or trust anchors), and a CApath needs the hash links OpenSSL looks them up by.',
    why: 'Postfix trusts exactly what *_tls_CAfile, *_tls_CApath and *_tls_trust_anchor_file give it. A CAfile that holds only the server\'s own certificate, a CApath without the subject-hash links that "openssl rehash" creates, or a directory that does not exist all load without an error, and then no peer can be verified: every server is "Untrusted", deliveries at level verify or secure are deferred with "Server certificate not verified", and client certificates are never trusted.',
    parameters: ['smtp_tls_CAfile', 'smtp_tls_CApath', 'smtp_tls_trust_anchor_file', 'lmtp_tls_CAfile', 'lmtp_tls_CApath', 'smtpd_tls_CAfile', 'smtpd_tls_CApath'],
    fixable: false,
    messages: {
      caFile: 'The CA file {{path}} ({{param}}) holds no CA certificate, only {{what}}. OpenSSL trusts nothing it could chain a peer to: {{effect}}. Point {{param}} at the CA bundle (such as /etc/ssl/certs/ca-certificates.crt) or at the issuing CA',
      caPathMissing: 'The CA directory {{path}} ({{param}}) does not exist. OpenSSL accepts a missing directory without a word and finds no CA there: {{effect}}',
      caPathNotDirectory: '{{param}} names {{path}}, which is not a directory. OpenSSL looks CA certificates up in a directory and finds none: {{effect}}; use {{param}} only for a directory, CAfile for a file',
      noHashLinks: 'The CA directory {{path}} ({{param}}) has no hash links, so OpenSSL finds none of its {{count}} certificate file(s). OpenSSL looks certificates up by subject hash (files named like 4a6481c9.0): run "openssl rehash {{path}}" (or c_rehash); until then {{effect}}',
      caPathEmpty: 'The CA directory {{path}} ({{param}}) holds no certificate. OpenSSL finds no CA there: {{effect}}',
      caPathNoCa: 'The CA directory {{path}} ({{param}}) has {{count}} hash link(s) but no CA certificate behind them. OpenSSL has nothing to chain a peer to: {{effect}}',
      trustAnchors: 'The trust-anchor file {{path}} ({{param}}) holds neither a certificate nor a public key, only {{labels}}. Then {{who}} match(es) no server against it: deliveries at level verify or secure are deferred',
    },
    references: [
      { title: 'postconf(5): smtp_tls_CAfile, smtp_tls_CApath ("openssl rehash"), smtp_tls_trust_anchor_file', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_CApath' },
      { title: 'TLS_README: Client-side certificate verification; Server-side client certificate verification', url: 'https://www.postfix.org/TLS_README.html#client_tls_verify' },
      { title: 'OpenSSL openssl-rehash(1): hash links in a CA directory', url: 'https://docs.openssl.org/3.0/man1/openssl-rehash/' },
      { title: 'OpenSSL X509_LOOKUP_hash_dir(3): a missing or empty directory is not an error', url: 'https://docs.openssl.org/3.0/man3/X509_LOOKUP_hash_dir/' },
    ],
  },
  check() {
    // The files are checked by checkFiles (src/engine/lint-files.ts).
  },
  checkFiles(ctx) {
    for (const use of ctx.uses) {
      if (use.kind === 'CAfile') caFile(ctx, use);
      else if (use.kind === 'CApath') caPath(ctx, use);
      else if (use.kind === 'trust-anchors') trustAnchors(ctx, use);
    }
  },
});
