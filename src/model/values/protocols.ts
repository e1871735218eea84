/**
 * TLS protocol lists (smtp[d]_tls_[mandatory_]protocols, lmtp_*, tlsproxy_*,
 * and the policy-table `protocols=` attribute), modelled on Postfix's
 * tls_protocol_mask() (< 3.6) / tls_proto_mask_lims() (3.6+) and on how
 * OpenSSL turns the resulting exclusion mask and bounds into the versions it
 * will negotiate.
 */
import { boundedMemo, freezeShallow } from '../../util/memo.js';
import { COMMA_SPACE, asciiLower, atLeast, q, splitTokens, type ValueDiagnostic, type ValueToken } from './types.js';

export const PROTOCOL_NAMES = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

/** Protocols an OpenSSL 1.1.1/3.x TLS method can negotiate, oldest first (SSLv2 is gone since 1.1.0). */
export const NEGOTIABLE_PROTOCOLS = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const satisfies readonly ProtocolName[];

/** Wire version numbers, as used by `>=`/`<=` bounds. */
export const PROTOCOL_WIRE_VERSION: Readonly<Record<ProtocolName, number>> = {
  SSLv2: 0x0200,
  SSLv3: 0x0300,
  TLSv1: 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
};

const INT_MAX = 0x7fffffff;

export type ProtocolTokenKind = 'include' | 'exclude' | 'floor' | 'ceiling';

export interface ProtocolToken extends ValueToken {
  readonly kind: ProtocolTokenKind;
  /** The protocol named by an include/exclude token, or by a bound given by name. */
  readonly protocol?: ProtocolName;
  /** A bound's numeric value (0 = no bound). */
  readonly bound?: number;
  /** Whether Postfix accepts this token (the first invalid token invalidates the whole list). */
  readonly valid: boolean;
}

export interface ProtocolsResult {
  /** False when Postfix rejects the list ("Invalid TLS protocol list") or the policy attribute is malformed. */
  readonly ok: boolean;
  readonly syntax: 'exclusions' | 'range' | 'mixed' | 'empty';
  readonly tokens: readonly ProtocolToken[];
  /** Protocols in the exclusion mask Postfix hands to OpenSSL (explicit `!NAME` plus the complement of any include list). */
  readonly excluded: readonly ProtocolName[];
  /** Lower/upper bound OpenSSL applies (wire version), or null for none. Bounds OpenSSL refuses are null here. */
  readonly floor: number | null;
  readonly ceiling: number | null;
  /** Protocols (SSLv3..TLSv1.3) the list permits: not excluded and inside the bounds. Not necessarily contiguous. */
  readonly requested: readonly ProtocolName[];
  /** What OpenSSL will actually negotiate, oldest first: the lowest contiguous run of requested protocols the library supports. */
  readonly enabled: readonly ProtocolName[];
  /** Same list as `enabled`. */
  readonly effective: readonly ProtocolName[];
  /** Lowest / highest protocol in `enabled`, null when nothing is enabled. */
  readonly min: ProtocolName | null;
  readonly max: ProtocolName | null;
  readonly diagnostics: ValueDiagnostic[];
}

export interface ProtocolsOptions {
  /** Whose list this is, to tailor messages; default describes both. */
  readonly role?: 'client' | 'server';
  /** Whether the OpenSSL build still has SSLv3 (default false: compiled out in most builds since 1.1.0). */
  readonly sslv3Available?: boolean;
}

/** Postfix knows the name "TLSv1.3" from 3.4, and from the patch releases 3.0.14, 3.1.10, 3.2.7, 3.3.2. */
export function knowsTlsv13(version: string): boolean {
  if (atLeast(version, '3.4')) return true;
  const backports: Array<[string, string]> = [
    ['3.3', '3.3.2'],
    ['3.2', '3.2.7'],
    ['3.1', '3.1.10'],
    ['3.0', '3.0.14'],
  ];
  for (const [line, patch] of backports) {
    if (atLeast(version, line)) return atLeast(version, patch);
  }
  return false;
}

/** `>=`/`<=` bounds exist from Postfix 3.6. */
export function supportsProtocolRanges(version: string): boolean {
  return atLeast(version, '3.6');
}

function lookupProtocol(name: string, version: string): ProtocolName | null {
  const lower = asciiLower(name);
  for (const p of PROTOCOL_NAMES) {
    if (asciiLower(p) === lower) return p === 'TLSv1.3' && !knowsTlsv13(version) ? null : p;
  }
  return null;
}

