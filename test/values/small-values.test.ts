import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBoolean, parseCipherGrade, parseExclusionList, parseInteger, parseTime, parseTlsLoglevel } from '../../src/model/values/index.js';

const gradeCases: Array<[string, string, boolean, string | null, string | null, string[]]> = [
  // value, version, ok, grade, effective, codes
  ['medium', '3.7', true, 'medium', 'medium', []],
  ['HIGH', '3.7', true, 'high', 'high', []],
  ['High', '3.11', true, 'high', 'high', []],
  ['null', '3.7', true, 'null', 'null', ['cipher-grade-null']],
  ['export', '3.7', true, 'export', 'export', ['cipher-grade-weak']],
  ['low', '3.7', true, 'low', 'low', ['cipher-grade-weak']],
  ['export', '3.8', true, 'export', 'medium', ['cipher-grade-as-medium']],
  ['LOW', '3.11', true, 'low', 'medium', ['cipher-grade-as-medium']],
  ['HIGH:!aNULL', '3.7', false, null, null, ['cipher-grade-invalid']],
  ['bogus', '3.7', false, null, null, ['cipher-grade-invalid']],
  ['invalid', '3.7', false, null, null, ['cipher-grade-invalid']],
  ['', '3.7', false, null, null, ['cipher-grade-invalid']],
  ['high medium', '3.7', false, null, null, ['cipher-grade-invalid']],
];
for (const [value, version, ok, grade, effective, codes] of gradeCases) {
  test(`parseCipherGrade(${JSON.stringify(value)}, ${version})`, () => {
    const r = parseCipherGrade(value, version);
    assert.equal(r.ok, ok);
    assert.equal(r.grade, grade);
    assert.equal(r.effectiveGrade, effective);
    assert.deepEqual(r.diagnostics.map((d) => d.code), codes);
    if (!ok) assert.match(r.diagnostics[0].message, /invalid cipher grade/);
  });
}

test('cipher string given as a grade gets a hint', () => {
  assert.match(parseCipherGrade('HIGH:!aNULL', '3.7').diagnostics[0].message, /OpenSSL cipher string/);
  assert.match(parseCipherGrade('x', '3.7', { role: 'server' }).diagnostics[0].message, /220 Ready to start TLS/);
});

const exclusionCases: Array<[string, boolean, Array<[string, number]>, string[]]> = [
  ['', true, [], []],
  ['aNULL, MD5', true, [['aNULL', 0], ['MD5', 7]], []],
  ['RC4 kEDH+aRSA', true, [['RC4', 0], ['kEDH+aRSA', 4]], []],
  ['3DES:SEED', true, [['3DES', 0], ['SEED', 5]], []],
  [' \taNULL,,:eNULL\n', true, [['aNULL', 2], ['eNULL', 10]], []],
  ['!aNULL', false, [['!aNULL', 0]], ['exclusion-unary']],
  ['aNULL +RC4', false, [['aNULL', 0], ['+RC4', 6]], ['exclusion-unary']],
  ['-MD5 @STRENGTH', false, [['-MD5', 0], ['@STRENGTH', 5]], ['exclusion-unary', 'exclusion-unary']],
  ['aNULL;MD5', true, [['aNULL;MD5', 0]], ['exclusion-semicolon']],
  ['aNULL # no anon', true, [['aNULL', 0], ['#', 6], ['no', 8], ['anon', 11]], ['exclusion-bad-char']],
];
for (const [value, ok, tokens, codes] of exclusionCases) {
  test(`parseExclusionList(${JSON.stringify(value)})`, () => {
    const r = parseExclusionList(value);
    assert.equal(r.ok, ok);
    assert.deepEqual(r.tokens.map((t) => [t.text, t.offset]), tokens);
    assert.deepEqual(r.diagnostics.map((d) => d.code), codes);
    for (const d of r.diagnostics) assert.equal(value.slice(d.offset!, d.offset! + d.token!.length), d.token);
  });
}

test('unary exclusion message matches Postfix', () => {
  assert.match(parseExclusionList('!aNULL').diagnostics[0].message, /invalid unary '!\+-@' in cipher exclusion/);
});

