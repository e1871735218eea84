/** Turns the PATH arguments into the list of main.cf inputs (edge I/O). */
import { readdirSync, realpathSync, statSync, existsSync, readFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { describeFsError, readConfigBytes, type CliIo } from './io.js';
import { bytesToBinary } from '../util/text.js';

export interface LintInput {
  /** Path as shown to the user. */
  readonly path: string;
  /** Absolute path ('-' for stdin). */
  readonly absPath: string;
  /** Binary string of the file's bytes. */
  readonly text: string;
  /** master.cf beside it, when there is one. */
  readonly masterCf: { readonly path: string; readonly text: string } | null;
}

export interface InputProblem {
  readonly path: string;
  readonly message: string;
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** Recursively find files named main.cf; symlink loops are reported, not followed forever. */
function findMainCfs(dir: string, problems: InputProblem[], seen: Set<string>, found: string[]): void {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (e) {
    problems.push({ path: dir, message: describeFsError(dir, e) });
    return;
  }
  if (seen.has(real)) return; // a symlink loop or a second link to the same tree
  seen.add(real);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    problems.push({ path: dir, message: describeFsError(dir, e) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const p = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = statSync(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (e) {
        if (entry.name === 'main.cf') problems.push({ path: p, message: describeFsError(p, e) });
        continue;
      }
    }
    if (isDir) {
      if (!SKIP_DIRS.has(entry.name)) findMainCfs(p, problems, seen, found);
    } else if (isFile && entry.name === 'main.cf') {
      found.push(p);
    }
  }
}

/** Most real binary files have NUL bytes early; a main.cf never does. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let nul = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) nul++;
    else if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return nul > 0 && nul + control > n / 100 + 1;
}

function readMasterBeside(mainCfPath: string): LintInput['masterCf'] {
  const p = join(dirname(mainCfPath), 'master.cf');
  if (!existsSync(p)) return null;
  try {
    const st = statSync(p);
    if (!st.isFile()) return null;
    return { path: p, text: bytesToBinary(readFileSync(p)) };
  } catch {
    return null;
  }
}

export function collectInputs(
  paths: readonly string[],
  io: CliIo,
  stdinName: string | undefined,
): { inputs: LintInput[]; problems: InputProblem[] } {
  const inputs: LintInput[] = [];
  const problems: InputProblem[] = [];
  const addFile = (path: string, shown: string) => {
    let bytes: Buffer;
    try {
      bytes = readConfigBytes(path, io);
    } catch (e) {
      problems.push({ path: shown, message: e instanceof Error ? e.message : String(e) });
      return;
    }
    if (looksBinary(bytes)) {
      problems.push({ path: shown, message: `${shown}: looks like a binary file, not a Postfix main.cf (NUL bytes); not linted` });
      return;
    }
    inputs.push({ path: shown, absPath: path, text: bytesToBinary(bytes), masterCf: path === '-' ? null : readMasterBeside(path) });
  };
  for (const p of paths) {
    if (p === '-') {
      addFile('-', stdinName ?? '<stdin>');
      continue;
    }
    const abs = resolve(io.cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      problems.push({ path: p, message: describeFsError(p, e) });
      continue;
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      const before = problems.length;
      findMainCfs(abs, problems, new Set(), found);
      if (found.length === 0 && problems.length === before) problems.push({ path: p, message: `${p}: no main.cf found in this directory` });
      for (const f of found) addFile(f, join(p, f.slice(abs.length)));
    } else {
      addFile(abs, p);
    }
  }
  return { inputs, problems };
}
