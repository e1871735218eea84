/**
 * Issue 13, class 5: every output format carries the same valid UTF-8. Messages mix program text (any
 * Unicode, never U+0080..U+00FF by convention) with values quoted from a file as bytes; the formats decode
 * those once. Checked on a configuration with UTF-8 values and messages with en dashes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/show-harness.js';
import { allRules } from '../../rules/index.js';
import { listPeers } from '../../src/interop/peers.js';
import { displayText } from '../../src/util/text.js';

const LATIN1_RANGE = /[\u0080-\u00ff]/;

test('program text never uses U+0080..U+00FF, so decoding messages is unambiguous', () => {
  for (const r of allRules) {
    const texts = [r.meta.description, r.meta.why, ...Object.values(r.meta.messages), ...Object.values(r.meta.summaries ?? {})];
    for (const t of texts) assert.doesNotMatch(t, LATIN1_RANGE, `${r.meta.id}: ${t}`);
  }
  for (const p of listPeers()) {
    for (const t of [p.description, p.notes ?? '', ...Object.values(p.evidence ?? {}).map((e) => e?.note ?? '')]) assert.doesNotMatch(t, LATIN1_RANGE, `${p.id}: ${t}`);
  }
});

test('displayText decodes byte runs once, keeps program text and escapes control characters', () => {
  const bytes = Buffer.from('m\u00e4il', 'utf8').toString('latin1'); // "mäil" as a binary string
  assert.equal(displayText(`TLSv1.2\u2013TLSv1.3 ${bytes}`), 'TLSv1.2\u2013TLSv1.3 m\u00e4il');
  assert.equal(displayText('a\u001b[31mb\u0007'), 'a\\x1B[31mb\\x07');
  assert.equal(displayText('\u00ff\u00fe'), '\ufffd\ufffd');
});

const MAIN = [
  'myhostname = m\u00e4il.example # primary',
  'smtp_tls_security_level = may',
  'smtp_tls_loglevel = 1',
  'smtp_tls_protocols = >=TLSv1.2',
  'smtp_tls_exclude_ciphers = SHA1',
  'smtp_tls_policy_maps = texthash:$config_directory/tls_policy',
  '',
].join('\n');
const TABLE = 'm\u00fcnchen.example encrypt protocols=TLSv1.4\n';

function setup(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-utf8-'));
  writeFileSync(join(dir, 'main.cf'), MAIN, 'utf8');
  writeFileSync(join(dir, 'tls_policy'), TABLE, 'utf8');
  return dir;
}

function assertCleanUtf8(label: string, latin1: string): string {
  const bytes = Buffer.from(latin1, 'latin1');
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // throws on invalid UTF-8
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(text.replace(/\x1b\[[0-9;]*m/g, ''), /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/, `${label}: control character or U+FFFD`);
  return text;
}

for (const format of ['stylish', 'json', 'sarif', 'github', 'junit']) {
  test(`--format ${format}: valid UTF-8, no control characters, UTF-8 values and en dashes intact`, async () => {
    const dir = setup();
    const args = ['--postfix-version', '3.7.11', '--no-color', '--format', format, ...(format === 'stylish' ? ['--verbose'] : []), dir];
    const r = await runCli(args, { cwd: dir });
    const text = assertCleanUtf8(format, r.stdout);
    assert.ok(text.includes('m\u00e4il.example'), `${format}: the UTF-8 value is shown as UTF-8`);
    if (format !== 'junit') assert.ok(text.includes('\u2013'), `${format}: the en dash survives`);
  });
}

test('columns count code points (SARIF columnKind unicodeCodePoints; JSON the same)', async () => {
  const dir = setup();
  const json = JSON.parse(Buffer.from((await runCli(['--postfix-version', '3.7.11', '--format', 'json', dir], { cwd: dir })).stdout, 'latin1').toString('utf8'));
  const entry = json.files.flatMap((f: { findings: { ruleId: string; file: string; column: number }[] }) => f.findings).find((f: { ruleId: string; file: string }) => f.ruleId === 'valid-protocol-list' && f.file.endsWith('tls_policy'));
  assert.ok(entry, 'the invalid protocols= of the entry is reported');
  // "münchen.example encrypt " is 24 code points (25 bytes): the attribute starts at column 25.
  assert.equal(entry.column, 25);
  const sarif = JSON.parse(Buffer.from((await runCli(['--postfix-version', '3.7.11', '--format', 'sarif', dir], { cwd: dir })).stdout, 'latin1').toString('utf8'));
  const result = sarif.runs[0].results.find((x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.ruleId === 'valid-protocol-list' && x.locations[0].physicalLocation.artifactLocation.uri.endsWith('tls_policy'));
  assert.equal(result.locations[0].physicalLocation.region.startColumn, 25);
  assert.equal(sarif.runs[0].columnKind, 'unicodeCodePoints');
});
