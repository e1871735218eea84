/**
 * Fixes verified over the real-world corpus (/work/shared/corpus, or POSTFIX_TLS_LINT_CORPUS): for every
 * configuration that draws fixable findings, the fixes (safe, then safe + interop) are applied to a copy and
 *  (a) postconf -c DIR -n accepts the result with no warning it did not print for the original,
 *  (b) linting the result again shows none of the fixed findings,
 *  (c) the bytes outside the edits are unchanged: no comment or blank line is altered or lost, line endings
 *      and the final newline stay as they were, and only setting lines the fixes name change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { diffLines } from 'diff';
import { lintConfig } from '../../src/engine/lint-config.js';
import type { ConfigSources, TableSourceText } from '../../src/model/whole-config.js';
import { CORPUS, corpusConfigs } from '../support/corpus.js';
import { defaultPeers } from '../../src/interop/peers.js';
import { defaultClients } from '../../src/interop/clients.js';
import { fixFilesUntilStable } from '../../src/fixer/fix-loop.js';
import type { Finding, FixKind } from '../../src/engine/types.js';
import { havePostconf, NO_POSTCONF, removeDir, tempConfigDir } from '../support/postfix.js';
import { mapLimit, postconfAsync } from '../support/show-harness.js';

const VERSION = '3.7.11';
const peers = defaultPeers();
const clients = defaultClients();

interface Config { readonly id: string; readonly sources: ConfigSources; readonly texts: ReadonlyMap<string, string> }

function configs(): Config[] {
  return corpusConfigs(VERSION).map(({ id, sources }) => {
    const texts = new Map<string, string>([[sources.main.path, sources.main.text]]);
    if (sources.master) texts.set(sources.master.path, sources.master.text);
    for (const [p, t] of sources.tables ?? []) if ('text' in t) texts.set(p, t.text);
    return { id, sources, texts };
  });
}

function lintTexts(c: Config, texts: ReadonlyMap<string, string>): readonly Finding[] {
  const s = c.sources;
  const tables = new Map<string, TableSourceText>();
  for (const [p, t] of s.tables ?? []) tables.set(p, 'text' in t && texts.has(p) ? { ...t, text: texts.get(p) as string } : t);
  return lintConfig(
    {
      main: { path: s.main.path, text: texts.get(s.main.path) as string },
      master: s.master ? { path: s.master.path, text: texts.get(s.master.path) as string } : null,
      configDir: s.configDir,
      tables,
    },
    { postfixVersion: VERSION, peers, clients },
  ).findings;
}

const key = (f: Finding) => `${f.ruleId}|${f.messageId}|${f.parameter}|${basename(f.file)}|${f.line}`;

/** Problems with the bytes of one fixed file: what changed beyond setting lines the fixes name. */
function byteProblems(file: string, before: string, after: string, named: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const crlf = (t: string) => /\r\n/.test(t);
  if (crlf(before) !== crlf(after) || (crlf(before) && /(^|[^\r])\n/.test(after))) problems.push(`${file}: line endings changed`);
  if (before.endsWith('\n') !== after.endsWith('\n')) problems.push(`${file}: final newline changed`);
  let setting = ''; // the setting a continuation line belongs to
  for (const part of diffLines(before, after)) {
    for (const line of part.value.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '')) {
      const name = /^([A-Za-z0-9_.-]+)\s*=/.exec(line)?.[1];
      if (name) setting = name;
      else if (!/^\s/.test(line) || line.trim() === '') setting = '';
      if (!part.removed) continue;
      if (line.trim() === '' || /^\s*#/.test(line)) problems.push(`${file}: a blank or comment line was changed: ${JSON.stringify(line)}`);
      else if (basename(file) === 'main.cf' && !named.has(setting)) problems.push(`${file}: a line of ${setting || 'unknown'} changed, which no fix names: ${JSON.stringify(line)}`);
    }
  }
  return problems;
}

function warningsOf(stderr: string, dir: string): Set<string> {
  return new Set(stderr.split('\n').filter((l) => l.includes('warning:')).map((l) => l.replaceAll(dir, 'DIR').replace(/line \d+/, 'line N')));
}

const all = existsSync(CORPUS) ? configs() : [];
const KINDS: readonly (readonly FixKind[])[] = [['safe'], ['safe', 'interop']];

