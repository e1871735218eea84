/** Issue 13, class 15: what the CLI says it does, it does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../support/show-harness.js';

const V = ['--postfix-version', '3.7.11', '--no-color'];
const SEED = 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\nsmtp_tls_exclude_ciphers = SHA1\n';

test('every rule id the footer suggests can be explained, suppression-comment included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-word-'));
  writeFileSync(join(dir, 'main.cf'), '# postfix-tls-lint disable-next-line no-such-rule\nsmtp_tls_security_level = none\n');
  const r = await runCli([...V, 'main.cf'], { cwd: dir });
  const footer = /explain (.+)$/m.exec(r.stdout)?.[1] ?? '';
  assert.ok(footer.includes('suppression-comment'), r.stdout);
  for (const id of footer.split(' | ')) {
    const e = await runCli(['explain', id.trim()]);
    assert.equal(e.code, 0, `explain ${id}: ${e.stderr}`);
  }
});

test('the fixable count says which fixes --diff and --fix apply, and which need --fix-type interop', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-word-'));
  writeFileSync(join(dir, 'main.cf'), SEED);
  const r = await runCli([...V, 'main.cf'], { cwd: dir });
  assert.match(r.stdout, /1 problem fixable with --fix \(review with --diff\)/);
  assert.match(r.stdout, /2 problems fixable only by lowering security: --diff --fix-type interop shows them/);
  const safe = await runCli([...V, '--diff', 'main.cf'], { cwd: dir });
  assert.equal((safe.stdout.match(/^[-+][a-z]/gm) ?? []).length, 1, 'the safe diff holds the one safe fix (smtp_tls_loglevel)');
  const interop = await runCli([...V, '--diff', '--fix-type', 'safe,interop', 'main.cf'], { cwd: dir });
  assert.match(interop.stdout, /^\+smtp_tls_protocols = >=TLSv1$/m);
  assert.match(interop.stdout, /^-smtp_tls_exclude_ciphers = SHA1$/m);
});

test('--diff for a file outside the working directory: paths git apply and patch -p1 take, and where to apply them', async () => {
  const base = mkdtempSync(join(tmpdir(), 'ptl-word-'));
  const conf = join(base, 'conf');
  const cwd = join(base, 'elsewhere');
  mkdirSync(conf);
  mkdirSync(cwd);
  writeFileSync(join(conf, 'main.cf'), 'smtp_tls_security_level = may\nsmtp_tls_ciphers = export\nsmtp_tls_loglevel = 1\n');
  const r = await runCli([...V, '--diff', '../conf/main.cf'], { cwd });
  assert.doesNotMatch(r.stdout, /\.\.\//);
  assert.match(r.stdout, /^--- a\/main\.cf$/m);
  assert.match(r.stderr, new RegExp(`relative to ${conf.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  writeFileSync(join(cwd, 'fix.patch'), r.stdout);
  const git = spawnSync('git', ['apply', '--check', join(cwd, 'fix.patch')], { cwd: conf, encoding: 'utf8' });
  if (!git.error) assert.equal(git.status, 0, git.stderr);
  const patch = spawnSync('patch', ['-p1', '-d', conf], { input: r.stdout, encoding: 'utf8' });
  if (!patch.error) {
    assert.equal(patch.status, 0, patch.stderr);
    assert.match(readFileSync(join(conf, 'main.cf'), 'utf8'), /smtp_tls_ciphers = medium/);
  }
});
