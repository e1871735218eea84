import { defineRule } from '../src/engine/types.js';
import { clientLevel } from '../src/model/client-tls.js';
import { outboundRouting } from '../src/model/routing.js';
import { setParam } from '../src/fixer/edits.js';
import { fingerCommand } from '../src/engine/helpers.js';

export default defineRule({
  meta: {
    id: 'tls-off-outbound',
    category: 'security',
    defaultSeverity: 'warning',
    description: 'The Postfix SMTP client should use opportunistic TLS (smtp_tls_security_level = may) rather than none.',
    why: 'With TLS off the SMTP client never issues STARTTLS, so every message crosses the internet in plaintext even to servers that offer TLS. Opportunistic TLS ("may") costs nothing in deliverability: a peer without STARTTLS still gets the mail in plaintext, and a failed handshake is retried in plaintext.',
    parameters: ['smtp_tls_security_level', 'smtp_use_tls', 'smtp_enforce_tls', 'compatibility_level'],
    fixable: true,
    messages: {
      explicit: 'smtp_tls_security_level = none: outbound mail never uses TLS, even with servers that offer STARTTLS; set it to "may"',
      implicit:
        'outbound mail never uses TLS: smtp_tls_security_level is empty and {{legacy}} (Postfix {{version}} default); set smtp_tls_security_level = may',
    },
    references: [
      { title: 'postconf(5): smtp_tls_security_level', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_security_level' },
      { title: 'TLS_README: Opportunistic TLS', url: 'https://www.postfix.org/TLS_README.html#client_tls_may' },
      { title: 'Postfix 3.11 RELEASE_NOTES: smtp_tls_security_level defaults to may at compatibility_level 3.11' },
      { title: 'RFC 3207: SMTP Service Extension for Secure SMTP over TLS', url: 'https://www.rfc-editor.org/rfc/rfc3207' },
    ],
  },
  check({ model, report }) {
    if (outboundRouting(model).kind === 'no-outbound') return;
    const { level, source } = clientLevel(model, 'smtp');
    if (level !== 'none') return;
    const existing = model.definition('smtp_tls_security_level');
    const fix = {
      kind: 'safe' as const,
      description: 'set smtp_tls_security_level = may',
      edits: [setParam(model.file, 'smtp_tls_security_level', 'may', existing, ['smtp_use_tls', 'smtp_enforce_tls'])],
    };
    const confirm = fingerCommand({ level: 'may' });
    if (existing && existing.value !== '') {
      report({ messageId: 'explicit', parameter: 'smtp_tls_security_level', node: existing, fix, confirm });
      return;
    }
    const useTls = model.definition('smtp_use_tls');
    report({
      messageId: 'implicit',
      data: {
        legacy: useTls ? `smtp_use_tls = ${useTls.value}` : 'smtp_use_tls is off',
        version: model.version,
      },
      parameter: 'smtp_tls_security_level',
      node: existing ?? source.node ?? useTls,
      fix,
      confirm,
    });
  },
});
