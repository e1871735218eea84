/**
 * A small glob matcher for ignore patterns and command-line globs.
 *
 * Syntax: `*` any run of characters within one path segment, `?` one
 * character other than "/", `**` as a whole segment any number of segments
 * (zero included). Everything else is literal, so "." or "+" in a file name
 * needs no escaping. No regular expressions are built from user input:
 * segments are matched with the linear-backtracking wildcard algorithm and
 * `**` with a dynamic programme over segments, so matching is O(pattern x
 * path) in the worst case and a hostile pattern cannot make it explode.
 */

const GLOB_CHARS = /[*?]/;

export function hasGlobChars(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** Split into segments; "./" prefixes, a leading "/" and empty segments are dropped. */
export function globSegments(pattern: string): string[] {
  return pattern
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
}

/** `*` and `?` within one segment; neither ever matches "/". */
export function matchSegment(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const pc = pattern[p];
    if (p < pattern.length && (pc === '?' || pc === name[n])) {
      p++;
      n++;
    } else if (pc === '*') {
      starP = p++;
      starN = n;
    } else if (starP !== -1) {
      // Let the last star swallow one more character and retry from there.
      p = starP + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Whole-path match of segment lists; `**` matches zero or more segments. */
export function matchSegments(pattern: readonly string[], path: readonly string[]): boolean {
  // reach[j]: the first i pattern segments can match the first j path segments.
  let reach = new Array<boolean>(path.length + 1).fill(false);
  reach[0] = true;
  for (const seg of pattern) {
    const next = new Array<boolean>(path.length + 1).fill(false);
    if (seg === '**') {
      let any = false;
      for (let j = 0; j <= path.length; j++) {
        any = any || reach[j];
        next[j] = any;
      }
    } else {
      for (let j = 1; j <= path.length; j++) next[j] = reach[j - 1] && matchSegment(seg, path[j - 1]);
    }
    reach = next;
  }
  return reach[path.length];
}

/**
 * Does an ignore pattern cover this path (relative to the config directory,
 * "/" separated)? Like .gitignore: a pattern without "/" matches a name at
 * any depth, and a pattern that matches a directory covers everything in it.
 */
export function ignorePatternMatches(pattern: string, relPath: string): boolean {
  const path = globSegments(relPath);
  if (path.length === 0 || path[0] === '..') return false; // outside the config directory
  const trimmed = pattern.trim();
  let end = trimmed.length;
  while (end > 0 && trimmed[end - 1] === '/') end--; // not /\/+$/: quadratic on long runs of "/"
  const anchored = trimmed.slice(0, end).includes('/');
  let segs = globSegments(trimmed);
  if (segs.length === 0) return false;
  if (!anchored) segs = ['**', ...segs];
  // The path itself, or any of its parent directories.
  for (let len = path.length; len >= 1; len--) {
    if (matchSegments(segs, path.slice(0, len))) return true;
  }
  return false;
}

export function isIgnoredBy(patterns: readonly string[], relPath: string): boolean {
  return patterns.some((p) => ignorePatternMatches(p, relPath));
}
