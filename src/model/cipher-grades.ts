/** Which cipher grade parameter a daemon reads at its configured level (smtp/lmtp client, smtpd). */
import type { ConfigModel } from './config.js';
import { clientTlsPolicy } from './client-tls.js';
import { legacyServerLevel, parseBoolean, parseCipherGrade, parseServerSecurityLevel, type CipherGrade } from './values/index.js';

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

const STRENGTH: Readonly<Record<CipherGrade, number>> = { null: 0, export: 1, low: 2, medium: 3, high: 4 };

/** Whether grade `a` is stricter than grade `b` (false when either is not a valid grade). */
export function stricterGrade(model: ConfigModel, a: string, b: string): boolean {
  const ga = parseCipherGrade(a, model.version).grade;
  const gb = parseCipherGrade(b, model.version).grade;
  return ga !== null && gb !== null && STRENGTH[ga] > STRENGTH[gb];
}

/**
 * A hardening set on the wrong knob: at a mandatory level, the opportunistic grade is set stricter than the
 * mandatory grade, which is left at its default (cipher-grade-wrong-knob's finding, with its fix).
 */
export function hardeningOnUnreadGrade(model: ConfigModel, prefix: GradePrefix): boolean {
  const inForce = gradeKnobsInForce(model, prefix);
  const read = `${prefix}_tls_mandatory_ciphers`;
  const unread = `${prefix}_tls_ciphers`;
  if (inForce.length !== 1 || inForce[0] !== read) return false;
  const resolved = model.resolve(unread);
  if (!resolved || resolved.source === 'default' || model.resolve(read)?.source !== 'default') return false;
  return stricterGrade(model, model.value(unread), model.value(read));
}
