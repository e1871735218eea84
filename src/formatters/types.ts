import type { Finding } from '../engine/types.js';

/** A finding an inline "# postfix-tls-lint disable…" comment suppressed. */
export interface SuppressedReport {
  readonly finding: Finding;
  /** The reason after " -- " in the directive, or null. */
  readonly reason: string | null;
}

/** What a formatter gets for one linted file. */
export interface FileReport {
  /** Path as given/shown to the user (relative to cwd where possible). */
  readonly file: string;
  readonly findings: readonly Finding[];
  /** Fixes applied by --fix, if it ran. */
  readonly fixed?: readonly Finding[];
  /** Findings hidden by inline suppressions (SARIF reports them as suppressed results). */
  readonly suppressed?: readonly SuppressedReport[];
}

export interface FormatContext {
  readonly color: boolean;
  /** stylish: the full message with related locations, confirm command and fix (default: one line per finding). */
  readonly verbose?: boolean;
  readonly toolVersion: string;
  readonly postfixVersion: string;
  readonly cwd: string;
}

export type Formatter = (reports: readonly FileReport[], ctx: FormatContext) => string;
