import { defineRule } from '../src/engine/types.js';
import type { ConfigModel } from '../src/model/config.js';
import type { ParamNode } from '../src/parser/main-cf.js';
import { clientLevel } from '../src/model/client-tls.js';
import { defaultFor } from '../src/model/catalogue/index.js';
import { closest, describeSetting } from '../src/engine/helpers.js';
import { replaceValue } from '../src/fixer/edits.js';
import {
  asciiLower,
  knowsTlsv13,
  legacyServerLevel,
  parseBoolean,
  parseProtocols,
  parseServerSecurityLevel,
  PROTOCOL_NAMES,
  PROTOCOL_WIRE_VERSION,
  supportsProtocolRanges,
  usesMandatorySettings,
  type ProtocolName,
  type ProtocolsResult,
  type ProtocolToken,
  type ServerSecurityLevel,
} from '../src/model/values/index.js';

// ---------------------------------------------------------------------------
// Shared by the protocol-list rules (obsolete-protocols, no-usable-protocol,
// opportunistic-protocol-floor, protocols-wrong-knob,
// mandatory-protocols-allow-tls1). Rule files are the only place these rules
// may live, so the helpers are named exports of this one.
// ---------------------------------------------------------------------------

export type ProtocolListPrefix = 'smtp' | 'lmtp' | 'smtpd';

/** One of smtp_/lmtp_/smtpd_tls_[mandatory_]protocols, resolved and parsed for the model's version. */
export interface ProtocolList {
  readonly param: string;
  readonly prefix: ProtocolListPrefix;
  readonly role: 'client' | 'server';
  readonly mandatory: boolean;
  /** The other list of the same daemon (opportunistic <-> mandatory). */
  readonly twin: string;
  readonly source: 'file' | 'default' | 'override';
  /** The winning definition when the file sets it. */
  readonly node?: ParamNode;
  /** Expanded value, as Postfix parses it. */
  readonly value: string;
  readonly parsed: ProtocolsResult;
  /** The version's default value and its parse (to tell "tightened" from "left alone"). */
  readonly defaultValue: string;
  readonly parsedDefault: ProtocolsResult;
  /** The security level configured for this daemon ("none" when TLS is off, null when the level itself is invalid). */
  readonly level: string | null;
  readonly levelParam: string;
  readonly levelNode?: ParamNode;
  /** The configured level reads this list (client: may/dane read the opportunistic one, encrypt and above the mandatory one). */
  readonly inForce: boolean;
  /** Client only: a TLS policy table is set, so per-destination levels may read either list. */
  readonly policyMaps: boolean;
}

export interface ServerLevel {
  readonly level: ServerSecurityLevel | null;
  readonly param: string;
  readonly node?: ParamNode;
}

function yes(model: ConfigModel, name: string): boolean {
  return parseBoolean(model.value(name)).value === true;
}

/** The level smtpd runs at: smtpd_tls_security_level, or the obsolete booleans when it is empty. */
export function serverLevel(model: ConfigModel): ServerLevel {
  const param = 'smtpd_tls_security_level';
  const parsed = parseServerSecurityLevel(model.value(param), model.version);
  if (!parsed.ok) return { level: null, param, node: model.definition(param) };
  if (parsed.level) return { level: parsed.level, param, node: model.definition(param) };
  const level = legacyServerLevel({ useTls: yes(model, 'smtpd_use_tls'), enforceTls: yes(model, 'smtpd_enforce_tls') });
  const deciding = level === 'encrypt' ? 'smtpd_enforce_tls' : level === 'may' ? 'smtpd_use_tls' : param;
  return { level, param: deciding, node: model.definition(deciding) };
}

// Six rules ask for the same lists of the same model: build them once per model.
const listsByModel = new WeakMap<ConfigModel, readonly ProtocolList[]>();

/** The six protocol lists (those that exist in the model's version), opportunistic before mandatory. */
export function protocolLists(model: ConfigModel): readonly ProtocolList[] {
  let lists = listsByModel.get(model);
  if (!lists) {
    lists = buildProtocolLists(model);
    listsByModel.set(model, lists);
  }
  return lists;
}

