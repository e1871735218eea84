/**
 * Table-driven rule tests (ESLint RuleTester style): snippets that must not
 * fire, snippets that must fire with the exact findings, and the fixed text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../src/lint.js';
import type { Finding, FixKind, Rule } from '../../src/engine/types.js';
import type { MasterCfFacts } from '../../src/engine/facts.js';
import { fixUntilStable } from '../../src/fixer/fix-loop.js';
import type { PeerProfile } from '../../src/interop/types.js';
import { undescribedChanges } from './fix-description.js';

export interface CaseOptions {
  readonly name?: string;
  readonly code: string;
  /** Postfix version to model (default 3.7.11, this machine's). */
  readonly version?: string;
  readonly opensslVersion?: number;
  readonly masterCf?: MasterCfFacts | null;
  readonly peers?: readonly PeerProfile[];
}

export interface ExpectedFinding {
  readonly messageId: string;
  readonly line?: number;
  readonly severity?: Finding['severity'];
  readonly parameter?: string | null;
  readonly data?: Readonly<Record<string, string | number>>;
  /** Substring the message must contain. */
  readonly includes?: string;
  readonly fixKind?: FixKind | null;
}

export interface InvalidCase extends CaseOptions {
  readonly errors: readonly ExpectedFinding[];
  /** Text after applying this rule's fixes (of every kind); null = no fix offered. */
  readonly output: string | null;
}

export interface RuleCases {
  readonly valid: readonly (CaseOptions | string)[];
  readonly invalid: readonly InvalidCase[];
}

export const DEFAULT_TEST_VERSION = '3.7.11';

export function lintWith(rule: Rule, c: CaseOptions, text = c.code): readonly Finding[] {
  return lintText(text, 'main.cf', {
    postfixVersion: c.version ?? DEFAULT_TEST_VERSION,
    opensslVersion: c.opensslVersion ?? 3,
    masterCf: c.masterCf ?? null,
    peers: c.peers ?? [],
    rules: [rule],
  }).findings;
}

export function runRuleCases(rule: Rule, cases: RuleCases): void {
  const id = rule.meta.id;
  assert.ok(cases.valid.length > 0, `${id}: needs at least one valid case`);
  assert.ok(cases.invalid.length > 0, `${id}: needs at least one invalid case`);
  if (rule.meta.fixable) {
    assert.ok(
      cases.invalid.some((c) => typeof c.output === 'string'),
      `${id}: a fixable rule needs a case with its fixed output`,
    );
  }
  cases.valid.forEach((v, i) => {
    const c = typeof v === 'string' ? { code: v } : v;
    test(`${id} valid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
      const found = lintWith(rule, c);
      assert.deepEqual(
        found.map((f) => `${f.messageId}@${f.line}: ${f.message}`),
        [],
        'expected no findings',
      );
    });
  });
  cases.invalid.forEach((c, i) => {
    test(`${id} invalid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
      const found = lintWith(rule, c);
      assert.equal(found.length, c.errors.length, `findings: ${JSON.stringify(found.map((f) => [f.messageId, f.line, f.message]), null, 1)}`);
      c.errors.forEach((e, k) => {
        const f = found[k];
        assert.ok(Object.hasOwn(rule.meta.messages, e.messageId), `unknown messageId ${e.messageId}`);
        assert.equal(f.messageId, e.messageId, f.message);
        if (e.line !== undefined) assert.equal(f.line, e.line, `line of ${f.message}`);
        if (e.severity !== undefined) assert.equal(f.severity, e.severity);
        if (e.parameter !== undefined) assert.equal(f.parameter, e.parameter);
        if (e.data) for (const [key, value] of Object.entries(e.data)) assert.equal(f.data[key], value, `data.${key}`);
        if (e.includes) assert.ok(f.message.includes(e.includes), `message "${f.message}" should include "${e.includes}"`);
        if (e.fixKind !== undefined) assert.equal(f.fix?.kind ?? null, e.fixKind);
        assert.ok(!f.message.includes('{{'), `unfilled placeholder in "${f.message}"`);
        assert.ok(f.line >= 1 && f.column >= 1);
        if (f.fix && (f.fix.file ?? 'main.cf') === 'main.cf') {
          assert.deepEqual(undescribedChanges(c.code, f.fix), [], `fix "${f.fix.description}" changes parameters it does not name`);
        }
      });
      const offered = found.some((f) => f.fix);
      if (c.output === null) {
        assert.ok(!offered, 'expected no fix to be offered (output: null)');
        return;
      }
      assert.ok(offered, 'a case with output needs a fix');
      const fixed = fixUntilStable(c.code, (t) => lintWith(rule, c, t), { kinds: ['safe', 'interop'] });
      assert.equal(fixed.output, c.output);
      // Idempotence: the fixed text gives this rule nothing more to fix.
      const again = lintWith(rule, c, fixed.output).filter((f) => f.fix);
      assert.deepEqual(again.map((f) => f.message), [], 'fixed output must not draw fixable findings again');
    });
  });
}
