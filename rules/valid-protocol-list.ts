import { defineRule } from '../src/engine/types.js';
import { handshakeFailureEffect, joinNames, literalNode, protocolLists, spliceTokens, usageNote, type ProtocolList } from '../src/model/protocol-lists.js';
import { closest } from '../src/engine/helpers.js';
import { replaceValue } from '../src/fixer/edits.js';
import {
  asciiLower,
  knowsTlsv13,
  parseProtocols,
  PROTOCOL_NAMES,
  supportsProtocolRanges,
  type ProtocolName,
} from '../src/model/values/index.js';

/** Spellings people use for protocol names, reduced to a key: lower case, no punctuation, no "v", "1.0" = "1". */
function compactName(name: string): string {
  return asciiLower(name)
    .replace(/[^a-z0-9]/g, '')
    .replace(/^(tls|ssl)v/, '$1')
    .replace(/^tls10$/, 'tls1');
}

/** The protocol a misspelt name unambiguously stands for (TLSv1_1, TLS1.2, tlsv12, SSL3, TLSv1.0), or null. */
function correctName(name: string, version: string, asBound: boolean): ProtocolName | null {
  const key = compactName(name);
  if (key === '') return null;
  for (const p of PROTOCOL_NAMES) {
    if (compactName(p) !== key) continue;
    if (p === 'TLSv1.3' && !knowsTlsv13(version)) return null;
    if (asBound && p === 'SSLv2') return null;
    return p;
  }
  return null;
}

function candidates(version: string, asBound: boolean): ProtocolName[] {
  return PROTOCOL_NAMES.filter((p) => !(p === 'TLSv1.3' && !knowsTlsv13(version)) && !(asBound && p === 'SSLv2'));
}

/** A replacement text for an invalid token when its meaning is unambiguous, else null. */
function correctToken(text: string, version: string): string | null {
  if (text.includes(';')) {
    const parts = text.split(';').filter((s) => s !== '');
    const fixed = parts.map((s) => (isValidAlone(s, version) ? s : correctToken(s, version)));
    return fixed.every((s): s is string => s !== null) && fixed.length > 0 ? fixed.join(', ') : null;
  }
  const op = text.slice(0, 2);
  if (op === '>=' || op === '<=') {
    if (!supportsProtocolRanges(version)) return null;
    const p = correctName(text.slice(2), version, true);
    return p ? op + p : null;
  }
  const bang = text.startsWith('!') ? '!' : '';
  const p = correctName(text.slice(bang.length), version, false);
  return p ? bang + p : null;
}

function isValidAlone(text: string, version: string): boolean {
  return parseProtocols(text, version).ok;
}

function suggestionFor(text: string, version: string): string | undefined {
  const op = text.slice(0, 2);
  const isBound = (op === '>=' || op === '<=') && supportsProtocolRanges(version);
  const prefix = isBound ? op : text.startsWith('!') ? '!' : '';
  const name = text.slice(prefix.length);
  // ">=SSLv2" is its own mistake (the message says so); "did you mean >=SSLv3" would only invite a weak floor.
  if (name === '' || text.includes(';') || (isBound && compactName(name) === 'ssl2')) return undefined;
  const exact = correctName(name, version, isBound);
  const guess = exact ?? closest(name, candidates(version, isBound), 2);
  return guess ? prefix + guess : undefined;
}

function effectOfInvalid(list: ProtocolList): string {
  if (list.role === 'server') {
    return `smtpd logs "Invalid TLS protocol list …: disabling TLS support" and answers STARTTLS with "454 4.7.0 TLS not available due to local problem"; ${handshakeFailureEffect(list)}`;
  }
  return list.mandatory
    ? 'the SMTP client logs "Invalid TLS protocol list …: aborting TLS session" on each delivery at level encrypt or stronger, and the message is deferred with 4.7.5 and stays queued'
    : 'the SMTP client logs "Invalid TLS protocol list …: aborting TLS session" on each delivery that tries STARTTLS; the message is deferred and, once it has waited minimal_backoff_time, sent in plaintext';
}