function buildProtocolLists(model: ConfigModel): ProtocolList[] {
  const lists: ProtocolList[] = [];
  for (const prefix of ['smtp', 'lmtp', 'smtpd'] as const) {
    const role = prefix === 'smtpd' ? 'server' : 'client';
    let level: string | null;
    let levelParam: string;
    let levelNode: ParamNode | undefined;
    let mandatoryInForce = false;
    let opportunisticInForce = false;
    if (prefix === 'smtpd') {
      const s = serverLevel(model);
      [level, levelParam, levelNode] = [s.level, s.param, s.node];
      mandatoryInForce = s.level === 'encrypt';
      opportunisticInForce = s.level === 'may';
    } else {
      const c = clientLevel(model, prefix);
      [level, levelParam, levelNode] = [c.level, c.source.param, c.source.node];
      mandatoryInForce = c.level !== null && usesMandatorySettings(c.level);
      // dane without usable TLSA records acts as may, with the opportunistic list.
      opportunisticInForce = c.level === 'may' || c.level === 'dane';
    }
    const policyMaps = role === 'client' && model.value(`${prefix}_tls_policy_maps`).trim() !== '';
    for (const mandatory of [false, true]) {
      const param = `${prefix}_tls_${mandatory ? 'mandatory_' : ''}protocols`;
      const twin = `${prefix}_tls_${mandatory ? '' : 'mandatory_'}protocols`;
      const resolved = model.resolve(param);
      if (!resolved) continue;
      const value = model.value(param);
      // Protocol defaults are literal lists (no $name), so the catalogue text is the value.
      const defaultValue = defaultFor(param, model.version) ?? '';
      lists.push({
        param,
        prefix,
        role,
        mandatory,
        twin,
        source: resolved.source,
        node: resolved.node,
        value,
        parsed: parseProtocols(value, model.version, { role }),
        defaultValue,
        parsedDefault: parseProtocols(defaultValue, model.version, { role }),
        level: level ?? null,
        levelParam,
        levelNode,
        inForce: mandatory ? mandatoryInForce : opportunisticInForce,
        policyMaps,
      });
    }
  }
  return lists;
}

/** "smtp_tls_protocols = >=TLSv1.2 (line 4)" or "smtp_tls_protocols = !SSLv2 (default)". */
export function describeList(model: ConfigModel, list: ProtocolList): string {
  return describeSetting(model, list.param);
}

export function wire(p: ProtocolName): number {
  return PROTOCOL_WIRE_VERSION[p];
}

/** The lowest protocol the list asks for (before OpenSSL availability), or null. */
export function requestedFloor(parsed: ProtocolsResult): ProtocolName | null {
  return parsed.ok ? (parsed.requested[0] ?? null) : null;
}

/** "TLSv1 and TLSv1.1", "SSLv2, SSLv3 and TLSv1". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** What a failing handshake with this list means for mail (used for invalid and empty lists). */
export function handshakeFailureEffect(list: Pick<ProtocolList, 'role' | 'mandatory'>): string {
  if (list.role === 'server') {
    return list.mandatory
      ? 'while smtpd requires TLS (level encrypt) no client can complete STARTTLS, so no mail is accepted on that service'
      : 'clients that insist on TLS cannot deliver, the others retry in plaintext';
  }
  return list.mandatory
    ? 'every delivery at level encrypt or stronger is deferred with 4.7.5 and stays queued'
    : 'every delivery that tries STARTTLS is deferred, then sent in plaintext once the message has waited minimal_backoff_time';
}

/** "" when the configured level reads the list, else a note saying when it will matter. */
export function usageNote(list: ProtocolList): string {
  if (list.inForce) return '';
  if (list.level === 'none') return ` (TLS is off for ${list.prefix} at the moment, so this only matters once it is turned on${list.policyMaps ? ' or a policy entry selects it' : ''})`;
  if (list.level === null) return '';
  return ` (level "${list.level}" does not read this list; it matters once a level change${list.policyMaps ? ', a policy table entry' : ''} or a master.cf override selects it)`;
}

/**
 * Rebuild a value from its tokens: `edits` maps a token index to its new text,
 * or to null to drop the token. Replacements keep the original separators;
 * when a token is dropped the remaining items are joined in the value's style.
 */
export function spliceTokens(value: string, tokens: readonly ProtocolToken[], edits: ReadonlyMap<number, string | null>): string {
  const text = (i: number): string | null => (edits.has(i) ? (edits.get(i) ?? null) : tokens[i].text);
  if ([...edits.values()].some((v) => v === null)) {
    return tokens.map((_, i) => text(i)).filter((t): t is string => t !== null).join(listSeparator(value));
  }
  let out = '';
  let pos = 0;
  tokens.forEach((t, i) => {
    out += value.slice(pos, t.offset) + text(i);
    pos = t.offset + t.text.length;
  });
  return (out + value.slice(pos)).trim();
}

/** The separator a value already uses between items (", " when it has commas, else a space). */
export function listSeparator(value: string): string {
  return value.includes(',') ? ', ' : ' ';
}

/** Whether a fix may rewrite the value: the file sets it literally (no $name expansion to follow). */
export function literalNode(list: ProtocolList): ParamNode | undefined {
  return list.node && !list.node.rawValue.includes('$') ? list.node : undefined;
}

// ---------------------------------------------------------------------------
// The rule: protocol lists Postfix rejects, and the ">= TLSv1.2" trap.
// ---------------------------------------------------------------------------

/** Spellings people use for protocol names, reduced to a key: lower case, no punctuation, no "v", "1.0" = "1". */
function compactName(name: string): string {
  return asciiLower(name)
    .replace(/[^a-z0-9]/g, '')
    .replace(/^(tls|ssl)v/, '$1')
    .replace(/^tls10$/, 'tls1');
}

/** The protocol a misspelt name unambiguously stands for (TLSv1_1, TLS1.2, tlsv12, SSL3, TLSv1.0), or null. */
export function correctName(name: string, version: string, asBound: boolean): ProtocolName | null {
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
      if (list.source !== 'file' || !list.node) continue;
      const node = list.node;
      const { parsed, value } = list;
      const setting = `${list.param} = ${node.value}`;
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
