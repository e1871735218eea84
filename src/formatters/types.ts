import type { Finding } from '../engine/types.js';

/** What a formatter gets for one linted file. */
export interface FileReport {
  /** Path as given/shown to the user (relative to cwd where possible). */
  readonly file: string;
  readonly findings: readonly Finding[];
  /** Fixes applied by --fix, if it ran. */
  readonly fixed?: readonly Finding[];
}

export interface FormatContext {
  readonly color: boolean;
  readonly toolVersion: string;
  readonly postfixVersion: string;
  readonly cwd: string;
}

export type Formatter = (reports: readonly FileReport[], ctx: FormatContext) => string;
