import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { lintConfig } from '../../src/engine/lint-config.js';
import type { ConfigSources } from '../../src/model/whole-config.js';
import { fixFilesUntilStable } from '../../src/fixer/fix-loop.js';
import { unifiedDiff } from '../../src/fixer/unified-diff.js';
import type { Finding } from '../../src/engine/types.js';
import { runCli } from '../support/show-harness.js';
import { handshakeCommand } from '../../src/cli/handshake-command.js';
import { showCommand } from '../../src/cli/show-command.js';
import { memoryIo } from '../interop/helpers.js';
import { defaultPeers } from '../../src/interop/peers.js';
import { havePostconf, NO_POSTCONF, postconf, tempConfigDir, removeDir } from '../support/postfix.js';

const V = '3.7.11';
const root = new URL('../../../', import.meta.url).pathname;

function sources(main: string, master: string | null, tables: Record<string, string> = {}): ConfigSources {
  return {
    main: { path: 'main.cf', text: main },
    master: master === null ? null : { path: 'master.cf', text: master },
    configDir: '/cfg',
    tables: new Map(Object.entries(tables).map(([name, text]) => [`/cfg/${name}`, { path: name, text }])),
  };
}

const lint = (s: ConfigSources) => lintConfig(s, { postfixVersion: V }).findings;
const at = (fs: readonly Finding[]) => fs.map((f) => `${f.file}:${f.line} ${f.ruleId}`);

const MAIN = 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n';
const MASTER = [
  'smtp      unix  -       -       y       -       -       smtp',
  'partner   unix  -       -       y       -       -       smtp',
  '  -o smtp_tls_ciphers=export',
  '  -o smtp_tls_loglevel=1',
  'relay     unix  -       -       y       -       -       smtp',
  '  -o syslog_name=postfix/relay',
  '',
].join('\n');

test('a weak -o override on a custom transport is reported at its master.cf line, with a master.cf fix', () => {
  const fs = lint(sources(MAIN, MASTER));
  assert.deepEqual(at(fs), ['master.cf:3 weak-cipher-grade']);
  const [f] = fs;
  assert.equal(f.column, 6);
  assert.match(f.message, /^service partner\/unix: smtp_tls_ciphers = export/);
  assert.equal(f.fix?.file, 'master.cf');
  assert.equal(f.fix?.kind, 'safe');
  const fixed = fixFilesUntilStable(new Map([['main.cf', MAIN], ['master.cf', MASTER]]), (texts) =>
    lint({ ...sources(texts.get('main.cf')!, texts.get('master.cf')!) }),
  );
  assert.equal(fixed.outputs.get('main.cf'), MAIN);
  assert.equal(fixed.outputs.get('master.cf'), MASTER.replace('smtp_tls_ciphers=export', 'smtp_tls_ciphers=medium'));
  assert.deepEqual(fixed.remaining, []);
});

test('findings main.cf already has are not repeated per service', () => {
  const main = 'smtp_tls_security_level = may\nsmtp_tls_ciphers = export\nsmtp_tls_loglevel = 1\n';
  const fs = lint(sources(main, MASTER.replace('  -o smtp_tls_ciphers=export\n', '  -o smtp_tls_protocols=>=TLSv1\n')));
  assert.deepEqual(at(fs), ['main.cf:2 weak-cipher-grade']);
});

test('a finding caused by a level override points at the -o line, with the main.cf setting it uses as related', () => {
  const main = 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_mandatory_protocols = TLSv1\n';
  const master = 'partner unix - - y - - smtp\n  -o smtp_tls_security_level=encrypt\n';
  const fs = lint(sources(main, master));
  assert.deepEqual(at(fs), ['master.cf:2 encrypt-without-authentication', 'master.cf:2 mandatory-protocols-allow-tls1']);
  const f = fs[1];
  // main.cf's mandatory list is only used at encrypt, which the service selects.
  assert.equal(f.related.at(-1)?.file, 'main.cf');
  assert.equal(f.related.at(-1)?.line, 3);
  assert.equal(f.fix, undefined, 'a main.cf fix would change every service: not offered here');
  // global-mandatory-tls is about the default transport; partner is not it.
  assert.ok(!fs.some((x) => x.ruleId === 'global-mandatory-tls'));
  const asDefault = lint(sources(main, 'smtp unix - - y - - smtp\n  -o smtp_tls_security_level=encrypt\n'));
  assert.ok(asDefault.some((x) => x.ruleId === 'global-mandatory-tls' && x.file === 'master.cf'));
});

