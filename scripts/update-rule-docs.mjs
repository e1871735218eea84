#!/usr/bin/env node
// Rewrites the generated header of every rules/<id>.md from the rule metadata (run after `npm run build`).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
const { allRules } = await import('../dist/rules/index.js');
const { withFreshHeader } = await import('../dist/src/docs/render-rule.js');
for (const rule of allRules) {
  const path = new URL(`../rules/${rule.meta.id}.md`, import.meta.url);
  const page = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const fresh = withFreshHeader(rule.meta, page);
  if (fresh !== page) {
    writeFileSync(path, fresh);
    console.log(`updated rules/${rule.meta.id}.md`);
  }
}
