/** Half-open byte range [start, end) into a file's binary string. */
export type Range = readonly [number, number];

export type Severity = 'error' | 'warning' | 'info';

/** A problem found while reading input (not a rule finding). */
export interface Diagnostic {
  /** Stable short code, e.g. "syntax", "leading-whitespace", "expansion-loop". */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  /** 1-based line of range start. */
  readonly line: number;
}
