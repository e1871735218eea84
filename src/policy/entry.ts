/**
 * One TLS policy table value ("encrypt protocols=>=TLSv1.2 exclude=3DES"),
 * checked the way smtp(8) checks it when it looks a destination up
 * (smtp_tls_policy.c): a level, then attributes separated by whitespace or
 * commas, each name=value (names case-insensitive), with per-attribute rules.
 * Any problem makes the entry invalid: smtp(8) logs a warning and defers
 * every message for that destination with 4.7.5 "client TLS configuration
 * problem". Pure.
 */
import { extractBraces, splitNameValue } from '../parser/master-cf.js';
import { compareVersions, versionAtLeast } from '../model/version.js';
import { asciiLower, lookupLevel, parsePolicyProtocols, type ClientSecurityLevel } from '../model/values/index.js';
import { COMMA_SP, splitBraced, type Span } from './tokens.js';

export interface PolicyAttribute {
  /** Name in lower case. */
  readonly name: string;
  readonly value: string;
  /** The whole token in the policy value. */
  readonly span: Span;
  readonly valueSpan: Span;
  /** Written as { name = value } (Postfix 3.10+). */
  readonly braced: boolean;
}

export interface PolicyProblem {
  readonly code: string;
  readonly message: string;
  /** Where in the policy value. */
  readonly span: Span;
}

export interface ParsedPolicy {
  /** The level word's span (empty at 0 for an empty value). */
  readonly levelSpan: Span;
  readonly levelText: string;
  /** null when the level is missing or invalid. */
  readonly level: ClientSecurityLevel | null;
  readonly attributes: readonly PolicyAttribute[];
  /** Problems that make smtp(8) reject the entry and defer the destination. */
  readonly problems: readonly PolicyProblem[];
  /** Attributes ignored with a warning (level none). */
  readonly ignored: readonly PolicyAttribute[];
  readonly valid: boolean;
}

const MTA_STS_ATTRIBUTES = ['policy_type', 'policy_domain', 'policy_string', 'mx_host_pattern', 'policy_failure', 'policy_ttl'];
const SINGLE = new Set(['ciphers', 'protocols', 'servername', 'exclude', 'policy_ttl', 'policy_type', 'policy_domain', 'policy_failure']);

/** connection_reuse was rejected as an invalid attribute name before 3.4.14 / 3.5.4 (HISTORY 20200617). */
function connectionReuseWorks(version: string): boolean {
  if (!versionAtLeast(version, '3.4')) return false;
  if (!/^\d+\.\d+\.\d+/.test(version)) return true; // a release line stands for its latest patch
  if (versionAtLeast(version, '3.6')) return true;
  if (versionAtLeast(version, '3.5')) return compareVersions(version, '3.5.4') >= 0;
  return compareVersions(version, '3.4.14') >= 0;
}

/** valid_hostname(): dot-separated labels of letters, digits and '-', not all numeric, at most 255 bytes. */
export function isValidHostname(name: string): boolean {
  if (name.length === 0 || name.length > 255) return false;
  const labels = name.split('.');
  if (labels.some((l) => l.length === 0 || l.length > 63 || !/^[A-Za-z0-9_-]+$/.test(l) || l.startsWith('-') || l.endsWith('-'))) return false;
  return !/^[0-9.]+$/.test(name);
}

function attributeAvailable(name: string, version: string): string | null {
  if (name === 'servername' && !versionAtLeast(version, '3.4')) return 'Postfix 3.4';
  if (name === 'connection_reuse' && !connectionReuseWorks(version)) return 'Postfix 3.4.14, 3.5.4 or 3.6';
  if (name === 'enable_rpk' && !versionAtLeast(version, '3.9')) return 'Postfix 3.9';
  if (MTA_STS_ATTRIBUTES.includes(name) && !versionAtLeast(version, '3.10')) return 'Postfix 3.10';
  return null;
}

const KNOWN = new Set(['ciphers', 'protocols', 'servername', 'match', 'exclude', 'tafile', 'connection_reuse', 'enable_rpk', ...MTA_STS_ATTRIBUTES]);

