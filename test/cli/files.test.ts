/**
 * The lint command with the files a configuration names: --files auto|on|off,
 * the live configuration (postconf -h config_directory, faked on PATH),
 * --root, --now, --cert-expiry-days, the CLI reader (symlinks under the root,
 * modes, CA directories), and handshake --inbound with the same files.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/show-harness.js';
import { OPENSSL_MISSING, Pki, standard } from '../support/pki.js';
import { readTlsFiles } from '../../src/cli/tls-files.js';
import { parseNow } from '../../src/cli/file-options.js';

const V = ['--postfix-version', '3.7.11', '--format', 'json'];
const FILE_RULES = new Set(['certificate-load-failure', 'certificate-validity', 'certificate-chain', 'weak-certificate', 'certificate-name-mismatch', 'self-signed-certificate', 'ca-file-without-ca', 'private-key-permissions']);
const pki = OPENSSL_MISSING ? null : new Pki();
const dirs: string[] = [];
after(() => {
  pki?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface JsonFinding { ruleId: string; severity: string; message: string; file: string; line: number; related: { file: string; line: number; message: string }[] }

function findings(stdout: string): JsonFinding[] {
  return (JSON.parse(stdout) as { files: { findings: JsonFinding[] }[] }).files.flatMap((f) => f.findings).filter((f) => FILE_RULES.has(f.ruleId));
}

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ptl-files-'));
  chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}

/** A configuration directory whose main.cf names key.pem and fullchain.pem in it. */
function configWith(files: Record<string, string>, mainExtra = ''): string {
  const d = dir();
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(d, name), text);
    chmodSync(join(d, name), name.endsWith('.key') || name === 'key.pem' ? 0o600 : 0o644);
  }
  writeFileSync(join(d, 'main.cf'), `myhostname = mx.example.org\nsmtpd_tls_security_level = may\nsmtpd_tls_chain_files = ${d}/key.pem, ${d}/fullchain.pem\n${mainExtra}`);
  return d;
}

/** The file owner is this test's user: only root runs see no "owner" finding. */
const ownerFinding = (f: JsonFinding) => f.ruleId === 'private-key-permissions' && / not root\./.test(f.message) && process.getuid?.() !== 0;

/** What a finding is about, from its first words (the JSON output has no message id). */
function what(f: JsonFinding): string {
  if (/ does not exist\./.test(f.message)) return 'missing';
  if (/ expired on /.test(f.message)) return 'expired';
  if (/ expires on /.test(f.message)) return 'expiring';
  if (/ is sent without the intermediate/.test(f.message)) return 'issuerMissing';
  if (/can be read by every local user/.test(f.message)) return 'others';
  if (/has no hash links/.test(f.message)) return 'noHashLinks';
  return f.message.slice(0, 40);
}

test('good chains draw nothing at warning or above: key first with leaf and intermediate; an ECDSA and an RSA chain', { skip: OPENSSL_MISSING }, async () => {
  const s = standard(pki as Pki);
  const rsa = configWith({ 'key.pem': s.leaf.keyPem, 'fullchain.pem': s.fullchain });
  const r = await runCli([...V, join(rsa, 'main.cf')]);
  assert.deepEqual(findings(r.stdout).filter((f) => f.severity !== 'info' && !ownerFinding(f)), []);
  const both = dir();
  writeFileSync(join(both, 'ec.pem'), s.ecLeaf.keyPem + s.ecFullchain);
  writeFileSync(join(both, 'rsa.pem'), s.leaf.keyPem + s.fullchain);
  for (const f of ['ec.pem', 'rsa.pem']) chmodSync(join(both, f), 0o600);
  writeFileSync(join(both, 'main.cf'), `myhostname = mx.example.org\nsmtpd_tls_security_level = may\nsmtpd_tls_chain_files = ${both}/ec.pem, ${both}/rsa.pem\n`);
  const r2 = await runCli([...V, join(both, 'main.cf')]);
  assert.deepEqual(findings(r2.stdout).filter((f) => f.severity !== 'info' && !ownerFinding(f)), []);
});