test('corpus fixes: re-linting shows none of the fixed findings, and no byte outside the edits changes', (t) => {
  if (all.length === 0) return t.skip(`corpus not found at ${CORPUS} (set POSTFIX_TLS_LINT_CORPUS): fix verification over real configurations skipped`);
  const problems: string[] = [];
  let fixedConfigs = 0;
  let fixedFindings = 0;
  for (const c of all) {
    for (const kinds of KINDS) {
      const result = fixFilesUntilStable(c.texts, (texts) => lintTexts(c, texts), { kinds: [...kinds] });
      if (result.applied.length === 0) continue;
      fixedConfigs++;
      fixedFindings += result.applied.length;
      const label = `${c.id} [${kinds.join('+')}]`;
      // (b) The fixed findings are gone (same rule, message kind, parameter and place).
      const after = new Set(lintTexts(c, result.outputs).map(key));
      for (const f of result.applied) if (after.has(key(f))) problems.push(`${label}: ${f.ruleId} (${f.parameter}) is still reported after its fix "${f.fix?.description}"`);
      // (c) Bytes outside the edits.
      const named = new Set<string>();
      for (const f of result.applied) {
        if (f.parameter) named.add(f.parameter);
        for (const m of (f.fix?.description ?? '').matchAll(/[a-z][a-z0-9]*_[a-z0-9_]+/g)) named.add(m[0]);
      }
      for (const [file, text] of result.outputs) {
        const before = c.texts.get(file);
        if (before !== undefined && before !== text) problems.push(...byteProblems(`${label} ${basename(file)}`, before, text, named));
      }
    }
  }
  t.diagnostic(`${all.length} configurations, ${fixedConfigs} fix runs changed something, ${fixedFindings} fixes applied`);
  assert.ok(fixedConfigs > 10, `expected fixable findings in the corpus, got ${fixedConfigs} runs`);
  assert.deepEqual(problems, []);
});

test('corpus fixes: postconf -c DIR -n accepts every fixed configuration with no new warning', async (t) => {
  if (all.length === 0) return t.skip(`corpus not found at ${CORPUS} (set POSTFIX_TLS_LINT_CORPUS): postconf check of corpus fixes skipped`);
  if (!havePostconf()) return t.skip(NO_POSTCONF);
  const jobs = all.flatMap((c) => KINDS.map((kinds) => ({ c, kinds })));
  const problems: string[] = [];
  let checked = 0;
  await mapLimit(jobs, 4, async ({ c, kinds }) => {
    const result = fixFilesUntilStable(c.texts, (texts) => lintTexts(c, texts), { kinds: [...kinds] });
    if (result.applied.length === 0) return;
    const files = (texts: ReadonlyMap<string, string>) => {
      const out: Record<string, string> = { 'main.cf': texts.get(c.sources.main.path) as string };
      if (c.sources.master) out['master.cf'] = texts.get(c.sources.master.path) as string;
      return out;
    };
    const before = tempConfigDir(files(c.texts));
    const after = tempConfigDir(files(result.outputs));
    try {
      const [b, a] = await Promise.all([postconfAsync(before, ['-n']), postconfAsync(after, ['-n'])]);
      const label = `${c.id} [${kinds.join('+')}]`;
      if (a.status !== 0) problems.push(`${label}: postconf rejects the fixed main.cf: ${a.stderr.trim()}`);
      const old = warningsOf(b.stderr, before);
      for (const w of warningsOf(a.stderr, after)) if (!old.has(w)) problems.push(`${label}: new postconf warning after fixing: ${w}`);
      checked++;
    } finally {
      removeDir(before);
      removeDir(after);
    }
  });
  t.diagnostic(`${checked} fixed configurations checked with postconf`);
  assert.ok(checked > 10);
  assert.deepEqual(problems, []);
});

test('corpus fixes: the byte check catches a lost comment, changed line endings and an unnamed setting', () => {
  const before = '# keep\r\nsmtp_tls_security_level = none\r\nmyhostname = a\r\n';
  assert.deepEqual(byteProblems('x/main.cf', before, before.replace('none', 'may'), new Set(['smtp_tls_security_level'])), []);
  assert.equal(byteProblems('x/main.cf', before, before.replace('# keep\r\n', ''), new Set()).length, 1);
  assert.match(byteProblems('x/main.cf', before, before.replaceAll('\r\n', '\n'), new Set(['smtp_tls_security_level', 'myhostname']))[0], /line endings/);
  assert.match(byteProblems('x/main.cf', before, before.replace('= a', '= b'), new Set(['smtp_tls_security_level']))[0], /myhostname changed, which no fix names/);
});
