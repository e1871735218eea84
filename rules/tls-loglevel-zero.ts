import { defineRule } from '../src/engine/types.js';
import { clientLevel, type ClientPrefix } from '../src/model/client-tls.js';
import { outboundRouting } from '../src/model/routing.js';
import { parseTlsLoglevel } from '../src/model/values/index.js';
import { setParam } from '../src/fixer/edits.js';

const PREFIXES: readonly ClientPrefix[] = ['smtp', 'lmtp'];

export default defineRule({
  meta: {
    id: 'tls-loglevel-zero',
    category: 'correctness',
    defaultSeverity: 'info',
    description: 'A client that uses TLS should log a summary of each TLS session (smtp_tls_loglevel = 1).',
    why: 'At loglevel 0 the SMTP client writes nothing about TLS sessions that succeed: the log cannot tell an encrypted delivery from a plaintext one (for example after the opportunistic fallback), nor show the protocol, cipher or certificate trust of a session. Only failures appear, as bare "SSL_connect error" and "TLS library problem" lines. Loglevel 1 adds one "... TLS connection established to ...: TLSv1.3 with cipher ..." line per session, which is what you need to check a peer or a policy change; 2 and above are for debugging only.',
    parameters: ['smtp_tls_loglevel', 'smtp_tls_security_level', 'lmtp_tls_loglevel', 'lmtp_tls_security_level'],
    fixable: true,
    messages: {
      explicit:
        '{{prefix}}_tls_loglevel = {{value}} while the client uses TLS ({{level}}): successful TLS sessions leave no trace in the log (no "TLS connection established ... with cipher ..." line), so you cannot tell which deliveries were encrypted or what a peer negotiated, and failures show only as "SSL_connect error" lines. Set {{prefix}}_tls_loglevel = 1 (use 2 only temporarily to trace a failing handshake)',
      default:
        '{{prefix}}_tls_loglevel is 0 (default) while the client uses TLS ({{level}}): successful TLS sessions leave no trace in the log (no "TLS connection established ... with cipher ..." line), so you cannot tell which deliveries were encrypted or what a peer negotiated, and failures show only as "SSL_connect error" lines. Set {{prefix}}_tls_loglevel = 1 (use 2 only temporarily to trace a failing handshake)',
    },
    references: [
      { title: 'postconf(5): smtp_tls_loglevel', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_loglevel' },
      { title: 'TLS_README: Client-side TLS activity logging', url: 'https://www.postfix.org/TLS_README.html#client_logging' },
      { title: 'Postfix source src/tls/tls_client.c: SSL_connect errors are logged at every loglevel, the session summary from loglevel 1' },
    ],
  },
  check({ model, report }) {
    const routing = outboundRouting(model);
    for (const prefix of PREFIXES) {
      if (prefix === 'smtp' && routing.kind === 'no-outbound') continue;
      const { level } = clientLevel(model, prefix);
      if (level === null || level === 'none') continue;
      const param = `${prefix}_tls_loglevel`;
      const value = model.value(param);
      const parsed = parseTlsLoglevel(value, model.version, param);
      // Unknown words (logging off) are the value parser's finding; feature words already log something.
      if (!parsed.ok || parsed.level > 0 || parsed.features.length > 0) continue;
      const existing = model.definition(param);
      const fix = {
        kind: 'safe' as const,
        description: `set ${param} = 1`,
        edits: [setParam(model.file, param, '1', existing, [`${prefix}_tls_security_level`])],
      };
      const levelText = `level ${level}`;
      if (existing) {
        report({ messageId: 'explicit', data: { prefix, value: existing.value || '(empty)', level: levelText }, parameter: param, node: existing, fix });
      } else {
        report({ messageId: 'default', data: { prefix, level: levelText }, parameter: param, fix });
      }
    }
  },
});
