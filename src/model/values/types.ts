import { NEWEST_VERSION, parseVersion, versionAtLeast } from '../version.js';

export type ValueSeverity = 'error' | 'warning' | 'info';

/** A finding about one parameter value. Never thrown: parsers return these. */
export interface ValueDiagnostic {
  readonly code: string;
  readonly severity: ValueSeverity;
  /** Says what Postfix will actually do with the value. */
  readonly message: string;
  readonly token?: string;
  /** Char offset of the offending token within the value, when known. */
  readonly offset?: number;
}

export interface ValueToken {
  readonly text: string;
  /** Char offset of the token within the value. */
  readonly offset: number;
}

/** Postfix CHARS_COMMA_SP: the list separators of most Postfix list parameters. */
export const COMMA_SPACE = ', \t\r\n';

/**
 * Split like Postfix mystrtok(): runs of separator chars delimit tokens,
 * empty tokens never appear. Offsets index into `value`.
 */
export function splitTokens(value: string, separators: string): ValueToken[] {
  const tokens: ValueToken[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && separators.includes(value[i])) i++;
    if (i >= value.length) break;
    const start = i;
    while (i < value.length && !separators.includes(value[i])) i++;
    tokens.push({ text: value.slice(start, i), offset: start });
  }
  return tokens;
}

/** ASCII-only lower-casing, like strcasecmp() in the C locale (latin1 letters stay as they are). */
export function asciiLower(s: string): string {
  if (!/[A-Z]/.test(s)) return s; // the common case, without allocating
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Quote a (binary-string) value for a message; the output edge decodes it (displayText), once. */
export function q(s: string): string {
  return `"${s}"`;
}

/**
 * `version >= min`, where an unparsable version counts as the newest modelled
 * release (callers validate the version string elsewhere).
 */
export function atLeast(version: string, min: string): boolean {
  const v = parseVersion(version) ? version : NEWEST_VERSION;
  return versionAtLeast(v, min);
}
