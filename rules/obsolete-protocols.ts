import { defineRule } from '../src/engine/types.js';
import { describeSetting } from '../src/engine/helpers.js';
import { replaceValue, setParam } from '../src/fixer/edits.js';
import { parseProtocols, PROTOCOL_NAMES, PROTOCOL_WIRE_VERSION, supportsProtocolRanges, type ProtocolName, type ProtocolsResult } from '../src/model/values/index.js';
import { floorValue, joinNames, listSeparator, literalNode, protocolLists, rangeReason, rangeWords, recommendedFloor, spliceTokens, type ProtocolList } from '../src/model/protocol-lists.js';

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

/**
 * The rewrite that removes SSL without narrowing the list: the result is a floor at the version the
 * protocol rules recommend for this list (recommendedFloor), keeps every version at or above it that
 * the old list asked for, and is never a list of names (a list of names excludes every version it does
 * not name, so it would lock the list at those versions). Null when no candidate qualifies.
 */
export function withoutSsl(value: string, parsed: ProtocolsResult, version: string, floor: ProtocolName = 'TLSv1'): string | null {
  const ranges = supportsProtocolRanges(version);
  const sep = listSeparator(value);
  const tokens = parsed.tokens;
  const keep = parsed.requested.filter((p) => PROTOCOL_WIRE_VERSION[p] >= PROTOCOL_WIRE_VERSION[floor]);
  const candidates: string[] = [];
  const hasIncludes = tokens.some((t) => t.kind === 'include');
  const onlySslExclusions = tokens.every((t) => t.kind === 'exclude' && (t.protocol === 'SSLv2' || t.protocol === 'SSLv3'));
  if (onlySslExclusions || hasIncludes) {
    // Replace the whole list by the floor; a ceiling the list had stays.
    const ceiling = [...tokens].reverse().find((t) => t.kind === 'ceiling');
    candidates.push(floorValue(floor, version) + (ceiling && ranges ? `${sep}${ceiling.text}` : ''));
  }
  if (!hasIncludes) {
    if (ranges) {
      const floorIdx = tokens.map((t) => t.kind).lastIndexOf('floor');
      if (floorIdx >= 0) candidates.push(spliceTokens(value, tokens, new Map([[floorIdx, `>=${floor}`]])));
      candidates.push(`${value}${sep}>=${floor}`);
    }
    const missing = PROTOCOL_NAMES.filter((p) => PROTOCOL_WIRE_VERSION[p] < PROTOCOL_WIRE_VERSION[floor] && !parsed.excluded.includes(p)).map((p) => '!' + p);
    candidates.push(`${value}${sep}${missing.join(sep)}`);
  }
  for (const c of candidates) {
    const r = parseProtocols(c, version);
    if (!r.ok || r.requested.length === 0 || sslAllowed(r, version).length > 0) continue;
    if (r.tokens.some((t) => t.kind === 'include')) continue;
    if (!keep.every((p) => r.requested.includes(p))) continue;
    if (r.requested.some((p) => PROTOCOL_WIRE_VERSION[p] < PROTOCOL_WIRE_VERSION[floor])) continue;
    return c;
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

/** Why the recommended floor is what it is, when it is above TLSv1. */
function floorNote(list: ProtocolList, floor: ProtocolName): string {
  if (floor === 'TLSv1') return '';
  return ` (TLS is mandatory here, so the floor is TLS 1.2 as RFC 8996 asks; if a peer that needs mandatory TLS speaks only TLS 1.0, require that per destination in ${list.prefix === 'smtpd' ? 'a separate smtpd service' : `${list.prefix}_tls_policy_maps`})`;
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
    summaries: {
      explicit: '{{setting}} asks for {{protocols}}, which is broken; it allows {{range}}',
      default: '{{setting}}: the Postfix {{version}} default still allows {{protocols}}',
    },
    messages: {
      explicit: '{{setting}} asks for {{protocols}}: {{how}}. It allows {{range}}{{reason}}; {{use}}. {{risk}}; {{change}}',
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
      // A list the level does not read has no effect here: where a service or policy entry reads it, it is
      // reported there; an override nothing reads is protocols-wrong-knob's finding.
      if (!list.inForce) continue;
      // A weak default only matters where it is read: DANE levels exclude SSL by themselves.
      if (isDefault && list.mandatory && (list.level === 'dane' || list.level === 'dane-only')) continue;
      // The opportunistic client list falls back to plaintext anyway; everywhere else SSL is the weakest link of mandatory or inbound TLS.
      const severity = list.role === 'client' && !list.mandatory ? 'warning' : 'error';
      const protocols = joinNames(allowed);
      const risk = riskOf(allowed);
      if (isDefault) {
        const suggested = floorValue(recommendedFloor(list), model.version);
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
      const floor = recommendedFloor(list);
      const fixed = literal ? (list.value.trim() === '' ? floorValue(floor, model.version) : withoutSsl(list.value, list.parsed, model.version, floor)) : null;
      report({
        messageId: 'explicit',
        data: {
          setting: describeSetting(model, list.param),
          protocols,
          how: how(list.parsed, allowed),
          range: rangeWords(list.parsed),
          reason: rangeReason(list.parsed),
          use: useOf(list),
          risk,
          change: fixed ? `set it to "${fixed}"${floorNote(list, floor)}` : `set it to "${floorValue(floor, model.version)}"${floorNote(list, floor)}`,
        },
        parameter: list.param,
        node: list.node,
        severity,
        fix: fixed && literal ? { kind: 'safe', description: `set ${list.param} = ${fixed}`, edits: [replaceValue(model.file, literal, fixed)] } : null,
      });
    }
  },
});
