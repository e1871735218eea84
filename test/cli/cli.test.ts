import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, chmodSync, statSync, symlinkSync, mkdtempSync, lstatSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv';
import { runCli } from '../support/show-harness.js';

const root = new URL('../../../', import.meta.url).pathname;
const V = ['--postfix-version', '3.7.11'];

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ptl-cli-'));
}

test('--help and --version exit 0; unknown options and missing input exit 2', async () => {
  assert.equal((await runCli(['--help'])).code, 0);
  const v = await runCli(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  const bad = await runCli(['--no-such-option', 'x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown option/);
  assert.equal((await runCli([])).code, 2);
  const missing = await runCli([...V, '/nonexistent/main.cf']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file or directory/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
});

test('--format json validates against schemas/lint-output.schema.json', async () => {
  const schema = JSON.parse(readFileSync(join(root, 'schemas/lint-output.schema.json'), 'utf8'));
  const validate = new Ajv.default({ allErrors: true }).compile(schema);
  for (const example of ['examples/', 'examples/seed-exchange2010/main.cf']) {
    const r = await runCli([...V, '--format', 'json', join(root, example)]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const out = JSON.parse(r.stdout) as { schemaVersion: number };
    assert.ok(validate(out), JSON.stringify(validate.errors, null, 1));
    assert.equal(out.schemaVersion, 1);
  }
});

test('exit status follows --fail-on; stdin is read with "-"', async () => {
  const stdin = Buffer.from('smtp_tls_security_level = none\n');
  const warn = await runCli([...V, '-'], { stdin });
  assert.equal(warn.code, 1);
  assert.match(warn.stdout, /<stdin>/);
  assert.equal((await runCli([...V, '--fail-on', 'error', '-'], { stdin })).code, 0);
  const named = await runCli([...V, '--stdin-filename', 'etc/main.cf', '-'], { stdin });
  assert.match(named.stdout, /etc\/main\.cf/);
});

test('colour: none with NO_COLOR or --no-color, ANSI with FORCE_COLOR', async () => {
  const stdin = Buffer.from('smtp_tls_security_level = none\n');
  const plain = await runCli([...V, '-'], { stdin });
  assert.doesNotMatch(plain.stdout, /\x1b\[/);
  const forced = await runCli([...V, '-'], { stdin, env: { FORCE_COLOR: '1', NO_COLOR: '' } });
  assert.match(forced.stdout, /\x1b\[/);
  const off = await runCli([...V, '--no-color', '-'], { stdin, env: { FORCE_COLOR: '1', NO_COLOR: '' } });
  assert.doesNotMatch(off.stdout, /\x1b\[/);
});

test('--interactive refuses without a terminal (exit 2)', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'main.cf'), 'smtp_tls_security_level = none\n');
  const r = await runCli([...V, '--fix', '--interactive', join(dir, 'main.cf')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /needs a terminal/);
  assert.equal(readFileSync(join(dir, 'main.cf'), 'utf8'), 'smtp_tls_security_level = none\n');
});

const BYTE_CASES: { name: string; input: string; fixed: string }[] = [
  {
    name: 'CRLF',
    input: '# c\r\nsmtp_tls_security_level = none\r\nsmtp_tls_loglevel = 1\r\n',
    fixed: '# c\r\nsmtp_tls_security_level = may\r\nsmtp_tls_loglevel = 1\r\n',
  },
  {
    name: 'no final newline',
    input: '# c\nsmtp_tls_loglevel = 1\nsmtp_tls_security_level = none',
    fixed: '# c\nsmtp_tls_loglevel = 1\nsmtp_tls_security_level = may',
  },
  {
    name: 'BOM and Latin-1 comment',
    input: '\xef\xbb\xbfmyhostname = x\n# caf\xe9 \xff\nsmtp_tls_security_level = none\nsmtp_tls_loglevel = 1\n# fin \xe9\n',
    fixed: '\xef\xbb\xbfmyhostname = x\n# caf\xe9 \xff\nsmtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n# fin \xe9\n',
  },
  {
    name: 'continuation lines and a shadowed duplicate',
    input: 'smtp_tls_security_level = encrypt\nsmtp_tls_loglevel = 1\nsmtp_tls_security_level =\n  # inner\n  none\n# tail\n',
    fixed: 'smtp_tls_loglevel = 1\nsmtp_tls_security_level =\n  # inner\n  may\n# tail\n',
  },
];

for (const c of BYTE_CASES) {
  test(`--diff equals --fix and applies with git apply: ${c.name}`, async () => {
    const dir = tempDir();
    const file = join(dir, 'main.cf');
    writeFileSync(file, Buffer.from(c.input, 'latin1'));
    chmodSync(file, 0o640);
    const expectedExit = c.input.startsWith('\xef\xbb\xbf') ? 1 : 0; // the BOM itself stays an error
    const diff = await runCli([...V, '--diff', 'main.cf'], { cwd: dir });
    assert.equal(diff.code, expectedExit, diff.stderr);
    assert.ok(diff.stdout.startsWith('--- a/main.cf\n+++ b/main.cf\n'), diff.stdout);
    assert.equal(readFileSync(file).toString('latin1'), c.input, '--diff writes nothing');
    const patchFile = join(dir, 'fix.patch');
    writeFileSync(patchFile, Buffer.from(diff.stdout, 'latin1'));
    const copy = tempDir();
    writeFileSync(join(copy, 'main.cf'), Buffer.from(c.input, 'latin1'));
    const applied = spawnSync('git', ['apply', '--unsafe-paths', patchFile], { cwd: copy, encoding: 'utf8' });
    assert.equal(applied.status, 0, applied.stderr);
    const fix = await runCli([...V, '--fix', file], { cwd: dir });
    assert.equal(fix.code, expectedExit, fix.stdout + fix.stderr);
    const fixed = readFileSync(file).toString('latin1');
    assert.equal(readFileSync(join(copy, 'main.cf')).toString('latin1'), fixed, 'git apply of --diff equals --fix');
    assert.equal(statSync(file).mode & 0o777, 0o640, 'mode kept');
    assert.equal(fixed, c.fixed);
    const again = await runCli([...V, '--fix', file], { cwd: dir });
    assert.equal(readFileSync(file).toString('latin1'), fixed, '--fix twice == --fix once');
    assert.equal(again.code, expectedExit);
  });
}

test('--fix writes through a symlink to its target', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'real.cf'), 'smtp_tls_security_level = none\nsmtp_tls_loglevel = 1\n');
  symlinkSync('real.cf', join(dir, 'main.cf'));
  const r = await runCli([...V, '--fix', join(dir, 'main.cf')]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(join(dir, 'main.cf')).isSymbolicLink());
  assert.equal(readlinkSync(join(dir, 'main.cf')), 'real.cf');
  assert.equal(readFileSync(join(dir, 'real.cf'), 'utf8'), 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n');
});

test('--peers selects the peer profiles the interop rules use; an unknown id is a usage error', async () => {
  const seed = join(root, 'examples/seed-exchange2010/main.cf');
  const ids = async (peers: string) => {
    const r = await runCli([...V, '--format', 'json', '--peers', peers, seed]);
    const out = JSON.parse(r.stdout) as { files: { findings: { ruleId: string; message: string }[] }[] };
    return out.files.flatMap((f) => f.findings).filter((f) => f.ruleId === 'peer-handshake-failure').map((f) => /^No TLS with (\S+)/.exec(f.message)?.[1]);
  };
  assert.deepEqual(await ids('gmail'), []);
  assert.deepEqual(await ids('exchange-2010-ws2008r2,gmail'), ['exchange-2010-ws2008r2']);
  const bad = await runCli([...V, '--peers', 'no-such-peer', seed]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown peer id "no-such-peer"/);
});
