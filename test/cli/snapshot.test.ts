/**
 * The V8 startup snapshot (scripts/snapshot.mjs, started by bin/postfix-tls-lint when it is run as a
 * command) must behave exactly like the bundle (`node bin/postfix-tls-lint`): the same arguments
 * reach the CLI (none taken as a node option), the same stdout, stderr and exit code, stdin, colour
 * detection, and this machine's host name, cwd and clock rather than the build machine's. When the
 * blob does not match the `node` on PATH or the tree, the launcher falls back to the bundle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OPENSSL_MISSING, Pki, standard } from '../support/pki.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const BIN = join(ROOT, 'bin', 'postfix-tls-lint');
const BLOB = join(ROOT, 'dist', 'snapshot', 'cli.blob');
const CLEAN = join(ROOT, 'examples', 'modern-clean', 'main.cf');
const WEAK = join(ROOT, 'examples', 'weak-legacy', 'main.cf');

/** The environment without the caller's colour and node settings (each case sets its own). */
function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.NODE_DISABLE_COLORS;
  return { ...env, ...extra };
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runAs(command: string, args: readonly string[], opts: SpawnSyncOptions = {}): Run {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000, env: baseEnv(), ...opts });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The same arguments through the snapshot (the launcher run as a command) and through the bundle. */
function both(bin: string, args: readonly string[], opts: SpawnSyncOptions = {}): { snapshot: Run; bundle: Run } {
  return { snapshot: runAs(bin, args, opts), bundle: runAs(process.execPath, [bin, ...args], opts) };
}

function assertSame(bin: string, args: readonly string[], opts: SpawnSyncOptions = {}, expectedStatus?: number): Run {
  const { snapshot, bundle } = both(bin, args, opts);
  assert.equal(snapshot.stdout, bundle.stdout, `stdout of ${args.join(' ')}`);
  assert.equal(snapshot.stderr, bundle.stderr, `stderr of ${args.join(' ')}`);
  assert.equal(snapshot.status, bundle.status, `exit code of ${args.join(' ')}`);
  if (expectedStatus !== undefined) assert.equal(snapshot.status, expectedStatus, `${args.join(' ')}: ${snapshot.stderr}`);
  return snapshot;
}

