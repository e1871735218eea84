/**
 * Unified diffs that `git apply` and `patch -p1` accept. Their paths must be
 * relative and must not climb out with "..": when every changed file lies
 * below the working directory the paths are relative to it; otherwise they are
 * relative to the deepest directory that holds all the changed files, and the
 * caller tells the user where to apply the diff.
 */
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { unifiedDiff } from '../fixer/unified-diff.js';

/** One changed file: absolute path (or the shown name for stdin), text before (null: created) and after. */
export interface FileDiff {
  readonly path: string;
  readonly before: string | null;
  readonly after: string;
}

function inside(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function commonDirectory(paths: readonly string[]): string {
  let base = dirname(paths[0]);
  while (!paths.every((p) => inside(base, p)) && dirname(base) !== base) base = dirname(base);
  return base;
}

export interface RenderedDiff {
  /** The diff as a binary string (file bytes kept). */
  readonly text: string;
  /** The directory the paths are relative to; null when that is the working directory. */
  readonly base: string | null;
}

export function renderDiffs(diffs: readonly FileDiff[], cwd: string): RenderedDiff {
  const files = diffs.filter((d) => isAbsolute(d.path)).map((d) => d.path);
  const outside = files.some((p) => !inside(cwd, p));
  const base = outside ? commonDirectory(files) : cwd;
  const text = diffs
    .map((d) => unifiedDiff({ path: isAbsolute(d.path) ? relative(base, d.path).split(sep).join('/') : d.path, before: d.before, after: d.after }))
    .join('');
  return { text, base: outside ? base : null };
}

/** What to tell the user when the paths are not relative to the working directory. */
export function applyHint(base: string): string {
  return `the diff's paths are relative to ${base} (some files are outside the working directory): apply it there, with git -C ${base} apply < DIFF, or patch -p1 -d ${base} < DIFF`;
}
