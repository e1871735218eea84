import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderPredictionsDoc } from '../../src/interop/predictions-doc.js';
import { listPeers } from '../../src/interop/peers.js';

test('docs/predictions.md is current (regenerate: npx tsc -p . && node scripts/gen-predictions-doc.mjs)', () => {
  const committed = readFileSync(fileURLToPath(new URL('../../../docs/predictions.md', import.meta.url)), 'utf8');
  assert.equal(committed, renderPredictionsDoc(listPeers()));
});
