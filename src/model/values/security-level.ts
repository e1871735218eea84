/**
 * TLS security levels (smtp_/lmtp_/tlsproxy_client_security_level, the level
 * field of a TLS policy entry, smtpd_/tlsproxy_tls_security_level), parsed the
 * way Postfix's tls_level_lookup() does: the whole value, ASCII case-insensitive.
 */
import { asciiLower, q, type ValueDiagnostic } from './types.js';

export const CLIENT_SECURITY_LEVELS = ['none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure'] as const;
export type ClientSecurityLevel = (typeof CLIENT_SECURITY_LEVELS)[number];

export const SERVER_SECURITY_LEVELS = ['none', 'may', 'encrypt'] as const;
export type ServerSecurityLevel = (typeof SERVER_SECURITY_LEVELS)[number];

/** Postfix's internal order (tls.h TLS_LEV_*): higher means stricter. `halfdane` (internal only) sits between fingerprint and dane. */
const LEVEL_RANK: Record<ClientSecurityLevel, number> = {
  none: 0,
  may: 1,
  encrypt: 2,
  fingerprint: 3,
  dane: 5,
  'dane-only': 6,
  verify: 7,
  secure: 8,
};

export function levelRank(level: ClientSecurityLevel): number {
  return LEVEL_RANK[level];
}

/** Look a word up in the level table; null when Postfix would reject it (including the output-only `halfdane`). */
export function lookupLevel(word: string): ClientSecurityLevel | null {
  const w = asciiLower(word);
  return (CLIENT_SECURITY_LEVELS as readonly string[]).includes(w) ? (w as ClientSecurityLevel) : null;
}

/** TLS is never optional: no plaintext delivery (encrypt, fingerprint, dane-only, verify, secure). `dane` is not: without usable TLSA records it acts as `may`. */
export function isMandatoryLevel(level: ClientSecurityLevel): boolean {
  return level === 'encrypt' || level === 'fingerprint' || level === 'dane-only' || level === 'verify' || level === 'secure';
}

/** The level selects the *mandatory* protocol, cipher-grade and exclusion parameters (every level above `may`, dane included). */
export function usesMandatorySettings(level: ClientSecurityLevel): boolean {
  return LEVEL_RANK[level] > LEVEL_RANK.may;
}

/** The peer certificate (or key) is authenticated: fingerprint, dane, dane-only, verify, secure (dane only when usable TLSA records exist). */
export function verifiesPeer(level: ClientSecurityLevel): boolean {
  return LEVEL_RANK[level] > LEVEL_RANK.encrypt;
}

/** Opportunistic: a failed or missing TLS may end in plaintext (may; dane without usable TLSA records). */
export function isOpportunisticLevel(level: ClientSecurityLevel): boolean {
  return level === 'may' || level === 'dane';
}

export function isDaneLevel(level: ClientSecurityLevel): boolean {
  return level === 'dane' || level === 'dane-only';
}

/** Trust comes from CA certificates (PKIX): verify, secure. */
export function usesPkix(level: ClientSecurityLevel): boolean {
  return level === 'verify' || level === 'secure';
}

/** The exclusion the smtp client appends to the cipher list at this level (§4 of the facts). */
export function automaticCipherExclusion(level: ClientSecurityLevel): 'eNULL' | 'aNULL' | null {
  if (level === 'encrypt') return 'eNULL';
  if (verifiesPeer(level)) return 'aNULL';
  return null;
}

export interface ClientLevelResult {
  /** False when Postfix rejects the value. */
  readonly ok: boolean;
  /** The level in effect; null when the value is empty (legacy booleans decide) or invalid. */
  readonly level: ClientSecurityLevel | null;
  /** Empty value: smtp_use_tls / smtp_enforce_tls / smtp_tls_enforce_peername decide (see legacyClientLevel). */
  readonly useLegacyBooleans: boolean;
  readonly diagnostics: ValueDiagnostic[];
}

export interface LevelOptions {
  /** Where the value comes from: a main.cf/master.cf parameter (default) or a TLS policy table entry. */
  readonly context?: 'parameter' | 'policy';
}