export default defineRule({
  meta: {
    id: 'valid-protocol-list',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'TLS protocol lists must contain only names and bounds the Postfix version accepts, without the ">= TLSv1.2" space trap.',
    why: 'Postfix rejects the whole protocol list when a single item is unknown, and postconf does not warn: the SMTP client then aborts TLS for every delivery that uses the list (deferral, then plaintext at level may), and smtpd disables TLS and answers STARTTLS with 454. A space after ">=" is accepted silently but turns the list into "this one version only".',
    parameters: ['smtp_tls_protocols', 'smtp_tls_mandatory_protocols', 'lmtp_tls_protocols', 'lmtp_tls_mandatory_protocols', 'smtpd_tls_protocols', 'smtpd_tls_mandatory_protocols'],
    fixable: true,
    summaries: {
      'unknown-name': '{{setting}}: "{{token}}" is not a protocol name, so Postfix rejects the whole list',
      separator: '{{setting}}: ";" is no separator, so Postfix rejects the whole list',
      'range-too-old': '{{setting}}: ">=" / "<=" need Postfix 3.6, so Postfix {{version}} rejects the whole list',
      'bad-bound': '{{setting}}: "{{token}}" is not a valid bound, so Postfix rejects the whole list',
      'tlsv13-too-old': '{{setting}}: Postfix {{version}} does not know TLSv1.3, so it rejects the whole list',
      'bound-space': '{{setting}}: the space after "{{op}}" allows only {{enabled}}',
      'bare-bound': '{{setting}}: "{{op}}" without a version limits nothing',
    },
    messages: {
      'unknown-name': '{{setting}}: "{{token}}" is not a protocol name Postfix {{version}} knows{{suggestion}}, so the whole list is invalid: {{effect}}{{usage}}{{more}}',
      separator: '{{setting}}: ";" does not separate list items (use ",", whitespace or ":"), so "{{token}}" is read as one unknown name and the whole list is invalid: {{effect}}{{usage}}{{more}}',
      'range-too-old': '{{setting}}: ">=" / "<=" bounds need Postfix 3.6 (this is {{version}}); "{{token}}" is read as an unknown name and the whole list is invalid: {{effect}}{{usage}}. Use exclusions such as "!SSLv2, !SSLv3"{{more}}',
      'bad-bound': '{{setting}}: "{{token}}" is not a valid bound (use None, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 or a hex version; SSLv2 cannot be a bound){{suggestion}}, so the whole list is invalid: {{effect}}{{usage}}{{more}}',
      'tlsv13-too-old': '{{setting}}: Postfix {{version}} does not know TLSv1.3 (it needs 3.4, or 3.0.14, 3.1.10, 3.2.7, 3.3.2), so "{{token}}" makes the whole list invalid: {{effect}}{{usage}}{{more}}',
      'bound-space': '{{setting}}: the space after "{{op}}" makes Postfix read "{{op}}" as "no bound" and "{{name}}" as an include list, so only {{enabled}} is allowed, not {{name}} and newer; write "{{op}}{{name}}"',
      'bare-bound': '{{setting}}: "{{op}}" without a version right after it means "no bound" and limits nothing; write the version directly after "{{op}}" (e.g. "{{op}}TLSv1.2")',
      'unsupported-bound': '{{setting}}: {{detail}}',
    },
    references: [
      { title: 'postconf(5): smtp_tls_protocols', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_protocols' },
      { title: 'postconf(5): smtpd_tls_protocols', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_protocols' },
      { title: 'postconf(5): smtp_tls_mandatory_protocols', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_mandatory_protocols' },
      { title: 'TLS_README: Opportunistic TLS (plaintext retry after a failed handshake)', url: 'https://www.postfix.org/TLS_README.html#client_tls_may' },
      { title: 'Postfix source: tls_proto_mask_lims() in src/tls/tls_misc.c' },
    ],
  },
  check({ model, report }) {
    for (const list of protocolLists(model)) {
      // Lists written in main.cf, or set by a master.cf -o or a policy entry's protocols= (reported there).
      if (list.source === 'default' || (list.source === 'file' && !list.node)) continue;
      const node = list.node;
      const { parsed, value } = list;
      const setting = `${list.param} = ${node ? node.value : value}`;
      const usage = usageNote(list);
      if (!parsed.ok) {
        const invalid = parsed.tokens.filter((t) => !t.valid);
        const first = invalid[0];
        if (!first) continue;
        const more = invalid.length > 1 ? `; also invalid: ${invalid.slice(1).map((t) => `"${t.text}"`).join(', ')}` : '';
        const op = first.text.slice(0, 2);
        const isBound = op === '>=' || op === '<=';
        const nameAfterBang = first.text.startsWith('!') ? first.text.slice(1) : first.text;
        let messageId: string;
        if (first.text.includes(';')) messageId = 'separator';
        else if (isBound && !supportsProtocolRanges(model.version)) messageId = 'range-too-old';
        else if (isBound) messageId = 'bad-bound';
        else if (asciiLower(nameAfterBang) === 'tlsv1.3') messageId = 'tlsv13-too-old';
        else messageId = 'unknown-name';
        const suggestion = messageId === 'unknown-name' || messageId === 'bad-bound' ? suggestionFor(first.text, model.version) : undefined;
        // A fix only where every bad item has exactly one meaning (typo of a name, ";" for ","): it restores the
        // admin's own list, so it never allows less than was written.
        const literal = literalNode(list);
        let fix = null;
        if (literal && (messageId === 'unknown-name' || messageId === 'separator' || messageId === 'bad-bound')) {
          const edits = new Map<number, string | null>();
          for (const t of invalid) edits.set(parsed.tokens.indexOf(t), correctToken(t.text, model.version));
          if ([...edits.values()].every((v) => v !== null)) {
            const fixed = spliceTokens(value, parsed.tokens, edits);
            if (parseProtocols(fixed, model.version).ok) {
              fix = { kind: 'safe' as const, description: `set ${list.param} = ${fixed}`, edits: [replaceValue(model.file, literal, fixed)] };
            }
          }
        }
        report({
          messageId,
          data: {
            setting,
            token: first.text,
            version: model.version,
            suggestion: suggestion ? ` (did you mean "${suggestion}"?)` : '',
            effect: effectOfInvalid(list),
            usage,
            more,
          },
          parameter: list.param,
          node,
          fix,
        });
        continue;
      }
      for (const d of parsed.diagnostics) {
        if (d.code === 'protocols-bound-space') {
          const idx = parsed.tokens.findIndex((t) => t.offset === d.offset);
          const tok = parsed.tokens[idx];
          const next = parsed.tokens[idx + 1];
          const op = tok.text.slice(0, 2);
          if (next && next.kind === 'include' && next.protocol) {
            const includes = parsed.tokens.filter((t) => t.kind === 'include');
            const literal = literalNode(list);
            // ">= NAME" -> ">=NAME" keeps the floor at NAME and adds only newer versions; "<= NAME" would
            // lower the floor, so it gets no fix.
            const fixed = op === '>=' && includes.length === 1 && literal ? value.slice(0, tok.offset + 2) + value.slice(next.offset) : null;
            report({
              messageId: 'bound-space',
              data: { setting, op, name: next.protocol, enabled: parsed.enabled.length ? joinNames(parsed.enabled) : 'no protocol' },
              parameter: list.param,
              node,
              severity: 'warning',
              fix: fixed !== null && literal ? { kind: 'safe', description: `set ${list.param} = ${fixed}`, edits: [replaceValue(model.file, literal, fixed)] } : null,
            });
          } else {
            report({ messageId: 'bare-bound', data: { setting, op }, parameter: list.param, node, severity: 'warning' });
          }
        } else if (d.code === 'protocols-bound-unsupported') {
          report({ messageId: 'unsupported-bound', data: { setting, detail: d.message }, parameter: list.param, node, severity: 'warning' });
        }
      }
    }
  },
});
