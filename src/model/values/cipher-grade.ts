/**
 * Cipher grades (smtp[d]_tls_[mandatory_]ciphers, policy `ciphers=`), as
 * Postfix's tls_cipher_grade() reads them: the whole value, ASCII
 * case-insensitive.
 */
import { asciiLower, atLeast, q, type ValueDiagnostic } from './types.js';

export const CIPHER_GRADES = ['export', 'low', 'medium', 'high', 'null'] as const;
export type CipherGrade = (typeof CIPHER_GRADES)[number];

export interface CipherGradeResult {
  readonly ok: boolean;
  /** The grade as written (lower case); null when invalid. */
  readonly grade: CipherGrade | null;
  /** The grade whose cipher list Postfix uses: from 3.8 export and low behave as medium. */
  readonly effectiveGrade: CipherGrade | null;
  readonly diagnostics: ValueDiagnostic[];
}

export interface CipherGradeOptions {
  readonly role?: 'client' | 'server';
}

/** From Postfix 3.8 the "export" and "low" grades use the medium cipher list. */
export function lowGradesAreMedium(version: string): boolean {
  return atLeast(version, '3.8');
}

export function parseCipherGrade(value: string, version: string, options: CipherGradeOptions = {}): CipherGradeResult {
  const w = asciiLower(value);
  const grade = (CIPHER_GRADES as readonly string[]).includes(w) ? (w as CipherGrade) : null;
  if (!grade) {
    const hint = /[:!+@]/.test(value)
      ? ' (this looks like an OpenSSL cipher string; grades are one word, custom lists belong in tls_<grade>_cipherlist)'
      : value.includes('#')
        ? ' ("#" after a value does not start a comment)'
        : '';
    const effect =
      options.role === 'client'
        ? 'every TLS session of the smtp client fails (deferred; at level may sent in plaintext on a later retry)'
        : options.role === 'server'
          ? 'every STARTTLS session with smtpd fails: the connection is dropped after "220 Ready to start TLS"'
          : 'every TLS session that uses it fails (client: deferred, at level may plaintext on a later retry; server: connection dropped after "220 Ready to start TLS")';
    return {
      ok: false,
      grade: null,
      effectiveGrade: null,
      diagnostics: [
        {
          code: 'cipher-grade-invalid',
          severity: 'error',
          message: `invalid cipher grade: ${q(value)}${hint}; valid grades are ${CIPHER_GRADES.join(', ')}; ${effect}.`,
          token: value,
          offset: 0,
        },
      ],
    };
  }
  const diagnostics: ValueDiagnostic[] = [];
  let effectiveGrade: CipherGrade = grade;
  if (grade === 'export' || grade === 'low') {
    if (lowGradesAreMedium(version)) {
      effectiveGrade = 'medium';
      diagnostics.push({
        code: 'cipher-grade-as-medium',
        severity: 'info',
        message: `Since Postfix 3.8 the "${grade}" grade is treated as "medium" (tls_${grade}_cipherlist is ignored).`,
        token: value,
        offset: 0,
      });
    } else {
      diagnostics.push({
        code: 'cipher-grade-weak',
        severity: 'warning',
        message: `The "${grade}" grade uses tls_${grade}_cipherlist, which admits ${grade === 'export' ? 'EXPORT and LOW' : 'LOW'} strength ciphers (where OpenSSL still has them).`,
        token: value,
        offset: 0,
      });
    }
  } else if (grade === 'null') {
    diagnostics.push({
      code: 'cipher-grade-null',
      severity: 'warning',
      message: 'The "null" grade uses tls_null_cipherlist: TLS 1.2 and older sessions get cipher suites without encryption.',
      token: value,
      offset: 0,
    });
  }
  return { ok: true, grade, effectiveGrade, diagnostics };
}
