#!/usr/bin/env node
// Writes docs/predictions.md from the compiled predictor. Run after `npx tsc -p .`.
import { writeFileSync } from 'node:fs';
import { renderPredictionsDoc } from '../dist/src/interop/predictions-doc.js';
import { listPeers } from '../dist/src/interop/peers.js';

const target = new URL('../docs/predictions.md', import.meta.url);
writeFileSync(target, renderPredictionsDoc(listPeers()));
console.log(`wrote ${target.pathname}`);
