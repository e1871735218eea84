/**
 * Differential test: `postfix-tls-lint show` (run in-process through main())
 * against the real `postconf -c DIR` in four modes: -n, -n -x, NAME... and
 * -x NAME..., on generated tricky files and on real-world files. stdout must
 * be byte-identical (minus the config_directory line -c adds); the "unused
 * parameter" and "unknown parameter" warnings must name the same parameters;
 * where postconf stops with a fatal error, show must exit non-zero too.
 *
 * TEST_SEED=n reproduces a run, TEST_SHOW_FILES=n changes the number of
 * generated files, TEST_KEEP_FILES=1 keeps the temp directories.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Prng, seedFromEnv } from '../support/prng.js';
import { havePostconf, NO_POSTCONF, removeDir } from '../support/postfix.js';
import { mapLimit, postconfAsync, runCli, runShowCommand, unknownNames, unusedNames, withoutConfigDirectory, type AsyncPostconfRun, type CliRun } from '../support/show-harness.js';
import { generateMainCf, queryNames } from '../support/show-gen.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import { ConfigModel } from '../../src/model/config.js';
import { catalogueNames, defaultFor, isKnownParameterName, referencedNames } from '../../src/model/catalogue/index.js';

const VERSION = '3.7.11';
const CONCURRENCY = 32;
const FILES = Number(process.env.TEST_SHOW_FILES ?? 250);
const BROKEN_FILES = 24;

interface Case {
  /** Where the file came from (for messages). */
  label: string;
  dir: string;
  /** postconf arguments after -c DIR; ours are derived from them. */
  args: string[];
  /** Names whose -x value depends on a parameter the catalogue has no default for (compared loosely). */
  unmodelled?: ReadonlySet<string>;
}

function ourArgs(c: Case): string[] {
  const expand = c.args.includes('-x');
  const names = c.args.filter((a) => a !== '-n' && a !== '-x');
  return ['show', ...(expand ? ['-x'] : []), '--postfix-version', VERSION, join(c.dir, 'main.cf'), ...names];
}

function runOurs(c: Case): CliRun {
  const names = c.args.filter((a) => a !== '-n' && a !== '-x');
  return runShowCommand(join(c.dir, 'main.cf'), names, { expand: c.args.includes('-x'), postfixVersion: VERSION });
}

function makeDir(root: string, id: string, mainCf: string | Buffer): string {
  const dir = join(root, id);
  mkdirSync(dir);
  writeFileSync(join(dir, 'main.cf'), typeof mainCf === 'string' ? Buffer.from(mainCf, 'latin1') : mainCf);
  writeFileSync(join(dir, 'master.cf'), '');
  return dir;
}

/** Drop `name = ...` lines of names in `skip` from postconf output (they depend on system defaults we don't model). */
function dropLines(stdout: string, skip: ReadonlySet<string> | undefined): string {
  if (!skip || skip.size === 0) return stdout;
  return stdout
    .split('\n')
    .filter((l) => !skip.has(l.split(' ', 1)[0]))
    .join('\n');
}

/** The lines only one side printed (at most a few), for readable failure messages. */
function lineDiff(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  const onlyE = e.filter((l) => !a.includes(l)).slice(0, 4);
  const onlyA = a.filter((l) => !e.includes(l)).slice(0, 4);
  const show = (l: string) => JSON.stringify(l).slice(0, 300);
  if (onlyE.length === 0 && onlyA.length === 0) return '  same lines, different order or count';
  return [...onlyE.map((l) => `  postconf: ${show(l)}`), ...onlyA.map((l) => `  show:     ${show(l)}`)].join('\n');
}

function compare(c: Case, theirs: AsyncPostconfRun, ours: CliRun): string | null {
  const where = `${c.label} (${join(c.dir, 'main.cf')}) postconf ${c.args.join(' ')}`;
  if (theirs.status !== 0) {
    return ours.code === 0 ? `${where}: postconf failed (${theirs.stderr.trim().split('\n').pop()}) but show exited 0` : null;
  }
  if (ours.code !== 0) return `${where}: show exited ${ours.code}: ${ours.stderr.trim().slice(-300)}`;
  const expected = dropLines(withoutConfigDirectory(theirs.stdout, c.dir), c.unmodelled);
  const actual = dropLines(ours.stdout, c.unmodelled);
  if (expected !== actual) return `${where}: stdout differs:\n${lineDiff(expected, actual)}`;
  if (c.args.includes('-n')) {
    const [e, a] = [unusedNames(theirs.stderr), unusedNames(ours.stderr)];
    if (e.join() !== a.join()) return `${where}: unused parameters differ: postconf [${e}] show [${a}]`;
  } else {
    const [e, a] = [unknownNames(theirs.stderr), unknownNames(ours.stderr)];
    if (e.join() !== a.join()) return `${where}: unknown parameters differ: postconf [${e}] show [${a}]`;
  }
  return null;
}