test('weak policy entries are reported at their table lines, good ones are not; invalid ones are errors', () => {
  const main = MAIN + 'smtp_tls_policy_maps = texthash:/etc/postfix/tls_policy\n';
  const table = [
    'good.example    may protocols=>=TLSv1',
    'weak.example    may protocols=>=TLSv1.2',
    'bad.example     encrypt protocols=>=TLSv1.2,<=TLSv1.3',
    'export.example  encrypt ciphers=export',
    'fine.example    encrypt ciphers=high protocols=>=TLSv1.2',
    '',
  ].join('\n');
  // With the default peers: the interop fix below is offered only when the predictor checks it.
  const all = lintConfig(sources(main, null, { tls_policy: table }), { postfixVersion: V, peers: defaultPeers() }).findings.filter((f) => f.ruleId !== 'peer-handshake-failure');
  const fs = all.filter((f) => f.severity !== 'info');
  // The same finding for two entries of one table is one finding that names both.
  assert.deepEqual(at(all.filter((f) => f.severity === 'info')), ['tls_policy:4 encrypt-without-authentication', 'tls_policy:4 mandatory-protocols-allow-tls1']);
  assert.match(all.find((f) => f.ruleId === 'encrypt-without-authentication')!.message, /^policies for "export\.example" and "fine\.example": /);
  assert.deepEqual(at(fs), ['tls_policy:2 opportunistic-protocol-floor', 'tls_policy:3 policy-table-entry', 'tls_policy:4 weak-cipher-grade']);
  const floor = fs[0];
  assert.equal(table.split('\n')[1].slice(floor.column - 1, floor.endColumn - 1), 'protocols=>=TLSv1.2');
  assert.equal(floor.fix?.file, 'tls_policy');
  assert.equal(floor.fix?.kind, 'interop');
  assert.match(floor.confirm ?? '', /"weak\.example"$/);
  assert.match(fs[1].message, /invalid attribute name: "<"/);
  assert.match(fs[1].message, /4\.7\.5 "client TLS configuration problem"/);
  const withPeers = (texts: ReadonlyMap<string, string>) => lintConfig(sources(texts.get('main.cf')!, null, { tls_policy: texts.get('tls_policy')! }), { postfixVersion: V, peers: defaultPeers() }).findings;
  const fixed = fixFilesUntilStable(new Map([['main.cf', main], ['tls_policy', table]]), withPeers, { kinds: ['safe', 'interop'] });
  assert.equal(fixed.outputs.get('tls_policy'), table.replace('weak.example    may protocols=>=TLSv1.2', 'weak.example    may protocols=>=TLSv1').replace('ciphers=export', 'ciphers=medium'));
});

test('missing table file, relative path and unread table types are findings, not crashes', () => {
  const main = MAIN + 'smtp_tls_policy_maps = texthash:/etc/postfix/missing, hash:rel_policy, ldap:/etc/postfix/ldap.cf, pcre:/etc/postfix/p.pcre\n';
  // The live configuration (or --files on): an absent table is an error (texthash) or a warning (indexed).
  const live = lintConfig(sources(main, null), { postfixVersion: V, files: { mode: 'auto', live: true, now: new Date(0), expiryDays: 14 } }).findings;
  assert.deepEqual(live.map((f) => `${f.ruleId}/${f.messageId}/${f.severity}`), [
    'policy-table-entry/missing/error',
    'policy-table-entry/relative/warning',
    'policy-table-entry/missing/warning',
    'policy-table-unread/unread/info',
    'policy-table-unread/unread/info',
  ]);
  assert.ok(live.every((f) => f.file === 'main.cf' && f.line === 3));
  // A configuration that is not the live one (a config repo): absent here is information.
  assert.deepEqual(lint(sources(main, null)).map((f) => `${f.messageId}/${f.severity}`), ['missing/info', 'relative/warning', 'missing/info', 'unread/info', 'unread/info']);
});

test('inline: entries point at main.cf columns; $config_directory is the linted directory', () => {
  const main = MAIN + 'smtp_tls_policy_maps = inline:{ {weak.example = may protocols=>=TLSv1.2} }, texthash:/etc/postfix/t\n';
  const fs = lint(sources(main, null, { t: 'x.example encrypt ciphers=low\n' })).filter((f) => f.severity !== 'info');
  assert.deepEqual(at(fs), ['main.cf:3 opportunistic-protocol-floor', 't:1 weak-cipher-grade']);
  const line = main.split('\n')[2];
  assert.equal(line.slice(fs[0].column - 1, fs[0].endColumn - 1), 'protocols=>=TLSv1.2');
  const viaDir = lint(sources(MAIN + 'smtp_tls_policy_maps = texthash:$config_directory/t\n', null, { t: 'x.example encrypt ciphers=low\n' }));
  assert.ok(viaDir.some((f) => f.file === 't' && f.ruleId === 'weak-cipher-grade'));
});