/** isspace() in the C locale. */
function isCSpace(c: string): boolean {
  return c === ' ' || (c >= '\t' && c <= '\r');
}

function isHexDigit(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

/**
 * The bound after `>=`/`<=`: a name from Postfix's version table (None,
 * SSLv3..TLSv1.3; not SSLv2) or a number as strtoul(…, 16) reads it, with
 * the whole text consumed and the value <= INT_MAX. The empty string is 0.
 */
export function parseBound(text: string): number | null {
  const lower = asciiLower(text);
  if (lower === 'none') return 0;
  for (const p of NEGOTIABLE_PROTOCOLS) if (asciiLower(p) === lower) return PROTOCOL_WIRE_VERSION[p];
  // strtoul(): optional C-space, optional sign, optional 0x, hex digits.
  let i = 0;
  while (i < text.length && isCSpace(text[i])) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && isHexDigit(text[i + 2])) i += 2;
  const digitsStart = i;
  let value = 0;
  while (isHexDigit(text[i])) {
    value = Math.min(value * 16 + parseInt(text[i], 16), Number.MAX_SAFE_INTEGER);
    i++;
  }
  // No digits: strtoul() leaves the end pointer at the start, so only "" passes.
  if (i === digitsStart) return text === '' ? 0 : null;
  if (i !== text.length) return null;
  if (negative) return value === 0 ? 0 : null; // -N wraps to a huge unsigned value
  return value <= INT_MAX ? value : null;
}

/** OpenSSL accepts a TLS bound of 0 (none) or SSLv3..TLSv1.3. */
function boundAccepted(v: number): boolean {
  return v === 0 || (v >= PROTOCOL_WIRE_VERSION.SSLv3 && v <= PROTOCOL_WIRE_VERSION['TLSv1.3']);
}

function protocolForWire(v: number): ProtocolName | undefined {
  return PROTOCOL_NAMES.find((p) => PROTOCOL_WIRE_VERSION[p] === v);
}

function hex4(v: number): string {
  return '0x' + v.toString(16).padStart(4, '0');
}

function invalidListEffect(role: ProtocolsOptions['role']): string {
  const client =
    'the smtp client logs "Invalid TLS protocol list …: aborting TLS session" and every TLS session fails like a handshake failure (at level may the message is deferred and sent in plaintext on a later retry; at mandatory levels it stays deferred)';
  const server =
    'smtpd logs "Invalid TLS protocol list …: disabling TLS support"; STARTTLS is still advertised but answered with 454 4.7.0';
  if (role === 'client') return client;
  if (role === 'server') return server;
  return `${client}; ${server}`;
}

function noProtocolsEffect(role: ProtocolsOptions['role']): string {
  const client = 'every TLS handshake of the smtp client fails ("no protocols available"): deferred, and at level may sent in plaintext on a later retry';
  const server = 'every STARTTLS handshake with smtpd fails';
  if (role === 'client') return client;
  if (role === 'server') return server;
  return `${client}; ${server}`;
}

/** Parse a main.cf / master.cf protocol list (separators: whitespace, comma, colon). */
export function parseProtocols(value: string, version: string, options: ProtocolsOptions = {}): ProtocolsResult {
  return parseProtocolsCached(value, version, options.role ?? '', options.sslv3Available === true);
}

// Results are shared between callers (read-only): every file of a fleet run parses the same defaults.
const parseProtocolsCached = boundedMemo(
  (value: string, version: string, role: ProtocolsOptions['role'] | '', sslv3Available: boolean): ProtocolsResult =>
    freezeShallow(analyse(value, splitTokens(value, COMMA_SPACE + ':'), version, { ...(role ? { role } : {}), sslv3Available }, [])),
  (value, version, role, sslv3) => `${version}\0${role}\0${sslv3 ? 1 : 0}\0${value}`,
);

export interface PolicyProtocolsOptions extends ProtocolsOptions {
  /** The attribute was written in the 3.10+ `{ protocols = … }` form, where whitespace and commas stay inside the value. */
  readonly braced?: boolean;
}

/**
 * Parse the value of a policy-table `protocols=` attribute. Unbraced, commas
 * and whitespace end the attribute, so only `:` can separate protocols.
 */