async function runCases(cases: Case[]): Promise<{ agreed: number; failedInBoth: number; mismatches: string[] }> {
  const theirs = await mapLimit(cases, CONCURRENCY, (c) => postconfAsync(c.dir, c.args));
  const mismatches: string[] = [];
  let agreed = 0;
  let failedInBoth = 0;
  for (let i = 0; i < cases.length; i++) {
    const ours = runOurs(cases[i]);
    const problem = compare(cases[i], theirs[i], ours);
    if (problem) mismatches.push(problem);
    else {
      agreed++;
      if (theirs[i].status !== 0) failedInBoth++;
    }
  }
  return { agreed, failedInBoth, mismatches };
}

function report(mismatches: string[]): string {
  return `${mismatches.length} mismatches:\n${mismatches.slice(0, 12).join('\n')}`;
}

test('show agrees with postconf on generated main.cf files', async (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const seed = seedFromEnv(20250611);
  const rng = new Prng(seed);
  const root = mkdtempSync(join(tmpdir(), 'ptl-show-'));
  try {
    const cases: Case[] = [];
    for (let i = 0; i < FILES; i++) {
      const file = generateMainCf(rng);
      const dir = makeDir(root, `g${i}`, file.text);
      const names = queryNames(rng, file);
      const label = `seed ${seed} file ${i}`;
      for (const args of [['-n'], ['-n', '-x'], names, ['-x', ...names]]) cases.push({ label, dir, args });
    }
    const { agreed, mismatches } = await runCases(cases);
    t.diagnostic(`seed ${seed}: ${agreed}/${cases.length} cases agree (${FILES} files x 4 modes)`);
    assert.equal(mismatches.length, 0, report(mismatches));
  } finally {
    if (!process.env.TEST_KEEP_FILES) removeDir(root);
  }
});

test('show fails wherever postconf stops with a fatal error', async (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const seed = seedFromEnv(20250611) + 1;
  const rng = new Prng(seed);
  const root = mkdtempSync(join(tmpdir(), 'ptl-show-fatal-'));
  try {
    const cases: Case[] = [];
    for (let i = 0; i < BROKEN_FILES; i++) {
      const dir = makeDir(root, `b${i}`, generateMainCf(rng, true).text);
      for (const args of [['-n'], ['-n', '-x']]) cases.push({ label: `seed ${seed} broken file ${i}`, dir, args });
    }
    const theirs = await mapLimit(cases, CONCURRENCY, (c) => postconfAsync(c.dir, c.args));
    const problems: string[] = [];
    let failedInBoth = 0;
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i];
      const ours = runOurs(c);
      const where = `${c.label} ${join(c.dir, 'main.cf')} postconf ${c.args.join(' ')}`;
      if (theirs[i].status === 0) problems.push(`${where}: expected postconf to fail (generator bug)`);
      else if (ours.code === 0) problems.push(`${where}: postconf failed (${theirs[i].stderr.trim().split('\n').pop()}) but show exited 0`);
      else if (ours.stdout !== '') problems.push(`${where}: show printed output although it failed`);
      else failedInBoth++;
    }
    t.diagnostic(`seed ${seed}: ${failedInBoth}/${cases.length} fatal cases fail in both`);
    assert.equal(problems.length, 0, report(problems));
  } finally {
    if (!process.env.TEST_KEEP_FILES) removeDir(root);
  }
});

/** Real-world files: the shared corpus, Debian's defaults, the installed main.cf and examples/. */
function realWorldFiles(): { label: string; path: string }[] {
  const files: { label: string; path: string }[] = [];
  const corpus = '/work/shared/corpus';
  if (existsSync(corpus)) {
    for (const id of readdirSync(corpus).sort()) {
      const p = join(corpus, id, 'main.cf');
      if (existsSync(p)) files.push({ label: `corpus ${id}`, path: p });
    }
  }
  for (const p of ['/usr/share/postfix/main.cf.dist', '/etc/postfix/main.cf']) if (existsSync(p)) files.push({ label: p, path: p });
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name === 'main.cf' && statSync(p).isFile()) files.push({ label: relative(process.cwd(), p), path: p });
    }
  };
  if (existsSync('examples')) walk('examples');
  return files;
}