/** What the launcher executes, from `sh -x` (the last exec line). */
function launched(bin: string, env: NodeJS.ProcessEnv = baseEnv()): string {
  const r = spawnSync('sh', ['-x', bin, '--version'], { encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
  return r.stderr.split('\n').filter((l) => l.startsWith('+ exec')).join('\n');
}

test('the build made a startup snapshot, and the launcher run as a command starts it', () => {
  assert.ok(existsSync(BLOB), `${BLOB} is missing: npm test runs scripts/snapshot.mjs`);
  assert.match(launched(BIN), /--snapshot-blob \S*dist\/snapshot\/cli\.blob -- --version$/);
});

test('arguments reach the CLI exactly: none is taken as a node option', () => {
  assertSame(BIN, [CLEAN, '--postfix-version', '3.7.11'], {}, 0);
  assertSame(BIN, ['--format', 'json', '--postfix-version', '3.7.11', WEAK], {}, 1);
  assertSame(BIN, ['-f', 'json', '--postfix-version', '3.7.11', WEAK], {}, 1);
  assertSame(BIN, ['--version'], {}, 0);
  assertSame(BIN, ['-h'], {}, 0);
  assertSame(BIN, ['--', '--version'], {}, 2);
  assertSame(BIN, ['--snapshot-blob', 'x', CLEAN], {}, 2);
  assertSame(BIN, ['-x'], {}, 2);
  assertSame(BIN, ['--no-such-flag'], {}, 2);
  const dir = mkdtempSync(join(tmpdir(), 'ptl-snapshot-'));
  try {
    // A file named -x, relative to the caller's cwd.
    writeFileSync(join(dir, '-x'), readFileSync(WEAK));
    const r = assertSame(BIN, ['--postfix-version', '3.7.11', '--', '-x'], { cwd: dir }, 1);
    assert.match(r.stdout, /^-x$/m);
    assertSame(BIN, ['--postfix-version', '3.7.11', '--diff', '--', '-x'], { cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stdin, exit codes and the stdout/stderr split are those of the bundle', () => {
  const weak = readFileSync(WEAK);
  const r = assertSame(BIN, ['--postfix-version', '3.7.11', '--stdin-filename', 'mx/main.cf', '-'], { input: weak }, 1);
  assert.match(r.stdout, /^mx\/main\.cf$/m);
  assertSame(BIN, ['--postfix-version', '3.7.11', '-f', 'json', '-'], { input: readFileSync(CLEAN) }, 0);
  const missing = assertSame(BIN, ['/nonexistent/main.cf'], {}, 2);
  assert.equal(missing.stdout, '');
  assert.match(missing.stderr, /nonexistent/);
});

test('worker threads started from the snapshot find their bundle entry and print what one thread prints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-snapshot-fleet-'));
  try {
    for (let i = 0; i < 240; i++) {
      mkdirSync(join(dir, `h${i}`));
      writeFileSync(join(dir, `h${i}`, 'main.cf'), readFileSync(i % 3 === 0 ? WEAK : CLEAN));
    }
    const args = ['--postfix-version', '3.7.11', '-f', 'json', dir];
    const threaded = runAs(BIN, args, { env: baseEnv({ POSTFIX_TLS_LINT_WORKERS: '2' }) });
    const single = runAs(process.execPath, [BIN, ...args]);
    assert.equal(threaded.status, 1, threaded.stderr);
    assert.equal(threaded.stdout, single.stdout);
    assert.equal(threaded.stderr, single.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('colour follows NO_COLOR, FORCE_COLOR and the terminal of each run', (t) => {
  const args = ['--postfix-version', '3.7.11', WEAK];
  const plain = assertSame(BIN, args, {}, 1);
  assert.doesNotMatch(plain.stdout, /\x1b\[/);
  const forced = assertSame(BIN, args, { env: baseEnv({ FORCE_COLOR: '1' }) }, 1);
  assert.match(forced.stdout, /\x1b\[/);
  const off = assertSame(BIN, args, { env: baseEnv({ FORCE_COLOR: '1', NO_COLOR: '1' }) }, 1);
  assert.doesNotMatch(off.stdout, /\x1b\[/);
  if (spawnSync('script', ['--version'], { encoding: 'utf8' }).status !== 0) return t.skip('util-linux `script` is not installed: the terminal case is skipped');
  const tty = (cmd: string) => spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: baseEnv(), timeout: 60_000 }).stdout;
  const viaSnapshot = tty(`${BIN} ${args.join(' ')}`);
  assert.match(viaSnapshot, /\x1b\[/);
  assert.equal(viaSnapshot, tty(`${process.execPath} ${BIN} ${args.join(' ')}`));
});

test('the snapshot holds no fact of the build machine: host name, cwd, clock and certificate files are read per run', { skip: OPENSSL_MISSING }, () => {
  const show = assertSame(BIN, ['show', '-x', '-', 'myhostname'], { input: 'smtp_tls_security_level = may\n' }, 0);
  assert.ok(show.stdout.startsWith(`myhostname = ${hostname()}`), show.stdout);
  assert.doesNotMatch(show.stdout, /snapshot\.invalid/);
  assertSame(BIN, ['--postfix-version', '3.7.11', 'main.cf'], { cwd: join(ROOT, 'examples', 'weak-legacy') }, 1);
  const pki = new Pki();
  const d = mkdtempSync(join(tmpdir(), 'ptl-snapshot-certs-'));
  try {
    const s = standard(pki);
    writeFileSync(join(d, 'key.pem'), s.leaf.keyPem, { mode: 0o600 });
    writeFileSync(join(d, 'fullchain.pem'), s.fullchain);
    writeFileSync(join(d, 'main.cf'), `myhostname = mx.example.org\nsmtpd_tls_security_level = may\nsmtpd_tls_chain_files = ${d}/key.pem, ${d}/fullchain.pem\n`);
    const args = ['--postfix-version', '3.7.11', '-f', 'json', join(d, 'main.cf')];
    // The clock of the run (the bundle reads it now too), and --now at another instant.
    const today = assertSame(BIN, args);
    const later = assertSame(BIN, ['--now', new Date(Date.now() + 200 * 86400_000).toISOString(), ...args], {}, 1);
    assert.doesNotMatch(today.stdout, /expired on/);
    assert.match(later.stdout, /expired on/);
  } finally {
    pki.dispose();
    rmSync(d, { recursive: true, force: true });
  }
});

test('a blob that does not match the tree or the node binary is not used: the bundle runs', () => {
  const copy = mkdtempSync(join(tmpdir(), 'ptl-snapshot-copy-'));
  try {
    for (const p of ['bin', 'package.json', 'data', 'schemas', 'dist/bundle', 'dist/snapshot', 'dist/src/cli/main.js']) cpSync(join(ROOT, p), join(copy, p), { recursive: true, preserveTimestamps: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const bin = join(copy, 'bin', 'postfix-tls-lint');
    const viaNode = /^\+ exec node \S*bin\/postfix-tls-lint --version$/;
    // Moved tree: the blob's module paths point at the tree it was built in.
    assert.match(launched(bin), viaNode);
    assertSame(bin, ['--postfix-version', '3.7.11', WEAK], {}, 1);
    const id = join(copy, 'dist', 'snapshot', 'node-id');
    const [dev, ino, size, ctime] = readFileSync(id, 'utf8').split(' ');
    const realDir = spawnSync('sh', ['-c', 'cd -P -- "$1" && pwd', 'sh', join(copy, 'dist', 'snapshot')], { encoding: 'utf8' }).stdout.trim();
    // Matching node and tree: used (checks that the cases below fail for their own reason).
    writeFileSync(id, `${dev} ${ino} ${size} ${ctime} ${realDir}\n`);
    assert.match(launched(bin), /--snapshot-blob/);
    // Another node binary (or the same path after an upgrade).
    writeFileSync(id, `${dev} ${Number(ino) + 1} ${size} ${ctime} ${realDir}\n`);
    assert.match(launched(bin), viaNode);
    // NODE_OPTIONS could change what the blob was built with.
    writeFileSync(id, `${dev} ${ino} ${size} ${ctime} ${realDir}\n`);
    assert.match(launched(bin, baseEnv({ NODE_OPTIONS: '--no-warnings' })), viaNode);
    // tsc output newer than the blob: stale (the bundle, newer still, runs).
    const later = new Date(Date.now() + 60_000);
    const latest = new Date(Date.now() + 120_000);
    utimesSync(join(copy, 'dist', 'src', 'cli', 'main.js'), later, later);
    utimesSync(join(copy, 'dist', 'bundle', 'cli.mjs'), latest, latest);
    assert.match(launched(bin), viaNode);
    // No blob at all.
    rmSync(join(copy, 'dist', 'snapshot'), { recursive: true });
    mkdirSync(join(copy, 'dist', 'snapshot'));
    assert.match(launched(bin), viaNode);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