export function parsePolicyValue(value: string, version: string): ParsedPolicy {
  const problems: PolicyProblem[] = [];
  const attributes: PolicyAttribute[] = [];
  const ignored: PolicyAttribute[] = [];
  const braces = versionAtLeast(version, '3.10');
  // Before 3.10 "{" is an ordinary character in a policy value.
  const tokens = braces ? splitBraced(value, COMMA_SP) : splitBraced(value.replace(/[{}]/g, 'x'), COMMA_SP);
  if (tokens.length === 0) {
    problems.push({ code: 'empty-policy', message: 'invalid empty policy', span: { start: 0, end: value.length } });
    return { levelSpan: { start: 0, end: 0 }, levelText: '', level: null, attributes, problems, ignored, valid: false };
  }
  const first = tokens[0];
  const levelText = value.slice(first.start, first.end);
  const level = lookupLevel(levelText);
  const levelSpan = { start: first.start, end: first.end };
  if (!level) {
    const why = asciiLower(levelText) === 'halfdane' ? ' ("halfdane" appears only in logs)' : '';
    problems.push({ code: 'invalid-level', message: `invalid security level "${levelText}"${why}`, span: levelSpan });
    return { levelSpan, levelText, level: null, attributes, problems, ignored, valid: false };
  }
  const seen = new Set<string>();
  for (const t of tokens.slice(1)) {
    const tokText = value.slice(t.start, t.end);
    let from = t.start;
    let to = t.end;
    let braced = false;
    if (braces && value[t.start] === '{') {
      const x = extractBraces(value, t.start, t.end);
      braced = true;
      if (x.error) {
        problems.push({ code: 'malformed', message: `malformed attribute/value pair "${tokText}": ${x.error === 'missing-close' ? "missing '}'" : "text after '}'"}`, span: t });
        continue;
      }
      from = x.start;
      to = x.end;
    }
    const nv = splitNameValue(value, from, to);
    if (!nv.ok) {
      const hint = tokText.startsWith('#') ? ' ("#" after a value does not start a comment in a lookup table; put comments on their own line)' : '';
      problems.push({ code: 'malformed', message: `malformed attribute/value pair "${tokText}": ${nv.error === 'missing-name' ? 'missing attribute name' : "missing '='"}${hint}`, span: t });
      continue;
    }
    const name = asciiLower(value.slice(nv.nameStart, nv.nameEnd));
    const attr: PolicyAttribute = {
      name,
      value: value.slice(nv.valueStart, nv.valueEnd),
      span: { start: t.start, end: t.end },
      valueSpan: { start: nv.valueStart, end: nv.valueEnd },
      braced,
    };
    if (level === 'none') {
      ignored.push(attr);
      continue;
    }
    const fail = (code: string, message: string): void => {
      problems.push({ code, message, span: attr.span });
    };
    if (!KNOWN.has(name)) {
      const hint = name === 'tls_connection_reuse' ? ' (the attribute is connection_reuse)' : tokText.startsWith('#') ? ' ("#" after a value is not a comment in a table)' : '';
      fail('unknown-attribute', `invalid attribute name: "${value.slice(nv.nameStart, nv.nameEnd)}"${hint}`);
      continue;
    }
    const needs = attributeAvailable(name, version);
    if (needs) {
      fail('unknown-attribute', `invalid attribute name: "${name}" (the attribute needs ${needs}; Postfix ${version} does not know it)`);
      continue;
    }
    if (SINGLE.has(name) && seen.has(name)) {
      fail('duplicate-attribute', `attribute "${name}" is specified multiple times`);
      continue;
    }
    seen.add(name);
    switch (name) {
      case 'ciphers':
      case 'match':
        if (attr.value === '') {
          fail('empty-value', `attribute "${name}" has empty value`);
          continue;
        }
        if (name === 'match' && level !== 'fingerprint' && level !== 'verify' && level !== 'secure') {
          fail('invalid-at-level', `attribute "match" invalid at security level "${level}" (only fingerprint, verify and secure match names or fingerprints)`);
          continue;
        }
        break;
      case 'protocols': {
        const parsed = parsePolicyProtocols(attr.value, version, { role: 'client', braced });
        const sep = parsed.diagnostics.find((d) => d.code === 'policy-protocols-separator' || d.code === 'policy-braced-unsupported');
        if (sep) {
          fail('protocols-separator', sep.message);
          continue;
        }
        break;
      }
      case 'servername':
        if (attr.value !== 'hostname' && attr.value !== 'nexthop' && !isValidHostname(attr.value)) {
          fail('invalid-servername', `"servername=${attr.value}" specifies an invalid hostname`);
          continue;
        }
        break;
      case 'tafile':
        if (level !== 'verify' && level !== 'secure') {
          fail('invalid-at-level', `attribute "tafile" invalid at security level "${level}" (trust anchors are used only with verify and secure)`);
          continue;
        }
        if (attr.value === '') {
          fail('empty-value', 'attribute "tafile" has empty value');
          continue;
        }
        break;
      case 'connection_reuse':
      case 'enable_rpk':
        if (asciiLower(attr.value) !== 'yes' && asciiLower(attr.value) !== 'no') {
          fail('bad-value', `attribute "${name}" has bad value: "${attr.value}" (yes or no)`);
          continue;
        }
        break;
      default:
        break;
    }
    attributes.push(attr);
  }
  if (!seen.has('policy_type') && [...seen].some((n) => MTA_STS_ATTRIBUTES.includes(n))) {
    problems.push({ code: 'mta-sts-without-type', message: 'built-in policy has unexpected attribute policy_ttl, policy_domain, policy_string, mx_host_pattern or policy_failure (they come with policy_type from an MTA-STS plugin)', span: levelSpan });
  }
  return { levelSpan, levelText, level, attributes, problems, ignored, valid: problems.length === 0 };
}