/**
 * Names whose expansion reaches a built-in parameter the catalogue has no
 * default for (myhostname, config_directory, ...): postconf computes those from
 * the system, so their -x values are not compared.
 */
function unmodelledNames(model: ConfigModel, names: Iterable<string>): Set<string> {
  const memo = new Map<string, boolean>();
  const reaches = (name: string, stack: Set<string>): boolean => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    if (stack.has(name)) return false;
    stack.add(name);
    const raw = model.raw(name);
    const result = raw === undefined ? isKnownParameterName(name, VERSION) : referencedNames(raw).some((n) => reaches(n, stack));
    stack.delete(name);
    memo.set(name, result);
    return result;
  };
  return new Set([...names].filter((n) => reaches(n, new Set())));
}

test('show agrees with postconf on real-world main.cf files', async (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const files = realWorldFiles();
  const root = mkdtempSync(join(tmpdir(), 'ptl-show-real-'));
  // Every TLS parameter the catalogue models for 3.7, asked for by name.
  const tlsNames = catalogueNames().filter((n) => defaultFor(n, VERSION) !== undefined);
  let looselyCompared = 0;
  try {
    const cases: Case[] = [];
    files.forEach((f, i) => {
      const bytes = readFileSync(f.path);
      const dir = makeDir(root, `r${i}`, bytes);
      const model = new ConfigModel(parseMainCf(bytes.toString('latin1')), VERSION);
      const setNames = [...model.definitions.keys()];
      const unmodelled = unmodelledNames(model, [...setNames, ...tlsNames]);
      looselyCompared += unmodelled.size;
      cases.push({ label: f.label, dir, args: ['-n'] });
      cases.push({ label: f.label, dir, args: ['-n', '-x'], unmodelled });
      cases.push({ label: f.label, dir, args: tlsNames });
      cases.push({ label: f.label, dir, args: ['-x', ...tlsNames], unmodelled });
    });
    const { agreed, failedInBoth, mismatches } = await runCases(cases);
    t.diagnostic(
      `${files.length} real-world files: ${agreed}/${cases.length} cases agree (${failedInBoth} fail in both); ` +
        `${looselyCompared} -x values skipped because they depend on system defaults the catalogue does not model`,
    );
    assert.ok(files.length >= 44, `expected the 44-file corpus, found ${files.length} files`);
    assert.equal(mismatches.length, 0, report(mismatches));
  } finally {
    if (!process.env.TEST_KEEP_FILES) removeDir(root);
  }
});

test('show through main(): argv handling agrees with postconf', async (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const installed = (await postconfAsync('/etc/postfix', ['-h', 'mail_version'])).stdout.trim();
  if (installed !== VERSION) {
    t.skip(`installed postconf is ${installed}, not ${VERSION}: main() models the installed version here`);
    return;
  }
  const rng = new Prng(seedFromEnv(20250611) + 2);
  const root = mkdtempSync(join(tmpdir(), 'ptl-show-main-'));
  try {
    const cases: Case[] = [];
    for (let i = 0; i < 6; i++) {
      const file = generateMainCf(rng);
      const dir = makeDir(root, `m${i}`, file.text);
      const names = queryNames(rng, file);
      for (const args of [['-n'], ['-n', '-x'], names, ['-x', ...names]]) cases.push({ label: `main() file ${i}`, dir, args });
    }
    const theirs = await mapLimit(cases, CONCURRENCY, (c) => postconfAsync(c.dir, c.args));
    const mismatches: string[] = [];
    for (let i = 0; i < cases.length; i++) {
      // Without POSTFIX_TLS_LINT_NO_POSTCONF, main() models the installed Postfix (3.7.11).
      const ours = await runCli(ourArgs(cases[i]), { env: { POSTFIX_TLS_LINT_NO_POSTCONF: '' } });
      const problem = compare(cases[i], theirs[i], ours);
      if (problem) mismatches.push(problem);
    }
    t.diagnostic(`${cases.length - mismatches.length}/${cases.length} cases through main() agree`);
    assert.equal(mismatches.length, 0, report(mismatches));
  } finally {
    if (!process.env.TEST_KEEP_FILES) removeDir(root);
  }
});

test(
  'show --postfix-version selects the defaults (options after a subcommand belong to it)',
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'ptl-show-version-'));
    try {
      const dir = makeDir(root, 'v', 'a = 1\n');
      const ours = await runCli(['show', '--postfix-version', VERSION, join(dir, 'main.cf'), 'tls_high_cipherlist']);
      assert.equal(ours.stdout, `tls_high_cipherlist = ${defaultFor('tls_high_cipherlist', VERSION)}\n`);
    } finally {
      removeDir(root);
    }
  },
);