export function parseClientSecurityLevel(value: string, _version: string, options: LevelOptions = {}): ClientLevelResult {
  if (value === '') {
    if (options.context === 'policy') {
      return invalidClient(value, options, 'level-empty', 'a TLS policy entry needs a security level');
    }
    return { ok: true, level: null, useLegacyBooleans: true, diagnostics: [] };
  }
  const level = lookupLevel(value);
  if (level) return { ok: true, level, useLegacyBooleans: false, diagnostics: [] };
  const why =
    asciiLower(value) === 'halfdane'
      ? '"halfdane" is only used by Postfix in log output and is rejected as configuration input'
      : value.includes('#')
        ? '"#" after a value does not start a comment; it is part of the value'
        : `valid levels are ${CLIENT_SECURITY_LEVELS.join(', ')}`;
  return invalidClient(value, options, 'level-invalid', why);
}

function invalidClient(value: string, options: LevelOptions, code: string, why: string): ClientLevelResult {
  const effect =
    options.context === 'policy'
      ? 'the policy entry is invalid: smtp(8) logs a warning and defers mail for that destination with 4.7.5 "client TLS configuration problem"'
      : 'smtp(8) exits at start-up (fatal: Invalid TLS level), master(8) throttles the service, and no mail leaves through it';
  return {
    ok: false,
    level: null,
    useLegacyBooleans: false,
    diagnostics: [{ code, severity: 'error', message: `Invalid TLS level ${q(value)}: ${why}; ${effect}.`, token: value, offset: 0 }],
  };
}

export interface ServerLevelResult {
  readonly ok: boolean;
  /** What smtpd will use; null when empty (legacy booleans decide) or invalid. */
  readonly level: ServerSecurityLevel | null;
  /** The client-style level as written, when it is a known level word (e.g. `verify`, which smtpd maps to encrypt). */
  readonly written: ClientSecurityLevel | null;
  readonly useLegacyBooleans: boolean;
  readonly diagnostics: ValueDiagnostic[];
}

export function parseServerSecurityLevel(value: string, _version: string): ServerLevelResult {
  if (value === '') return { ok: true, level: null, written: null, useLegacyBooleans: true, diagnostics: [] };
  const written = lookupLevel(value);
  if (written === 'none' || written === 'may' || written === 'encrypt') {
    return { ok: true, level: written, written, useLegacyBooleans: false, diagnostics: [] };
  }
  if (written === 'fingerprint' || written === 'verify' || written === 'secure') {
    return {
      ok: true,
      level: 'encrypt',
      written,
      useLegacyBooleans: false,
      diagnostics: [
        {
          code: 'server-level-unsupported',
          severity: 'warning',
          message: `smtpd does not support TLS level ${q(value)}: it logs 'unsupported TLS level "${written}", using "encrypt"' and requires TLS without checking client certificates.`,
          token: value,
          offset: 0,
        },
      ],
    };
  }
  const why = written
    ? `${q(value)} is a client-only level`
    : asciiLower(value) === 'halfdane'
      ? '"halfdane" is an output-only name'
      : value.includes('#')
        ? '"#" after a value does not start a comment; it is part of the value'
        : 'valid server levels are none, may, encrypt';
  return {
    ok: false,
    level: null,
    written,
    useLegacyBooleans: false,
    diagnostics: [
      {
        code: 'level-invalid',
        severity: 'error',
        message: `Invalid TLS level ${q(value)}: ${why}; smtpd exits at start-up (fatal: Invalid TLS level) and master(8) throttles the service, so it stops accepting mail.`,
        token: value,
        offset: 0,
      },
    ],
  };
}

export interface LegacyClientBooleans {
  /** smtp_use_tls (default no). */
  readonly useTls?: boolean;
  /** smtp_enforce_tls (default no). */
  readonly enforceTls?: boolean;
  /** smtp_tls_enforce_peername (default yes). */
  readonly enforcePeername?: boolean;
}

/** The level the smtp client derives from the obsolete booleans when smtp_tls_security_level is empty. */
export function legacyClientLevel(b: LegacyClientBooleans): ClientSecurityLevel {
  if (b.enforceTls) return b.enforcePeername ?? true ? 'verify' : 'encrypt';
  if (b.useTls) return 'may';
  return 'none';
}

export interface LegacyServerBooleans {
  /** smtpd_use_tls (default no). */
  readonly useTls?: boolean;
  /** smtpd_enforce_tls (default no); implies smtpd_use_tls. */
  readonly enforceTls?: boolean;
}

/** The level smtpd derives from the obsolete booleans when smtpd_tls_security_level is empty. */
export function legacyServerLevel(b: LegacyServerBooleans): ServerSecurityLevel {
  if (b.enforceTls) return 'encrypt';
  if (b.useTls) return 'may';
  return 'none';
}
