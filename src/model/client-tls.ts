/**
 * The TLS policy the Postfix SMTP/LMTP client applies, derived the way
 * smtp(8) derives it (smtp_tls_policy.c, tls_client.c): level first, then the
 * opportunistic or mandatory knobs that level selects, then the cipher list
 * built from the grade plus ":!X" per exclusion.
 */
import type { ConfigModel } from './config.js';
import type { ParamNode } from '../parser/main-cf.js';
import {
  automaticCipherExclusion,
  legacyClientLevel,
  parseBoolean,
  parseClientSecurityLevel,
  parseProtocols,
  usesMandatorySettings,
  verifiesPeer,
  type ClientSecurityLevel,
  type ProtocolsResult,
  type ValueDiagnostic,
} from './values/index.js';
import { cipherPolicy, type CipherPolicy, type ExclusionSource } from './cipher-policy.js';

export type { ExclusionSource } from './cipher-policy.js';

export type ClientPrefix = 'smtp' | 'lmtp';

export interface LevelSource {
  /** How the level was decided. */
  readonly kind: 'parameter' | 'legacy' | 'default' | 'policy';
  /** The parameter (or policy attribute) that decided it. */
  readonly param: string;
  readonly node?: ParamNode;
}

export interface ClientTlsPolicy extends CipherPolicy {
  readonly prefix: ClientPrefix;
  /** null when the configured level is invalid (smtp(8) refuses to start). */
  readonly level: ClientSecurityLevel | null;
  readonly levelSource: LevelSource;
  readonly levelDiagnostics: readonly ValueDiagnostic[];
  /** Whether the level uses the mandatory_ knobs (encrypt and above, dane included). */
  readonly mandatoryKnobs: boolean;
  readonly protocolsParam: string;
  readonly protocolsValue: string;
  readonly protocols: ProtocolsResult;
  /** eNULL at encrypt, aNULL at verifying levels. */
  readonly automaticExclusion: 'eNULL' | 'aNULL' | null;
  readonly exclusions: readonly ExclusionSource[];
  /** The OpenSSL security level Postfix runs at: 0 unless the peer is verified. */
  readonly opensslSecurityLevel: number;
}

function yes(model: ConfigModel, name: string): boolean {
  return parseBoolean(model.value(name)).value === true;
}

/** The security level in force for a client prefix, with where it comes from. */
export function clientLevel(
  model: ConfigModel,
  prefix: ClientPrefix,
): { level: ClientSecurityLevel | null; source: LevelSource; diagnostics: readonly ValueDiagnostic[] } {
  const param = `${prefix}_tls_security_level`;
  const resolved = model.resolve(param);
  const value = model.value(param);
  const parsed = parseClientSecurityLevel(value, model.version);
  if (!parsed.ok) {
    return { level: null, source: { kind: resolved?.source === 'file' ? 'parameter' : 'default', param, node: resolved?.node }, diagnostics: parsed.diagnostics };
  }
  if (parsed.level) {
    const kind = resolved?.source === 'default' ? 'default' : 'parameter';
    return { level: parsed.level, source: { kind, param, node: resolved?.node }, diagnostics: [] };
  }
  const enforce = `${prefix}_enforce_tls`;
  const useTls = `${prefix}_use_tls`;
  const level = legacyClientLevel({
    useTls: yes(model, useTls),
    enforceTls: yes(model, enforce),
    enforcePeername: model.value(`${prefix}_tls_enforce_peername`) === '' ? true : yes(model, `${prefix}_tls_enforce_peername`),
  });
  const deciding = level === 'none' ? (model.isSet(useTls) ? useTls : param) : level === 'may' ? useTls : enforce;
  const decidingNode = model.definition(deciding);
  return {
    level,
    source: { kind: decidingNode ? 'legacy' : 'default', param: deciding, node: decidingNode },
    diagnostics: [],
  };
}

/** Postfix's construction of the client's TLS settings at a given level (default: the configured one). */
export function clientTlsPolicy(model: ConfigModel, prefix: ClientPrefix = 'smtp', levelOverride?: ClientSecurityLevel): ClientTlsPolicy {
  const decided = clientLevel(model, prefix);
  const level = levelOverride ?? decided.level;
  const mandatoryKnobs = level !== null && usesMandatorySettings(level);
  const protocolsParam = mandatoryKnobs ? `${prefix}_tls_mandatory_protocols` : `${prefix}_tls_protocols`;
  const protocolsValue = model.value(protocolsParam);
  const protocols = parseProtocols(protocolsValue, model.version, { role: 'client' });
  const ciphers = cipherPolicy(model, {
    gradeParam: mandatoryKnobs ? `${prefix}_tls_mandatory_ciphers` : `${prefix}_tls_ciphers`,
    exclusionParams: [`${prefix}_tls_exclude_ciphers`, ...(mandatoryKnobs ? [`${prefix}_tls_mandatory_exclude_ciphers`] : [])],
    automaticExclusion: level ? automaticCipherExclusion(level) : null,
    role: 'client',
  });
  return {
    prefix,
    level,
    levelSource: levelOverride ? { kind: 'policy', param: 'level' } : decided.source,
    levelDiagnostics: decided.diagnostics,
    mandatoryKnobs,
    protocolsParam,
    protocolsValue,
    protocols,
    ...ciphers,
    opensslSecurityLevel: level !== null && verifiesPeer(level) ? 1 : 0,
  };
}
