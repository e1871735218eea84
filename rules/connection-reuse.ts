import { defineRule } from '../src/engine/types.js';
import { clientLevel, type ClientPrefix } from '../src/model/client-tls.js';
import { outboundRouting } from '../src/model/routing.js';
import { parseBoolean } from '../src/model/values/index.js';
import { compareVersions, versionAtLeast } from '../src/model/version.js';

const PREFIXES: readonly ClientPrefix[] = ['smtp', 'lmtp'];

/** The connection_reuse policy attribute was rejected as an invalid name before these patch releases. */
function policyAttributeBroken(version: string): boolean {
  if (!/^\d+\.\d+\.\d+/.test(version)) return false; // a bare release line stands for its latest patch
  return (
    (versionAtLeast(version, '3.4') && compareVersions(version, '3.4.14') < 0) ||
    (versionAtLeast(version, '3.5') && compareVersions(version, '3.5.4') < 0)
  );
}

export default defineRule({
  meta: {
    id: 'connection-reuse',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'smtp_tls_connection_reuse = yes needs Postfix 3.4 or later and an active tlsproxy(8) service in master.cf.',
    why: 'With TLS connection reuse the SMTP client does not run TLS itself: it hands every TLS session to tlsproxy(8) and keeps the connection in scache(8). tlsproxy is enabled only by a master.cf line that is commented out by default; without it every TLS handshake fails (there is deliberately no fallback to in-process TLS), so mandatory-TLS mail is deferred and opportunistic mail goes out in plaintext after a retry. Where it works, a peer that mishandles reused connections is better excluded with a per-destination policy entry than by turning reuse off for everyone.',
    parameters: ['smtp_tls_connection_reuse', 'lmtp_tls_connection_reuse', 'smtp_tls_security_level', 'smtp_tls_policy_maps', 'tlsproxy_service_name'],
    fixable: false,
    summaries: {
      noTlsproxy: '{{name}} = yes but {{masterCf}} has no active tlsproxy service: every TLS attempt fails',
    },
    messages: {
      unsupported:
        '{{name}} = yes: TLS connection reuse needs Postfix 3.4 or later; Postfix {{version}} does not know this parameter, ignores it (postconf reports it as unused) and cannot cache TLS connections at all',
      noTlsproxy:
        '{{name}} = yes hands every TLS session to tlsproxy(8), but {{masterCf}} has no active tlsproxy service: each TLS attempt fails with "connect to private/{{service}} service: Connection refused" and is deferred with 4.7.5 "Cannot start TLS: handshake failure", at every level including "may" (which sends in plaintext only on a later retry). Enable it in master.cf: "{{service}} unix - - n - 0 tlsproxy" (uncomment the existing line), then "postfix reload"',
      enabled:
        '{{name}} = yes: TLS connections are handed to tlsproxy(8) and reused{{masterNote}}. If one peer misbehaves with reused sessions, exclude it with "connection_reuse=no" in its {{prefix}}_tls_policy_maps entry rather than turning reuse off for everyone{{attributeNote}}',
    },
    references: [
      { title: 'postconf(5): smtp_tls_connection_reuse', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_connection_reuse' },
      { title: 'TLS_README: Client-side TLS connection reuse', url: 'https://www.postfix.org/TLS_README.html#client_tls_reuse' },
      { title: 'tlsproxy(8)', url: 'https://www.postfix.org/tlsproxy.8.html' },
      { title: 'Postfix 3.4 RELEASE_NOTES: TLS connection pooling' },
      { title: 'Postfix HISTORY 20200617: connection_reuse policy attribute fixed in 3.4.14 and 3.5.4' },
    ],
  },
  check({ model, facts, report }) {
    const routing = outboundRouting(model);
    for (const prefix of PREFIXES) {
      const name = `${prefix}_tls_connection_reuse`;
      if (parseBoolean(model.value(name)).value !== true) continue;
      const node = model.definition(name);
      if (!versionAtLeast(model.version, '3.4')) {
        report({ messageId: 'unsupported', data: { name, version: model.version }, parameter: name, node });
        continue;
      }
      if (prefix === 'smtp' && routing.kind === 'no-outbound') continue;
      // Without any TLS (globally or per destination) tlsproxy is never contacted.
      const { level } = clientLevel(model, prefix);
      if (level === 'none' && model.value(`${prefix}_tls_policy_maps`).trim() === '') continue;
      const service = model.value('tlsproxy_service_name').trim() || 'tlsproxy';
      if (facts.masterCf && !facts.masterCf.tlsproxyActive) {
        report({ messageId: 'noTlsproxy', data: { name, masterCf: facts.masterCf.path, service }, parameter: name, node });
        continue;
      }
      report({
        messageId: 'enabled',
        data: {
          name,
          prefix,
          masterNote: facts.masterCf ? '' : ` (make sure master.cf has an active "${service} unix - - n - 0 tlsproxy" line: without it every TLS handshake fails)`,
          attributeNote: policyAttributeBroken(model.version)
            ? ` (the connection_reuse attribute only works from Postfix 3.4.14 and 3.5.4; Postfix ${model.version} rejects it as an invalid attribute and defers that destination)`
            : '',
        },
        parameter: name,
        node,
        severity: 'info',
      });
    }
  },
});
