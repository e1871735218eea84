import { defineRule } from '../src/engine/types.js';
import { daemonName, reportsMissing, unavailableEffect, type FileRuleContext } from '../src/engine/file-rules.js';
import { pemObjects } from '../src/certs/objects.js';
import type { CredentialsUse, TrustUse } from '../src/model/tls-files.js';
import type { FileFacts } from '../src/certs/file-facts.js';
import type { LoadProblem } from '../src/certs/load.js';

/** The first problem OpenSSL meets in a CAfile: SSL_CTX_load_verify_locations needs at least one certificate or CRL. */
function caFileProblem(path: string, facts: FileFacts | undefined): { detail: string; unchecked?: boolean; missing?: boolean } | null {
  if (!facts) return null;
  if (facts.kind === 'missing') return { detail: `${path} does not exist`, missing: true };
  if (facts.kind === 'unreadable') return { detail: facts.reason, unchecked: true };
  if (facts.kind !== 'file') return { detail: `${path} is not a regular file` };
  const pem = pemObjects(facts.bytes);
  const bad = pem.objects.find((o) => o.kind === 'invalid' && o.expected === 'certificate');
  if (bad) return { detail: `the certificate at line ${bad.block.line} cannot be read` };
  if (!pem.objects.some((o) => o.kind === 'certificate' || o.block.label === 'X509 CRL')) {
    return { detail: pem.binary ? `${path} is a binary file, not PEM` : `${path} holds no certificate` };
  }
  return null;
}

/** A detail as a sentence of its own: capitalised, a leading path named as a file. */
function sentence(detail: string): string {
  return detail.startsWith('/') ? `The file ${detail}` : detail.replace(/^./, (c) => c.toUpperCase());
}

/** The problem in a few words, for the first sentence (the one-line summary; the full path is in the details). */
function brief(p: LoadProblem): string {
  const f = p.file.slice(p.file.lastIndexOf('/') + 1) || p.file;
  switch (p.code) {
    case 'missing': return `${p.file} does not exist`;
    case 'key-mismatch': return `the private key in ${f} does not match its certificate`;
    case 'encrypted-key': return `the private key in ${f} is encrypted`;
    case 'key-not-first': return `${f} has a certificate before its key (chain files: key first)`;
    case 'no-certs-for-key': return `no certificate follows the key in ${f}`;
    case 'key-not-followed-by-cert': return `a key in ${f} is followed by another key, not its certificate`;
    case 'no-pem': return `${f} holds no PEM object`;
    case 'bad-pem': return `a PEM object in ${f} cannot be read`;
    case 'key-where-cert': return `${f} holds a key where the certificate belongs`;
    case 'cert-where-key': return `${f} holds a certificate where the key belongs`;
    case 'no-key': return `${f} holds no private key`;
    case 'duplicate-algorithm': return `two chains of one key type (${f})`;
    case 'not-a-file': return `${f} is not a regular file`;
    case 'unchecked': return `${f} was not read`;
  }
}

function credentials(ctx: FileRuleContext, use: CredentialsUse, report: FileRuleContext['report']): void {
  const r = ctx.load(use);
  if (r.ok) return;
  const p = r.problem;
  const site = use.sites.get(p.file) ?? [...use.sites.values()][0];
  if (!site) return;
  if (p.code === 'missing' && !reportsMissing(ctx.settings)) return;
  const object = p.block ? `the ${p.block.label} object (PEM object ${p.block.index})` : 'this file';
  const related = [{ path: p.file, ...(p.block ? { block: p.block } : {}), message: p.code === 'missing' ? 'the missing file' : `${object}: ${p.code.replace(/-/g, ' ')}` }];
  if (p.code === 'unchecked') {
    report({ messageId: 'unchecked', data: { path: p.file, reason: p.detail }, site, severity: 'info', related });
    return;
  }
  const what = use.sni ? `the chain for SNI name "${use.sni.key}"` : 'its private key and certificate';
  report({
    messageId: p.code === 'missing' ? 'missing' : p.code === 'key-mismatch' ? 'mismatch' : p.code === 'encrypted-key' ? 'encrypted' : 'load',
    data: { daemon: daemonName(use.daemon), what, detail: sentence(p.detail), brief: brief(p), log: p.log, effect: unavailableEffect(use) },
    site,
    related,
  });
}

