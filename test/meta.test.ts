/** The conventions, as tests: ids, files, docs and test tables exist and agree with the metadata. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { allRules } from '../rules/index.js';
import { GENERATED_BEGIN, GENERATED_END, withFreshHeader } from '../src/docs/render-rule.js';
import { TOOL_VERSION } from '../src/version.js';

const root = new URL('../../', import.meta.url); // dist/test/ -> repo root

test('package.json version matches src/version.ts', () => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  assert.equal(pkg.version, TOOL_VERSION);
});

test('rules/index.ts lists every rule file exactly once', () => {
  const files = readdirSync(new URL('rules/', root))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.slice(0, -3))
    .sort();
  assert.deepEqual([...allRules.map((r) => r.meta.id)].sort(), files);
});

for (const rule of allRules) {
  const m = rule.meta;
  test(`rule ${m.id}: metadata, docs page and case table`, () => {
    assert.match(m.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, 'id is kebab-case');
    assert.ok(m.description.endsWith('.'), 'description is one sentence ending with a period');
    assert.ok(m.why.length > 40, 'why explains the rule');
    assert.ok(m.references.length > 0, 'cites its evidence');
    assert.ok(Object.keys(m.messages).length > 0);
    const docPath = new URL(`rules/${m.id}.md`, root);
    assert.ok(existsSync(docPath), `rules/${m.id}.md exists`);
    const page = readFileSync(docPath, 'utf8');
    assert.ok(page.includes(GENERATED_BEGIN) && page.includes(GENERATED_END), 'docs page has the generated block');
    assert.equal(page, withFreshHeader(m, page), `rules/${m.id}.md header is stale: run npm run docs:rules`);
    for (const section of ['## Problematic config', '## Correct config', '## Rationale', '## Exceptions', '## Related']) {
      assert.ok(page.includes(section), `docs page has "${section}"`);
    }
    assert.ok(existsSync(new URL(`test/rules/${m.id}.test.ts`, root)), `test/rules/${m.id}.test.ts exists`);
  });
}

const placeholders = (t: string) => new Set([...t.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((x) => x[1]));

for (const rule of allRules) {
  const m = rule.meta;
  test(`rule ${m.id}: summaries are one line about their message`, () => {
    for (const [id, summary] of Object.entries(m.summaries ?? {})) {
      assert.ok(Object.hasOwn(m.messages, id), `summary for unknown messageId ${id}`);
      const inMessage = placeholders(m.messages[id]);
      for (const p of placeholders(summary)) assert.ok(inMessage.has(p), `summary ${id} uses {{${p}}}, which its message does not fill`);
      assert.ok(!/[.\n]$/.test(summary) && !summary.includes('\n'), `summary ${id} is one line without a final period`);
    }
  });
}
