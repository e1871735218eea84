/**
 * Property tests: parameter expansion, the protocol / cipher-grade / exclusion
 * value parsers and the cipher-string engine never throw, stay bounded in
 * time, and locate their diagnostics inside the value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expandValue, referencedNames } from '../../src/expand/expand.js';
import {
  parseCipherGrade,
  parseClientSecurityLevel,
  parseExclusionList,
  parsePolicyProtocols,
  parseProtocols,
  type ValueDiagnostic,
} from '../../src/model/values/index.js';
import { evaluateCipherString, usableSuites } from '../../src/ciphers/evaluate.js';
import { MODELLED_VERSIONS } from '../../src/model/version.js';
import { binaryString, params, valueText, VALUE_WORDS } from './arbitraries.js';

const version = fc.constantFrom(...MODELLED_VERSIONS, '3.7.11', '3.0.2', 'garbage');
const value = fc.oneof(valueText, binaryString(60));

function checkDiagnostics(v: string, diagnostics: readonly ValueDiagnostic[]): void {
  for (const d of diagnostics) {
    assert.ok(typeof d.message === 'string' && d.message.length > 0, 'diagnostic has a message');
    if (d.offset !== undefined) assert.ok(d.offset >= 0 && d.offset <= v.length, `offset ${d.offset} within the value (length ${v.length})`);
    if (d.offset !== undefined && d.token !== undefined) {
      assert.ok(d.offset + d.token.length <= v.length, 'token ends within the value');
    }
  }
}

// ------------------------------------------------------------------ expansion

/** A table of parameters whose values reference each other (loops, bombs, conditionals). */
const table = fc.dictionary(
  fc.constantFrom('a', 'b', 'c', 'd', 'myhostname', 'mydomain'),
  fc.array(fc.constantFrom('$a', '$b', '${c}', '$(d)', '${a?x}', '${b:{$c}}', '${a == b ? {$c} : {$d}}', 'x', ' ', '$', '${', '}', '$$', '${a?{${b?{$c}}}}'), { maxLength: 8 }).map((xs) => xs.join('')),
);

test('expansion: never throws, bounded in time and output, diagnostics carry a code', () => {
  fc.assert(
    fc.property(fc.oneof(valueText, binaryString(80), fc.constant('$a')), table, (v, t) => {
      const start = performance.now();
      const r = expandValue(v, (n) => t[n]);
      assert.ok(performance.now() - start < 2000, 'bounded time');
      assert.equal(typeof r.value, 'string');
      assert.ok(r.value.length <= v.length + 1024 * 1024 + 1, 'bounded output');
      for (const d of r.diagnostics) assert.ok(d.code && d.message);
      const names = referencedNames(v);
      assert.ok(Array.isArray(names));
    }),
    params(400),
  );
});

test('expansion: a self-doubling table stops at the output bound', () => {
  const t: Record<string, string> = {};
  for (let i = 0; i < 40; i++) t[`p${i}`] = `$p${i + 1}$p${i + 1}`;
  t.p40 = 'x'.repeat(100);
  const start = performance.now();
  const r = expandValue('$p0', (n) => t[n]);
  assert.ok(performance.now() - start < 3000);
  assert.equal(r.ok, false);
});

// ------------------------------------------------------------------ value parsers

test('protocol lists: never throw; diagnostics located within the value; ok lists enable a contiguous run', () => {
  fc.assert(
    fc.property(value, version, fc.constantFrom('client', 'server', undefined), (v, ver, role) => {
      const r = parseProtocols(v, ver, role ? { role } : {});
      checkDiagnostics(v, r.diagnostics);
      if (!r.ok) assert.deepEqual(r.enabled, []);
      assert.equal(r.min, r.enabled[0] ?? null);
      for (const tok of r.tokens) assert.equal(v.slice(tok.offset, tok.offset + tok.text.length), tok.text);
      const p = parsePolicyProtocols(v, ver, { braced: v.length % 2 === 0 });
      checkDiagnostics(v, p.diagnostics);
    }),
    params(500),
  );
});

test('cipher grades, exclusion lists, security levels: never throw; diagnostics located within the value', () => {
  fc.assert(
    fc.property(value, version, (v, ver) => {
      const g = parseCipherGrade(v, ver, { role: 'client' });
      checkDiagnostics(v, g.diagnostics);
      if (g.ok) assert.ok(g.grade !== null);
      const x = parseExclusionList(v, ver);
      checkDiagnostics(v, x.diagnostics);
      for (const tok of x.tokens) assert.equal(v.slice(tok.offset, tok.offset + tok.text.length), tok.text);
      const l = parseClientSecurityLevel(v, ver);
      checkDiagnostics(v, l.diagnostics);
    }),
    params(500),
  );
});

// ------------------------------------------------------------------ cipher engine

const cipherWord = fc.constantFrom(
  ...VALUE_WORDS.filter((w) => /^[A-Za-z0-9!@+=:-]/.test(w)),
  'ALL', 'COMPLEMENTOFALL', 'COMPLEMENTOFDEFAULT', 'AES256', 'ECDHE-RSA-AES128-GCM-SHA256', 'kEECDH', 'SUITEB128', 'SUITEB192',
  '@SECLEVEL=5', '@SECLEVEL=9', '@FOO', '-ALL', '+RC4', '!ALL', 'AES+SHA1', 'TLSv1.2', 'SSLv3',
);
const cipherString = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom('', '!', '+', '-'), cipherWord), { maxLength: 8 }).chain((ws) =>
    fc.constantFrom(':', ',', ' ').map((s) => ws.map(([op, w]) => op + w).join(s)),
  ),
  binaryString(60),
);

test('cipher engine: never throws on arbitrary strings; success lists only known suites, failure explains itself', () => {
  fc.assert(
    fc.property(cipherString, fc.option(fc.oneof(fc.constant('TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384'), binaryString(30)), { nil: undefined }), fc.integer({ min: 0, max: 5 }), (s, tls13, level) => {
      const r = evaluateCipherString(s, { ...(tls13 === undefined ? {} : { tls13Suites: tls13 }), securityLevel: level });
      if (r.ok) {
        assert.ok(r.suites.length > 0, 'a success lists at least one TLS <= 1.2 suite');
        assert.equal(new Set(r.suites.map((x) => x.name)).size, r.suites.length, 'no suite twice');
        usableSuites(r);
      } else {
        assert.ok(r.error.length > 0 && r.reasons.length > 0);
      }
    }),
    params(400),
  );
});
