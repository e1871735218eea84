/**
 * Hostile inputs end cleanly: through main() (show and the default lint
 * command) and through the parser/model directly. Each case must finish within
 * a couple of seconds, explain itself on stderr without a stack trace, and
 * exit 2 when the input is unusable, else 0 or 1.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../support/prng.js';
import { removeDir } from '../support/postfix.js';
import { hasStackTrace, runCli, type CliRun } from '../support/show-harness.js';
import { parseMainCf, printMainCf } from '../../src/parser/main-cf.js';
import { ConfigModel } from '../../src/model/config.js';

const VERSION = '3.7.11';
/** "A couple of seconds"; the 10 MB cases get a little more on slow machines. */
// Hang guards for hostile input (bombs must stop early), not timing goals: speed is measured in bench/.
const FAST_MS = 20_000;
let root = '';

before(() => {
  root = mkdtempSync(join(tmpdir(), 'ptl-hostile-'));
});
after(() => {
  if (root) removeDir(root);
});

function file(name: string, content: string | Buffer): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const p = join(dir, 'main.cf');
  writeFileSync(p, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  writeFileSync(join(dir, 'master.cf'), '');
  return p;
}

const show = (args: string[]) => runCli(['show', '--postfix-version', VERSION, ...args]);
const lint = (args: string[]) => runCli(['--postfix-version', VERSION, '--no-color', ...args]);

/** The common contract: quick, no stack trace, no internal error, the expected exit codes. */
function assertClean(r: CliRun, codes: number[], what: string, maxMs = FAST_MS): void {
  assert.ok(codes.includes(r.code), `${what}: exit ${r.code}, expected ${codes.join(' or ')}; stderr: ${r.stderr.slice(0, 500)}`);
  assert.ok(r.ms < maxMs, `${what}: took ${Math.round(r.ms)} ms`);
  assert.ok(!hasStackTrace(r.stderr) && !r.stderr.includes('    at '), `${what}: stack trace on stderr: ${r.stderr.slice(0, 800)}`);
  assert.ok(!r.stderr.includes('internal error'), `${what}: internal error: ${r.stderr.slice(0, 500)}`);
  assert.ok(r.stderr.length < 1_000_000, `${what}: ${r.stderr.length} bytes of stderr`);
}

// ------------------------------------------------------------------ expansion bombs

function doublingChain(steps: number): string {
  let text = 'p0 = xxxxxxxx\n';
  for (let i = 1; i <= steps; i++) text += `p${i} = $p${i - 1} $p${i - 1}\n`;
  return text;
}

test('a 60-step doubling expansion chain is cut off, not expanded to 2^60 bytes', async () => {
  const text = doublingChain(60);
  const p = file('chain', `${text}smtp_tls_CAfile = $p60\n`);
  for (const args of [['-x', p, 'p60'], ['-x', p], [p]]) {
    const r = await show(args);
    assertClean(r, [2], `show ${args.join(' ')}`);
    assert.match(r.stderr, /expansion (exceeds|takes more than)/);
    assert.match(r.stderr, /fatal: macro processing error/);
    assert.equal(r.stdout, '');
  }
  // Without a built-in parameter expanding it, plain `show` only prints raw values.
  const plain = file('chain-plain', text);
  const r = await show([plain]);
  assertClean(r, [0], 'show (no -x) on the chain');
  assert.match(r.stdout, /^p59 = \$p58 \$p58$/m);
  assertClean(await lint([plain]), [0, 1], 'lint on the chain');

  const t0 = performance.now();
  const model = new ConfigModel(parseMainCf(text), VERSION);
  const e = model.expand('p60');
  assert.equal(e.ok, false);
  assert.ok(e.diagnostics.some((d) => d.code === 'too-large'));
  assert.ok(performance.now() - t0 < FAST_MS);
});

test('a two-name expansion loop is reported as a loop', async () => {
  const p = file('loop', 'a = $b\nb = ${a}\nsmtp_tls_security_level = $a\n');
  for (const args of [['-x', p], [p], ['-x', p, 'a']]) {
    const r = await show(args);
    assertClean(r, [2], `show ${args.join(' ')}`);
    assert.match(r.stderr, /expansion loop: \$\w -> \$\w -> \$\w|unreasonable macro call nesting/);
  }
  const userOnly = file('loop-user', 'a = $b\nb = $a\n');
  const r = await show([userOnly]);
  assertClean(r, [0], 'show without -x on a loop between user-defined names');
  assert.equal(r.stdout, 'a = $b\nb = $a\n');
  assertClean(await lint([userOnly]), [0, 1], 'lint on a loop');

  const e = new ConfigModel(parseMainCf('a = $b\nb = $a\n'), VERSION).expand('a');
  assert.equal(e.ok, false);
  assert.ok(e.diagnostics.some((d) => d.code === 'loop'));
});