export function parsePolicyProtocols(value: string, version: string, options: PolicyProtocolsOptions = {}): ProtocolsResult {
  const role = options.role ?? 'client';
  if (options.braced) {
    const diagnostics: ValueDiagnostic[] = [];
    if (!atLeast(version, '3.10')) {
      diagnostics.push({
        code: 'policy-braced-unsupported',
        severity: 'error',
        message: 'The "{ name = value }" attribute form needs Postfix 3.10; older versions reject the policy entry and defer mail for that destination with 4.7.5 "client TLS configuration problem".',
      });
      return { ...analyse(value, splitTokens(value, COMMA_SPACE + ':'), version, { ...options, role }, diagnostics), ok: false, ...nothingEnabled() };
    }
    return parseProtocols(value, version, { ...options, role });
  }
  const sep = [...value].findIndex((c) => COMMA_SPACE.includes(c));
  if (sep < 0) return analyse(value, splitTokens(value, ':'), version, { ...options, role }, []);
  const head = value.slice(0, sep);
  const rest = value.slice(sep);
  const stray = splitTokens(rest, COMMA_SPACE)[0];
  const diag: ValueDiagnostic = {
    code: 'policy-protocols-separator',
    severity: 'error',
    message:
      `In a policy table entry commas and whitespace separate attributes, so protocols=${displayHead(head)} ends there and ${stray ? q(stray.text) : 'the rest'} is read as another attribute: ` +
      'the entry is invalid and mail for that destination is deferred with 4.7.5 "client TLS configuration problem". Separate protocols with ":" (protocols=!SSLv2:!SSLv3 or protocols=>=TLSv1.2:<=TLSv1.3).',
    token: stray?.text,
    offset: stray ? sep + stray.offset : sep,
  };
  const partial = analyse(head, splitTokens(head, ':'), version, { ...options, role }, [diag]);
  return { ...partial, ok: false, ...nothingEnabled() };
}

function displayHead(head: string): string {
  return head === '' ? '(empty)' : q(head).slice(1, -1);
}

function nothingEnabled(): Pick<ProtocolsResult, 'requested' | 'enabled' | 'effective' | 'min' | 'max'> {
  return { requested: [], enabled: [], effective: [], min: null, max: null };
}

