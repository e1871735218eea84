/**
 * The installed package's root directory (the one holding our package.json,
 * data/, schemas/ and rules/*.md). Found by walking up from this module, so it
 * resolves the same from dist/src/util/ (tsc output) and from the bundled
 * chunks in dist/bundle/. Computed once, on first use: no I/O at import time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; ) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isOurs(manifest)) return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`postfix-tls-lint: package.json not found above ${start}`);
    dir = parent;
  }
}

/** A package.json of ours, not some nested one (e.g. a {"type":"module"} marker). */
function isOurs(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'postfix-tls-lint';
  } catch {
    return false;
  }
}

/** A path inside the package, e.g. packagePath('schemas', 'config.schema.json'). */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
