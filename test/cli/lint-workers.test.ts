/**
 * Worker-thread lint runs (cli/lint-workers.ts) must print exactly what a
 * single-threaded run prints: same reports, same order, same exit code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { workerCount, WORKER_THRESHOLD } from '../../src/cli/lint-workers.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const BIN = join(ROOT, 'bin', 'postfix-tls-lint');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** ~300 main.cf inputs built from the examples, with master.cf files, policy tables, config files, suppressions. */
function fleet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-workers-'));
  const examples = readdirSync(join(ROOT, 'examples')).filter((e) => existsSync(join(ROOT, 'examples', e, 'main.cf')));
  // One subtree has its own config: a severity override, a different version, an ignore glob.
  writeFileSync(join(dir, '.postfix-tls-lint.json'), JSON.stringify({ rules: { 'tls-loglevel-zero': 'off' } }));
  mkdirSync(join(dir, 'site1'), { recursive: true });
  writeFileSync(join(dir, 'site1', '.postfix-tls-lint.json'), JSON.stringify({ postfixVersion: '3.5', rules: { 'tls-off-outbound': 'error' }, ignore: ['host1[0-4]*/**'] }));
  for (let i = 0; i < 300; i++) {
    const example = join(ROOT, 'examples', examples[i % examples.length]!);
    const host = join(dir, `site${i % 3}`, `host${i}`);
    cpSync(example, host, { recursive: true });
    if (i % 7 === 0) writeFileSync(join(host, 'main.cf'), `# postfix-tls-lint disable tls-off-outbound -- lab host\nsmtp_tls_security_level = none\nsmtpd_tls_loglevel = 0\n`);
    if (i % 11 === 0) writeFileSync(join(host, 'main.cf'), `smtp_tls_protocols = !SSLv2 junk\nsmtp_tls_mandatory_ciphers = export\n`);
  }
  return dir;
}

function run(entry: string, args: string[], workers: string) {
  const r = spawnSync(process.execPath, [entry, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, NO_COLOR: '1', POSTFIX_TLS_LINT_WORKERS: workers },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('worker count: off unless asked for, and only above the threshold', () => {
  assert.equal(workerCount(10_000, {}), 0);
  assert.equal(workerCount(10_000, { POSTFIX_TLS_LINT_WORKERS: '0' }), 0);
  assert.equal(workerCount(10_000, { POSTFIX_TLS_LINT_WORKERS: '3' }), 3);
  assert.equal(workerCount(WORKER_THRESHOLD, { POSTFIX_TLS_LINT_WORKERS: '3' }), 0);
  assert.equal(workerCount(10_000, { POSTFIX_TLS_LINT_WORKERS: 'many' }), 0);
});

test('a ~300-file run with workers prints byte-identical reports to a single-threaded run', () => {
  const dir = fleet();
  try {
    for (const entry of [BIN, MAIN]) {
      for (const format of ['json', 'stylish', 'sarif']) {
        const args = [dir, '--postfix-version', '3.7.11', '-f', format, '--fail-on', 'warning'];
        const single = run(entry, args, '0');
        assert.ok(single.code === 0 || single.code === 1, `single-threaded run exits 0 or 1, not ${single.code}: ${single.stderr}`);
        for (const workers of ['1', '2']) {
          const multi = run(entry, args, workers);
          assert.equal(multi.code, single.code, `${format}, ${workers} workers: exit code`);
          assert.equal(multi.stderr, single.stderr, `${format}, ${workers} workers: stderr`);
          assert.ok(multi.stdout === single.stdout, `${format}, ${workers} workers: output differs from the single-threaded run`);
        }
      }
      if (entry === BIN) {
        const quiet = [dir, '--postfix-version', '3.7.11', '-f', 'json', '--quiet', '--peers', 'gmail,outlook'];
        assert.ok(run(entry, quiet, '2').stdout === run(entry, quiet, '0').stdout, '--quiet --peers: output differs');
      }
    }
    // A broken config file is reported the same way (exit 2, same message).
    writeFileSync(join(dir, 'site2', '.postfix-tls-lint.json'), '{ "rules": ');
    const a = run(BIN, [dir, '-f', 'json', '--postfix-version', '3.7.11'], '0');
    const b = run(BIN, [dir, '-f', 'json', '--postfix-version', '3.7.11'], '2');
    assert.equal(a.code, 2);
    assert.deepEqual(b, a);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
