import { defineRule } from '../src/engine/types.js';
import { describeSetting } from '../src/engine/helpers.js';
import { replaceValue, setParam } from '../src/fixer/edits.js';
import { parseProtocols, PROTOCOL_WIRE_VERSION, supportsProtocolRanges, type ProtocolsResult } from '../src/model/values/index.js';
import { joinNames, listSeparator, literalNode, protocolLists, spliceTokens, type ProtocolList } from '../src/model/protocol-lists.js';

type Ssl = 'SSLv2' | 'SSLv3';

/**
 * SSL versions a valid list still asks for. SSLv2 only counts before 3.6:
 * from 3.6 Postfix needs OpenSSL 1.1.1, which has no SSLv2 at all.
 */
function sslAllowed(parsed: ProtocolsResult, version: string): Ssl[] {
  if (!parsed.ok) return [];
  const out: Ssl[] = [];
  if (!supportsProtocolRanges(version) && !parsed.excluded.includes('SSLv2') && parsed.floor === null) out.push('SSLv2');
  if (parsed.requested.includes('SSLv3')) out.push('SSLv3');
  return out;
}

/** How the list lets SSL in, in words. */
function how(parsed: ProtocolsResult, allowed: readonly Ssl[]): string {
  const floor = [...parsed.tokens].reverse().find((t) => t.kind === 'floor');
  if (floor && floor.bound !== undefined && floor.bound !== 0 && floor.bound <= PROTOCOL_WIRE_VERSION.SSLv3) return `"${floor.text}" puts the floor at SSLv3`;
  const included = parsed.tokens.filter((t) => t.kind === 'include' && (t.protocol === 'SSLv2' || t.protocol === 'SSLv3'));
  if (included.length > 0) return `the list includes ${joinNames(included.map((t) => t.protocol!))}`;
  if (parsed.tokens.length === 0) return 'an empty list allows every protocol';
  return `nothing excludes ${joinNames(allowed)}`;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The smallest rewrite that removes SSL and nothing else: the result must ask
 * for exactly the TLS versions the old list asked for. Null when no candidate
 * does (then no fix is offered).
 */
export function withoutSsl(value: string, parsed: ProtocolsResult, version: string): string | null {
  const ranges = supportsProtocolRanges(version);
  const target = parsed.requested.filter((p) => p !== 'SSLv3');
  const sep = listSeparator(value);
  const tokens = parsed.tokens;
  const candidates: string[] = [];
  const onlySslExclusions = tokens.every((t) => t.kind === 'exclude' && (t.protocol === 'SSLv2' || t.protocol === 'SSLv3'));
  if (onlySslExclusions) candidates.push(ranges ? '>=TLSv1' : '!SSLv2, !SSLv3');
  if (ranges) {
    const floorIdx = tokens.map((t) => t.kind).lastIndexOf('floor');
    if (floorIdx >= 0) candidates.push(spliceTokens(value, tokens, new Map([[floorIdx, '>=TLSv1']])));
  }
  const sslIncludes = tokens.flatMap((t, i) => (t.kind === 'include' && (t.protocol === 'SSLv2' || t.protocol === 'SSLv3') ? [i] : []));
  if (sslIncludes.length > 0) candidates.push(spliceTokens(value, tokens, new Map(sslIncludes.map((i) => [i, null]))));
  if (ranges) candidates.push(`${value}${sep}>=TLSv1`);
  const missing = (['SSLv2', 'SSLv3'] as const).filter((p) => !parsed.excluded.includes(p)).map((p) => '!' + p);
  candidates.push(`${value}${sep}${missing.join(sep)}`);
  for (const c of candidates) {
    const r = parseProtocols(c, version);
    if (r.ok && r.requested.length > 0 && sslAllowed(r, version).length === 0 && sameSet(r.requested, target)) return c;
  }
  return null;
}

function useOf(list: ProtocolList): string {
  if (list.role === 'server') return list.mandatory ? 'smtpd uses it when TLS is required (level encrypt)' : 'smtpd uses it when TLS is optional (level may)';
  return list.mandatory ? `the ${list.prefix} client uses it at level encrypt and above` : `the ${list.prefix} client uses it for opportunistic TLS (level may)`;
}

function riskOf(allowed: readonly Ssl[]): string {
  if (allowed.length === 2) return 'SSLv2 and SSLv3 are broken (RFC 6176, RFC 7568); OpenSSL 1.1+ builds lack SSLv2 and usually SSLv3, but the configuration still asks for them';
  if (allowed[0] === 'SSLv2') return 'SSLv2 is broken (RFC 6176); OpenSSL 1.1+ has none, but this Postfix may be linked with an older OpenSSL';
  return 'SSLv3 is broken (POODLE, RFC 7568); OpenSSL 1.1+ builds usually leave it out, but the configuration still asks for it';
}

function saferDefault(version: string): string {
  return supportsProtocolRanges(version) ? '>=TLSv1' : '!SSLv2, !SSLv3';
}

export default defineRule({
  meta: {
    id: 'obsolete-protocols',
    category: 'security',
    defaultSeverity: 'error',
    description: 'TLS protocol lists should exclude SSLv2 and SSLv3, explicitly or through a version default that already does.',
    why: 'SSLv3 is broken (POODLE; RFC 7568 forbids it) and SSLv2 even more so (RFC 6176). OpenSSL 1.1.0 and later usually ship without SSLv3 and never have SSLv2, so the request is often latent, but a build that still has them, or an older Postfix linked with OpenSSL 1.0.x, will negotiate them with a peer that asks. Postfix releases before mid-2015 (2.11.0-2.11.5, 3.0.0-3.0.1) still allowed SSLv3 by default.',
    parameters: ['smtp_tls_protocols', 'smtp_tls_mandatory_protocols', 'lmtp_tls_protocols', 'lmtp_tls_mandatory_protocols', 'smtpd_tls_protocols', 'smtpd_tls_mandatory_protocols', 'smtp_tls_security_level', 'smtpd_tls_security_level'],
    fixable: true,
    messages: {
      explicit: '{{setting}} allows {{protocols}}: {{how}}; {{use}}. {{risk}}; {{change}}',
      default: '{{setting}}: the Postfix {{version}} default still allows {{protocols}}, and {{use}}. {{risk}}; set {{param}} = {{suggested}}',
    },
    references: [
      { title: 'RFC 7568: Deprecating Secure Sockets Layer Version 3.0', url: 'https://www.rfc-editor.org/rfc/rfc7568' },
      { title: 'RFC 6176: Prohibiting Secure Sockets Layer (SSL) Version 2.0', url: 'https://www.rfc-editor.org/rfc/rfc6176' },
      { title: 'postconf(5): smtp_tls_protocols (defaults by version)', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_protocols' },
      { title: 'Postfix RELEASE_NOTES-3.0: Incompatible change with Postfix 3.0.2 (SSLv3 disabled by default)' },
      { title: 'postconf(5): smtpd_tls_mandatory_protocols', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_mandatory_protocols' },
    ],
  },
  check({ model, report }) {
    for (const list of protocolLists(model)) {
      const allowed = sslAllowed(list.parsed, model.version);
      if (allowed.length === 0) continue;
      const isDefault = list.source === 'default';
      // A weak default only matters where it is read: DANE levels exclude SSL by themselves.
      if (isDefault && (!list.inForce || (list.mandatory && (list.level === 'dane' || list.level === 'dane-only')))) continue;
      // The opportunistic client list falls back to plaintext anyway; everywhere else SSL is the weakest link of mandatory or inbound TLS.
      const severity = list.role === 'client' && !list.mandatory ? 'warning' : 'error';
      const protocols = joinNames(allowed);
      const risk = riskOf(allowed);
      if (isDefault) {
        const suggested = saferDefault(model.version);
        report({
          messageId: 'default',
          data: { setting: describeSetting(model, list.param), version: model.version, protocols, use: useOf(list), risk, param: list.param, suggested },
          parameter: list.param,
          severity,
          related: list.levelNode ? [{ node: list.levelNode, message: `${list.levelParam} selects ${list.param}` }] : [],
          fix: { kind: 'safe', description: `set ${list.param} = ${suggested}`, edits: [setParam(model.file, list.param, suggested, undefined, [list.twin])] },
        });
        continue;
      }
      const literal = literalNode(list);
      const fixed = literal ? (list.value.trim() === '' ? saferDefault(model.version) : withoutSsl(list.value, list.parsed, model.version)) : null;
      report({
        messageId: 'explicit',
        data: {
          setting: describeSetting(model, list.param),
          protocols,
          how: how(list.parsed, allowed),
          use: useOf(list),
          risk,
          change: fixed ? `set it to "${fixed}"` : `exclude ${joinNames(allowed)} (${saferDefault(model.version)})`,
        },
        parameter: list.param,
        node: list.node,
        severity,
        fix: fixed && literal ? { kind: 'safe', description: `set ${list.param} = ${fixed}`, edits: [replaceValue(model.file, literal, fixed)] } : null,
      });
    }
  },
});