test('3,000 nested ${a?{...}} conditionals hit the nesting limit without blowing the stack', async () => {
  const nested = '${a?{'.repeat(3000) + 'deep' + '}}'.repeat(3000);
  const p = file('nested', `a = 1\nsmtp_tls_CAfile = ${nested}\n`);
  for (const args of [['-x', p], [p], ['-x', p, 'smtp_tls_CAfile']]) {
    const r = await show(args);
    assertClean(r, [2], `show ${args.join(' ')}`);
    assert.match(r.stderr, /unreasonable macro call nesting/);
  }
  // As an unused user-defined parameter it is never expanded: printed raw-free, warned as unused.
  const unused = file('nested-unused', `a = 1\nzz = ${nested}\n`);
  const r = await show([unused]);
  assertClean(r, [0], 'show with the nest in an unused parameter');
  assert.match(r.stderr, /unused parameter: zz=/);
  assertClean(await lint([p]), [0, 1], 'lint on the nest');

  const e = new ConfigModel(parseMainCf(`a = 1\nx = ${nested}\n`), VERSION).expand('x');
  assert.equal(e.ok, false);
  assert.ok(e.diagnostics.some((d) => d.code === 'nesting'));
});

// ------------------------------------------------------------------ big and strange files

test('a 10 MB file is parsed, shown and linted in seconds', async () => {
  const chunk = 'smtp_tls_exclude_ciphers = aNULL, MD5, RC4\n  # comment\n  eNULL\nsmtp_tls_security_level = may\n';
  const text = chunk.repeat(Math.ceil((10 * 1024 * 1024) / chunk.length));
  const p = file('big', text);
  let r = await show([p]);
  assertClean(r, [0], 'show on 10 MB', 60_000);
  assert.equal(r.stdout, 'smtp_tls_exclude_ciphers = aNULL, MD5, RC4 eNULL\nsmtp_tls_security_level = may\n');
  r = await show(['-x', p, 'smtp_tls_security_level']);
  assertClean(r, [0], 'show -x NAME on 10 MB', 60_000);
  r = await lint(['--format', 'json', p]);
  assertClean(r, [0, 1], 'lint on 10 MB', 60_000);
  JSON.parse(r.stdout);
  assert.equal(printMainCf(parseMainCf(text)), text);
});

test('a 1 MB single line is shown and expanded', async () => {
  const long = 'x'.repeat(1024 * 1024);
  const p = file('longline', `smtp_tls_CAfile = /${long}\nsmtp_tls_cert_file = $smtp_tls_CAfile\n`);
  for (const args of [[p], ['-x', p], ['-x', p, 'smtp_tls_cert_file']]) {
    const r = await show(args);
    assertClean(r, [0], `show ${args.join(' ').slice(0, 80)}`);
    assert.ok(r.stdout.includes(`smtp_tls_cert_file = ${args.includes('-x') ? '/' + long : '$smtp_tls_CAfile'}\n`));
  }
  assertClean(await lint([p]), [0, 1], 'lint on a 1 MB line');
  const oneLineNoNewline = file('longline2', `smtp_tls_security_level = ${'may '.repeat(256 * 1024)}`);
  assertClean(await show([oneLineNoNewline]), [0], 'show on a 1 MB line without newline');
});

