/** Property tests: the main.cf and master.cf parsers are lossless and total. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMainCf, printMainCf, LineIndex } from '../../src/parser/main-cf.js';
import { parseMasterCf, printMasterCf } from '../../src/parser/master-cf.js';
import { binaryString, mainCfText, masterCfText, params } from './arbitraries.js';

function checkMainCf(text: string): void {
  const file = parseMainCf(text, 'main.cf');
  assert.equal(printMainCf(file), text, 'print(parse(x)) == x');
  // Nodes tile the input: contiguous, in order, from 0 to the end.
  let pos = 0;
  for (const node of file.nodes) {
    assert.equal(node.range[0], pos, 'nodes are contiguous');
    assert.ok(node.range[1] >= node.range[0]);
    assert.ok(node.line >= 1 && node.endLine >= node.line);
    pos = node.range[1];
  }
  assert.equal(pos, text.length);
  const lines = new LineIndex(text).lineCount;
  for (const d of file.diagnostics) {
    assert.ok(d.line >= 1 && d.line <= lines, `diagnostic line ${d.line} within 1..${lines}`);
    assert.ok(d.range[0] >= 0 && d.range[0] <= d.range[1] && d.range[1] <= text.length, 'diagnostic range inside the text');
  }
  for (const p of file.params) {
    assert.ok(p.nameRange[0] >= p.range[0] && p.nameRange[1] <= p.range[1]);
    assert.ok(p.valueRange[0] >= p.range[0] && p.valueRange[1] <= p.range[1]);
    assert.equal(text.slice(p.nameRange[0], p.nameRange[1]), p.name, 'nameRange covers the name');
  }
}

test('main.cf: print(parse(x)) == x, nodes tile the input, diagnostics are located (main.cf-like text)', () => {
  fc.assert(fc.property(mainCfText, checkMainCf), params(400));
});

test('main.cf: the same for arbitrary bytes', () => {
  fc.assert(fc.property(binaryString(400), checkMainCf), params(300));
});

function checkMasterCf(text: string): void {
  const file = parseMasterCf(text, 'master.cf');
  assert.equal(printMasterCf(file), text, 'print(parse(x)) == x');
  let pos = 0;
  for (const node of file.nodes) {
    assert.equal(node.range[0], pos, 'nodes are contiguous');
    pos = node.range[1];
  }
  assert.equal(pos, text.length);
  for (const d of file.diagnostics) {
    assert.ok(d.line >= 1, `diagnostic line ${d.line} >= 1`);
    assert.ok(d.range[0] >= 0 && d.range[0] <= d.range[1] && d.range[1] <= text.length, 'diagnostic range inside the text');
  }
}

test('master.cf: print(parse(x)) == x, nodes tile the input (master.cf-like text)', () => {
  fc.assert(fc.property(masterCfText, checkMasterCf), params(400));
});

test('master.cf: the same for arbitrary bytes', () => {
  fc.assert(fc.property(binaryString(400), checkMasterCf), params(300));
});
