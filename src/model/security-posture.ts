/**
 * A coarse, comparable summary of how strong a configuration's TLS is, so a
 * fix can be checked for "never weaker": each component only ever compares
 * with the same component of another model.
 */
import type { ConfigModel } from './config.js';
import { clientTlsPolicy } from './client-tls.js';
import {
  legacyServerLevel,
  levelRank,
  parseBoolean,
  parseCipherGrade,
  parseProtocols,
  parseServerSecurityLevel,
  PROTOCOL_NAMES,
} from './values/index.js';

const GRADE_RANK: Record<string, number> = { null: 0, export: 1, low: 2, medium: 3, high: 4 };
const SERVER_RANK: Record<string, number> = { none: 0, may: 1, encrypt: 2 };

/** Lowest protocol index a list allows (higher = stronger); -1 when the list is invalid. */
function floorOf(value: string, version: string): number {
  const p = parseProtocols(value, version);
  if (!p.ok) return -1;
  return p.min ? PROTOCOL_NAMES.indexOf(p.min) : PROTOCOL_NAMES.length;
}

export type Posture = readonly number[];

export function securityPosture(model: ConfigModel): Posture {
  const out: number[] = [];
  for (const prefix of ['smtp', 'lmtp'] as const) {
    const policy = clientTlsPolicy(model, prefix);
    out.push(policy.level === null ? -1 : levelRank(policy.level));
    out.push(policy.protocols.ok ? floorOf(policy.protocolsValue, model.version) : -1);
    out.push(policy.grade.effectiveGrade ? GRADE_RANK[policy.grade.effectiveGrade] : -1);
  }
  const server = parseServerSecurityLevel(model.value('smtpd_tls_security_level'), model.version);
  const serverLevel = server.useLegacyBooleans
    ? legacyServerLevel({
        useTls: parseBoolean(model.value('smtpd_use_tls')).value === true,
        enforceTls: parseBoolean(model.value('smtpd_enforce_tls')).value === true,
      })
    : server.level;
  out.push(serverLevel === null ? -1 : SERVER_RANK[serverLevel]);
  for (const name of ['smtpd_tls_protocols', 'smtpd_tls_mandatory_protocols']) out.push(floorOf(model.value(name), model.version));
  for (const name of ['smtpd_tls_ciphers', 'smtpd_tls_mandatory_ciphers']) {
    const g = parseCipherGrade(model.value(name), model.version);
    out.push(g.effectiveGrade ? GRADE_RANK[g.effectiveGrade] : -1);
  }
  return out;
}

/** True when some component of `after` is weaker than in `before`. */
export function isWeaker(before: Posture, after: Posture): boolean {
  return after.some((v, i) => v < before[i]);
}