test('tlsproxy for connection reuse is found in the parsed master.cf (active, not commented out)', () => {
  const main = MAIN + 'smtp_tls_connection_reuse = yes\n';
  const commented = 'smtp unix - - y - - smtp\n#tlsproxy unix - - y - 0 tlsproxy\n';
  assert.equal(lint(sources(main, commented)).find((f) => f.ruleId === 'connection-reuse')?.messageId, 'noTlsproxy');
  const active = 'smtp unix - - y - - smtp\ntlsproxy unix - - y - 0 tlsproxy\n';
  assert.equal(lint(sources(main, active)).find((f) => f.ruleId === 'connection-reuse')?.messageId, 'enabled');
  const renamed = 'smtp unix - - y - - smtp\nmyproxy unix - - y - 0 tlsproxy\n';
  assert.equal(lint(sources(main + 'tlsproxy_service_name = myproxy\n', renamed)).find((f) => f.ruleId === 'connection-reuse')?.messageId, 'enabled');
});

test('fixes may create files: the multi-file loop and a "new file" diff', () => {
  const creating: Finding = {
    ruleId: 'x', severity: 'warning', category: 'interop', messageId: 'm', data: {}, message: 'm', summary: 'm', parameter: null,
    range: [0, 0], file: 'main.cf', line: 1, column: 1, endLine: 1, endColumn: 1, related: [],
    fix: { kind: 'safe', description: 'create', edits: [{ range: [0, 0], text: 'example.com may\n' }], file: 'tls_policy' },
  };
  const r = fixFilesUntilStable(new Map([['main.cf', 'a = b\n']]), (texts) => (texts.has('tls_policy') ? [] : [creating]));
  assert.deepEqual([...r.created], ['tls_policy']);
  assert.equal(r.outputs.get('tls_policy'), 'example.com may\n');
  const d = unifiedDiff({ path: 'tls_policy', before: null, after: 'example.com may\n' });
  assert.match(d, /^diff --git a\/tls_policy b\/tls_policy\nnew file mode 100644\n--- \/dev\/null\n\+\+\+ b\/tls_policy\n/);
});

function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-wc-'));
  cpSync(join(root, 'examples/policy-table'), dir, { recursive: true });
  return dir;
}

