/**
 * Property tests over the whole pipeline: lintText with every rule never
 * throws and locates its findings; the safe fixer is idempotent, touches only
 * the ranges it says it edits, and never weakens the SMTP client's security
 * level or protocol floor.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lintText } from '../../src/lint.js';
import { fixUntilStable } from '../../src/fixer/fix-loop.js';
import { applyFixes, mergeEdits } from '../../src/fixer/apply-edits.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import { ConfigModel } from '../../src/model/config.js';
import { clientLevel } from '../../src/model/client-tls.js';
import { levelRank, parseProtocols, PROTOCOL_WIRE_VERSION } from '../../src/model/values/index.js';
import type { Finding } from '../../src/engine/types.js';
import { binaryString, mainCfText, params } from './arbitraries.js';

const VERSIONS = ['3.7.11', '3.4', '2.11', '3.10'] as const;
const version = fc.constantFrom(...VERSIONS);
const lintFor = (v: string) => (text: string): readonly Finding[] => lintText(text, 'main.cf', { postfixVersion: v, opensslVersion: 3 }).findings;

test('lintText: never throws; findings have line >= 1, column >= 1 and a message', () => {
  fc.assert(
    fc.property(fc.oneof({ weight: 4, arbitrary: mainCfText }, { weight: 1, arbitrary: binaryString(300) }), version, (text, v) => {
      for (const f of lintFor(v)(text)) {
        assert.ok(f.line >= 1 && f.column >= 1, `${f.ruleId}: line ${f.line}, column ${f.column}`);
        assert.ok(f.endLine >= f.line, `${f.ruleId}: endLine`);
        assert.ok(f.message.length > 0 && !f.message.includes('{{'), `${f.ruleId}: message filled in`);
        assert.ok(f.range[0] >= 0 && f.range[1] <= text.length && f.range[0] <= f.range[1], `${f.ruleId}: range inside the text`);
        for (const e of f.fix?.edits ?? []) assert.ok(e.range[0] >= 0 && e.range[0] <= e.range[1] && e.range[1] <= text.length, `${f.ruleId}: edit range inside the text`);
      }
    }),
    params(250),
  );
});

/** smtp client level rank (-1 when invalid) and the lowest protocol each smtp protocol list lets OpenSSL negotiate. */
function clientSecurity(text: string, v: string): { rank: number; floors: (number | null)[] } {
  const model = new ConfigModel(parseMainCf(text), v);
  const { level } = clientLevel(model, 'smtp');
  const floors = ['smtp_tls_protocols', 'smtp_tls_mandatory_protocols'].map((p) => {
    const r = parseProtocols(model.value(p), v, { role: 'client' });
    return r.ok && r.min ? PROTOCOL_WIRE_VERSION[r.min] : null;
  });
  return { rank: level === null ? -1 : levelRank(level), floors };
}

test('safe fixes: idempotent, edits only their ranges, never lower the smtp security level or protocol floor', () => {
  fc.assert(
    fc.property(mainCfText, version, (text, v) => {
      const lint = lintFor(v);
      // One pass, checked edit by edit: the output is the input with exactly the applied edits spliced in.
      const findings = lint(text).filter((f) => f.fix && f.fix.kind === 'safe' && !f.fix.file);
      const pass = applyFixes(text, findings);
      const merged = pass.applied.map((f) => mergeEdits(text, f.fix!.edits)).sort((a, b) => a.range[0] - b.range[0]);
      let rebuilt = '';
      let pos = 0;
      for (const e of merged) {
        assert.ok(e.range[0] >= pos, 'applied edits do not overlap');
        rebuilt += text.slice(pos, e.range[0]) + e.text;
        pos = e.range[1];
      }
      rebuilt += text.slice(pos);
      assert.equal(pass.output, rebuilt, 'bytes outside the edited ranges are unchanged');

      const once = fixUntilStable(text, lint, { kinds: ['safe'] });
      const twice = fixUntilStable(once.output, lint, { kinds: ['safe'] });
      assert.equal(twice.output, once.output, 'fixing twice == fixing once');

      const before = clientSecurity(text, v);
      const after = clientSecurity(once.output, v);
      // An invalid level after the fix fails closed (smtp(8) defers mail), which is not weaker.
      if (before.rank >= 0 && after.rank >= 0) assert.ok(after.rank >= before.rank, `security level rank ${before.rank} -> ${after.rank}`);
      before.floors.forEach((floor, i) => {
        const now = after.floors[i];
        if (floor !== null && now !== null) assert.ok(now >= floor, `protocol floor 0x${floor.toString(16)} -> 0x${now.toString(16)}`);
      });
    }),
    params(200),
  );
});
