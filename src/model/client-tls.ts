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
  parseCipherGrade,
  parseClientSecurityLevel,
  parseExclusionList,
  parseProtocols,
  usesMandatorySettings,
  verifiesPeer,
  type CipherGradeResult,
  type ClientSecurityLevel,
  type ProtocolsResult,
  type ValueDiagnostic,
  type ValueToken,
} from './values/index.js';

export type ClientPrefix = 'smtp' | 'lmtp';

export interface LevelSource {
  /** How the level was decided. */
  readonly kind: 'parameter' | 'legacy' | 'default' | 'policy';
  /** The parameter (or policy attribute) that decided it. */
  readonly param: string;
  readonly node?: ParamNode;
}

export interface ExclusionSource {
  readonly param: string;
  readonly node?: ParamNode;
  readonly tokens: readonly ValueToken[];
}

export interface ClientTlsPolicy {
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
  readonly gradeParam: string;
  readonly gradeValue: string;
  readonly grade: CipherGradeResult;
  /** tls_<grade>_cipherlist in use and its (expanded) value. */
  readonly cipherlistParam: string | null;
  readonly cipherlistValue: string;
  readonly exclusions: readonly ExclusionSource[];
  /** eNULL at encrypt, aNULL at verifying levels. */
  readonly automaticExclusion: 'eNULL' | 'aNULL' | null;
  /** The OpenSSL cipher string Postfix hands to SSL_set_cipher_list (null when the grade is invalid). */
  readonly cipherString: string | null;
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
  const gradeParam = mandatoryKnobs ? `${prefix}_tls_mandatory_ciphers` : `${prefix}_tls_ciphers`;
  const protocolsValue = model.value(protocolsParam);
  const gradeValue = model.value(gradeParam);
  const protocols = parseProtocols(protocolsValue, model.version, { role: 'client' });
  const grade = parseCipherGrade(gradeValue, model.version, { role: 'client' });
  const exclusionParams = [`${prefix}_tls_exclude_ciphers`, ...(mandatoryKnobs ? [`${prefix}_tls_mandatory_exclude_ciphers`] : [])];
  const exclusions: ExclusionSource[] = exclusionParams.map((param) => ({
    param,
    node: model.definition(param),
    tokens: parseExclusionList(model.value(param)).tokens,
  }));
  const automaticExclusion = level ? automaticCipherExclusion(level) : null;
  const cipherlistParam = grade.effectiveGrade ? `tls_${grade.effectiveGrade}_cipherlist` : null;
  const cipherlistValue = cipherlistParam ? model.value(cipherlistParam) : '';
  let cipherString: string | null = null;
  if (cipherlistParam) {
    const parts = [cipherlistValue];
    for (const e of exclusions) for (const t of e.tokens) parts.push('!' + t.text);
    if (automaticExclusion) parts.push('!' + automaticExclusion);
    cipherString = parts.join(':');
  }
  return {
    prefix,
    level,
    levelSource: levelOverride ? { kind: 'policy', param: 'level' } : decided.source,
    levelDiagnostics: decided.diagnostics,
    mandatoryKnobs,
    protocolsParam,
    protocolsValue,
    protocols,
    gradeParam,
    gradeValue,
    grade,
    cipherlistParam,
    cipherlistValue,
    exclusions,
    automaticExclusion,
    cipherString,
    opensslSecurityLevel: level !== null && verifiesPeer(level) ? 1 : 0,
  };
}
