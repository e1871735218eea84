/** --fix --interactive through a real pseudo-terminal (util-linux `script`). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../../../bin/postfix-tls-lint', import.meta.url).pathname;
const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

function runInPty(dir: string, answers: string): { status: number | null; out: string } {
  const cmd = `node ${bin} --postfix-version 3.7.11 --no-color --fix --interactive main.cf`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, input: answers, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

const INPUT = 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_ciphers = export\nsmtp_tls_protocols = !SSLv2\n';
const FIRST = 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_ciphers = medium\nsmtp_tls_protocols = !SSLv2\n';
const BOTH = 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_ciphers = medium\nsmtp_tls_protocols = >=TLSv1\n';

test('interactive: yes to the first fix, no to the second', (t) => {
  if (!haveScript) return t.skip('util-linux `script` is not installed: pseudo-terminal test skipped');
  const dir = mkdtempSync(join(tmpdir(), 'ptl-pty-'));
  writeFileSync(join(dir, 'main.cf'), INPUT);
  const r = runInPty(dir, 'y\nn\n');
  assert.match(r.out, /Apply this fix\? \[y\]es \/ \[n\]o \/ \[a\]ll remaining \/ \[q\]uit/);
  assert.match(r.out, /-smtp_tls_ciphers = export\r?\n\+smtp_tls_ciphers = medium/);
  assert.equal(readFileSync(join(dir, 'main.cf'), 'utf8'), FIRST);
});

test('interactive: the second hunk is shown against the text with the first fix accepted', (t) => {
  if (!haveScript) return t.skip('util-linux `script` is not installed: pseudo-terminal test skipped');
  const dir = mkdtempSync(join(tmpdir(), 'ptl-pty-'));
  writeFileSync(join(dir, 'main.cf'), INPUT);
  const r = runInPty(dir, 'y\ny\n');
  // The context line above the second change is the already-fixed grade, not the original "export".
  assert.match(r.out, / smtp_tls_ciphers = medium\r?\n-smtp_tls_protocols = !SSLv2\r?\n\+smtp_tls_protocols = >=TLSv1/);
  assert.equal(readFileSync(join(dir, 'main.cf'), 'utf8'), BOTH);
});

test('interactive: all applies every remaining fix; quit applies nothing more', (t) => {
  if (!haveScript) return t.skip('util-linux `script` is not installed: pseudo-terminal test skipped');
  const all = mkdtempSync(join(tmpdir(), 'ptl-pty-'));
  writeFileSync(join(all, 'main.cf'), INPUT);
  runInPty(all, 'a\n');
  assert.equal(readFileSync(join(all, 'main.cf'), 'utf8'), BOTH);
  const quit = mkdtempSync(join(tmpdir(), 'ptl-pty-'));
  writeFileSync(join(quit, 'main.cf'), INPUT);
  runInPty(quit, 'q\n');
  assert.equal(readFileSync(join(quit, 'main.cf'), 'utf8'), INPUT);
});
