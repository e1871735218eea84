/**
 * Unified diffs that `git apply` and `patch -p1` accept, for changed and newly
 * created files. Texts are binary strings, so any byte survives.
 */
import { createRequire } from 'node:module';

/** jsdiff (about 20 modules) loads on the first diff, not with every lint run that imports this file. */
let twoFilesPatch: typeof import('diff').createTwoFilesPatch | undefined;
function createTwoFilesPatch(...args: Parameters<typeof import('diff').createTwoFilesPatch>): ReturnType<typeof import('diff').createTwoFilesPatch> {
  twoFilesPatch ??= (createRequire(import.meta.url)('diff') as typeof import('diff')).createTwoFilesPatch;
  return twoFilesPatch(...args);
}

export interface FileChange {
  /** Path relative to the current directory, with "/" separators. */
  readonly path: string;
  /** null for a file that does not exist yet. */
  readonly before: string | null;
  readonly after: string;
}

export function unifiedDiff(change: FileChange): string {
  if (change.before === change.after) return '';
  const created = change.before === null;
  const makePatch = createTwoFilesPatch as unknown as (...args: unknown[]) => string | undefined;
  const patch = makePatch(
    created ? '/dev/null' : `a/${change.path}`,
    `b/${change.path}`,
    change.before ?? '',
    change.after,
    undefined,
    undefined,
    { context: 3 },
  );
  if (!patch) return '';
  // jsdiff adds tab-separated (empty) header fields; git apply wants plain paths.
  const lines = patch.split('\n');
  const body = lines.filter((l: string, i: number) => !(i < 2 && l.startsWith('='))).map((l: string, i: number) => (i < 3 && /^(---|\+\+\+) /.test(l) ? dropHeaderFields(l) : l));
  let out = body.join('\n');
  if (created) out = `diff --git a/${change.path} b/${change.path}\nnew file mode 100644\n` + out;
  return out;
}

/**
 * What l.replace(/\t.*$/, '') did, in linear time (the regex is quadratic on many
 * tabs followed by a CR): cut at the first tab after the last line-terminator char.
 */
function dropHeaderFields(l: string): string {
  let last = -1;
  for (let i = 0; i < l.length; i++) {
    const c = l[i];
    if (c === '\r' || c === '\n' || c === '\u2028' || c === '\u2029') last = i;
  }
  const tab = l.indexOf('\t', last + 1);
  return tab < 0 ? l : l.slice(0, tab);
}
