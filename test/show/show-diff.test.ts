/**
 * Differential test: `postfix-tls-lint show` (run in-process through main())
 * against the real `postconf -c DIR` in four modes: -n, -n -x, NAME... and
 * -x NAME..., on generated tricky files and on real-world files. stdout must
 * be byte-identical (minus the config_directory line -c adds to -n; show is
 * given postconf's pid to print as process_id); the "unused parameter",
 * "unknown parameter", "undefined parameter" (as a multiset: postconf walks
 * main.cf in random hash order) and "read-only parameter assignment" warnings
 * must agree; where postconf stops with a fatal error, show must exit non-zero
 * too. Both sides run with the same host name: postconf in a UTS namespace
 * with that name (root; else both use this machine's name), show with --hostname.
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
import { havePostconf, hostnameFor, NO_POSTCONF, removeDir } from '../support/postfix.js';
import { mapLimit, postconfAsync, runCli, runShowCommand, unknownNames, unusedNames, withoutConfigDirectory, type AsyncPostconfRun, type CliRun } from '../support/show-harness.js';
import { generateMainCf, queryNames } from '../support/show-gen.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import { ConfigModel } from '../../src/model/config.js';
import { catalogueNames, defaultFor, existsIn, referencedNames } from '../../src/model/catalogue/index.js';

const VERSION = '3.7.11';
const CONCURRENCY = 32;
/** Host names the cases alternate between: without a dot (myhostname gets a domain appended) and with. */
const HOSTNAMES = ['mx1', 'mail.example.net'];
const FILES = Number(process.env.TEST_SHOW_FILES ?? 250);
const BROKEN_FILES = 24;

interface Case {
  /** Where the file came from (for messages). */
  label: string;
  dir: string;
  /** postconf arguments after -c DIR; ours are derived from them. */
  args: string[];
  /** The machine's host name for both sides. */
  hostname: string;
}

function ourArgs(c: Case): string[] {
  const expand = c.args.includes('-x');
  const names = c.args.filter((a) => a !== '-n' && a !== '-x');
  return ['show', ...(expand ? ['-x'] : []), '--postfix-version', VERSION, '--hostname', hostnameFor(c.hostname), join(c.dir, 'main.cf'), ...names];
}

/** show as the case asks, with postconf's pid as process_id (each program prints its own). */
function runOurs(c: Case, postconfPid?: number): CliRun {
  const names = c.args.filter((a) => a !== '-n' && a !== '-x');
  return runShowCommand(join(c.dir, 'main.cf'), names, {
    expand: c.args.includes('-x'),
    postfixVersion: VERSION,
    hostname: hostnameFor(c.hostname),
    ...(postconfPid !== undefined ? { processId: postconfPid } : {}),
  });
}

function theirs(c: Case): Promise<AsyncPostconfRun> {
  return postconfAsync(c.dir, c.args, 20_000, c.hostname);
}

function makeDir(root: string, id: string, mainCf: string | Buffer): string {
  const dir = join(root, id);
  mkdirSync(dir);
  writeFileSync(join(dir, 'main.cf'), typeof mainCf === 'string' ? Buffer.from(mainCf, 'latin1') : mainCf);
  writeFileSync(join(dir, 'master.cf'), '');
  return dir;
}

/** "FILE: NAME" of every "undefined parameter" warning, sorted (postconf's order is random). */
function undefinedWarnings(stderr: string): string[] {
  return [...stderr.matchAll(/warning: (\S*): undefined parameter: (\S*)/g)].map((m) => `${m[1]}: ${m[2]}`).sort();
}