function analyse(
  value: string,
  raw: ValueToken[],
  version: string,
  options: ProtocolsOptions,
  diagnostics: ValueDiagnostic[],
): ProtocolsResult {
  const ranges = supportsProtocolRanges(version);
  const tokens: ProtocolToken[] = [];
  let firstInvalid: ProtocolToken | null = null;
  let floor = 0;
  let ceiling = 0;
  let floorToken: ProtocolToken | null = null;
  let ceilingToken: ProtocolToken | null = null;
  const include = new Set<ProtocolName>();
  const exclude = new Set<ProtocolName>();
  let sawList = false;
  let sawBound = false;

  for (let idx = 0; idx < raw.length; idx++) {
    const t = raw[idx];
    const op = t.text.slice(0, 2);
    if (ranges && (op === '>=' || op === '<=')) {
      sawBound = true;
      const kind: ProtocolTokenKind = op === '>=' ? 'floor' : 'ceiling';
      const arg = t.text.slice(2);
      const bound = parseBound(arg);
      const protocol = bound === null ? undefined : protocolForWire(bound);
      const tok: ProtocolToken = { ...t, kind, bound: bound ?? undefined, protocol, valid: bound !== null };
      tokens.push(tok);
      if (bound === null) {
        diagnostics.push(invalidToken(value, tok, boundWhy(arg), options, firstInvalid));
        firstInvalid ??= tok;
        continue;
      }
      if (arg === '') {
        const next = raw[idx + 1];
        const nextIsName = next !== undefined && !/^[<>!]/.test(next.text) && lookupProtocol(next.text, version) !== null;
        diagnostics.push({
          code: 'protocols-bound-space',
          severity: 'warning',
          message: nextIsName
            ? `"${op}" followed by whitespace: Postfix reads the bare "${op}" as "no bound" and ${q(next.text)} as an include list, so only ${lookupProtocol(next.text, version)} (plus any other listed names) stays enabled. Write "${op}${displayHead(next.text)}" without a space.`
            : `A bare "${op}" means "no bound" (it is read as the number 0); write the version directly after "${op}", without a space.`,
          token: t.text,
          offset: t.offset,
        });
      }
      if (kind === 'floor') {
        if (floorToken) diagnostics.push(duplicateBound(tok, floorToken));
        floorToken = tok;
        floor = bound;
      } else {
        if (ceilingToken) diagnostics.push(duplicateBound(tok, ceilingToken));
        ceilingToken = tok;
        ceiling = bound;
      }
      continue;
    }
    sawList = true;
    const isExclude = t.text.startsWith('!');
    const name = isExclude ? t.text.slice(1) : t.text;
    const protocol = lookupProtocol(name, version);
    const tok: ProtocolToken = { ...t, kind: isExclude ? 'exclude' : 'include', protocol: protocol ?? undefined, valid: protocol !== null };
    tokens.push(tok);
    if (!protocol) {
      diagnostics.push(invalidToken(value, tok, nameWhy(name, version, ranges), options, firstInvalid));
      firstInvalid ??= tok;
      continue;
    }
    (isExclude ? exclude : include).add(protocol);
  }

  const syntax: ProtocolsResult['syntax'] = sawList && sawBound ? 'mixed' : sawBound ? 'range' : sawList ? 'exclusions' : 'empty';

  if (firstInvalid) {
    return { ok: false, syntax, tokens, excluded: [], floor: null, ceiling: null, ...nothingEnabled(), diagnostics };
  }

  // Postfix: with any include, everything it knows but did not include is excluded too.
  const known = PROTOCOL_NAMES.filter((p) => p !== 'TLSv1.3' || knowsTlsv13(version));
  const excluded = new Set(exclude);
  if (include.size > 0) {
    for (const p of known) if (!include.has(p)) excluded.add(p);
    const firstInclude = tokens.find((t) => t.kind === 'include');
    // After the ">= NAME" trap the include form is accidental; that warning already says so.
    if (!diagnostics.some((d) => d.code === 'protocols-bound-space')) diagnostics.push({
      code: 'protocols-include',
      severity: 'warning',
      message: `Listing protocols to include (${[...include].join(', ')}) excludes every other protocol Postfix knows; the documentation discourages this form. Prefer ${ranges ? '">=" / "<=" bounds' : '"!" exclusions'}.`,
      token: firstInclude?.text,
      offset: firstInclude?.offset,
    });
    if (!knowsTlsv13(version) && !include.has('TLSv1.3')) {
      diagnostics.push({
        code: 'protocols-tlsv13-unknown',
        severity: 'warning',
        message: 'This Postfix version does not know TLSv1.3, so an include list cannot exclude it: with OpenSSL 1.1.1 or later TLSv1.3 stays enabled.',
        offset: firstInclude?.offset,
      });
    }
  }

  // Bounds OpenSSL refuses are dropped (the client logs an error, smtpd says nothing).
  for (const [tok, which] of [
    [floorToken, 'minimum'],
    [ceilingToken, 'maximum'],
  ] as const) {
    if (tok && tok.bound !== undefined && !boundAccepted(tok.bound)) {
      diagnostics.push({
        code: 'protocols-bound-unsupported',
        severity: 'warning',
        message: `OpenSSL does not accept ${hex4(tok.bound)} as a TLS protocol bound: the smtp client logs "error setting ${which} TLS version to: ${hex4(tok.bound)}" and continues without that bound; smtpd ignores it silently.`,
        token: tok.text,
        offset: tok.offset,
      });
      if (which === 'minimum') floor = 0;
      else ceiling = 0;
    }
  }

  const inBounds = (p: ProtocolName): boolean => {
    const w = PROTOCOL_WIRE_VERSION[p];
    return (floor === 0 || w >= floor) && (ceiling === 0 || w <= ceiling);
  };
  const requested = NEGOTIABLE_PROTOCOLS.filter((p) => !excluded.has(p) && inBounds(p));
  const available = (p: ProtocolName): boolean => p !== 'SSLv3' || options.sslv3Available === true;

  // OpenSSL scans from the newest version down; an unusable version ends a run,
  // and the last (lowest) run wins. So a hole disables everything above it.
  let run: ProtocolName[] = [];
  let inRun = false;
  for (let i = NEGOTIABLE_PROTOCOLS.length - 1; i >= 0; i--) {
    const p = NEGOTIABLE_PROTOCOLS[i];
    if (requested.includes(p) && available(p)) {
      if (!inRun) run = [];
      run.unshift(p);
      inRun = true;
    } else {
      inRun = false;
    }
  }
  const enabled = run;
  const usable = requested.filter(available);
  if (enabled.length > 0 && usable.length > enabled.length) {
    const lost = usable.filter((p) => !enabled.includes(p));
    const holes = NEGOTIABLE_PROTOCOLS.filter(
      (p) => available(p) && !requested.includes(p) && PROTOCOL_WIRE_VERSION[p] > PROTOCOL_WIRE_VERSION[enabled[enabled.length - 1]],
    );
    const holeTok = tokens.find((t) => t.kind === 'exclude' && t.protocol === holes[0]) ?? tokens.find((t) => t.protocol === holes[0]);
    diagnostics.push({
      code: 'protocols-gap',
      severity: 'warning',
      message: `Excluding ${holes.join(', ')} leaves a gap: OpenSSL disables every version above the first gap, so ${lost.join(', ')} ${lost.length > 1 ? 'are' : 'is'} also disabled and only ${enabled.join(', ')} can be negotiated.`,
      token: holeTok?.text,
      offset: holeTok?.offset,
    });
  }
  if (enabled.length === 0) {
    diagnostics.push({
      code: 'protocols-none-enabled',
      severity: 'error',
      message: `The list leaves no protocol that OpenSSL can negotiate${requested.includes('SSLv3') && !available('SSLv3') ? ' (SSLv3 is compiled out of OpenSSL)' : ''}: ${noProtocolsEffect(options.role)}.`,
    });
  }
  return {
    ok: true,
    syntax,
    tokens,
    excluded: PROTOCOL_NAMES.filter((p) => excluded.has(p)),
    floor: floor === 0 ? null : floor,
    ceiling: ceiling === 0 ? null : ceiling,
    requested,
    enabled,
    effective: enabled,
    min: enabled[0] ?? null,
    max: enabled[enabled.length - 1] ?? null,
    diagnostics,
  };
}

