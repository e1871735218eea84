/**
 * Hostile inputs must cost work near-linear in their size. No timing assertions: these tests count
 * the work (expansions parsed for real, candidate changes, fixer passes) or check that a shortcut
 * gives exactly what the long way gives; the whole-CLI runs only carry a generous hang guard
 * (bench/hostile.mjs measures the times).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../support/prng.js';
import { removeDir } from '../support/postfix.js';
import { runCli } from '../support/show-harness.js';
import { ExpansionMemo, expandValue } from '../../src/expand/expand.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import { ConfigModel } from '../../src/model/config.js';
import { candidateChanges } from '../../src/interop/remedy.js';
import { editDistance, editDistanceWithin } from '../../src/engine/helpers.js';
import { codePointColumn } from '../../src/util/text.js';
import { evaluateCipherString } from '../../src/ciphers/evaluate.js';
import { fixUntilStable } from '../../src/fixer/fix-loop.js';
import { lintText } from '../../src/lint.js';

const VERSION = '3.7.11';
/** A hang guard, not a speed goal: the quadratic versions took minutes on these inputs. */
const HANG_GUARD_MS = 60_000;
let root = '';

before(() => {
  root = mkdtempSync(join(tmpdir(), 'ptl-linear-'));
});
after(() => {
  if (root) removeDir(root);
});

function doublingChain(steps: number): string {
  let text = 'a1 = x\n';
  for (let i = 2; i <= steps; i++) text += `a${i} = $a${i - 1} $a${i - 1}\n`;
  return text;
}

test('a doubling chain is expanded once per name: the memo replays, and the model parses each value once', () => {
  const model = new ConfigModel(parseMainCf(`${doublingChain(60)}smtp_tls_CAfile = $a60\n`), VERSION);
  // Count the lookups the expansions make (each $name met while parsing for real looks its value up).
  let lookups = 0;
  const raw = model.raw.bind(model);
  model.raw = (name: string) => {
    lookups++;
    return raw(name);
  };
  const e = model.expand('smtp_tls_CAfile');
  assert.equal(e.ok, false);
  assert.match(e.diagnostics.map((d) => d.message).join('\n'), /expansion (exceeds|takes more than)/);
  // Without the memo this is ~2^20 name expansions; with it a few per chain step.
  assert.ok(lookups <= 4 * 60, `${lookups} lookups`);
  assert.ok(model.expansionMemo.misses <= 3 * 60, `${model.expansionMemo.misses} values parsed for real`);
  // Each of the 40 steps too large to expand fails on its own, walking down the chain once (60² at most, not 2^60).
  for (let i = 1; i <= 60; i++) model.expand(`a${i}`);
  assert.ok(lookups <= 4 * 60 * 60, `${lookups} lookups after expanding every step`);
});

/** Random values over a few names: references, conditionals, relational operands, loops and undefined names. */
function randomSettings(rand: Prng): Map<string, string> {
  const names = ['a', 'b', 'c', 'd', 'e'];
  const pieces = () => {
    const n = names[rand.int(names.length)];
    switch (rand.int(9)) {
      case 0:
        return `$${n}`;
      case 1:
        return `\${${n}}`;
      case 2:
        return `\${${n}?{x$${names[rand.int(5)]}}:{y}}`;
      case 3:
        return `\${${n}:z}`;
      case 4:
        return `\${{$${n}} == {x}?yes}`;
      case 5:
        return `$undefined${rand.int(3)}`;
      case 6:
        return ' ';
      case 7:
        return `$${n} $${n}`;
      default:
        return 'w';
    }
  };
  const settings = new Map<string, string>();
  for (const n of names) {
    if (rand.int(6) === 0) continue;
    let v = '';
    for (let i = rand.int(4); i >= 0; i--) v += pieces();
    settings.set(n, v);
  }
  return settings;
}

test('expanding with a shared memo gives exactly what expanding without one gives (values, ok, diagnostics)', () => {
  const rand = new Prng(20261203);
  for (let round = 0; round < 400; round++) {
    const settings = randomSettings(rand);
    const lookup = (n: string) => settings.get(n);
    const memo = new ExpansionMemo();
    // Small bounds as well, so replays are refused near the limits and the real expansion runs.
    const opts = rand.int(2) === 0 ? {} : { maxSteps: 20 + rand.int(200), maxOutputBytes: rand.int(400), maxDepth: 3 + rand.int(10) };
    for (const name of ['a', 'b', 'c', 'd', 'e', 'a', 'c']) {
      const value = settings.get(name) ?? `$${name}`;
      assert.deepEqual(expandValue(value, lookup, { ...opts, memo }), expandValue(value, lookup, opts), `${JSON.stringify([...settings])} ${name} ${JSON.stringify(opts)}`);
    }
  }
});

