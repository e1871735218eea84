/**
 * Expands a glob given on the command line ('etc/** /main.cf' quoted, or a
 * shell that leaves unmatched globs alone) into existing files (edge I/O).
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { globSegments, hasGlobChars, matchSegment, matchSegments } from '../config/glob.js';
import { recognizeByName } from '../template/recognize.js';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

export { hasGlobChars };

export interface GlobMatch {
  /** Path as the user would write it: the pattern's literal prefix plus the matched rest. */
  readonly shown: string;
  readonly abs: string;
}

/** Files matching the pattern, sorted; directories named by the pattern are not returned. */
export function expandGlob(pattern: string, cwd: string): GlobMatch[] {
  const absolute = isAbsolute(pattern);
  const segs = globSegments(pattern);
  const firstGlob = segs.findIndex((s) => hasGlobChars(s));
  if (firstGlob === -1) return [];
  const prefix = segs.slice(0, firstGlob);
  const rest = segs.slice(firstGlob);
  const baseShown = (absolute ? '/' : '') + prefix.join('/');
  const baseAbs = absolute ? resolve('/', ...prefix) : resolve(cwd, ...prefix);
  const out: GlobMatch[] = [];
  const seen = new Set<string>();
  const recursive = rest.includes('**');
  const walk = (dirAbs: string, rel: string[]) => {
    let real: string;
    try {
      real = realpathSync(dirAbs);
    } catch {
      return;
    }
    if (seen.has(real)) return; // symlink loop
    seen.add(real);
    let names: string[];
    try {
      names = readdirSync(dirAbs).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const childRel = [...rel, name];
      const childAbs = join(dirAbs, name);
      let st;
      try {
        st = statSync(childAbs);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (SKIP_DIRS.has(name) && !rest.includes(name)) continue;
        // Without "**" only descend as deep as the pattern reaches, and only into matching names.
        if (!recursive && (childRel.length >= rest.length || !matchSegment(rest[childRel.length - 1], name))) continue;
        walk(childAbs, childRel);
      } else if (matchSegments(rest, childRel)) {
        out.push({ shown: baseShown ? `${baseShown}/${childRel.join('/')}` : childRel.join('/'), abs: childAbs });
      }
    }
  };
  walk(baseAbs, []);
  return out;
}

/**
 * pre-commit (and users) pass master.cf and TLS policy tables by name. They
 * are linted as part of the main.cf beside them, so such a path stands for
 * that main.cf; without one there is nothing to lint and it is skipped (not
 * an error: a hook must not fail on a file it has no findings for).
 */
export function mainCfFor(abs: string): { readonly mainCf: string } | { readonly skip: true } | null {
  const name = abs.slice(abs.lastIndexOf('/') + 1);
  const dir = abs.slice(0, abs.lastIndexOf('/')) || '/';
  // A master.cf or policy table template goes with the main.cf template beside it (same syntax), else main.cf.
  const template = recognizeByName(name);
  const ext = template && template.kind === 'template' && template.target !== 'main' ? name.slice(name.lastIndexOf('.')) : null;
  if (name !== 'master.cf' && !/tls_policy/.test(name) && ext === null) return null;
  for (const candidate of ext ? [`main.cf${ext}`, 'main.cf'] : ['main.cf']) {
    const beside = join(dir, candidate);
    try {
      if (statSync(beside).isFile()) return { mainCf: beside };
    } catch {
      // no such file beside it
    }
  }
  return { skip: true };
}
