/**
 * Peer (and, later, client) profile files as people write them: enum values in
 * any case ("rsa", "Server", "tlsv1.2"), OpenSSL and RFC group names
 * ("X25519", "P-256", "prime256v1", "secp256r1"), and without confidence or
 * sources (a user's own file: confidence "low", source "user-supplied").
 * Pure: JSON in, the canonical JSON the schema describes out, plus the
 * problems that no spelling rule can fix (each names the allowed values).
 */
import type { PeerGroup, PeerProtocol } from './types.js';

export const PROTOCOL_VALUES: readonly PeerProtocol[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
export const GROUP_VALUES: readonly PeerGroup[] = ['x25519', 'x448', 'secp256r1', 'secp384r1', 'secp521r1', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192'];
export const KEY_TYPES = ['RSA', 'ECDSA', 'DSA'] as const;
export const PREFERENCES = ['client', 'server'] as const;
export const CONFIDENCES = ['high', 'medium', 'low'] as const;

/** Group names as OpenSSL (tls_eecdh_auto_curves, openssl ecparam) and RFC 8422/7919 spell them, lower case. */
export const GROUP_ALIASES: Readonly<Record<string, PeerGroup>> = {
  x25519: 'x25519', x448: 'x448',
  prime256v1: 'secp256r1', secp256r1: 'secp256r1', 'p-256': 'secp256r1', p256: 'secp256r1',
  secp384r1: 'secp384r1', 'p-384': 'secp384r1', p384: 'secp384r1',
  secp521r1: 'secp521r1', 'p-521': 'secp521r1', p521: 'secp521r1',
  ffdhe2048: 'ffdhe2048', ffdhe3072: 'ffdhe3072', ffdhe4096: 'ffdhe4096', ffdhe6144: 'ffdhe6144', ffdhe8192: 'ffdhe8192',
};

/** Key type spellings: "rsa", "EC" and "ecdsa" are what people write. */
const KEY_ALIASES: Readonly<Record<string, (typeof KEY_TYPES)[number]>> = { rsa: 'RSA', ecdsa: 'ECDSA', ec: 'ECDSA', dsa: 'DSA', dss: 'DSA' };

/** "tlsv1.2", "TLS1.2", "TLSv1.0" -> "TLSv1.2" / "TLSv1". */
export function normaliseProtocol(value: string): PeerProtocol | null {
  const key = value.toLowerCase().replace(/[^a-z0-9.]/g, '').replace(/^(tls|ssl)v?/, '$1').replace(/^tls1\.0$/, 'tls1');
  return PROTOCOL_VALUES.find((p) => p.toLowerCase().replace('v', '') === key) ?? null;
}

export function normaliseGroup(value: string): PeerGroup | null {
  return GROUP_ALIASES[value.toLowerCase()] ?? null;
}

/** The allowed value `value` stands for, matched without regard to case; null when none. */
export function normaliseEnum<T extends string>(value: string, allowed: readonly T[]): T | null {
  return allowed.find((a) => a.toLowerCase() === value.toLowerCase()) ?? null;
}

export interface Normalised {
  /** The input with known spellings replaced by the canonical ones (a new object; the input is not changed). */
  readonly value: unknown;
  /** Values no spelling rule maps, each with the field and the allowed values. */
  readonly problems: readonly string[];
}

const quoteAll = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(', ');

function mapArray(value: unknown, field: string, map: (s: string) => string | null, allowed: string, problems: string[]): unknown {
  if (!Array.isArray(value)) return value;
  const out: unknown[] = [];
  value.forEach((v, i) => {
    const m = typeof v === 'string' ? map(v) : null;
    if (typeof v === 'string' && m === null) problems.push(`field "${field}[${i}]": "${v}" is not one of ${allowed}`);
    const item = m ?? v;
    // Two spellings of one value ("P-256", "prime256v1") are one entry.
    if (!(m !== null && out.includes(item))) out.push(item);
  });
  return out;
}

function mapEnum<T extends string>(value: unknown, field: string, allowed: readonly T[], problems: string[], aliases: Readonly<Record<string, T>> = {}): unknown {
  if (typeof value !== 'string') return value;
  const m = normaliseEnum(value, allowed) ?? aliases[value.toLowerCase()] ?? null;
  if (m === null) problems.push(`field "${field}": "${value}" is not one of ${quoteAll(allowed)}`);
  return m ?? value;
}

export interface ProfileDefaults {
  /** Confidence for a file that gives none. */
  readonly confidence: (typeof CONFIDENCES)[number];
  /** Sources for a file that gives none. */
  readonly sources: readonly string[];
}

export const USER_FILE_DEFAULTS: ProfileDefaults = { confidence: 'low', sources: ['user-supplied'] };

/** Canonical spellings and defaults for a parsed peer profile file. */
export function normalisePeerProfile(json: unknown, defaults: ProfileDefaults = USER_FILE_DEFAULTS): Normalised {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { value: json, problems: [] };
  const problems: string[] = [];
  const p = { ...(json as Record<string, unknown>) };
  p.protocols = mapArray(p.protocols, 'protocols', normaliseProtocol, quoteAll(PROTOCOL_VALUES), problems);
  p.groups = mapArray(p.groups, 'groups', normaliseGroup, `${quoteAll(GROUP_VALUES)} (or an alias: ${Object.keys(GROUP_ALIASES).filter((a) => !(GROUP_VALUES as readonly string[]).includes(a)).join(', ')})`, problems);
  if (p.cipherPreference !== undefined) p.cipherPreference = mapEnum(p.cipherPreference, 'cipherPreference', PREFERENCES, problems);
  p.confidence = p.confidence === undefined ? defaults.confidence : mapEnum(p.confidence, 'confidence', CONFIDENCES, problems);
  if (p.sources === undefined) p.sources = [...defaults.sources];
  if (p.certificate && typeof p.certificate === 'object' && !Array.isArray(p.certificate)) {
    const c = { ...(p.certificate as Record<string, unknown>) };
    if (c.keyType !== undefined) c.keyType = mapEnum(c.keyType, 'certificate.keyType', KEY_TYPES, problems, KEY_ALIASES);
    p.certificate = c;
  }
  if (p.evidence && typeof p.evidence === 'object' && !Array.isArray(p.evidence)) {
    const ev: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p.evidence as Record<string, unknown>)) {
      ev[k] = v && typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>).confidence !== undefined
        ? { ...(v as Record<string, unknown>), confidence: mapEnum((v as Record<string, unknown>).confidence, `evidence.${k}.confidence`, CONFIDENCES, problems) }
        : v;
    }
    p.evidence = ev;
  }
  return { value: p, problems };
}