function trust(ctx: FileRuleContext, use: TrustUse, report: FileRuleContext['report']): void {
  const facts = ctx.read(use.path);
  if (use.kind === 'CAfile') {
    const problem = caFileProblem(use.path, facts);
    if (!problem || (problem.missing && !reportsMissing(ctx.settings))) return;
    const related = [{ path: use.path, message: 'the CA file' }];
    if (problem.unchecked) {
      report({ messageId: 'unchecked', data: { path: use.path, reason: problem.detail }, site: use.site, severity: 'info', related });
      return;
    }
    report({ messageId: 'caFile', data: { daemon: daemonName(use.daemon), param: use.site.param, path: use.path, detail: problem.detail, effect: unavailableEffect(use) }, site: use.site, related });
    return;
  }
  if (use.kind !== 'trust-anchors' || use.daemon.side !== 'client') return;
  // Trust anchors are read at verify and secure only (smtp_tls_policy.c).
  if (!use.daemon.levels.some((l) => l === 'verify' || l === 'secure')) return;
  let detail: string | null = null;
  if (facts?.kind === 'missing') detail = reportsMissing(ctx.settings) ? `${use.path} does not exist` : null;
  else if (facts && facts.kind !== 'file' && facts.kind !== 'unreadable') detail = `${use.path} is not a regular file`;
  else if (facts?.kind === 'file' && pemObjects(facts.bytes).blocks.length === 0) detail = `${use.path} holds no PEM object`;
  if (!detail) return;
  report({
    messageId: 'trustAnchors',
    data: { who: use.daemon.labels.join(', '), daemon: daemonName(use.daemon), path: use.path, detail },
    site: use.site,
    related: [{ path: use.path, message: 'the trust-anchor file' }],
  });
}

export default defineRule({
  meta: {
    id: 'certificate-load-failure',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'Every key, certificate and CA file a TLS setting names must load the way Postfix loads it, or the daemon runs without TLS.',
    why: 'Postfix loads its keys, certificates and CA file when a daemon starts. When one is missing, not PEM, encrypted, a key where a certificate belongs, a key that does not match its certificate, or chain files in the wrong order, the daemon logs the problem and "disabling TLS support": smtpd still announces STARTTLS but answers it with "454 4.7.0 TLS not available due to local problem", so inbound mail arrives in plaintext, silently; the SMTP client sends in plaintext or defers mail that requires TLS with "TLS is required, but our TLS engine is unavailable".',
    parameters: [
      'smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_key_file', 'smtpd_tls_eccert_file', 'smtpd_tls_eckey_file', 'smtpd_tls_dcert_file', 'smtpd_tls_dkey_file', 'smtpd_tls_CAfile',
      'smtp_tls_chain_files', 'smtp_tls_cert_file', 'smtp_tls_key_file', 'smtp_tls_eccert_file', 'smtp_tls_eckey_file', 'smtp_tls_dcert_file', 'smtp_tls_dkey_file', 'smtp_tls_CAfile', 'smtp_tls_trust_anchor_file',
      'lmtp_tls_chain_files', 'lmtp_tls_cert_file', 'lmtp_tls_key_file', 'lmtp_tls_CAfile', 'lmtp_tls_trust_anchor_file', 'tlsproxy_tls_chain_files', 'tlsproxy_tls_cert_file', 'tlsproxy_tls_key_file', 'tls_server_sni_maps',
    ],
    fixable: false,
    messages: {
      missing: '{{daemon}} cannot load {{what}}: {{brief}}. It logs "{{log}}" and runs without TLS: {{effect}}',
      mismatch: '{{daemon}} cannot load {{what}}: {{brief}}. {{detail}}. It logs "{{log}}" and runs without TLS: {{effect}}',
      encrypted: '{{daemon}} cannot load {{what}}: {{brief}}. {{detail}}. It logs "{{log}}" and runs without TLS: {{effect}}',
      load: '{{daemon}} cannot load {{what}}: {{brief}}. {{detail}}. It logs "{{log}}" and runs without TLS: {{effect}}',
      caFile: '{{daemon}} cannot load its CA file ({{param}}): {{detail}}. It logs "cannot load Certification Authority data, CAfile=\\"{{path}}\\": disabling TLS support" and runs without TLS: {{effect}}',
      trustAnchors: '{{who}}: {{daemon}} cannot load the trust-anchor file {{path}} ({{detail}}). The TLS policy becomes invalid and every message it covers is deferred with 4.7.5 "client TLS configuration problem"',
      unchecked: '{{path}} was not checked: {{reason}}. Postfix reads it as root when the daemon starts; run this linter as root to check it',
    },
    references: [
      { title: 'TLS_README: Server-side certificate and private key configuration', url: 'https://www.postfix.org/TLS_README.html#server_cert_key' },
      { title: 'postconf(5): smtpd_tls_chain_files (key first, then its certificate chain)', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_chain_files' },
      { title: 'postconf(5): smtpd_tls_key_file (the private key must not be encrypted)', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_key_file' },
      { title: 'Postfix source src/tls/tls_certkey.c: load_chain_files(), set_cert_stuff(), tls_set_ca_certificate_info() ("disabling TLS support")' },
      { title: 'Postfix source src/smtpd/smtpd.c: starttls_cmd() answers "454 4.7.0 TLS not available due to local problem" without a TLS context' },
      { title: 'Postfix source src/smtp/smtp_proto.c: "TLS is required, but our TLS engine is unavailable"' },
    ],
  },
  check() {
    // The files are checked by checkFiles, with what the CLI read (src/engine/lint-files.ts).
  },
  checkFiles(ctx) {
    for (const use of ctx.uses) {
      if (use.kind === 'credentials') credentials(ctx, use, ctx.report);
      else trust(ctx, use, ctx.report);
    }
  },
});
