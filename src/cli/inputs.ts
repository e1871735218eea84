/** Turns the PATH arguments into the list of main.cf inputs (edge I/O). */
import { readdirSync, realpathSync, statSync, existsSync, readFileSync } from 'node:fs';
import type { PostfixEnvironment } from '../model/environment.js';
import { join, dirname, resolve } from 'node:path';
import { describeFsError, readConfigBytes, type CliIo } from './io.js';
import { bytesToBinary } from '../util/text.js';
import { expandGlob, hasGlobChars, mainCfFor } from './glob-inputs.js';
import { buildWholeConfig, tableSourcesNeeded, type ConfigSources, type TableSourceText } from '../model/whole-config.js';
import { DirListings } from '../util/dir-listing.js';
import { sniTableSourcesNeeded, tlsFileUses, tlsFilesNeeded } from '../model/tls-files.js';
import { readTlsFiles } from './tls-files.js';
import { recognizeByName, recognizeGiven, type Recognized } from '../template/recognize.js';

export interface LintInput {
  /** Path as shown to the user. */
  readonly path: string;
  /** Absolute path ('-' for stdin). */
  readonly absPath: string;
  /** Binary string of the file's bytes. */
  readonly text: string;
  /** master.cf beside it, when there is one. */
  readonly masterCf: { readonly path: string; readonly text: string } | null;
  /** A template or postconf script, as recognized by its name (absent: a main.cf). */
  readonly source?: Recognized;
}

export interface InputProblem {
  readonly path: string;
  readonly message: string;
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/**
 * Recursively find files named main.cf; symlink loops are reported, not followed forever.
 * `knownReal`: the real path when the caller knows it (a plain subdirectory of a
 * directory whose real path is known), which saves a realpath call per directory.
 */
function findMainCfs(dir: string, problems: InputProblem[], seen: Set<string>, found: string[], listings: DirListings, knownReal?: string): void {
  let real: string;
  try {
    real = knownReal ?? realpathSync(dir);
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
  listings.record(dir, entries);
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
      // realpath(dir/name) is realpath(dir)/name unless name is itself a symlink.
      if (!SKIP_DIRS.has(entry.name)) findMainCfs(p, problems, seen, found, listings, entry.isSymbolicLink() ? undefined : join(real, entry.name));
    } else if (isFile && entry.name === 'main.cf') {
      found.push(p);
    } else if (isFile && entry.name.length > 3 && wantedByName(entry.name)) {
      found.push(p);
    }
  }
}

/** Templates of main.cf and postconf scripts found in directory search (master.cf and table templates go with their main.cf). */
function wantedByName(name: string): boolean {
  const r = recognizeByName(name);
  return r !== null && (r.kind === 'script' || r.target === 'main');
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

export function readMasterBeside(mainCfPath: string, listings?: DirListings): LintInput['masterCf'] {
  const dir = dirname(mainCfPath);
  const listed = listings?.kind(dir, 'master.cf');
  if (listed === 'absent' || listed === 'dir') return null;
  const p = join(dir, 'master.cf');
  if (listed === undefined && !existsSync(p)) return null;
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
): { inputs: LintInput[]; problems: InputProblem[]; listings: DirListings } {
  const inputs: LintInput[] = [];
  const problems: InputProblem[] = [];
  const listings = new DirListings();
  const addFile = (path: string, shown: string, given = true) => {
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
    const source = path === '-' ? recognizeGiven(stdinName ?? '') : given ? recognizeGiven(path) : recognizeByName(path);
    inputs.push({ path: shown, absPath: path, text: bytesToBinary(bytes), masterCf: path === '-' || source ? null : readMasterBeside(path, listings), ...(source ? { source } : {}) });
  };
  const added = new Set<string>();
  // master.cf and policy tables named directly (pre-commit) stand for the main.cf beside them; each file once.
  const addRouted = (abs: string, shown: string) => {
    const route = mainCfFor(abs);
    if (route && 'skip' in route) return;
    const target = route ? route.mainCf : abs;
    if (added.has(target)) return;
    added.add(target);
    addFile(target, route ? join(dirname(shown), target.slice(target.lastIndexOf('/') + 1)) : shown);
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
      if (hasGlobChars(p)) {
        // A glob the shell did not expand (quoted, or no match there): expand it here.
        const matches = expandGlob(p, io.cwd);
        if (matches.length === 0) problems.push({ path: p, message: `${p}: no file matches this pattern` });
        for (const m of matches) addRouted(m.abs, m.shown);
        continue;
      }
      problems.push({ path: p, message: describeFsError(p, e) });
      continue;
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      const before = problems.length;
      findMainCfs(abs, problems, new Set(), found, listings);
      if (found.length === 0 && problems.length === before) problems.push({ path: p, message: `${p}: no main.cf found in this directory` });
      for (const f of found) addFile(f, join(p, f.slice(abs.length)), false);
    } else {
      addRouted(abs, p);
    }
  }
  return { inputs, problems, listings };
}

/** Everything one main.cf brings along: master.cf beside it and the table files they name (edge I/O). */
export interface ConfigSet {
  readonly sources: ConfigSources;
  /** Text of every file, by shown path (main.cf, master.cf, tables read). */
  readonly texts: ReadonlyMap<string, string>;
  /** Shown path -> absolute path, for writing fixes. */
  readonly absPaths: ReadonlyMap<string, string>;
  /** Shown paths are relative to this directory. */
  readonly cwd: string;
  /** main.cf is the live configuration: its directory is the one `postconf -h config_directory` names. */
  readonly live: boolean;
}

