import { defineRule } from '../src/engine/types.js';
import { clientLevel } from '../src/model/client-tls.js';
import { outboundRouting } from '../src/model/routing.js';
import { insertParam, replaceValue, separatorStyle, setParam } from '../src/fixer/edits.js';
import { parseTlsLoglevel } from '../src/model/values/index.js';
import type { ConfigModel } from '../src/model/config.js';
import type { Edit } from '../src/engine/types.js';
import { fingerCommand } from '../src/engine/helpers.js';

/** The level edit plus smtp_tls_loglevel = 1 when the client would log nothing about TLS sessions; null when it already logs. */
function withSessionLogging(model: ConfigModel, levelEdit: Edit): Edit[] | null {
  const parsed = parseTlsLoglevel(model.value('smtp_tls_loglevel'), model.version, 'smtp_tls_loglevel');
  if (!parsed.ok || parsed.level > 0 || parsed.features.length > 0) return null;
  const node = model.definition('smtp_tls_loglevel');
  if (node) return [levelEdit, replaceValue(model.file, node, '1')];
  if (levelEdit.range[0] !== levelEdit.range[1]) return [levelEdit, insertParam(model.file, 'smtp_tls_loglevel', '1', model.definition('smtp_tls_security_level'))];
  // The level is a new line: the loglevel line goes right after it, in the same insertion.
  const eol = model.file.eol;
  const line = `smtp_tls_loglevel${separatorStyle(model.file)}1`;
  const text = levelEdit.text.endsWith(eol) ? levelEdit.text + line + eol : levelEdit.text + eol + line;
  return [{ range: levelEdit.range, text }];
}

export default defineRule({
  meta: {
    id: 'tls-off-outbound',
    category: 'security',
    defaultSeverity: 'warning',
    description: 'The Postfix SMTP client should use opportunistic TLS (smtp_tls_security_level = may) rather than none.',
    why: 'With TLS off the SMTP client never issues STARTTLS, so every message crosses the internet in plaintext even to servers that offer TLS. Opportunistic TLS ("may") costs nothing in deliverability: a peer without STARTTLS still gets the mail in plaintext, and a failed handshake is retried in plaintext.',
    parameters: ['smtp_tls_security_level', 'smtp_use_tls', 'smtp_enforce_tls', 'compatibility_level'],
    fixable: true,
    summaries: {
      explicit: 'smtp_tls_security_level = none: outbound mail never uses TLS',
      implicit: 'outbound mail never uses TLS (smtp_tls_security_level empty, {{legacy}})',
    },
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
    const levelEdit = setParam(model.file, 'smtp_tls_security_level', 'may', existing, ['smtp_use_tls', 'smtp_enforce_tls']);
    // Turning TLS on without logging it would only trade this finding for tls-loglevel-zero: the fix does both, and says so.
    const logging = withSessionLogging(model, levelEdit);
    const fix = {
      kind: 'safe' as const,
      description: logging ? 'set smtp_tls_security_level = may and smtp_tls_loglevel = 1 (one log line per TLS session)' : 'set smtp_tls_security_level = may',
      edits: logging ?? [levelEdit],
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
