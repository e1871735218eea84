/**
 * Offline evaluation of OpenSSL 3.0 cipher strings, reproducing what
 * SSL_CTX_set_cipher_list() / `openssl ciphers STRING` produce.
 *
 * Model (facts from ssl/ssl_ciph.c, checked against `openssl ciphers`):
 *  - All compiled-in suites start in a fixed "base order", all inactive.
 *  - Each rule selects suites by pattern and acts on the list:
 *      NAME   add: inactive matches move to the end and become active
 *      +NAME  move active matches to the end
 *      -NAME  deactivate matches, moving them to the front (so a later add
 *             brings them back in their old relative order)
 *      !NAME  remove matches for good
 *      @STRENGTH  stable-sort active suites by strength, strongest first
 *      @SECLEVEL=n set the security level (0..5)
 *  - Unknown names are skipped silently; a character that cannot start a name
 *    or a bad @ command makes the whole string invalid.
 *  - A string starting with DEFAULT runs ALL:!COMPLEMENTOFDEFAULT:!eNULL first;
 *    SUITEB128/SUITEB128ONLY/SUITEB128C2/SUITEB192 at the start replace it.
 *  - TLS 1.3 suites come from a separate setting and are listed first.
 *  - No TLS <= 1.2 suite left means "no cipher match".
 *  - The security level does not shorten this list; it only decides which
 *    suites a handshake can use (see usableSuites).
 */
import { boundedMemo, freezeShallow } from '../util/memo.js';
import { ALIAS_PATTERNS, type AliasPattern } from './aliases.js';
import { DEFAULT_MASK, STRONG_MASK, cipherData, type CipherData, type Suite, type SuiteEntry } from './suites.js';

export type { Suite } from './suites.js';

export interface EvaluateOptions {
  /** The TLS 1.3 ciphersuites setting (colon-separated standard names). Default: OpenSSL's default list. */
  tls13Suites?: string;
  /** Security level in force unless the string sets @SECLEVEL. Default 2 (Debian's OpenSSL build). */
  securityLevel?: number;
}

/** OpenSSL's reason codes, as printed after "Error in cipher list". */
export type OpensslReason = 'no cipher match' | 'invalid command';

export interface EvaluateSuccess {
  ok: true;
  /** TLS <= 1.2 suites in preference order. */
  suites: Suite[];
  /** TLS 1.3 suites in preference order (listed first by OpenSSL). */
  tls13: Suite[];
  /** Effective security level: the last valid @SECLEVEL, else the option. */
  securityLevel: number;
}

export interface EvaluateFailure {
  ok: false;
  /** Human-readable explanation. */
  error: string;
  /** Which OpenSSL call failed, as `openssl ciphers` reports it. */
  stage: 'ciphersuites' | 'cipher list';
  /** OpenSSL's error reasons, in the order it raised them. */
  reasons: OpensslReason[];
}

export type EvaluateResult = EvaluateSuccess | EvaluateFailure;

export const DEFAULT_SECURITY_LEVEL = 2;
/** OSSL_default_cipher_list() in 3.0. */
export const OPENSSL_DEFAULT_CIPHER_LIST = 'ALL:!COMPLEMENTOFDEFAULT:!eNULL';

const ADD = 1, KILL = 2, DEL = 3, ORD = 4, SPECIAL = 5;

