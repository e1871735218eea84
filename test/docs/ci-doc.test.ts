/**
 * Issue 13, class 15: the docs keep their word. The output examples in docs/ci.md are the real output for
 * the example file they show, and counts of rules and peers in the docs match the program.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/show-harness.js';
import { allRules } from '../../rules/index.js';
import { DEFAULT_PEER_IDS, listPeers } from '../../src/interop/peers.js';

const root = new URL('../../../', import.meta.url).pathname;
const ci = readFileSync(join(root, 'docs/ci.md'), 'utf8');

/** The fenced block that follows `marker` in docs/ci.md. */
function blockAfter(marker: string): string {
  const at = ci.indexOf(marker);
  assert.ok(at >= 0, `docs/ci.md has "${marker}"`);
  const open = ci.indexOf('```', at);
  const start = ci.indexOf('\n', open) + 1;
  return ci.slice(start, ci.indexOf('```', start));
}

async function output(format: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-cidoc-'));
  mkdirSync(join(dir, 'etc/postfix'), { recursive: true });
  writeFileSync(join(dir, 'etc/postfix/main.cf'), blockAfter('The examples below all lint this file'));
  const r = await runCli(['--postfix-version', '3.7.11', '--no-color', '--format', format, 'etc/postfix/main.cf'], { cwd: dir });
  return Buffer.from(r.stdout, 'latin1').toString('utf8');
}

test('docs/ci.md: the stylish and github examples are the real output', async () => {
  assert.equal(blockAfter('### stylish (default)'), await output('stylish'));
  assert.equal(blockAfter('### github'), await output('github'));
});

test('docs/ci.md: the json, sarif and junit excerpts agree with the real output', async () => {
  const json = JSON.parse(await output('json'));
  const jsonDoc = blockAfter('### json');
  assert.ok(jsonDoc.includes(`"summary": ${JSON.stringify(json.summary).replace(/,/g, ', ').replace(/:/g, ': ').replace(/\{/, '{ ').replace(/\}$/, ' }')}`), 'json summary counts');
  assert.ok(jsonDoc.includes(`"summary": ${JSON.stringify(json.files[0].findings[0].summary)}`), 'json finding summary');
  const sarif = JSON.parse(await output('sarif'));
  const result = sarif.runs[0].results[0];
  const sarifDoc = blockAfter('Excerpt (the `rules` array is cut down to one rule)');
  assert.ok(sarifDoc.includes(`"ruleIndex": ${result.ruleIndex},`), `ruleIndex ${result.ruleIndex}`);
  assert.ok(sarifDoc.includes(`"byteOffset": ${result.fixes[0].artifactChanges[0].replacements[0].deletedRegion.byteOffset},`), 'byteOffset');
  assert.ok(sarifDoc.includes(result.partialFingerprints['postfixTlsLint/v1']), 'fingerprint');
  const junit = await output('junit');
  for (const m of junit.matchAll(/<failure type="(\w+)" message="([^"]*)"/g)) assert.ok(blockAfter('### junit').includes(`<failure type="${m[1]}" message="${m[2]}"`), m[0]);
});

test('docs/ci.md installs what exists: no registry install, no release tag', () => {
  assert.doesNotMatch(ci, /npm install (--global |-g )?postfix-tls-lint(\s|$)/);
  assert.doesNotMatch(ci, /rev: v\d/);
  // npx without a local install asks the registry, where the package is not published.
  assert.doesNotMatch(ci, /npx postfix-tls-lint/);
  assert.match(ci, /npm pack/);
  assert.match(ci, /git\+https:\/\/github\.com\/postfix-tls-lint\/postfix-tls-lint\.git#/);
});

test('counts of rules and peers in README.md and docs/ match the program', () => {
  const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const f of files) {
    const text = readFileSync(join(root, f), 'utf8');
    for (const m of text.matchAll(/\b(\d+) rules\b/g)) assert.equal(Number(m[1]), allRules.length, `${f}: "${m[0]}"`);
    for (const m of text.matchAll(/\b(\d+) (?:shipped )?peer profiles\b/g)) assert.equal(Number(m[1]), listPeers().length, `${f}: "${m[0]}"`);
    for (const m of text.matchAll(/\b(\d+) default peers\b/g)) assert.equal(Number(m[1]), DEFAULT_PEER_IDS.length, `${f}: "${m[0]}"`);
  }
});
