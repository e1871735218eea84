/**
 * Finding .postfix-tls-lint.json (edge I/O, cheap: a few stat calls). Kept
 * apart from load-config.ts so that a run without a config file never loads
 * ajv or compiles the schema.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DirListings } from '../util/dir-listing.js';

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
export function findConfigFile(startDir: string, cache?: Map<string, string | null>, listings?: DirListings): string | null {
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
    // What this run's directory walk saw, when it listed dir; else ask the file system.
    const config = listings?.kind(dir, CONFIG_FILE_NAME);
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (config === 'file' || ((config === undefined || config === 'other') && isFile(candidate))) {
      found = candidate;
      break;
    }
    const git = listings?.kind(dir, '.git');
    if (git === 'file' || git === 'dir' || ((git === undefined || git === 'other') && existsSync(join(dir, '.git')))) break;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const v of visited) cache?.set(v, found);
  return found;
}