/** Legacy smtp_tls_per_site values: NONE, MAY, MUST_NOPEERMATCH, MUST (case-insensitive). */
export function parsePerSiteValue(value: string): ParsedPolicy {
  const v = value.trim();
  const map: Record<string, ClientSecurityLevel> = { none: 'none', may: 'may', must_nopeermatch: 'encrypt', must: 'verify' };
  const level = map[asciiLower(v)] ?? null;
  const span = { start: 0, end: value.length };
  return {
    levelSpan: span,
    levelText: v,
    level,
    attributes: [],
    ignored: [],
    problems: level ? [] : [{ code: 'invalid-level', message: `unknown TLS policy '${v}' (NONE, MAY, MUST_NOPEERMATCH or MUST)`, span }],
    valid: level !== null,
  };
}

/**
 * The main.cf parameters an entry replaces, each with the attribute (or
 * 'level') it comes from. smtp(8) applies "protocols", "ciphers" to the
 * opportunistic knob at may and the mandatory knob above; at dane it uses
 * either, depending on whether TLSA records turn out usable. "exclude"
 * replaces both exclusion lists.
 */
export function policyOverrides(policy: ParsedPolicy, prefix: 'smtp' | 'lmtp'): Map<string, { value: string; origin: PolicyAttribute | 'level' }> {
  const out = new Map<string, { value: string; origin: PolicyAttribute | 'level' }>();
  const level = policy.level;
  if (!level) return out;
  out.set(`${prefix}_tls_security_level`, { value: level, origin: 'level' });
  if (level === 'none') return out;
  const opportunistic = level === 'may' || level === 'dane';
  const mandatory = level !== 'may';
  const multi = new Map<string, string[]>();
  for (const a of policy.attributes) {
    const set = (param: string, value: string) => out.set(`${prefix}_tls_${param}`, { value, origin: a });
    switch (a.name) {
      case 'protocols':
      case 'ciphers': {
        const knob = a.name;
        if (opportunistic) set(knob, a.value);
        if (mandatory) set(`mandatory_${knob}`, a.value);
        break;
      }
      case 'exclude':
        set('exclude_ciphers', a.value);
        set('mandatory_exclude_ciphers', '');
        break;
      case 'match': {
        const param = level === 'fingerprint' ? 'fingerprint_cert_match' : level === 'verify' ? 'verify_cert_match' : 'secure_cert_match';
        const parts = a.value.split(level === 'fingerprint' ? '|' : ':').filter((p) => p !== '');
        const all = [...(multi.get(param) ?? []), ...parts];
        multi.set(param, all);
        set(param, all.join(' '));
        break;
      }
      case 'tafile': {
        const all = [...(multi.get('trust_anchor_file') ?? []), a.value];
        multi.set('trust_anchor_file', all);
        set('trust_anchor_file', all.join(' '));
        break;
      }
      case 'servername':
        set('servername', a.value);
        break;
      case 'connection_reuse':
        set('connection_reuse', asciiLower(a.value));
        break;
      case 'enable_rpk':
        set('enable_rpk', asciiLower(a.value));
        break;
      default:
        break;
    }
  }
  return out;
}