test('CLI: linting a directory lints main.cf, master.cf and the tables together; --diff covers every file and git-applies', async () => {
  const dir = copyExample();
  const r = await runCli(['--postfix-version', V, '--format', 'json', '.'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  const files = JSON.parse(r.stdout);
  const list = Array.isArray(files) ? files : files.files ?? files.results;
  const names = (list as { file?: string; filePath?: string }[]).map((x) => x.file ?? x.filePath);
  assert.ok(names.includes('master.cf') && names.includes('tls_policy'), r.stdout.slice(0, 400));
  const diff = await runCli(['--postfix-version', V, '--diff', '--fix-type', 'safe,interop', '.'], { cwd: dir });
  assert.match(diff.stdout, /^--- a\/master\.cf$/m);
  assert.match(diff.stdout, /^--- a\/tls_policy$/m);
  writeFileSync(join(dir, 'fix.patch'), diff.stdout);
  const copy = copyExample();
  assert.equal(spawnSync('git', ['apply', join(dir, 'fix.patch')], { cwd: copy, encoding: 'utf8' }).status, 0);
  const fix = await runCli(['--postfix-version', V, '--fix', '--fix-type', 'safe,interop', '.'], { cwd: dir });
  assert.ok(fix.code === 0 || fix.code === 1, fix.stderr);
  for (const f of ['master.cf', 'tls_policy', 'main.cf']) assert.equal(readFileSync(join(dir, f), 'latin1'), readFileSync(join(copy, f), 'latin1'), f);
});

test('handshake --destination: a protocols=>=TLSv1 entry gives TLS 1.0 to a TLS 1.0-only peer; other destinations still fail', () => {
  const dir = tempConfigDir({
    'main.cf': 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\nsmtp_tls_policy_maps = texthash:/etc/postfix/tls_policy\n',
    tls_policy: 'legacy.example  may protocols=>=TLSv1\n',
  });
  try {
    const run = (destination: string) => {
      const io = memoryIo();
      const code = handshakeCommand(dir, { peer: ['exchange-2010-ws2008r2'], format: 'json', postfixVersion: V, destination }, io);
      return { code, pred: JSON.parse(io.out())[0], err: io.err() };
    };
    const legacy = run('legacy.example');
    assert.equal(legacy.code, 0);
    assert.equal(legacy.pred.protocol, 'TLSv1');
    assert.equal(legacy.pred.delivery, 'tls');
    assert.match(legacy.err, /key "legacy\.example" \(.*tls_policy, line 1\)/);
    for (const other of ['other.example', 'mx.legacy.example']) {
      const o = run(other);
      assert.equal(o.code, 1);
      assert.equal(o.pred.outcome, 'handshake-failure');
      assert.match(o.err, /no TLS policy entry matches/);
    }
  } finally {
    removeDir(dir);
  }
});

test('show --destination applies the entry; show --service agrees with postconf -P', (t) => {
  const dir = copyExample();
  const io = memoryIo(dir);
  assert.equal(showCommand(join(dir, 'main.cf'), ['smtp_tls_security_level', 'smtp_tls_mandatory_protocols', 'smtp_tls_secure_cert_match'], { postfixVersion: V, destination: 'bank.example' }, io), 0);
  assert.equal(io.out(), 'smtp_tls_security_level = secure\nsmtp_tls_mandatory_protocols = >=TLSv1.2\nsmtp_tls_secure_cert_match = nexthop dot-nexthop\n');
  if (!havePostconf()) return t.skip(NO_POSTCONF);
  const p = postconf(dir, ['-P']);
  assert.equal(p.status, 0, p.stderr);
  const lines = p.stdout.split('\n').filter((l) => l.startsWith('partner/unix/'));
  assert.ok(lines.length >= 2);
  for (const line of lines) {
    const [lhs, value] = line.split(' = ');
    const name = lhs.split('/')[2];
    const sio = memoryIo(dir);
    assert.equal(showCommand(join(dir, 'main.cf'), [name], { postfixVersion: V, service: 'partner/unix' }, sio), 0, sio.err());
    assert.equal(sio.out(), `${name} = ${value}\n`);
  }
  // Unset names: the service's value is main.cf's, as postconf prints it.
  const sio = memoryIo(dir);
  showCommand(join(dir, 'main.cf'), ['smtp_tls_security_level'], { postfixVersion: V, service: 'partner' }, sio);
  assert.equal(sio.out(), postconf(dir, ['smtp_tls_security_level']).stdout);
});

test('handshake --destination --suggest/--diff/--fix: a policy entry for the legacy peer instead of a weaker main.cf', async () => {
  const dir = tempConfigDir({ 'main.cf': 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\n' });
  try {
    const base = ['handshake', '.', '--destination', 'legacy.example', '--peer', 'exchange-2010-ws2008r2', '--postfix-version', V];
    const s = await runCli([...base, '--suggest'], { cwd: dir });
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.stdout, 'legacy.example\tmay protocols=>=TLSv1\n');
    const d = await runCli([...base, '--diff'], { cwd: dir });
    assert.match(d.stdout, /^\+smtp_tls_policy_maps = texthash:\$config_directory\/tls_policy$/m);
    assert.match(d.stdout, /^diff --git a\/tls_policy b\/tls_policy\nnew file mode 100644\n--- \/dev\/null\n/m);
    assert.equal(readFileSync(join(dir, 'main.cf'), 'latin1'), 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\n', '--diff writes nothing');
    const f = await runCli([...base, '--fix'], { cwd: dir });
    assert.equal(f.code, 0, f.stderr);
    assert.match(readFileSync(join(dir, 'tls_policy'), 'latin1'), /^legacy\.example\tmay protocols=>=TLSv1$/m);
    // The global floor stays; only that destination gets TLS 1.0, and the linter is happy with the entry.
    const io = memoryIo();
    assert.equal(handshakeCommand(dir, { peer: ['exchange-2010-ws2008r2'], format: 'json', postfixVersion: V, destination: 'legacy.example' }, io), 0);
    assert.equal(JSON.parse(io.out())[0].protocol, 'TLSv1');
    const lintRun = await runCli(['--postfix-version', V, '--format', 'json', '.'], { cwd: dir });
    assert.doesNotMatch(lintRun.stdout, /"file": "tls_policy"/);
    // A second run edits the existing entry instead of adding a table.
    writeFileSync(join(dir, 'tls_policy'), 'legacy.example may protocols=>=TLSv1.2\n');
    const again = await runCli([...base, '--diff'], { cwd: dir });
    assert.match(again.stdout, /^-legacy\.example may protocols=>=TLSv1\.2\n\+legacy\.example may protocols=>=TLSv1$/m);
    assert.doesNotMatch(again.stdout, /main\.cf/);
  } finally {
    removeDir(dir);
  }
});
