/** The checks every case table makes of one finding against what the case expects. */
import assert from 'node:assert/strict';
import type { Finding, Rule } from '../../src/engine/types.js';

export interface ExpectedAt {
  readonly messageId: string;
  readonly file?: string;
  readonly line?: number;
  readonly severity?: Finding['severity'];
  readonly parameter?: string | null;
  /** Substrings the message must contain. */
  readonly includes?: string | readonly string[];
}

export function assertFinding(rule: Rule, f: Finding, e: ExpectedAt): void {
  assert.ok(Object.hasOwn(rule.meta.messages, e.messageId), `unknown messageId ${e.messageId}`);
  assert.equal(f.messageId, e.messageId, f.message);
  if (e.file) assert.equal(f.file, e.file);
  if (e.line !== undefined) assert.equal(f.line, e.line, `line of ${f.message}`);
  if (e.severity) assert.equal(f.severity, e.severity, f.message);
  if (e.parameter !== undefined) assert.equal(f.parameter, e.parameter);
  for (const inc of typeof e.includes === 'string' ? [e.includes] : (e.includes ?? [])) assert.ok(f.message.includes(inc), `message "${f.message}" should include "${inc}"`);
  assert.ok(!f.message.includes('{{'), `unfilled placeholder in "${f.message}"`);
}