/** How to read the certificate, key and CA files the configuration names (--files, --root). */
export interface FileReading {
  readonly mode: 'auto' | 'on' | 'off';
  /** --root DIR, absolute; null: paths as they are. */
  readonly root: string | null;
  /** Real path of the directory `postconf -h config_directory` names, when Postfix is installed. */
  readonly liveConfigDirectory: string | null;
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Absolute path of a shown path (files created by a fix are known by their shown path only). */
export function absPathOf(set: ConfigSet, shown: string): string {
  return set.absPaths.get(shown) ?? resolve(set.cwd, shown);
}

/** How a file beside main.cf is shown: with the same directory prefix the user gave for main.cf. */
export function shownPathFor(input: Pick<LintInput, 'path' | 'absPath'>, abs: string): string {
  if (input.absPath === '-') return abs;
  const dir = dirname(input.absPath);
  if (abs.startsWith(dir + '/')) {
    const shownDir = dirname(input.path);
    const rest = abs.slice(dir.length + 1);
    return shownDir === '.' && !input.path.startsWith('./') ? rest : join(shownDir, rest);
  }
  return abs;
}

/** `environment` must be the one the whole config is then built with (the parse is shared). */
export function loadConfigSet(input: LintInput, postfixVersion: string, cwd: string, environment?: PostfixEnvironment, reading?: FileReading): ConfigSet {
  const texts = new Map<string, string>([[input.path, input.text]]);
  const absPaths = new Map<string, string>([[input.path, input.absPath]]);
  const configDir = input.absPath === '-' ? null : dirname(input.absPath);
  let master: ConfigSources['master'] = null;
  if (input.masterCf) {
    const shown = shownPathFor(input, input.masterCf.path);
    master = { path: shown, text: input.masterCf.text };
    texts.set(shown, input.masterCf.text);
    absPaths.set(shown, input.masterCf.path);
  }
  const base = { main: { path: input.path, text: input.text }, master, configDir };
  const tables = new Map<string, TableSourceText>();
  const checkFiles = reading !== undefined && reading.mode !== 'off';
  const namesSni = (t: string | undefined) => t !== undefined && t.includes('tls_server_sni_maps');
  const sni = checkFiles && (namesSni(input.text) || namesSni(master?.text)) ? sniTableSourcesNeeded(buildWholeConfig(base, { postfixVersion, ...(environment ? { environment } : {}) }), configDir) : [];
  const policySources = tableSourcesNeeded(base, { postfixVersion, ...(environment ? { environment } : {}) });
  for (const abs of [...policySources, ...sni.filter((p) => !policySources.includes(p))]) {
    const shown = shownPathFor(input, abs);
    if (!existsSync(abs)) continue;
    try {
      const st = statSync(abs);
      if (!st.isFile()) {
        tables.set(abs, { path: shown, error: 'not a regular file' });
        continue;
      }
      const text = bytesToBinary(readFileSync(abs));
      tables.set(abs, { path: shown, text });
      texts.set(shown, text);
      absPaths.set(shown, abs);
    } catch (e) {
      tables.set(abs, { path: shown, error: describeFsError(shown, e) });
    }
  }
  // Computed when first read (only a missing file or table asks): it may need the `postconf` lookup.
  let live: boolean | undefined;
  const isLive = (): boolean => (live ??= configDir !== null && reading?.liveConfigDirectory != null && realOrSelf(configDir) === reading.liveConfigDirectory);
  if (!checkFiles) return { sources: { ...base, tables }, texts, absPaths, cwd, get live() { return isLive(); } };
  const { uses } = tlsFileUses(buildWholeConfig({ ...base, tables }, { postfixVersion }), tables, configDir);
  const files = readTlsFiles(tlsFilesNeeded(uses), { root: reading.root, configDir, shown: (abs) => shownPathFor(input, abs) });
  return { sources: { ...base, tables, files }, texts, absPaths, cwd, get live() { return isLive(); } };
}

/** The sources again, with (possibly fixed) texts by shown path. */
export function sourcesWithTexts(set: ConfigSet, texts: ReadonlyMap<string, string>): ConfigSources {
  const s = set.sources;
  const tables = new Map<string, TableSourceText>();
  for (const [abs, t] of s.tables ?? []) tables.set(abs, 'text' in t ? { path: t.path, text: texts.get(t.path) ?? t.text } : t);
  // Files a fix created: known by their shown path only.
  for (const [shown, text] of texts) {
    if (set.texts.has(shown)) continue;
    tables.set(absPathOf(set, shown), { path: shown, text });
  }
  return {
    main: { path: s.main.path, text: texts.get(s.main.path) ?? s.main.text },
    master: s.master ? { path: s.master.path, text: texts.get(s.master.path) ?? s.master.text } : null,
    configDir: s.configDir,
    tables,
    ...(s.files ? { files: s.files } : {}),
  };
}

/** The config set for one main.cf path as given on the command line (show, handshake). */
export function configSetForPath(path: string, text: string, io: CliIo, postfixVersion: string, environment?: PostfixEnvironment, reading?: FileReading): ConfigSet {
  const absPath = path === '-' ? '-' : resolve(io.cwd, path);
  const input: LintInput = { path: path === '-' ? '<stdin>' : path, absPath, text, masterCf: absPath === '-' ? null : readMasterBeside(absPath) };
  return loadConfigSet(input, postfixVersion, io.cwd, environment, reading);
}
