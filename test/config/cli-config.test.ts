import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/show-harness.js';

const V = ['--postfix-version', '3.7.11'];

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-cfgcli-'));
  mkdirSync(join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const NONE = 'smtp_tls_security_level = none\n';

test('the nearest config file applies per file; rules off and severity overrides', async () => {
  const dir = repo({
    '.postfix-tls-lint.json': JSON.stringify({ rules: { 'tls-off-outbound': 'error' } }),
    'hosts/a/main.cf': NONE,
    'hosts/b/main.cf': NONE,
    'hosts/b/.postfix-tls-lint.json': JSON.stringify({ $schema: '../../schemas/config.schema.json', rules: { 'tls-off-outbound': 'off' } }),
  });
  const r = await runCli([...V, '--format', 'json', 'hosts'], { cwd: dir });
  const out = JSON.parse(r.stdout) as { files: { file: string; findings: { ruleId: string; severity: string }[] }[] };
  const a = out.files.find((f) => f.file === 'hosts/a/main.cf');
  const b = out.files.find((f) => f.file === 'hosts/b/main.cf');
  assert.deepEqual(a?.findings.filter((f) => f.ruleId === 'tls-off-outbound').map((f) => f.severity), ['error']);
  assert.deepEqual(b?.findings.filter((f) => f.ruleId === 'tls-off-outbound'), []);
  assert.equal(r.code, 1);
  // --config replaces the lookup for every file.
  writeFileSync(join(dir, 'quiet.json'), JSON.stringify({ rules: { 'tls-off-outbound': 'off' } }));
  const c = await runCli([...V, '--config', 'quiet.json', '--format', 'json', 'hosts'], { cwd: dir });
  assert.equal((JSON.parse(c.stdout) as typeof out).files.flatMap((f) => f.findings).filter((f) => f.ruleId === 'tls-off-outbound').length, 0);
});

test('an invalid config is exit 2 with messages naming the key; nothing is linted', async () => {
  const dir = repo({ '.postfix-tls-lint.json': JSON.stringify({ rules: { 'tls-off-outbond': 'error', 'tls-loglevel-zero': 'warn' }, colour: true }), 'main.cf': NONE });
  const r = await runCli([...V, 'main.cf'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /rules\.tls-off-outbond: unknown rule id \(did you mean tls-off-outbound\?\)/);
  assert.match(r.stderr, /rules\.tls-loglevel-zero: must be one of off, error, warning, info \(did you mean warning\?\)/);
  assert.match(r.stderr, /colour: unknown key/);
  const missing = await runCli([...V, '--config', 'nope.json', 'main.cf'], { cwd: dir });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.json: no such file/);
  writeFileSync(join(dir, '.postfix-tls-lint.json'), '{ "rules": ');
  const json = await runCli([...V, 'main.cf'], { cwd: dir });
  assert.equal(json.code, 2);
  assert.match(json.stderr, /not valid JSON/);
});

test('command-line flags win over the config file; --print-config shows the resolution', async () => {
  const dir = repo({ '.postfix-tls-lint.json': JSON.stringify({ postfixVersion: '3.5', opensslVersion: 1, peers: ['gmail'], rules: { 'tls-loglevel-zero': 'off' }, ignore: ['old/**'] }), 'main.cf': NONE });
  const p = await runCli(['--print-config', 'main.cf'], { cwd: dir });
  assert.equal(p.code, 0, p.stderr);
  const cfg = JSON.parse(p.stdout) as Record<string, unknown> & { rules: Record<string, string> };
  assert.equal(cfg.configFile, join(dir, '.postfix-tls-lint.json'));
  assert.equal(cfg.postfixVersion, '3.5');
  assert.equal(cfg.postfixVersionFrom, 'config file');
  assert.equal(cfg.opensslVersion, 1);
  assert.deepEqual(cfg.peers, ['gmail']);
  assert.equal(cfg.rules['tls-loglevel-zero'], 'off');
  assert.equal(cfg.rules['tls-off-outbound'], 'warning', 'every rule listed with its effective level');
  assert.equal(cfg.ignored, false);
  const cli = JSON.parse((await runCli(['--print-config', 'old/x/main.cf', '--postfix-version', '3.9', '--openssl-version', '3'], { cwd: dir })).stdout) as Record<string, unknown>;
  assert.equal(cli.postfixVersion, '3.9');
  assert.equal(cli.postfixVersionFrom, 'command line');
  assert.equal(cli.opensslVersion, 3);
  assert.equal(cli.ignored, true);
  const none = JSON.parse((await runCli(['--print-config', '/'], { cwd: '/' })).stdout) as Record<string, unknown>;
  assert.equal(none.configFile, null);
});

test('ignore globs skip files; globs on the command line are expanded when the shell did not', async () => {
  const dir = repo({
    '.postfix-tls-lint.json': JSON.stringify({ ignore: ['legacy/**'] }),
    'etc/mx1/main.cf': NONE,
    'etc/mx2/main.cf': NONE,
    'etc/mx2/master.cf': '',
    'legacy/main.cf': NONE,
  });
  const r = await runCli([...V, '--format', 'json', 'etc/**/main.cf', 'legacy/main.cf'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: { file: string }[] }).files.map((f) => f.file);
  assert.deepEqual(files, ['etc/mx1/main.cf', 'etc/mx2/main.cf']);
  const none = await runCli([...V, 'etc/**/nothing.cf'], { cwd: dir });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no file matches this pattern/);
});

