/** Frozen exit codes (documented in README): scripts depend on them. */
export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

import type { Severity } from '../parser/types.js';

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** 1 when any finding is at or above the threshold, else 0. */
export function exitCodeFor(severities: Iterable<Severity>, failOn: Severity): number {
  for (const s of severities) if (RANK[s] >= RANK[failOn]) return EXIT_FINDINGS;
  return EXIT_CLEAN;
}

export function severityAtLeast(s: Severity, min: Severity): boolean {
  return RANK[s] >= RANK[min];
}