/** "FILE: NAME=VALUE" of every "read-only parameter assignment" warning, sorted. */
function readOnlyWarnings(stderr: string): string[] {
  return [...stderr.matchAll(/warning: (\S*): read-only parameter assignment: (.*)/g)].map((m) => `${m[1]}: ${m[2]}`).sort();
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
  const names = c.args.filter((a) => a !== '-n' && a !== '-x');
  const shownArgs = names.length > 6 ? [...c.args.filter((a) => a === '-n' || a === '-x'), `<${names.length} names>`] : c.args;
  const where = `${c.label} (${join(c.dir, 'main.cf')}) postconf ${shownArgs.join(' ')}`;
  if (theirs.status !== 0) {
    return ours.code === 0 ? `${where}: postconf failed (${theirs.stderr.trim().split('\n').pop()}) but show exited 0` : null;
  }
  if (ours.code !== 0) return `${where}: show exited ${ours.code}: ${ours.stderr.trim().slice(-300)}`;
  // postconf -c DIR -n prints config_directory = DIR as a setting; show -n does not.
  const expected = c.args.includes('-n') ? withoutConfigDirectory(theirs.stdout, c.dir) : theirs.stdout;
  const actual = ours.stdout;
  if (expected !== actual) return `${where}: stdout differs:\n${lineDiff(expected, actual)}`;
  for (const [what, pick] of [['undefined-parameter', undefinedWarnings], ['read-only', readOnlyWarnings]] as const) {
    const [e, a] = [pick(theirs.stderr), pick(ours.stderr)];
    if (e.join('\n') !== a.join('\n')) return `${where}: ${what} warnings differ: postconf [${e.join('; ')}] show [${a.join('; ')}]`;
  }
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
  const outputs = await mapLimit(cases, CONCURRENCY, theirs);
  const mismatches: string[] = [];
  let agreed = 0;
  let failedInBoth = 0;
  for (let i = 0; i < cases.length; i++) {
    const ours = runOurs(cases[i], outputs[i].pid);
    const problem = compare(cases[i], outputs[i], ours);
    if (problem) mismatches.push(problem);
    else {
      agreed++;
      if (outputs[i].status !== 0) failedInBoth++;
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
      const hostname = HOSTNAMES[i % HOSTNAMES.length];
      for (const args of [['-n'], ['-n', '-x'], names, ['-x', ...names]]) cases.push({ label, dir, args, hostname });
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
      for (const args of [['-n'], ['-n', '-x']]) cases.push({ label: `seed ${seed} broken file ${i}`, dir, args, hostname: HOSTNAMES[0] });
    }
    const outputs = await mapLimit(cases, CONCURRENCY, theirs);
    const problems: string[] = [];
    let failedInBoth = 0;
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i];
      const ours = runOurs(c);
      const where = `${c.label} ${join(c.dir, 'main.cf')} postconf ${c.args.join(' ')}`;
      if (outputs[i].status === 0) problems.push(`${where}: expected postconf to fail (generator bug)`);
      else if (ours.code === 0) problems.push(`${where}: postconf failed (${outputs[i].stderr.trim().split('\n').pop()}) but show exited 0`);
      else if (ours.stdout !== '') problems.push(`${where}: show printed output although it failed`);
      else failedInBoth++;
    }
    t.diagnostic(`seed ${seed}: ${failedInBoth}/${cases.length} fatal cases fail in both`);
    assert.equal(problems.length, 0, report(problems));
  } finally {
    if (!process.env.TEST_KEEP_FILES) removeDir(root);
  }
});

/**
 * Real-world files: the shared corpus, Debian's main.cf (the packaged one, its TLS block, the
 * two together as the installer writes them, and the installed /etc/postfix/main.cf), the
 * upstream sample and examples/.
 */