test('a binary file (random bytes with NULs) is refused or handled, never crashes', async () => {
  const rng = new Prng(424242);
  const bytes = Buffer.alloc(256 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.chance(0.05) ? 0 : rng.int(256);
  const p = file('binary', bytes);
  for (const args of [[p], ['-x', p]]) {
    const r = await show(args);
    // Random bytes have lines without '=': postconf stops there, and so does show.
    assertClean(r, [2], `show ${args.join(' ')}`);
    assert.match(r.stderr, /fatal: .*line \d+: missing/);
  }
  const r = await lint([p]);
  assertClean(r, [2], 'lint on a binary file');
  assert.match(r.stderr, /looks like a binary file/);

  const text = bytes.toString('latin1');
  const parsed = parseMainCf(text);
  assert.equal(printMainCf(parsed), text);
  new ConfigModel(parsed, VERSION).expand('smtp_tls_security_level');
});

test('a NUL byte in a value cuts the value, with a warning', async () => {
  const p = file('nul', 'smtp_tls_security_level = may\0encrypt\nsmtp_tls_CAfile = /a\n');
  const r = await show([p, 'smtp_tls_security_level']);
  assertClean(r, [0], 'show with a NUL');
  assert.equal(r.stdout, 'smtp_tls_security_level = may\n');
  assert.match(r.stderr, /NUL byte/);
  assertClean(await lint([p]), [0, 1], 'lint with a NUL');
});

test('invalid UTF-8 round-trips byte for byte', async () => {
  const value = '/etc/\xff\xfe\xc3(\xe9t\xe9/\x80cert.pem';
  const p = file('utf8', `smtp_tls_CAfile = ${value}\nuser_\xe9 = 1\n`);
  const r = await show([p]);
  assertClean(r, [0], 'show with invalid UTF-8');
  assert.equal(r.stdout, `smtp_tls_CAfile = ${value}\n`);
  assert.match(r.stderr, /unused parameter: user_/);
  assertClean(await lint(['--format', 'json', p]), [0, 1], 'lint with invalid UTF-8');
  assert.equal(readFileSync(p).toString('latin1').includes(value), true);
});

// ------------------------------------------------------------------ things that are not files

test('a directory given as FILE', async () => {
  const r = await show([join(root, 'nul')]);
  assertClean(r, [2], 'show on a directory');
  assert.match(r.stderr, /is a directory/);
});

test('a FIFO given as FILE is refused without blocking', async (t) => {
  const fifo = join(root, 'fifo');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.error || made.status !== 0) {
    t.skip('mkfifo is not available here');
    return;
  }
  let r = await show([fifo]);
  assertClean(r, [2], 'show on a FIFO');
  assert.match(r.stderr, /not a regular file/);
  r = await lint([fifo]);
  assertClean(r, [2], 'lint on a FIFO');
  assert.match(r.stderr, /not a regular file/);
});

test('an unreadable file', async (t) => {
  const p = file('unreadable', 'smtp_tls_security_level = may\n');
  chmodSync(p, 0o000);
  try {
    readFileSync(p);
    t.skip('running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not block reads, nothing to test');
    return;
  } catch {
    // expected for ordinary users
  }
  let r = await show([p]);
  assertClean(r, [2], 'show on an unreadable file');
  assert.match(r.stderr, /permission denied/);
  r = await lint([p]);
  assertClean(r, [2], 'lint on an unreadable file');
});

test('a missing file', async () => {
  const p = join(root, 'does-not-exist', 'main.cf');
  let r = await show([p]);
  assertClean(r, [2], 'show on a missing file');
  assert.match(r.stderr, /no such file or directory/);
  r = await lint([p]);
  assertClean(r, [2], 'lint on a missing file');
  assert.match(r.stderr, /no such file or directory/);
});

test('symlink loops inside a directory given to the lint command', async () => {
  const dir = join(root, 'links');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'sub', 'main.cf'), 'smtp_tls_security_level = may\n');
  symlinkSync('..', join(dir, 'sub', 'up')); // directory cycle
  symlinkSync('.', join(dir, 'self'));
  symlinkSync('a', join(dir, 'b')); // a <-> b: ELOOP
  symlinkSync('b', join(dir, 'a'));
  mkdirSync(join(dir, 'looped'));
  symlinkSync('main.cf', join(dir, 'looped', 'main.cf')); // a main.cf that points at itself
  const r = await lint(['--format', 'json', dir]);
  assertClean(r, [2], 'lint on a directory with symlink loops');
  assert.match(r.stderr, /too many levels of symbolic links/);
  const report = JSON.parse(r.stdout) as unknown;
  const text = JSON.stringify(report);
  assert.ok(text.includes(join(dir, 'sub', 'main.cf')), `the real main.cf is still linted: ${text.slice(0, 300)}`);
  // Each file once, although the loops reach it many times.
  assert.equal(text.split(`"${join(dir, 'sub', 'up')}`).length, 1);
});
