/**
 * Long exclusion lists (issue 18, fifth round): the shortcuts taken for them give the results of the
 * plain computation. Repeated kills are dropped before a long cipher string is evaluated; exclusion
 * lists are joined and scanned once per parsed list; unknown-cipher-exclusion checks a repeated known
 * token once, and does the did-you-mean scan only over names of a near length; templates are split once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../support/prng.js';
import { evaluateCipherString, withoutRepeatedKills } from '../../src/ciphers/evaluate.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import { ConfigModel } from '../../src/model/config.js';
import { cipherPolicy, firstUnaryExclusion } from '../../src/model/cipher-policy.js';
import { lintText } from '../../src/lint.js';
import { interpolate } from '../../src/engine/interpolate.js';
import unknownCipherExclusion from '../../rules/unknown-cipher-exclusion.js';

/** Elements of generated cipher strings: plain kills (often repeated), additions, moves, specials and broken ones. */
const ELEMENTS = [
  '!aNULL', '!MD5', '!RC4', '!kRSA+aRSA', '!SHA1', '!3DES', '!NOSUCH', '!eNULL', '!CAMELLIA', '!kEDH+aRSA',
  'HIGH', 'MEDIUM', 'RC4', 'aNULL', '-aNULL', '+RC4', '@STRENGTH', '@SECLEVEL=2', 'kRSA', 'AES128-SHA',
  '!aNULL,!MD5', '!RC4 ', '', '!!aNULL', '@BOGUS', 'x#y', '!a=b', '!-', '!aNULL+',
];

function generated(rand: Prng, broken: boolean): string {
  const parts: string[] = [rand.pick(['HIGH', 'ALL:!COMPLEMENTOFDEFAULT', 'MEDIUM:@STRENGTH', 'aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH'])];
  let size = parts[0].length;
  while (size < 5000) {
    const e = rand.chance(0.7) ? rand.pick(ELEMENTS.slice(0, 10)) : rand.pick(ELEMENTS.slice(0, broken ? ELEMENTS.length : 20));
    parts.push(e);
    size += e.length + 1;
  }
  return parts.join(':');
}

test('a long cipher string evaluates alike with and without its repeated kills (400 generated strings)', () => {
  const rand = new Prng(20261203);
  let dropped = 0;
  for (let i = 0; i < 400; i++) {
    const str = generated(rand, i % 2 === 1);
    if (withoutRepeatedKills(str) !== str) dropped++;
    // "," separates like ":" but is not split on: the same rules, evaluated as written, at the same offsets.
    const asWritten = str.replaceAll(':', ',');
    assert.equal(withoutRepeatedKills(asWritten), asWritten);
    for (const securityLevel of [0, 1]) {
      const plain = evaluateCipherString(asWritten, { securityLevel });
      // A problem may quote the separator that follows a broken element.
      const expected = plain.ok ? plain : { ...plain, error: plain.error.replaceAll('character ","', 'character ":"') };
      assert.deepEqual(evaluateCipherString(str, { securityLevel }), expected, str.slice(0, 200));
    }
  }
  assert.ok(dropped > 300, `repeated kills were dropped in ${dropped} of 400 strings`);
});

test('only the second and later copies of a plain kill are dropped, the first stays in place', () => {
  const tail = ':!aNULL'.repeat(1000);
  assert.equal(withoutRepeatedKills('HIGH:!MD5:!aNULL:RC4:!MD5' + tail), 'HIGH:!MD5:!aNULL:RC4');
  assert.equal(withoutRepeatedKills('HIGH:!MD5:!MD5'), 'HIGH:!MD5:!MD5', 'short strings are left alone');
  const broken = 'HIGH:!!aNULL:!!aNULL:@FOO:@FOO' + ':x#y'.repeat(2000);
  assert.equal(withoutRepeatedKills(broken), broken, 'elements that are not plain kills are all kept');
});

function model(text: string): ConfigModel {
  return new ConfigModel(parseMainCf(text, 'main.cf'), '3.7.11');
}

test('cipher policies of models with different exclusion lists each get their own string and unary token', () => {
  const rand = new Prng(7);
  const words = ['aNULL', 'MD5', 'RC4', '!SHA1', '+kRSA', 'eNULL', 'kRSA+aRSA', '@STRENGTH'];
  for (let i = 0; i < 200; i++) {
    const client = Array.from({ length: 1 + rand.int(6) }, () => rand.pick(words));
    const mandatory = Array.from({ length: rand.int(4) }, () => rand.pick(words));
    const m = model(`smtp_tls_exclude_ciphers = ${client.join(', ')}\nsmtp_tls_mandatory_exclude_ciphers = ${mandatory.join(' ')}\n`);
    const policy = cipherPolicy(m, { gradeParam: 'smtp_tls_ciphers', exclusionParams: ['smtp_tls_exclude_ciphers', 'smtp_tls_mandatory_exclude_ciphers'], automaticExclusion: 'eNULL', role: 'client' });
    const naive = [m.value('tls_medium_cipherlist'), ...[...client, ...mandatory].map((t) => '!' + t), '!eNULL'].join(':');
    assert.equal(policy.cipherString, naive);
    const unary = [...client.map((t) => ['smtp_tls_exclude_ciphers', t]), ...mandatory.map((t) => ['smtp_tls_mandatory_exclude_ciphers', t])].find(([, t]) => '!+-@'.includes(t[0]));
    const found = firstUnaryExclusion(policy.exclusions);
    assert.deepEqual(found ? [found.param, found.token.text] : undefined, unary);
  }
});

test('unknown-cipher-exclusion reports every unknown occurrence, with known names repeated around them', () => {
  const value = 'RC4, NOSUCH, RC4, aNULL+NOSUCH2, NOSUCH, aNULL+NOSUCH2, rc4, RC4, TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA';
  const r = lintText(`smtp_tls_exclude_ciphers = ${value}\n`, 'main.cf', { postfixVersion: '3.7.11', masterCf: null, rules: [unknownCipherExclusion] });
  const tokens = r.findings.map((f) => `${f.messageId} ${f.data.token}`);
  assert.deepEqual(tokens, ['unknown "NOSUCH"', 'unknown "NOSUCH2"', 'unknown "NOSUCH"', 'unknown "NOSUCH2"', 'unknown "rc4"', 'stdName "TLS_RSA_WITH_AES_128_CBC_SHA"', 'stdName "TLS_RSA_WITH_AES_128_CBC_SHA"']);
});

/** The regex form interpolate() had: the reference for its split-once form. */
function interpolateByRegex(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, key: string) => (Object.prototype.hasOwnProperty.call(data, key) ? String(data[key]) : whole));
}

test('interpolate fills templates as the regex form did (2,000 generated templates, repeated)', () => {
  const rand = new Prng(18);
  const pieces = ['{{param}}', '{{ token }}', '{{missing}}', '{{ bad-key }}', '{{', '}}', '{param}', 'text ', '$& ', '$1', '"', '{{n}}', '{{toString}}', '{{__proto__}}'];
  const data = { param: 'smtp_tls_exclude_ciphers', token: '"$&$1"', n: 3 };
  for (let i = 0; i < 2000; i++) {
    const template = Array.from({ length: rand.int(8) }, () => rand.pick(pieces)).join('');
    for (let again = 0; again < 2; again++) assert.equal(interpolate(template, data), interpolateByRegex(template, data), template);
  }
});