test('a key that does not match: the finding sits on the main.cf line and points at the key file; --files off opens nothing', { skip: OPENSSL_MISSING }, async () => {
  const s = standard(pki as Pki);
  const d = configWith({ 'key.pem': s.strayKeyPem, 'fullchain.pem': s.fullchain });
  const r = await runCli([...V, join(d, 'main.cf')]);
  assert.equal(r.code, 1);
  const f = findings(r.stdout).find((x) => x.ruleId === 'certificate-load-failure');
  assert.ok(f, r.stdout);
  assert.equal(f.line, 3);
  assert.equal(f.related[0].file, join(d, 'key.pem'));
  assert.match(f.message, /^smtpd cannot load its private key and certificate: the private key in key\.pem does not match its certificate\. The private key at index 1/);
  const off = await runCli([...V, '--files', 'off', join(d, 'main.cf')]);
  assert.deepEqual(findings(off.stdout), []);
});

test('missing files: silent for a copy of a configuration, reported with --files on and for the live configuration', { skip: OPENSSL_MISSING }, async () => {
  const d = configWith({});
  const quiet = await runCli([...V, join(d, 'main.cf')]);
  assert.deepEqual(findings(quiet.stdout), []);
  const on = await runCli([...V, '--files', 'on', join(d, 'main.cf')]);
  assert.deepEqual(findings(on.stdout).map(what), ['missing']);
  // The live configuration: postconf (faked on PATH) names this directory as config_directory.
  const bin = dir();
  writeFileSync(join(bin, 'postconf'), `#!/bin/sh\nprintf '3.7.11\\n%s\\n' '${d}'\n`);
  chmodSync(join(bin, 'postconf'), 0o755);
  const live = await runCli([...V, join(d, 'main.cf')], { env: { POSTFIX_TLS_LINT_NO_POSTCONF: '', PATH: `${bin}:${process.env.PATH ?? ''}` } });
  assert.deepEqual(findings(live.stdout).map(what), ['missing'], live.stderr);
  const elsewhere = await runCli([...V, join(configWith({}), 'main.cf')], { env: { POSTFIX_TLS_LINT_NO_POSTCONF: '', PATH: `${bin}:${process.env.PATH ?? ''}` } });
  assert.deepEqual(findings(elsewhere.stdout), [], 'another directory is not the live one');
});

