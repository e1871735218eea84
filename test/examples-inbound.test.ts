/** The receiving-side examples: a hardened MX that loses old senders, a clean modern MX, Debian's defaults with master.cf. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/show-harness.js';
import { DEBIAN_TLS_BLOCK } from './support/debian.js';
import { STOCK_MASTER } from './support/server-rule-tester.js';

const root = new URL('../../', import.meta.url).pathname;

interface Report { files: { file: string; findings: { ruleId: string; severity: string; message: string }[] }[] }
const findings = (stdout: string) => (JSON.parse(stdout) as Report).files.flatMap((f) => f.findings);

test('examples/hardened-mx: the TLS 1.0 Exchange sender and the printer are named', async () => {
  const r = await runCli(['--postfix-version', '3.7.11', '--format', 'json', 'examples/hardened-mx'], { cwd: root });
  assert.equal(r.code, 1);
  const fs = findings(r.stdout);
  const floor = fs.find((f) => f.ruleId === 'smtpd-protocol-floor');
  assert.ok(floor && floor.message.includes('exchange-2010-ws2008r2'), 'the raised floor names Exchange 2010');
  const krsa = fs.find((f) => f.ruleId === 'smtpd-cipher-exclusion' && f.message.includes('excludes kRSA'));
  assert.ok(krsa && krsa.message.includes('printer-tls10'), 'the kRSA exclusion names the printer');
  const inbound = await runCli(['handshake', '--inbound', '--format', 'json', 'examples/hardened-mx'], { cwd: root });
  const lost = (JSON.parse(inbound.stdout) as { client: string; service: string; delivery: string }[]).filter((p) => p.delivery !== 'tls').map((p) => `${p.service}:${p.client}`);
  for (const x of ['smtp:exchange-2010-ws2008r2', 'submission:printer-tls10']) assert.ok(lost.includes(x), `${x} cannot deliver over TLS (${lost.join(', ')})`);
});

test('examples/modern-mx (postscreen, submission, submissions) draws nothing', async () => {
  const r = await runCli(['--postfix-version', '3.7.11', '--format', 'json', 'examples/modern-mx'], { cwd: root });
  assert.equal(r.code, 0, r.stdout);
  assert.deepEqual(findings(r.stdout), []);
});

test("Debian's default main.cf with its TLS block and the stock master.cf draws no error", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'debian-'));
  writeFileSync(join(dir, 'main.cf'), readFileSync(join(root, 'test/fixtures/debian-12-default-main.cf'), 'utf8') + DEBIAN_TLS_BLOCK);
  writeFileSync(join(dir, 'master.cf'), STOCK_MASTER);
  const r = await runCli(['--postfix-version', '3.7.11', '--format', 'json', '--fail-on', 'error', dir], { cwd: root });
  assert.equal(r.code, 0, r.stdout);
  assert.deepEqual(findings(r.stdout).filter((f) => f.severity === 'error'), []);
});
