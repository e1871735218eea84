/**
 * The real pre-commit against this repository as hook repository.
 *
 * pre-commit only installs committed hooks, so the working tree (without
 * tests, lab and benchmarks, which the hook does not need) is committed into
 * a temporary repository first. The `language: node` hook is then installed
 * the way users get it: pre-commit runs `npm install` and `npm pack` (which
 * builds dist/ through the `prepare` script) and `npm install -g` of the
 * tarball into its own environment. npm is asked to prefer its cache, so the
 * install works offline once `npm ci` has run (as in .ci/run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = new URL('../../../', import.meta.url).pathname;
const SKIP_DIRS = /^(test|lab|bench|dist|node_modules)\//;

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 150_000, env: { ...process.env, ...env } });
}

function available(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

const GIT_ID = ['-c', 'user.email=test@example.invalid', '-c', 'user.name=test', '-c', 'commit.gpgsign=false'];

test('pre-commit: the check hook blocks a weak main.cf, passes a clean one; the fix hook rewrites the file', { timeout: 180_000 }, async (t) => {
  if (!available('git')) return t.skip('git not installed');
  if (!available('pre-commit')) return t.skip('pre-commit not installed (Debian package pre-commit; .ci/run installs it)');
  if (!available('npm')) return t.skip('npm not installed');

  const tmp = mkdtempSync(join(tmpdir(), 'ptl-precommit-'));
  // 1. The hook repository: this working tree, committed.
  const hookRepo = join(tmp, 'hook-repo');
  mkdirSync(hookRepo);
  const listed = sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root);
  if (listed.status !== 0) return t.skip(`not a git checkout: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (SKIP_DIRS.test(file)) continue;
    try {
      mkdirSync(dirname(join(hookRepo, file)), { recursive: true });
      cpSync(join(root, file), join(hookRepo, file));
    } catch {
      // deleted in the working tree but still in the index
    }
  }
  assert.equal(sh('git', ['init', '-q'], hookRepo).status, 0);
  assert.equal(sh('git', ['add', '-A'], hookRepo).status, 0);
  assert.equal(sh('git', [...GIT_ID, 'commit', '-qm', 'hook repository snapshot'], hookRepo).status, 0);
  const rev = sh('git', ['rev-parse', 'HEAD'], hookRepo).stdout.trim();

  // 2. A config repository that uses it.
  const work = join(tmp, 'postfix-config');
  mkdirSync(work);
  assert.equal(sh('git', ['init', '-q'], work).status, 0);
  writeFileSync(
    join(work, '.pre-commit-config.yaml'),
    [
      'repos:',
      `  - repo: ${hookRepo}`,
      `    rev: ${rev}`,
      '    hooks:',
      '      - id: postfix-tls-lint',
      '      - id: postfix-tls-lint-fix',
      '        stages: [manual]',
      '',
    ].join('\n'),
  );
  const env = {
    PRE_COMMIT_HOME: join(tmp, 'pre-commit-home'),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
  };
  const git = (...args: string[]) => sh('git', [...GIT_ID, ...args], work, env);
  assert.equal(git('add', '.pre-commit-config.yaml').status, 0);
  assert.equal(git('commit', '-qm', 'pre-commit config', '--no-verify').status, 0);

  const t0 = performance.now();
  const install = sh('pre-commit', ['install', '--install-hooks'], work, env);
  if (install.status !== 0 && /ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|offline/i.test(install.stdout + install.stderr + safeLog(env.PRE_COMMIT_HOME))) {
    return t.skip(`npm cannot reach the registry and its cache lacks the dependencies: ${install.stderr.slice(-300)}`);
  }
  assert.equal(install.status, 0, `pre-commit install --install-hooks:\n${install.stdout}\n${install.stderr}\n${safeLog(env.PRE_COMMIT_HOME)}`);
  t.diagnostic(`hook environment installed in ${Math.round(performance.now() - t0)} ms`);

  // 3. A weak main.cf: the commit is blocked and the output names the rule.
  mkdirSync(join(work, 'etc/postfix'), { recursive: true });
  const weak = 'smtp_tls_security_level = none\nsmtp_tls_loglevel = 1\n';
  writeFileSync(join(work, 'etc/postfix/main.cf'), weak);
  // A null client: master.cf runs the SMTP client only (an smtpd on port 25 would need server TLS too).
  writeFileSync(join(work, 'etc/postfix/master.cf'), 'smtp      unix  -       -       y       -       -       smtp\n');
  assert.equal(git('add', 'etc').status, 0);
  const blocked = git('commit', '-m', 'weak TLS');
  assert.notEqual(blocked.status, 0, `weak main.cf must be blocked:\n${blocked.stdout}\n${blocked.stderr}`);
  assert.match(blocked.stdout + blocked.stderr, /tls-off-outbound/);
  assert.match(blocked.stdout + blocked.stderr, /postfix-tls-lint\.+Failed/);

  // 4. The fix hook rewrites the file (and fails, because it changed it).
  const fixed = sh('pre-commit', ['run', 'postfix-tls-lint-fix', '--hook-stage', 'manual', '--files', 'etc/postfix/main.cf', 'etc/postfix/master.cf'], work, env);
  assert.notEqual(fixed.status, 0, 'a hook that modifies files fails');
  assert.match(fixed.stdout, /files were modified by this hook/);
  assert.equal(readFileSync(join(work, 'etc/postfix/main.cf'), 'utf8'), 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n');

  // 5. The fixed (clean) file commits.
  assert.equal(git('add', 'etc').status, 0);
  const ok = git('commit', '-m', 'opportunistic TLS');
  assert.equal(ok.status, 0, `clean main.cf must pass:\n${ok.stdout}\n${ok.stderr}`);
  assert.match(ok.stdout + ok.stderr, /postfix-tls-lint\.+Passed/);
});

function safeLog(home: string): string {
  try {
    return readFileSync(join(home, 'pre-commit.log'), 'utf8').slice(-2000);
  } catch {
    return '';
  }
}