test('--root reads absolute paths (and absolute symlink targets) under DIR', { skip: OPENSSL_MISSING }, async () => {
  const s = standard(pki as Pki);
  const root = dir();
  mkdirSync(join(root, 'etc/postfix'), { recursive: true });
  mkdirSync(join(root, 'etc/letsencrypt/live/mx'), { recursive: true });
  writeFileSync(join(root, 'etc/letsencrypt/live/mx/fullchain.pem'), s.leaf.certPem);
  writeFileSync(join(root, 'etc/postfix/key.pem'), s.leaf.keyPem);
  chmodSync(join(root, 'etc/postfix/key.pem'), 0o600);
  symlinkSync('/etc/letsencrypt/live/mx/fullchain.pem', join(root, 'etc/postfix/fullchain.pem'));
  writeFileSync(join(root, 'etc/postfix/main.cf'), 'smtpd_tls_security_level = may\nsmtpd_tls_chain_files = /etc/postfix/key.pem, /etc/postfix/fullchain.pem\n');
  const r = await runCli([...V, '--root', root, join(root, 'etc/postfix/main.cf')]);
  const ids = findings(r.stdout).filter((f) => !ownerFinding(f)).map((f) => `${f.ruleId}/${what(f)}`);
  assert.deepEqual(ids, ['certificate-chain/issuerMissing'], 'the leaf without its intermediate was read through the symlink under the root');
  const store = readTlsFiles({ files: ['/etc/postfix/fullchain.pem'], directories: [] }, { root, configDir: null, shown: (p) => p });
  const facts = store.get('/etc/postfix/fullchain.pem');
  assert.ok(facts?.kind === 'file');
  assert.equal(facts.realpath, '/etc/letsencrypt/live/mx/fullchain.pem');
  assert.deepEqual(facts.links, [{ path: '/etc/postfix/fullchain.pem', target: '/etc/letsencrypt/live/mx/fullchain.pem' }]);
  const bad = await runCli([...V, '--root', join(root, 'nope'), join(root, 'etc/postfix/main.cf')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--root .*no such directory/);
});

test('--now and --cert-expiry-days: validity judged at another instant; bad values exit 2', { skip: OPENSSL_MISSING }, async () => {
  const s = standard(pki as Pki);
  const d = configWith({ 'key.pem': s.leaf.keyPem, 'fullchain.pem': s.fullchain });
  const later = new Date(Date.now() + 200 * 86400_000).toISOString();
  const expired = await runCli([...V, '--now', later, join(d, 'main.cf')]);
  assert.deepEqual(findings(expired.stdout).filter((f) => f.ruleId === 'certificate-validity').map(what), ['expired']);
  const soon = new Date(Date.now() + 60 * 86400_000).toISOString().slice(0, 10);
  const window = await runCli([...V, '--now', soon, '--cert-expiry-days', '45', join(d, 'main.cf')]);
  assert.deepEqual(findings(window.stdout).filter((f) => f.ruleId === 'certificate-validity').map(what), ['expiring']);
  for (const args of [['--now', 'yesterday'], ['--now', '2025-02-30'], ['--cert-expiry-days', '-3'], ['--files', 'sometimes']]) {
    const r = await runCli([...V, ...args, join(d, 'main.cf')]);
    assert.equal(r.code, 2, args.join(' '));
  }
  assert.equal(parseNow('2025-06-01')?.toISOString(), '2025-06-01T00:00:00.000Z');
  assert.equal(parseNow('2025-06-01T12:30:00+02:00')?.toISOString(), '2025-06-01T10:30:00.000Z');
});

test('the reader: who can read a key (mode and the directories above), CA directories listed with their hash links', { skip: OPENSSL_MISSING }, async () => {
  const s = standard(pki as Pki);
  const d = configWith({ 'key.pem': s.leaf.keyPem, 'fullchain.pem': s.fullchain });
  chmodSync(join(d, 'key.pem'), 0o644);
  const r = await runCli([...V, join(d, 'main.cf')]);
  assert.ok(findings(r.stdout).some((f) => f.ruleId === 'private-key-permissions' && what(f) === 'others'), r.stdout);
  chmodSync(d, 0o700);
  const hidden = await runCli([...V, join(d, 'main.cf')]);
  assert.ok(!findings(hidden.stdout).some((f) => what(f) === 'others'), 'a directory others cannot enter protects the key');
  const cas = dir();
  writeFileSync(join(cas, 'root.pem'), s.root.certPem);
  const store = readTlsFiles({ files: [], directories: [cas] }, { root: null, configDir: null, shown: (p) => p });
  const listed = store.get(cas);
  assert.ok(listed?.kind === 'directory' && listed.entries.length === 1 && listed.entries[0].bytes);
  const m = dir();
  writeFileSync(join(m, 'main.cf'), `smtp_tls_security_level = may\nsmtp_tls_CApath = ${cas}\n`);
  const noLinks = await runCli([...V, join(m, 'main.cf')]);
  assert.deepEqual(findings(noLinks.stdout).map(what), ['noHashLinks']);
  symlinkSync('root.pem', join(cas, '0a1b2c3d.0'));
  const linked = await runCli([...V, join(m, 'main.cf')]);
  assert.deepEqual(findings(linked.stdout), []);
});

test('handshake --inbound reads the same files: a key that does not match means STARTTLS is answered with 454', { skip: OPENSSL_MISSING }, async () => {
  const s = standard(pki as Pki);
  const d = configWith({ 'key.pem': s.strayKeyPem, 'fullchain.pem': s.fullchain });
  const r = await runCli(['handshake', '--inbound', '--client', 'gmail', '--format', 'json', '--postfix-version', '3.7.11', join(d, 'main.cf')]);
  const [p] = JSON.parse(r.stdout) as { outcome: string; delivery: string; reason: string }[];
  assert.deepEqual([p.outcome, p.delivery], ['no-starttls', 'plaintext']);
  assert.match(p.reason, /454 4\.7\.0 TLS not available due to local problem.*cannot load its private key and certificate/);
  const off = await runCli(['handshake', '--inbound', '--client', 'gmail', '--format', 'json', '--files', 'off', '--postfix-version', '3.7.11', join(d, 'main.cf')]);
  assert.equal((JSON.parse(off.stdout) as { outcome: string }[])[0].outcome, 'tls');
});