test('master.cf and policy tables named directly (as pre-commit does) lint the main.cf beside them, once', async () => {
  const dir = repo({ 'pf/main.cf': NONE, 'pf/master.cf': 'smtp inet n - y - - smtpd\n', 'pf/tls_policy': 'example.com encrypt\n', 'alone/master.cf': '' });
  const r = await runCli([...V, '--format', 'json', 'pf/master.cf', 'pf/main.cf', 'pf/tls_policy', 'alone/master.cf'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: { file: string }[] }).files.map((f) => f.file);
  assert.equal(files.filter((f) => f === 'pf/main.cf').length, 1);
  assert.ok(!files.includes('alone/master.cf'));
  const alone = await runCli([...V, 'alone/master.cf'], { cwd: dir });
  assert.equal(alone.code, 0, 'nothing to lint is not a failure');
});

test('suppressions through the CLI: reasons, unused directives, and --fix leaves suppressed findings alone', async () => {
  const text = '# postfix-tls-lint disable-next-line tls-off-outbound -- outbound goes to a TLS-wrapping smarthost\nsmtp_tls_security_level = none\n';
  const dir = repo({ 'main.cf': text, 'stale.cf': '# postfix-tls-lint disable-next-line weak-cipher-grade -- old\nsmtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n' });
  const r = await runCli([...V, '--format', 'json', 'main.cf'], { cwd: dir });
  const findings = (JSON.parse(r.stdout) as { files: { findings: { ruleId: string }[] }[] }).files[0].findings;
  assert.ok(!findings.some((f) => f.ruleId === 'tls-off-outbound'), r.stdout);
  const fix = await runCli([...V, '--fix', 'main.cf'], { cwd: dir });
  assert.equal(readFileSync(join(dir, 'main.cf'), 'utf8').split('\n')[1], 'smtp_tls_security_level = none', `suppressed: not fixed\n${fix.stdout}`);
  assert.equal((await runCli([...V, 'stale.cf'], { cwd: dir })).code, 0);
  const unused = await runCli([...V, '--report-unused-disables', 'stale.cf'], { cwd: dir });
  assert.equal(unused.code, 1);
  assert.match(unused.stdout, /unused suppression: weak-cipher-grade reported nothing on line 2/);
  const sarif = JSON.parse((await runCli([...V, '--format', 'sarif', 'main.cf'], { cwd: dir })).stdout) as { runs: { results: { ruleId: string; suppressions?: { justification?: string }[] }[] }[] };
  const s = sarif.runs[0].results.find((x) => x.ruleId === 'tls-off-outbound');
  assert.equal(s?.suppressions?.[0].justification, 'outbound goes to a TLS-wrapping smarthost');
});
