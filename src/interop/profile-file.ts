/** Reading profiles (peers, clients): shipped data files, user files, their schema. Edge I/O. */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { packagePath } from '../util/package-root.js';

export function readProfileJson(path: string, what: string, fail: (message: string) => Error): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    throw fail(`${path}: cannot read ${what} (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? String(e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw fail(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The shipped profiles in data/<dir>/*.json, sorted by file name (checked by the test suite, so not validated here). */
export function readShippedProfiles<T>(dir: string): T[] {
  const path = packagePath('data', dir) + '/';
  return readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(path + f, 'utf8')) as T);
}

/** The profiles named by a default id list; a missing one is a packaging error. */
export function pickDefaults<T>(ids: readonly string[], find: (id: string) => T | undefined, dir: string): T[] {
  return ids.map((id) => {
    const p = find(id);
    if (!p) throw new Error(`default profile ${id} is not shipped in data/${dir}`);
    return p;
  });
}

/** A profile schema compiled with ajv (loaded synchronously only here: lint start-up reads shipped profiles without it). */
export function compileProfileSchema(schemaFile: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(packagePath('schemas', schemaFile), 'utf8')) as object;
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  return new Ajv2020({ allErrors: true, strict: true }).compile(schema);
}