function duplicateBound(tok: ProtocolToken, earlier: ProtocolToken): ValueDiagnostic {
  return {
    code: 'protocols-duplicate-bound',
    severity: 'warning',
    message: `${q(tok.text)} overrides the earlier ${q(earlier.text)}: only the last ${tok.kind === 'floor' ? 'lower' : 'upper'} bound counts.`,
    token: tok.text,
    offset: tok.offset,
  };
}

function boundWhy(arg: string): string {
  if (asciiLower(arg) === 'sslv2') return 'SSLv2 cannot be used as a bound (valid: None, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, or a hex version such as 0x0303)';
  if (arg.includes('#')) return '"#" inside a value does not start a comment';
  if (arg.includes(';')) return '";" is not a separator';
  return 'a bound must be None, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 or a hexadecimal version such as 303 or 0x0303';
}

function nameWhy(name: string, version: string, ranges: boolean): string {
  if (/^[<>]=/.test(name)) {
    return ranges ? '"!" cannot be combined with ">=" / "<="' : `">=" / "<=" bounds need Postfix 3.6 (this is ${version}); older versions read them as unknown protocol names`;
  }
  if (asciiLower(name) === 'tlsv1.3') return `Postfix ${version} does not know TLSv1.3 (needs 3.4, or 3.0.14 / 3.1.10 / 3.2.7 / 3.3.2)`;
  if (name.includes(';')) return '";" is not a separator (use whitespace, "," or ":")';
  if (name.startsWith('#')) return '"#" inside a value does not start a comment';
  if (name === '') return '"!" must be followed by a protocol name';
  if (/^[0-9a-fA-Fx]+$/.test(name)) return 'hex versions are only valid after ">=" or "<="';
  return 'valid names are SSLv2, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3';
}

function invalidToken(value: string, tok: ProtocolToken, why: string, options: ProtocolsOptions, earlier: ProtocolToken | null): ValueDiagnostic {
  return {
    code: 'protocols-invalid',
    severity: 'error',
    // Postfix stops at the first bad token; later ones get a short note.
    message: earlier
      ? `${q(tok.text)} is not valid either (${why}).`
      : `Invalid TLS protocol list ${q(value)}: ${q(tok.text)} is not valid (${why}); ${invalidListEffect(options.role)}.`,
    token: tok.text,
    offset: tok.offset,
  };
}
