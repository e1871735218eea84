/**
 * *_tls_loglevel, as Postfix's tls_log_mask() reads it: names separated by
 * whitespace or comma, ASCII case-insensitive; numbers 0-4 (5-9 mean 4), their
 * word aliases, and feature words. One unknown name voids the whole mask.
 */
import { COMMA_SPACE, asciiLower, q, splitTokens, type ValueDiagnostic } from './types.js';

const LEVEL_WORDS: Readonly<Record<string, number>> = {
  '0': 0, none: 0,
  '1': 1, routine: 1,
  '2': 2, debug: 2,
  '3': 3, 'ssl-expert': 3,
  '4': 4, 'ssl-developer': 4,
  '5': 4, '6': 4, '7': 4, '8': 4, '9': 4,
};

/** Undocumented feature words of the same table (no numeric equivalent). */
export const TLS_LOG_FEATURE_WORDS = [
  'summary', 'untrusted', 'peercert', 'certmatch', 'verbose', 'cache', 'dane',
  'ssl-debug', 'ssl-handshake-packet-dump', 'ssl-session-packet-dump',
] as const;

export interface LoglevelResult {
  /** False when an unknown word voids the setting (Postfix warns and logs nothing). */
  readonly ok: boolean;
  /** Highest numeric level named (0-4); 0 when invalid or only feature words are given. */
  readonly level: number;
  /** Feature words named (lower case). */
  readonly features: readonly string[];
  readonly diagnostics: ValueDiagnostic[];
}

export function parseTlsLoglevel(value: string, _version?: string, name = 'tls loglevel'): LoglevelResult {
  let level = 0;
  const features: string[] = [];
  for (const t of splitTokens(value, COMMA_SPACE)) {
    const w = asciiLower(t.text);
    if (w in LEVEL_WORDS) {
      level = Math.max(level, LEVEL_WORDS[w]);
    } else if ((TLS_LOG_FEATURE_WORDS as readonly string[]).includes(w)) {
      features.push(w);
    } else {
      return {
        ok: false,
        level: 0,
        features: [],
        diagnostics: [
          {
            code: 'loglevel-unknown',
            severity: 'warning',
            message: `unknown ${name} value ${q(t.text)} in ${q(value)}: Postfix logs this warning and turns TLS logging off entirely (mail still flows). Use 0-4.`,
            token: t.text,
            offset: t.offset,
          },
        ],
      };
    }
  }
  const diagnostics: ValueDiagnostic[] = [];
  if (level >= 4) {
    diagnostics.push({
      code: 'loglevel-too-high',
      severity: 'warning',
      message: 'TLS loglevel 4 (or 5-9) dumps the whole session, including message content, to the log; the documentation strongly discourages it.',
      offset: 0,
    });
  }
  return { ok: true, level, features, diagnostics };
}
