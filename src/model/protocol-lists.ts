/**
 * The six TLS protocol lists (smtp/lmtp/smtpd, opportunistic and mandatory)
 * with what each rule needs to know about them: value and source, whether the
 * level in force reads it, and message and edit helpers the protocol rules share.
 */
import type { ConfigModel } from './config.js';
import type { ParamNode } from '../parser/main-cf.js';
import { clientLevel } from './client-tls.js';
import { defaultFor } from './catalogue/index.js';
import { describeSetting } from './describe.js';
import {
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
} from './values/index.js';


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
      // An invalid level stops smtpd; which list was meant is unknown, so both count as read.
      mandatoryInForce = s.level === 'encrypt' || s.level === null;
      opportunisticInForce = s.level === 'may' || s.level === null;
    } else {
      const c = clientLevel(model, prefix);
      [level, levelParam, levelNode] = [c.level, c.source.param, c.source.node];
      // An invalid level stops the client (another rule's finding); which list was meant is unknown, so both count as read.
      mandatoryInForce = c.level === null || usesMandatorySettings(c.level);
      // dane without usable TLSA records acts as may, with the opportunistic list.
      opportunisticInForce = c.level === null || c.level === 'may' || c.level === 'dane';
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

/**
 * The versions a valid list lets OpenSSL negotiate, in words, exactly: "TLSv1 only",
 * "TLSv1.2 and newer", "TLSv1 to TLSv1.2", "no version at all".
 */
export function rangeWords(parsed: ProtocolsResult): string {
  const e = parsed.enabled;
  if (e.length === 0) return 'no version at all';
  if (e.length === 1) return `${e[0]} only`;
  const last = e[e.length - 1];
  return last === 'TLSv1.3' ? `${e[0]} and newer` : `${e[0]} to ${last}`;
}

/** Why the list allows what rangeWords says, when the form of the list hides it ("" otherwise). */
export function rangeReason(parsed: ProtocolsResult): string {
  const notes: string[] = [];
  const included = parsed.tokens.filter((t) => t.kind === 'include' && t.protocol).map((t) => t.protocol as ProtocolName);
  if (included.length > 0) notes.push(`a list of names enables only the names it lists (${joinNames(included)}) and excludes every other version`);
  if (parsed.requested.includes('SSLv3') && !parsed.enabled.includes('SSLv3')) notes.push('OpenSSL 1.1.0 and later builds usually lack SSLv3');
  const lost = parsed.requested.filter((p) => p !== 'SSLv3' && !parsed.enabled.includes(p));
  if (lost.length > 0 && parsed.enabled.length > 0) notes.push(`${joinNames(lost)} ${lost.length === 1 ? 'is' : 'are'} cut off by a gap (OpenSSL disables every version above the first excluded one)`);
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

/**
 * The lowest version the protocol rules recommend for this list: TLSv1 for opportunistic lists (a higher
 * floor sends legacy peers to plaintext: opportunistic-protocol-floor), TLSv1.2 where TLS is mandatory
 * (mandatory-protocols-allow-tls1), except at the DANE levels, where the documentation keeps TLSv1.
 */
export function recommendedFloor(list: Pick<ProtocolList, 'mandatory' | 'level'>): ProtocolName {
  if (!list.mandatory || list.level === 'dane' || list.level === 'dane-only') return 'TLSv1';
  return 'TLSv1.2';
}

/** The recommended floor written for the version: ">=TLSv1.2", or the exclusions below it before Postfix 3.6. */
export function floorValue(floor: ProtocolName, version: string): string {
  if (supportsProtocolRanges(version)) return `>=${floor}`;
  return PROTOCOL_NAMES.filter((p) => PROTOCOL_WIRE_VERSION[p] < PROTOCOL_WIRE_VERSION[floor]).map((p) => '!' + p).join(', ');
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
