/**
 * Finding .postfix-tls-lint.json (edge I/O, cheap: a few stat calls). Kept
 * apart from load-config.ts so that a run without a config file never loads
 * ajv or compiles the schema.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const CONFIG_FILE_NAME = '.postfix-tls-lint.json';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The nearest config file at or above `startDir`. The search stops after the
 * directory that holds `.git` (the repository root) or at the filesystem
 * root, so a file in $HOME never leaks into a repository's lint run.
 */
export function findConfigFile(startDir: string, cache?: Map<string, string | null>): string | null {
  const visited: string[] = [];
  let dir = startDir;
  let found: string | null = null;
  for (;;) {
    const cached = cache?.get(dir);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(dir);
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (isFile(candidate)) {
      found = candidate;
      break;
    }
    if (existsSync(join(dir, '.git'))) break;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const v of visited) cache?.set(v, found);
  return found;
}