const boolCases: Array<[string, boolean | null]> = [
  ['yes', true], ['no', false], ['YES', true], ['No', false], ['', null], ['true', null], ['1', null], ['maybe', null], ['yes # c', null],
];
for (const [value, want] of boolCases) {
  test(`parseBoolean(${JSON.stringify(value)})`, () => {
    const r = parseBoolean(value, '3.7', 'tls_preempt_cipherlist');
    assert.equal(r.value, want);
    assert.equal(r.ok, want !== null);
    if (want === null) assert.match(r.diagnostics[0].message, /^bad boolean configuration: tls_preempt_cipherlist = /);
  });
}

const logCases: Array<[string, boolean, number, string[], string[]]> = [
  ['', true, 0, [], []],
  ['0', true, 0, [], []],
  ['1', true, 1, [], []],
  ['routine', true, 1, [], []],
  ['Debug', true, 2, [], []],
  ['3', true, 3, [], []],
  ['4', true, 4, [], ['loglevel-too-high']],
  ['7', true, 4, [], ['loglevel-too-high']],
  ['ssl-developer', true, 4, [], ['loglevel-too-high']],
  ['1, cache', true, 1, ['cache'], []],
  ['peercert certmatch', true, 0, ['peercert', 'certmatch'], []],
  ['medium', false, 0, [], ['loglevel-unknown']],
  ['10', false, 0, [], ['loglevel-unknown']],
  ['1 bogus', false, 0, [], ['loglevel-unknown']],
];
for (const [value, ok, level, features, codes] of logCases) {
  test(`parseTlsLoglevel(${JSON.stringify(value)})`, () => {
    const r = parseTlsLoglevel(value, '3.7');
    assert.equal(r.ok, ok);
    assert.equal(r.level, level);
    assert.deepEqual(r.features, features);
    assert.deepEqual(r.diagnostics.map((d) => d.code), codes);
  });
}

const timeCases: Array<[string, number | null, string[], { defaultUnit?: 's' | 'm' | 'h' | 'd' | 'w'; min?: number; max?: number }?]> = [
  ['3600s', 3600, []],
  ['3600', 3600, []],
  ['60m', 3600, []],
  ['1h', 3600, []],
  ['1d', 86400, []],
  ['2w', 1209600, []],
  ['5', 300, [], { defaultUnit: 'm' }],
  ['+5s', 5, []],
  ['0s', 0, []],
  ['s', 0, ['time-no-number']],
  ['', null, ['time-invalid']],
  ['1H', null, ['time-invalid']],
  ['1x', null, ['time-invalid']],
  ['10sec', 10, ['time-trailing']],
  ['5d # five days', 432000, ['time-trailing']],
  ['5 # x', null, ['time-invalid']],
  ['-1s', null, ['time-invalid']],
  ['1 h', null, ['time-invalid']],
  ['abc', null, ['time-invalid']],
  // conv_time() requires n < INT_MAX / unit (integer division)
  ['3550w', null, ['time-invalid']],
  ['3549w', 3549 * 604800, []],
  ['99999999999', null, ['time-invalid']],
  ['10s', null, ['time-range'], { min: 60 }],
  ['2h', null, ['time-range'], { max: 3600 }],
];
for (const [value, seconds, codes, options] of timeCases) {
  test(`parseTime(${JSON.stringify(value)}${options ? ' ' + JSON.stringify(options) : ''})`, () => {
    const r = parseTime(value, options);
    assert.equal(r.seconds, seconds);
    assert.equal(r.ok, seconds !== null);
    assert.deepEqual(r.diagnostics.map((d) => d.code), codes);
  });
}

const intCases: Array<[string, number | null, string[], { min?: number; max?: number }?]> = [
  ['9', 9, []],
  ['0', 0, []],
  ['-3', -3, []],
  ['+7', 7, []],
  ['2147483647', 2147483647, []],
  ['2147483648', null, ['integer-invalid']],
  ['', null, ['integer-invalid']],
  ['abc', null, ['integer-invalid']],
  ['9 ', null, ['integer-invalid']],
  ['0x10', null, ['integer-invalid']],
  ['1.5', null, ['integer-invalid']],
  ['0', null, ['integer-range'], { min: 1 }],
  ['11', null, ['integer-range'], { max: 10 }],
];
for (const [value, want, codes, options] of intCases) {
  test(`parseInteger(${JSON.stringify(value)}${options ? ' ' + JSON.stringify(options) : ''})`, () => {
    const r = parseInteger(value, { name: 'smtp_tls_scert_verifydepth', ...options });
    assert.equal(r.value, want);
    assert.equal(r.ok, want !== null);
    assert.deepEqual(r.diagnostics.map((d) => d.code), codes);
  });
}
