/** Which cipher grade parameter a daemon reads at its configured level (smtp/lmtp client, smtpd). */
import type { ConfigModel } from './config.js';
import { clientTlsPolicy } from './client-tls.js';
import { legacyServerLevel, parseBoolean, parseServerSecurityLevel } from './values/index.js';

export type GradePrefix = 'smtp' | 'lmtp' | 'smtpd';

/** The level in force for a prefix ("none" when TLS is off, null when the level is invalid). */
export function levelFor(model: ConfigModel, prefix: GradePrefix): string | null {
  if (prefix !== 'smtpd') return clientTlsPolicy(model, prefix).level;
  const parsed = parseServerSecurityLevel(model.value('smtpd_tls_security_level'), model.version);
  if (!parsed.ok) return null;
  return (
    parsed.level ??
    legacyServerLevel({
      useTls: parseBoolean(model.value('smtpd_use_tls')).value === true,
      enforceTls: parseBoolean(model.value('smtpd_enforce_tls')).value === true,
    })
  );
}

/**
 * The grade parameters the daemon actually reads at its configured level: none when TLS is off, both when
 * the level is invalid (the meant one is unknown) and at dane (the mandatory grade for destinations with TLSA records, the
 * opportunistic one for the others), else the one the level selects.
 */
export function gradeKnobsInForce(model: ConfigModel, prefix: GradePrefix): string[] {
  const level = levelFor(model, prefix);
  if (level === 'none') return [];
  // An invalid level stops the daemon (another rule's finding); which grade was meant is unknown: both count.
  if (level === null || level === 'dane') return [`${prefix}_tls_ciphers`, `${prefix}_tls_mandatory_ciphers`];
  if (prefix === 'smtpd') return [level === 'encrypt' ? 'smtpd_tls_mandatory_ciphers' : 'smtpd_tls_ciphers'];
  return [clientTlsPolicy(model, prefix).gradeParam];
}