function realWorldFiles(): { label: string; path?: string; text?: Buffer }[] {
  const files: { label: string; path?: string; text?: Buffer }[] = [];
  const corpus = '/work/shared/corpus';
  if (existsSync(corpus)) {
    for (const id of readdirSync(corpus).sort()) {
      const p = join(corpus, id, 'main.cf');
      if (existsSync(p)) files.push({ label: `corpus ${id}`, path: p });
    }
  }
  const debian = '/usr/share/postfix/main.cf.debian';
  const debianTls = '/usr/share/postfix/main.cf.tls';
  for (const p of [debian, debianTls, '/usr/share/postfix/main.cf.dist', '/etc/postfix/main.cf']) if (existsSync(p)) files.push({ label: p, path: p });
  if (existsSync(debian) && existsSync(debianTls)) {
    files.push({ label: 'main.cf.debian + main.cf.tls', text: Buffer.concat([readFileSync(debian), readFileSync(debianTls)]) });
  }
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

/** Every name a file uses: the names it sets and every name its values refer to. */
function namesUsed(model: ConfigModel): string[] {
  const names = new Set<string>(model.definitions.keys());
  for (const defs of model.definitions.values()) for (const n of referencedNames(defs[defs.length - 1].value)) names.add(n);
  return [...names];
}

test('show agrees with postconf on real-world main.cf files', async (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const files = realWorldFiles();
  const root = mkdtempSync(join(tmpdir(), 'ptl-show-real-'));
  // Every TLS parameter the catalogue models for 3.7, asked for by name.
  const tlsNames = catalogueNames().filter((n) => existsIn(n, VERSION));
  let namesAsked = 0;
  try {
    const cases: Case[] = [];
    files.forEach((f, i) => {
      const bytes = f.text ?? readFileSync(f.path as string);
      const dir = makeDir(root, `r${i}`, bytes);
      const model = new ConfigModel(parseMainCf(bytes.toString('latin1')), VERSION);
      const names = [...new Set([...namesUsed(model), ...tlsNames])];
      namesAsked += names.length;
      const hostname = HOSTNAMES[i % HOSTNAMES.length];
      for (const args of [['-n'], ['-n', '-x'], names, ['-x', ...names]]) cases.push({ label: f.label, dir, args, hostname });
    });
    const { agreed, failedInBoth, mismatches } = await runCases(cases);
    t.diagnostic(`${files.length} real-world files: ${agreed}/${cases.length} cases agree (${failedInBoth} fail in both); ${namesAsked} names asked for with and without -x`);
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
      for (const args of [['-n'], ['-n', '-x'], names, ['-x', ...names]]) cases.push({ label: `main() file ${i}`, dir, args, hostname: HOSTNAMES[i % HOSTNAMES.length] });
    }
    const outputs = await mapLimit(cases, CONCURRENCY, theirs);
    const mismatches: string[] = [];
    for (let i = 0; i < cases.length; i++) {
      // Without POSTFIX_TLS_LINT_NO_POSTCONF, main() models the installed Postfix (3.7.11).
      const ours = await runCli(ourArgs(cases[i]), { env: { POSTFIX_TLS_LINT_NO_POSTCONF: '' } });
      const problem = compare(cases[i], outputs[i], ours);
      if (problem) mismatches.push(problem);
    }
    t.diagnostic(`${cases.length - mismatches.length}/${cases.length} cases through main() agree`);
    assert.equal(mismatches.length, 0, report(mismatches));
  } finally {
    if (!process.env.TEST_KEEP_FILES) removeDir(root);
  }
});

test('show agrees with postconf on master.cf -o values: undefined names, restriction classes, read-only names', async (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const master = [
    'smtp      inet  n       -       y       -       -       smtpd',
    '  -o smtpd_tls_security_level=$tls_level',
    '  -o smtpd_client_restrictions=$mo_undefined,$mo_local',
    '  -o mo_local=permit',
    '  -o smtpd_restriction_classes=mo_class,$mo_cls_ref',
    'submission inet n       -       y       -       -       smtpd',
    '  -o smtpd_tls_CAfile=${config_directory}/ca.pem',
    '  -o smtpd_reject_footer=$raw_not_scanned',
    '  -o milter_macro_daemon_name=$mo_local',
    'relay     unix  -       -       n       -       -       smtp',
    '  -o smtp_helo_name=$myhostname.$mo_nowhere',
    '',
  ].join('\n');
  const mains = [
    'tls_level = may\nsmtpd_tls_cert_file = $mo_local\n',
    'mo_cls_ref = x\nrelayhost = $mo_undefined $undefined_main\nsmtpd_restriction_classes = c1, $mo_local\nc1 = permit\n',
    'mydomain = a$$b\nprocess_name = me\n',
  ];
  const root = mkdtempSync(join(tmpdir(), 'ptl-show-master-'));
  try {
    const cases: Case[] = [];
    mains.forEach((mainCf, i) => {
      const dir = makeDir(root, `m${i}`, mainCf);
      writeFileSync(join(dir, 'master.cf'), master);
      for (const args of [['-n'], ['-x', 'relayhost', 'smtpd_tls_cert_file', 'myhostname']]) cases.push({ label: `master.cf case ${i}`, dir, args, hostname: HOSTNAMES[0] });
    });
    const { agreed, mismatches } = await runCases(cases);
    t.diagnostic(`${agreed}/${cases.length} cases with master.cf -o values agree`);
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