test('a long exclusion list of repeated names gives one candidate change per distinct name', () => {
  const names = ['aNULL', 'MD5', 'RC4', 'SHA1', 'kRSA'];
  const list = Array.from({ length: 20_000 }, (_, i) => names[i % names.length]).join(', ');
  const model = new ConfigModel(parseMainCf(`smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = ${list}\n`), VERSION);
  const changes = candidateChanges(model).filter((c) => c.token !== undefined);
  assert.deepEqual(changes.map((c) => c.token), names);
  assert.equal(changes[0].value, Array.from({ length: 16_000 }, (_, i) => names[1 + (i % 4)]).join(', '));
});

test('a repeated exclusion evaluates like a single one', () => {
  const once = evaluateCipherString('HIGH:!aNULL:!SHA1:!kRSA');
  const many = evaluateCipherString(`HIGH${':!aNULL:!SHA1:!kRSA'.repeat(5000)}`);
  assert.ok(once.ok && many.ok);
  assert.deepEqual(many.suites.map((s) => s.name), once.suites.map((s) => s.name));
});

test('editDistanceWithin agrees with editDistance up to the bound', () => {
  const rand = new Prng(7);
  const alphabet = 'abcAB-1';
  const word = () => Array.from({ length: rand.int(14) }, () => alphabet[rand.int(alphabet.length)]).join('');
  for (let i = 0; i < 20_000; i++) {
    const [a, b, max] = [word(), word(), rand.int(5)];
    const d = editDistance(a, b);
    const w = editDistanceWithin(a, b, max);
    if (d <= max) assert.equal(w, d, `${a} ${b} ${max}`);
    else assert.ok(w > max, `${a} ${b} ${max}: ${w}`);
  }
});

test('codePointColumn answers in any order like decoding the line prefix each time', () => {
  const rand = new Prng(11);
  const naive = (text: string, lineStart: number, offset: number) => [...Buffer.from(text.slice(lineStart, offset), 'latin1').toString('utf8')].length + 1;
  const chars = ['a', ' ', '\xc3', '\xa9', '\xe2', '\x82', '\xac', '\xff', '\xf0', '\x9f'];
  for (let round = 0; round < 50; round++) {
    const text = Array.from({ length: 200 }, () => chars[rand.int(chars.length)]).join('');
    const lineStart = rand.int(20);
    for (let i = 0; i < 100; i++) {
      const offset = lineStart + rand.int(text.length - lineStart + 1);
      assert.equal(codePointColumn(text, lineStart, offset), naive(text, lineStart, offset), `${JSON.stringify(text)} ${lineStart} ${offset}`);
    }
  }
});

test('20,000 duplicate definitions are fixed by one fix in one pass', () => {
  const text = Array.from({ length: 20_000 }, (_, i) => `smtp_tls_loglevel = ${i % 3}\n`).join('');
  const r = fixUntilStable(text, (t) => lintText(t, 'dup/main.cf', { postfixVersion: VERSION }).findings);
  assert.equal(r.passes, 1);
  assert.equal(r.applied.filter((f) => f.ruleId === 'duplicate-parameter').length, 1);
  // The last definition stays (another rule's fix may add a line).
  assert.match(r.output, /^smtp_tls_loglevel = 1\n/);
  assert.equal(r.output.split('smtp_tls_loglevel').length, 2);
});

function file(name: string, content: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.cf'), content);
  writeFileSync(join(dir, 'master.cf'), '');
  return join(dir, 'main.cf');
}

const line = (word: (i: number) => string, bytes: number) => {
  const parts: string[] = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    parts.push(word(i));
    size += parts[i].length + 2;
  }
  return `smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = ${parts.join(', ')}\n`;
};
const known = ['aNULL', 'MD5', 'RC4', 'SHA1', 'kRSA', 'eNULL', '3DES', 'CAMELLIA'];

for (const [name, content, modes] of [
  ['chain60', `${doublingChain(60)}smtp_tls_security_level = $a60\nsmtp_tls_CAfile = $a60\n`, ['lint', 'diff', 'fix']],
  ['known-500k', line((i) => known[i % known.length], 500_000), ['lint', 'diff', 'fix']],
  ['unknown-400k', line((i) => `NOSUCH${i}`, 400_000), ['lint', 'diff']],
  ['dup-20000', 'smtp_tls_security_level = may\n'.repeat(20_000), ['diff', 'fix']],
] as const) {
  test(`hostile ${name}: ${modes.join(', ')} end (hang guard only)`, async () => {
    for (const mode of modes) {
      const p = file(`${name}-${mode}`, content);
      const flags = mode === 'lint' ? [] : [`--${mode}`];
      const r = await runCli(['--postfix-version', VERSION, '--no-color', p, ...flags]);
      assert.ok([0, 1].includes(r.code), `${mode}: exit ${r.code}: ${r.stderr.slice(0, 300)}`);
      assert.ok(r.ms < HANG_GUARD_MS, `${mode}: ${Math.round(r.ms)} ms`);
      if (mode === 'fix' && name.startsWith('dup')) assert.equal(readFileSync(p, 'latin1').split('smtp_tls_security_level').length, 2, 'one definition left');
    }
  });
}