const SUITE_B: ReadonlyArray<readonly [string, string]> = [
  // Longest prefixes first, as OpenSSL tests them.
  ['SUITEB128ONLY', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  ['SUITEB128C2', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['SUITEB128', 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['SUITEB192', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
];

function isSeparator(ch: string | undefined): boolean {
  return ch === ':' || ch === ' ' || ch === ';' || ch === ',';
}

function isWordChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ||
    ch === '-' || ch === '.' || ch === '=';
}

interface Selector {
  suiteIndex: number; // -1: any
  kx: number;
  au: number;
  enc: number;
  mac: number;
  minTls: number;
  strength: number;
}

/** The working list: suite indices in order, plus an active flag per suite. */
class CipherList {
  order: number[];
  readonly active: Uint8Array;

  constructor(count: number) {
    this.order = Array.from({ length: count }, (_, i) => i);
    this.active = new Uint8Array(count);
  }

  apply(rule: number, matches: (i: number) => boolean): void {
    const moved: number[] = [];
    const kept: number[] = [];
    const active = this.active;
    switch (rule) {
      case ADD:
        for (const i of this.order) {
          if (!active[i] && matches(i)) { active[i] = 1; moved.push(i); } else kept.push(i);
        }
        this.order = kept.concat(moved);
        break;
      case ORD:
        for (const i of this.order) {
          if (active[i] && matches(i)) moved.push(i); else kept.push(i);
        }
        this.order = kept.concat(moved);
        break;
      case DEL:
        for (const i of this.order) {
          if (active[i] && matches(i)) { active[i] = 0; moved.push(i); } else kept.push(i);
        }
        this.order = moved.concat(kept);
        break;
      case KILL:
        for (const i of this.order) {
          if (matches(i)) active[i] = 0; else kept.push(i);
        }
        this.order = kept;
        break;
      default:
        throw new Error(`unknown rule ${rule}`);
    }
  }

  /** @STRENGTH: active suites regrouped by strength, strongest first, order kept within a group. */
  sortByStrength(entries: readonly SuiteEntry[]): void {
    const inactive: number[] = [];
    const activeList: number[] = [];
    for (const i of this.order) (this.active[i] ? activeList : inactive).push(i);
    // Array.prototype.sort is stable.
    activeList.sort((x, y) => entries[y].suite.strengthBits - entries[x].suite.strengthBits);
    this.order = inactive.concat(activeList);
  }
}

function matchesSelector(sel: Selector, idx: number, entry: SuiteEntry): boolean {
  if (sel.suiteIndex >= 0 && sel.suiteIndex !== idx) return false;
  if (sel.kx && !(sel.kx & entry.kxMask)) return false;
  if (sel.au && !(sel.au & entry.auMask)) return false;
  if (sel.enc && !(sel.enc & entry.encMask)) return false;
  if (sel.mac && !(sel.mac & entry.macMask)) return false;
  if (sel.minTls && sel.minTls !== entry.minTls) return false;
  if ((sel.strength & STRONG_MASK) && !(sel.strength & STRONG_MASK & entry.strengthMask)) return false;
  if ((sel.strength & DEFAULT_MASK) && !(sel.strength & DEFAULT_MASK & entry.strengthMask)) return false;
  return true;
}

interface RuleContext {
  data: CipherData;
  list: CipherList;
  securityLevel: number;
  reasons: OpensslReason[];
  problems: string[];
  /** Selectors already killed (see processRules). */
  killed: Set<string>;
}

interface Lookup {
  pattern: AliasPattern;
  suiteIndex: number;
}

function lookupName(data: CipherData, name: string): Lookup | undefined {
  const index = data.legacyByName.get(name);
  if (index !== undefined) {
    const entry = data.legacy[index];
    return {
      suiteIndex: index,
      pattern: {
        kx: entry.kxMask, au: entry.auMask, enc: entry.encMask, mac: entry.macMask,
        minTls: entry.minTls, strength: entry.strengthMask,
      },
    };
  }
  if (!data.knownAliases.has(name)) return undefined;
  const pattern = ALIAS_PATTERNS.get(name);
  return pattern ? { pattern, suiteIndex: -1 } : undefined;
}

/** Intersect one mask the way OpenSSL does: 0 means "not constrained"; an empty intersection kills the rule. */
function combine(current: number, extra: number): number | null {
  if (!extra) return current;
  if (!current) return extra;
  const both = current & extra;
  return both ? both : null;
}

/** Returns false when OpenSSL would reject the string. */
function processRules(rules: string, ctx: RuleContext): boolean {
  let ok = true;
  let l = 0;
  const at = (i: number): string | undefined => (i < rules.length ? rules[i] : undefined);
  for (;;) {
    let ch = at(l);
    if (ch === undefined) break;
    let rule: number;
    if (ch === '-') { rule = DEL; l++; }
    else if (ch === '+') { rule = ORD; l++; }
    else if (ch === '!') { rule = KILL; l++; }
    else if (ch === '@') { rule = SPECIAL; l++; }
    else rule = ADD;

    if (isSeparator(ch)) { l++; continue; }

    const sel: Selector = { suiteIndex: -1, kx: 0, au: 0, enc: 0, mac: 0, minTls: 0, strength: 0 };
    let found = false;
    let word = '';
    for (;;) {
      const start = l;
      while (isWordChar(at(l))) l++;
      word = rules.slice(start, l);
      ch = at(l);
      if (word.length === 0) {
        // Neither a rule, a separator nor a name.
        ctx.reasons.push('invalid command');
        ctx.problems.push(ch === undefined ? `missing name at end of string` : `unexpected character ${JSON.stringify(ch)} at offset ${l}`);
        ok = false;
        found = false;
        l++;
        break;
      }
      if (rule === SPECIAL) break;
      const multi = ch === '+';
      if (multi) l++;

      const hit = lookupName(ctx.data, word);
      found = false;
      if (!hit) break;
      const kx = combine(sel.kx, hit.pattern.kx);
      if (kx === null) break;
      const au = combine(sel.au, hit.pattern.au);
      if (au === null) break;
      const enc = combine(sel.enc, hit.pattern.enc);
      if (enc === null) break;
      const mac = combine(sel.mac, hit.pattern.mac);
      if (mac === null) break;
      sel.kx = kx; sel.au = au; sel.enc = enc; sel.mac = mac;

      const strong = hit.pattern.strength & STRONG_MASK;
      if (strong) {
        if (sel.strength & STRONG_MASK) {
          sel.strength &= strong | ~STRONG_MASK;
          if (!(sel.strength & STRONG_MASK)) break;
        } else {
          sel.strength = strong;
        }
      }
      const dflt = hit.pattern.strength & DEFAULT_MASK;
      if (dflt) {
        if (sel.strength & DEFAULT_MASK) {
          sel.strength &= dflt | ~DEFAULT_MASK;
          if (!(sel.strength & DEFAULT_MASK)) break;
        } else {
          sel.strength |= dflt;
        }
      }
      if (hit.suiteIndex >= 0) {
        // A suite named explicitly: its version is not part of the pattern.
        sel.suiteIndex = hit.suiteIndex;
      } else if (hit.pattern.minTls) {
        if (sel.minTls && sel.minTls !== hit.pattern.minTls) break;
        sel.minTls = hit.pattern.minTls;
      }
      found = true;
      if (!multi) break;
    }

    if (rule === SPECIAL) {
      let specialOk = false;
      if (word === 'STRENGTH') {
        ctx.list.sortByStrength(ctx.data.legacy);
        specialOk = true;
      } else if (word.length === 10 && word.startsWith('SECLEVEL=')) {
        const level = word.charCodeAt(9) - 0x30;
        if (level >= 0 && level <= 5) {
          ctx.securityLevel = level;
          specialOk = true;
        }
      }
      if (!specialOk) {
        ctx.reasons.push('invalid command');
        ctx.problems.push(`unknown command @${word}`);
        ok = false;
      }
      // Anything glued to an @ command is ignored up to the next separator.
      while (at(l) !== undefined && !isSeparator(at(l))) l++;
    } else if (found) {
      const entries = ctx.data.legacy;
      // A kill removes its suites for good, so the same kill again matches nothing: skip it
      // (long exclusion lists repeat names; each kill walks the whole list).
      const killKey = rule === KILL ? `${sel.suiteIndex},${sel.kx},${sel.au},${sel.enc},${sel.mac},${sel.minTls},${sel.strength}` : '';
      if (rule !== KILL || !ctx.killed.has(killKey)) {
        if (rule === KILL) ctx.killed.add(killKey);
        ctx.list.apply(rule, (i) => matchesSelector(sel, i, entries[i]));
      }
    } else {
      while (at(l) !== undefined && !isSeparator(at(l))) l++;
    }
    if (at(l) === undefined) break;
  }
  return ok;
}

interface Tls13Parse {
  ok: boolean;
  suites: Suite[];
}

const C_SPACE = '\t\n\v\f\r ';
/** Trim C isspace() chars (not a /^\s+|\s+$/ regex: that is quadratic on long blank runs). */
function trimCSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && C_SPACE.includes(s[a])) a++;
  while (b > a && C_SPACE.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** The TLS 1.3 setting: ':'-separated standard names, blanks trimmed, unknown names skipped. */
function parseTls13Suites(setting: string, data: CipherData): Tls13Parse {
  if (setting === '') return { ok: true, suites: [] };
  const suites: Suite[] = [];
  for (const raw of setting.split(':')) {
    const name = trimCSpace(raw);
    const suite = data.byStdName.get(name);
    if (suite) suites.push(suite);
  }
  return { ok: suites.length > 0, suites };
}

export function evaluateCipherString(str: string, opts: EvaluateOptions = {}): EvaluateResult {
  return evaluateCached(str, opts.tls13Suites, opts.securityLevel);
}

// Results are shared (read-only): several rules, and every file of a fleet run, evaluate the same strings.
const evaluateCached = boundedMemo(
  (str: string, tls13Suites: string | undefined, securityLevel: number | undefined): EvaluateResult =>
    freezeShallow(evaluateUncached(str, { ...(tls13Suites === undefined ? {} : { tls13Suites }), ...(securityLevel === undefined ? {} : { securityLevel }) })),
  (str, tls13Suites, securityLevel) => `${securityLevel ?? ''}\0${tls13Suites === undefined ? '\u0001' : tls13Suites}\0${str}`,
  256,
);

function evaluateUncached(str: string, opts: EvaluateOptions): EvaluateResult {
  const data = cipherData();
  const tls13Setting = opts.tls13Suites ?? data.defaultTls13Suites;
  const tls13 = parseTls13Suites(tls13Setting, data);
  if (!tls13.ok) {
    return {
      ok: false,
      stage: 'ciphersuites',
      reasons: ['no cipher match'],
      error: `no known TLS 1.3 ciphersuite in ${JSON.stringify(tls13Setting)}`,
    };
  }

  // C strings end at the first NUL.
  const nul = str.indexOf('\0');
  let rules = nul >= 0 ? str.slice(0, nul) : str;
  for (const [prefix, replacement] of SUITE_B) {
    if (rules.startsWith(prefix)) { rules = replacement; break; }
  }

  const startsWithDefault = rules.startsWith('DEFAULT');
  if (startsWithDefault) {
    rules = rules.slice(7);
    if (rules.startsWith(':')) rules = rules.slice(1);
  }
  // A long list is evaluated without its repeated kills; an invalid one is evaluated again as written,
  // so its problems name the offsets of the string as given.
  const compact = withoutRepeatedKills(rules);
  let ctx = applyRules(compact, startsWithDefault, data, opts);
  if (!ctx.ok && compact !== rules) ctx = applyRules(rules, startsWithDefault, data, opts);
  if (!ctx.ok) {
    return { ok: false, stage: 'cipher list', reasons: ctx.reasons, error: `invalid cipher string: ${ctx.problems.join('; ')}` };
  }

  const suites: Suite[] = [];
  for (const i of ctx.list.order) if (ctx.list.active[i]) suites.push(data.legacy[i].suite);
  // OpenSSL counts every non-TLS 1.3 entry, including any the TLS 1.3 setting smuggled in.
  const legacyCount = suites.length + tls13.suites.filter((s) => s.minVersion !== 'TLSv1.3').length;
  if (legacyCount === 0) {
    return { ok: false, stage: 'cipher list', reasons: ['no cipher match'], error: 'no cipher match: the string selects no TLS 1.2 or older cipher suite' };
  }
  return { ok: true, suites, tls13: tls13.suites, securityLevel: ctx.securityLevel };
}

function applyRules(rules: string, startsWithDefault: boolean, data: CipherData, opts: EvaluateOptions): RuleContext & { ok: boolean } {
  const ctx: RuleContext = {
    data,
    list: new CipherList(data.legacy.length),
    securityLevel: opts.securityLevel ?? DEFAULT_SECURITY_LEVEL,
    reasons: [],
    problems: [],
    killed: new Set(),
  };
  let ok = true;
  if (startsWithDefault) ok = processRules(OPENSSL_DEFAULT_CIPHER_LIST, ctx);
  if (ok && rules.length > 0) ok = processRules(rules, ctx);
  return Object.assign(ctx, { ok });
}

/** One ':'-separated element that is a kill of names only ("!aNULL", "!kRSA+aRSA"): processRules reads it whole. */
const PLAIN_KILL = /^![A-Za-z0-9.=-]+(?:\+[A-Za-z0-9.=-]+)*$/;

/**
 * The rule string without the second and later copies of a plain kill element. A kill removes its suites
 * for good (processRules skips the same kill again), so a copy changes nothing; dropping the copies
 * spares parsing them (a 2 MB exclusion list of a few names repeated is a few elements). Short strings
 * are returned as they are.
 */
export function withoutRepeatedKills(rules: string): string {
  if (rules.length < 4096) return rules;
  const elements = rules.split(':');
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const e of elements) {
    if (e.charCodeAt(0) === 0x21 && PLAIN_KILL.test(e)) {
      if (seen.has(e)) continue;
      seen.add(e);
    }
    kept.push(e);
  }
  return kept.length === elements.length ? rules : kept.join(':');
}

/** Everything `openssl ciphers STRING` lists, TLS 1.3 first. */
export function allListedSuites(result: EvaluateSuccess): Suite[] {
  return [...result.tls13, ...result.suites];
}

/** The line `openssl ciphers STRING` prints (without the newline); '' for a failure, which prints nothing on stdout. */
export function formatLikeOpensslCiphers(result: EvaluateResult): string {
  if (!result.ok) return '';
  return allListedSuites(result).map((s) => s.name).join(':');
}

const MIN_BITS_BY_LEVEL = [0, 80, 112, 128, 192, 256];

export interface UsableOptions {
  /** Keep PSK suites (OpenSSL drops them unless a PSK callback is set). */
  psk?: boolean;
  /** Keep SRP suites (dropped unless SRP is configured). */
  srp?: boolean;
}

/** Whether the security level lets a handshake use this suite (OpenSSL's default security callback). */
export function suiteAllowedAtLevel(suite: Suite, level: number): boolean {
  if (level <= 0) return true;
  const minBits = MIN_BITS_BY_LEVEL[Math.min(level, 5)];
  if (suite.strengthBits < minBits) return false;
  if (suite.au === 'aNULL') return false;
  if (suite.mac === 'MD5') return false;
  // SHA-1 HMAC counts as 160 bits.
  if (minBits > 160 && suite.mac === 'SHA1') return false;
  // Level 3 and up: forward secrecy only.
  if (level >= 3 && !suite.tls13 && suite.kx !== 'kDHE' && suite.kx !== 'kECDHE') return false;
  return true;
}

/**
 * The suites a client could actually offer: like `openssl ciphers -s STRING`
 * (TLS 1.3 first), filtered by the security level and by PSK/SRP availability.
 */
export function usableSuites(result: EvaluateSuccess, opts: UsableOptions = {}): Suite[] {
  return allListedSuites(result).filter((s) => {
    if (s.minVersion === 'unknown') return false;
    if (!opts.psk && (s.au === 'aPSK' || s.kx === 'kPSK' || s.kx === 'kRSAPSK' || s.kx === 'kDHEPSK' || s.kx === 'kECDHEPSK')) return false;
    if (!opts.srp && s.kx === 'kSRP') return false;
    return suiteAllowedAtLevel(s, result.securityLevel);
  });
}

/** SSL_CIPHER_description() text for one suite, as `openssl ciphers -v` prints it (with newline). */
export function describeSuite(suite: Suite): string {
  const kx: Record<string, string> = {
    kRSA: 'RSA', kDHE: 'DH', kECDHE: 'ECDH', kPSK: 'PSK', kRSAPSK: 'RSAPSK', kECDHEPSK: 'ECDHEPSK',
    kDHEPSK: 'DHEPSK', kSRP: 'SRP', kGOST: 'GOST', kANY: 'any',
  };
  const au: Record<string, string> = {
    aRSA: 'RSA', aDSS: 'DSS', aNULL: 'None', aECDSA: 'ECDSA', aPSK: 'PSK', aSRP: 'SRP', aANY: 'any',
  };
  const enc: Record<string, string> = {
    DES: 'DES(56)', '3DES': '3DES(168)', RC4: 'RC4(128)', RC2: 'RC2(128)', IDEA: 'IDEA(128)', eNULL: 'None',
    AES128: 'AES(128)', AES256: 'AES(256)', AES128GCM: 'AESGCM(128)', AES256GCM: 'AESGCM(256)',
    AES128CCM: 'AESCCM(128)', AES256CCM: 'AESCCM(256)', AES128CCM8: 'AESCCM8(128)', AES256CCM8: 'AESCCM8(256)',
    CAMELLIA128: 'Camellia(128)', CAMELLIA256: 'Camellia(256)', ARIA128GCM: 'ARIAGCM(128)', ARIA256GCM: 'ARIAGCM(256)',
    SEED: 'SEED(128)', CHACHA20POLY1305: 'CHACHA20/POLY1305(256)',
  };
  const fields = [
    suite.name.padEnd(30),
    suite.minVersion.padEnd(7),
    'Kx=' + (kx[suite.kx] ?? 'unknown').padEnd(8),
    'Au=' + (au[suite.au] ?? 'unknown').padEnd(5),
    'Enc=' + (enc[suite.enc] ?? 'unknown').padEnd(22),
    'Mac=' + suite.mac.padEnd(4),
  ];
  return fields.join(' ') + '\n';
}
