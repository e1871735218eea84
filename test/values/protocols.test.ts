import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBound, parsePolicyProtocols, parseProtocols, knowsTlsv13, type ProtocolName } from '../../src/model/values/index.js';

interface Case {
  value: string;
  version?: string;
  ok: boolean;
  enabled?: ProtocolName[];
  requested?: ProtocolName[];
  syntax?: string;
  codes?: string[]; // diagnostic codes expected (order-insensitive, exact set)
  offset?: number; // offset of the first diagnostic
}

const ALL: ProtocolName[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

const cases: Case[] = [
  { value: '', ok: true, enabled: ALL, syntax: 'empty', codes: [] },
  { value: '!SSLv2, !SSLv3', ok: true, enabled: ALL, syntax: 'exclusions', codes: [] },
  { value: '!SSLv2 !SSLv3 !TLSv1 !TLSv1.1', ok: true, enabled: ['TLSv1.2', 'TLSv1.3'], codes: [] },
  { value: '!sslv2:!SSLV3,!tlsv1', ok: true, enabled: ['TLSv1.1', 'TLSv1.2', 'TLSv1.3'], codes: [] },
  { value: '\t!SSLv2,,  ::!SSLv3\n', ok: true, enabled: ALL, codes: [] },
  { value: '>=TLSv1', ok: true, enabled: ALL, syntax: 'range', codes: [] },
  { value: '>=TLSv1.2 <=TLSv1.3', ok: true, enabled: ['TLSv1.2', 'TLSv1.3'], codes: [] },
  { value: '>=tlsv1.2', ok: true, enabled: ['TLSv1.2', 'TLSv1.3'], codes: [] },
  { value: '>=TLSv1, <=TLSv1.2', ok: true, enabled: ['TLSv1', 'TLSv1.1', 'TLSv1.2'], codes: [] },
  // hex bounds
  { value: '>=301', ok: true, enabled: ALL, codes: [] },
  { value: '>=0301', ok: true, enabled: ALL, codes: [] },
  { value: '>=0x301', ok: true, enabled: ALL, codes: [] },
  { value: '>=0x0303 <=0X0303', ok: true, enabled: ['TLSv1.2'], codes: [] },
  { value: '>=0x0303:<=0304', ok: true, enabled: ['TLSv1.2', 'TLSv1.3'], codes: [] },
  { value: '>=TLSv1, <=0305', ok: true, enabled: ALL, codes: ['protocols-bound-unsupported'], offset: 9 },
  { value: '>=0200', ok: true, enabled: ALL, codes: ['protocols-bound-unsupported'] },
  { value: '>=None <=none', ok: true, enabled: ALL, codes: [] },
  { value: '>=0', ok: true, enabled: ALL, codes: [] },
  { value: '>=SSLv3', ok: true, enabled: ALL, requested: ['SSLv3', ...ALL], codes: [] },
  // the trap: ">= NAME" with a space → bare ">=" is 0, NAME becomes an include list
  { value: '>= TLSv1.2', ok: true, enabled: ['TLSv1.2'], syntax: 'mixed', codes: ['protocols-bound-space'], offset: 0 },
  { value: '>=TLSv1 <= TLSv1.2', ok: true, enabled: ['TLSv1.2'], codes: ['protocols-bound-space'], offset: 8 },
  { value: '>=', ok: true, enabled: ALL, codes: ['protocols-bound-space'] },
  // ranges and exclusions combine
  { value: '>=TLSv1.3, !TLSv1.3', ok: true, enabled: [], requested: [], syntax: 'mixed', codes: ['protocols-none-enabled'] },
  { value: '>=TLSv1.1 !TLSv1.2', ok: true, enabled: ['TLSv1.1'], codes: ['protocols-gap'] },
  { value: '>=TLSv1.3 <=TLSv1.2', ok: true, enabled: [], codes: ['protocols-none-enabled'] },
  { value: '>=TLSv1.2 >=TLSv1', ok: true, enabled: ALL, codes: ['protocols-duplicate-bound'], offset: 10 },
  // mid-range exclusion disables every version above it
  { value: '!SSLv2, !SSLv3, !TLSv1.1', ok: true, enabled: ['TLSv1'], requested: ['TLSv1', 'TLSv1.2', 'TLSv1.3'], codes: ['protocols-gap'], offset: 16 },
  { value: '!TLSv1.2', ok: true, enabled: ['TLSv1', 'TLSv1.1'], codes: ['protocols-gap'] },
  { value: '!TLSv1.3', ok: true, enabled: ['TLSv1', 'TLSv1.1', 'TLSv1.2'], codes: [] },
  // includes: everything else excluded
  { value: 'TLSv1.2', ok: true, enabled: ['TLSv1.2'], codes: ['protocols-include'] },
  { value: 'TLSv1.2 TLSv1.3', ok: true, enabled: ['TLSv1.2', 'TLSv1.3'], codes: ['protocols-include'] },
  { value: 'TLSv1 TLSv1.2', ok: true, enabled: ['TLSv1'], codes: ['protocols-include', 'protocols-gap'] },
  { value: 'SSLv3', ok: true, enabled: [], requested: ['SSLv3'], codes: ['protocols-include', 'protocols-none-enabled'] },
  { value: '!SSLv2 !TLSv1 !TLSv1.1 !TLSv1.2 !TLSv1.3', ok: true, enabled: [], codes: ['protocols-none-enabled'] },
  // invalid lists
  { value: '!SSLv2:!SSLv3;!TLSv1', ok: false, codes: ['protocols-invalid'], offset: 7 },
  { value: 'TLSv1_1', ok: false, codes: ['protocols-invalid'], offset: 0 },
  { value: '!SSLv2, TLS1.2', ok: false, codes: ['protocols-invalid'], offset: 8 },
  { value: '!TLSv9', ok: false, codes: ['protocols-invalid'] },
  { value: '>=SSLv2', ok: false, syntax: 'range', codes: ['protocols-invalid'] },
  { value: '>=TLSv1.4', ok: false, codes: ['protocols-invalid'] },
  { value: '>=-1', ok: false, codes: ['protocols-invalid'] },
  { value: '>=0x', ok: false, codes: ['protocols-invalid'] },
  { value: '>=80000000', ok: false, codes: ['protocols-invalid'] },
  { value: '>=+0x303', ok: true, enabled: ['TLSv1.2', 'TLSv1.3'], codes: [] },
  { value: '!0x303', ok: false, codes: ['protocols-invalid'] },
  { value: '!', ok: false, codes: ['protocols-invalid'] },
  { value: '!>=TLSv1', ok: false, codes: ['protocols-invalid'] },
  { value: '>=TLSv1.2 # min 1.2', ok: false, codes: ['protocols-invalid', 'protocols-invalid', 'protocols-invalid'], offset: 10 },
  // range syntax needs 3.6
  { value: '>=TLSv1.2', version: '3.5', ok: false, codes: ['protocols-invalid'] },
  { value: '>=TLSv1.2', version: '3.5.27', ok: false, codes: ['protocols-invalid'] },
  { value: '>=TLSv1.2', version: '3.6', ok: true, enabled: ['TLSv1.2', 'TLSv1.3'], codes: [] },
  // TLSv1.3 name needs 3.4 (or the backports)
  { value: '!SSLv2, !SSLv3, !TLSv1.3', version: '3.3', ok: false, codes: ['protocols-invalid'], offset: 16 },
  { value: '!TLSv1.3', version: '3.3.2', ok: true, enabled: ['TLSv1', 'TLSv1.1', 'TLSv1.2'], codes: [] },
  { value: '!TLSv1.3', version: '3.4', ok: true, codes: [] },
  { value: 'TLSv1.2', version: '3.3', ok: true, enabled: ['TLSv1.2', 'TLSv1.3'], codes: ['protocols-include', 'protocols-tlsv13-unknown'] },
];

for (const c of cases) {
  test(`parseProtocols(${JSON.stringify(c.value)}, ${c.version ?? '3.7'})`, () => {
    const r = parseProtocols(c.value, c.version ?? '3.7');
    assert.equal(r.ok, c.ok, JSON.stringify(r.diagnostics));
    if (c.enabled) assert.deepEqual(r.enabled, c.enabled);
    if (!c.ok) assert.deepEqual(r.enabled, []);
    assert.deepEqual(r.effective, r.enabled);
    if (c.requested) assert.deepEqual(r.requested, c.requested);
    if (c.syntax) assert.equal(r.syntax, c.syntax);
    if (c.codes) assert.deepEqual(r.diagnostics.map((d) => d.code).sort(), [...c.codes].sort());
    if (c.offset !== undefined) assert.equal(r.diagnostics[0]?.offset, c.offset);
    assert.equal(r.min, r.enabled[0] ?? null);
    assert.equal(r.max, r.enabled[r.enabled.length - 1] ?? null);
    for (const d of r.diagnostics) if (d.token !== undefined && d.offset !== undefined) assert.equal(c.value.slice(d.offset, d.offset + d.token.length), d.token);
  });
}

test('invalid list messages describe client and server outcomes', () => {
  const both = parseProtocols('TLSv1_1', '3.7').diagnostics[0].message;
  assert.match(both, /Invalid TLS protocol list/);
  assert.match(both, /aborting TLS session/);
  assert.match(both, /454/);
  const client = parseProtocols('TLSv1_1', '3.7', { role: 'client' }).diagnostics[0].message;
  assert.doesNotMatch(client, /454/);
  const server = parseProtocols('TLSv1_1', '3.7', { role: 'server' }).diagnostics[0].message;
  assert.doesNotMatch(server, /aborting/);
});

test('the ">= NAME" trap message names the version left', () => {
  const r = parseProtocols('>= TLSv1.2', '3.7');
  assert.match(r.diagnostics[0].message, /only TLSv1\.2/);
  assert.equal(r.floor, null);
});

test('SSLv3 counts when the OpenSSL build still has it', () => {
  assert.deepEqual(parseProtocols('>=SSLv3 <=TLSv1', '3.7', { sslv3Available: true }).enabled, ['SSLv3', 'TLSv1']);
  assert.deepEqual(parseProtocols('>=SSLv3 <=TLSv1', '3.7').enabled, ['TLSv1']);
  // With SSLv3 present, excluding TLSv1 leaves only SSLv3.
  assert.deepEqual(parseProtocols('!TLSv1', '3.7', { sslv3Available: true }).enabled, ['SSLv3']);
});

test('bounds and exclusion mask are exposed', () => {
  const r = parseProtocols('>=TLSv1.2 <=0x304 !SSLv2', '3.7');
  assert.equal(r.floor, 0x303);
  assert.equal(r.ceiling, 0x304);
  assert.deepEqual(r.excluded, ['SSLv2']);
  assert.deepEqual(parseProtocols('TLSv1.2', '3.7').excluded, ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.3']);
});

const boundCases: Array<[string, number | null]> = [
  ['', 0], ['None', 0], ['NONE', 0], ['SSLv3', 0x300], ['TLSv1.3', 0x304], ['SSLv2', null],
  ['303', 0x303], ['0x0303', 0x303], ['0X303', 0x303], ['+303', 0x303], ['-0', 0], ['-1', null],
  ['0x', null], ['x303', null], ['\v303', 0x303], ['303 ', null], ['7fffffff', 0x7fffffff], ['80000000', null], ['ffffffffffffffffffff', null],
];
for (const [text, want] of boundCases) {
  test(`parseBound(${JSON.stringify(text)})`, () => assert.equal(parseBound(text), want));
}

test('knowsTlsv13 follows the 3.4 release and its backports', () => {
  for (const v of ['3.4', '3.7', '3.3.2', '3.2.7', '3.1.10', '3.0.14', '3.11']) assert.equal(knowsTlsv13(v), true, v);
  for (const v of ['2.11', '3.0', '3.0.13', '3.1.9', '3.2', '3.3', '3.3.1']) assert.equal(knowsTlsv13(v), false, v);
});

const policyCases: Array<{ value: string; version?: string; braced?: boolean; ok: boolean; enabled?: ProtocolName[]; codes: string[]; offset?: number }> = [
  { value: '!SSLv2:!SSLv3', ok: true, enabled: ALL, codes: [] },
  { value: '>=TLSv1.2:<=TLSv1.3', ok: true, enabled: ['TLSv1.2', 'TLSv1.3'], codes: [] },
  { value: '>=TLSv1.2,<=TLSv1.2', ok: false, codes: ['policy-protocols-separator'], offset: 10 },
  { value: '!SSLv2 !SSLv3', ok: false, codes: ['policy-protocols-separator'], offset: 7 },
  { value: '!SSLv2;!SSLv3', ok: false, codes: ['protocols-invalid'], offset: 0 },
  { value: '>=TLSv1.2 <=TLSv1.3', braced: true, version: '3.10', ok: true, enabled: ['TLSv1.2', 'TLSv1.3'], codes: [] },
  { value: '>=TLSv1.2 <=TLSv1.3', braced: true, version: '3.9', ok: false, codes: ['policy-braced-unsupported'] },
  { value: '>=TLSv1.2', version: '3.5', ok: false, codes: ['protocols-invalid'] },
];
for (const c of policyCases) {
  test(`parsePolicyProtocols(${JSON.stringify(c.value)}${c.braced ? ', braced' : ''}, ${c.version ?? '3.7'})`, () => {
    const r = parsePolicyProtocols(c.value, c.version ?? '3.7', { braced: c.braced });
    assert.equal(r.ok, c.ok);
    if (c.enabled) assert.deepEqual(r.enabled, c.enabled);
    if (!c.ok) assert.deepEqual(r.enabled, []);
    assert.deepEqual(r.diagnostics.map((d) => d.code).sort(), [...c.codes].sort());
    if (c.offset !== undefined) assert.equal(r.diagnostics[0].offset, c.offset);
  });
}
