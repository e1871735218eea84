import { Prng } from '../support/prng.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseBoolean,
  parseCipherGrade,
  parseClientSecurityLevel,
  parseExclusionList,
  parseInteger,
  parsePolicyProtocols,
  parseProtocols,
  parseServerSecurityLevel,
  parseTime,
  parseTlsLoglevel,
  type ValueDiagnostic,
} from '../../src/model/values/index.js';

function prng(seed: number): () => number {
  const rng = new Prng(seed);
  return () => rng.next();
}

// Fragments that hit the interesting paths, plus raw bytes (binary strings).
const FRAGMENTS = [
  '!', '>=', '<=', '>', '<', '=', ',', ':', ';', ' ', '\t', '\n', '\v', '#', '+', '-', '@', '0x', '0X', '303', '0301', 'ffff', '80000000',
  'SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'tlsv1.2', 'None', 'TLSv1_1', 'TLS1.2',
  'may', 'encrypt', 'dane', 'halfdane', 'yes', 'no', 'high', 'medium', 'export', 'aNULL', 'kEDH+aRSA', '1', '5', 's', 'w', 'debug',
];

function randomValue(rand: () => number): string {
  let s = '';
  const n = Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) {
    if (rand() < 0.25) s += String.fromCharCode(Math.floor(rand() * 256));
    else s += FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)];
  }
  return s;
}

const VERSIONS = ['2.11', '3.3', '3.3.2', '3.5', '3.6', '3.7', '3.8', '3.10', '3.11', 'garbage'];

function checkDiagnostics(value: string, diagnostics: readonly ValueDiagnostic[], label: string): void {
  for (const d of diagnostics) {
    assert.ok(['error', 'warning', 'info'].includes(d.severity), label);
    assert.equal(typeof d.code, 'string', label);
    assert.ok(d.message.length > 0, label);
    if (d.offset !== undefined) {
      assert.ok(Number.isInteger(d.offset) && d.offset >= 0 && d.offset <= value.length, `${label}: offset ${d.offset} outside ${JSON.stringify(value)}`);
      if (d.token !== undefined) assert.equal(value.slice(d.offset, d.offset + d.token.length), d.token, label);
    }
  }
}

test('random values never throw and diagnostics stay inside the value', () => {
  const rand = prng(20240601);
  for (let i = 0; i < 4000; i++) {
    const value = randomValue(rand);
    const version = VERSIONS[i % VERSIONS.length];
    const label = `#${i} ${JSON.stringify(value)} @${version}`;
    const results: Array<{ diagnostics: ValueDiagnostic[] }> = [
      parseProtocols(value, version),
      parseProtocols(value, version, { role: 'server', sslv3Available: true }),
      parsePolicyProtocols(value, version),
      parsePolicyProtocols(value, version, { braced: true }),
      parseClientSecurityLevel(value, version),
      parseClientSecurityLevel(value, version, { context: 'policy' }),
      parseServerSecurityLevel(value, version),
      parseCipherGrade(value, version),
      parseExclusionList(value, version),
      parseBoolean(value, version),
      parseTlsLoglevel(value, version),
      parseTime(value),
      parseInteger(value),
    ];
    for (const r of results) checkDiagnostics(value, r.diagnostics, label);

    const p = parseProtocols(value, version);
    // Invariants of the protocol model.
    if (!p.ok) assert.deepEqual(p.enabled, [], label);
    for (const e of p.enabled) assert.ok(p.requested.includes(e), label);
    if (p.ok && p.enabled.length === 0) assert.ok(p.diagnostics.some((d) => d.severity === 'error'), label);
    if (!p.ok) assert.ok(p.diagnostics.some((d) => d.severity === 'error'), label);
  }
});
