import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLIENT_SECURITY_LEVELS,
  automaticCipherExclusion,
  isDaneLevel,
  isMandatoryLevel,
  isOpportunisticLevel,
  legacyClientLevel,
  legacyServerLevel,
  parseClientSecurityLevel,
  parseServerSecurityLevel,
  usesMandatorySettings,
  usesPkix,
  verifiesPeer,
} from '../../src/model/values/index.js';

const clientCases: Array<[string, string | null, boolean, string[]]> = [
  ['', null, true, []],
  ['none', 'none', true, []],
  ['may', 'may', true, []],
  ['Encrypt', 'encrypt', true, []],
  ['DANE', 'dane', true, []],
  ['dane-only', 'dane-only', true, []],
  ['fingerprint', 'fingerprint', true, []],
  ['verify', 'verify', true, []],
  ['SECURE', 'secure', true, []],
  ['halfdane', null, false, ['level-invalid']],
  ['bogus', null, false, ['level-invalid']],
  ['may # opportunistic', null, false, ['level-invalid']],
  ['may encrypt', null, false, ['level-invalid']],
  ['dane_only', null, false, ['level-invalid']],
];
for (const [value, level, ok, codes] of clientCases) {
  test(`parseClientSecurityLevel(${JSON.stringify(value)})`, () => {
    const r = parseClientSecurityLevel(value, '3.7');
    assert.equal(r.ok, ok);
    assert.equal(r.level, level);
    assert.equal(r.useLegacyBooleans, value === '');
    assert.deepEqual(r.diagnostics.map((d) => d.code), codes);
    if (!ok) assert.match(r.diagnostics[0].message, /Invalid TLS level.*exits at start-up/);
  });
}

test('halfdane and comments get specific explanations', () => {
  assert.match(parseClientSecurityLevel('halfdane', '3.7').diagnostics[0].message, /only used by Postfix in log output/);
  assert.match(parseClientSecurityLevel('may # x', '3.7').diagnostics[0].message, /does not start a comment/);
});

test('policy-table context: invalid level defers instead of a fatal error', () => {
  const r = parseClientSecurityLevel('bogus', '3.7', { context: 'policy' });
  assert.equal(r.ok, false);
  assert.match(r.diagnostics[0].message, /4\.7\.5/);
  assert.equal(parseClientSecurityLevel('', '3.7', { context: 'policy' }).ok, false);
});

const serverCases: Array<[string, string | null, boolean, string[]]> = [
  ['', null, true, []],
  ['none', 'none', true, []],
  ['MAY', 'may', true, []],
  ['encrypt', 'encrypt', true, []],
  ['verify', 'encrypt', true, ['server-level-unsupported']],
  ['secure', 'encrypt', true, ['server-level-unsupported']],
  ['Fingerprint', 'encrypt', true, ['server-level-unsupported']],
  ['dane', null, false, ['level-invalid']],
  ['dane-only', null, false, ['level-invalid']],
  ['halfdane', null, false, ['level-invalid']],
  ['bogus', null, false, ['level-invalid']],
];
for (const [value, level, ok, codes] of serverCases) {
  test(`parseServerSecurityLevel(${JSON.stringify(value)})`, () => {
    const r = parseServerSecurityLevel(value, '3.7');
    assert.equal(r.ok, ok);
    assert.equal(r.level, level);
    assert.deepEqual(r.diagnostics.map((d) => d.code), codes);
  });
}

test('server warning quotes what smtpd logs', () => {
  assert.match(parseServerSecurityLevel('verify', '3.7').diagnostics[0].message, /unsupported TLS level "verify", using "encrypt"/);
});

const legacyClient: Array<[Parameters<typeof legacyClientLevel>[0], string]> = [
  [{}, 'none'],
  [{ useTls: true }, 'may'],
  [{ enforceTls: true }, 'verify'],
  [{ enforceTls: true, enforcePeername: true }, 'verify'],
  [{ enforceTls: true, enforcePeername: false }, 'encrypt'],
  [{ useTls: true, enforceTls: true, enforcePeername: false }, 'encrypt'],
  [{ useTls: false, enforceTls: false, enforcePeername: false }, 'none'],
];
for (const [b, want] of legacyClient) {
  test(`legacyClientLevel(${JSON.stringify(b)}) = ${want}`, () => assert.equal(legacyClientLevel(b), want));
}

test('legacyServerLevel', () => {
  assert.equal(legacyServerLevel({}), 'none');
  assert.equal(legacyServerLevel({ useTls: true }), 'may');
  assert.equal(legacyServerLevel({ enforceTls: true }), 'encrypt');
  assert.equal(legacyServerLevel({ useTls: false, enforceTls: true }), 'encrypt');
});

test('level classification helpers', () => {
  const table: Record<string, [boolean, boolean, boolean, boolean, boolean, boolean, string | null]> = {
    // mandatory, mandatorySettings, verifies, opportunistic, dane, pkix, auto exclusion
    none: [false, false, false, false, false, false, null],
    may: [false, false, false, true, false, false, null],
    encrypt: [true, true, false, false, false, false, 'eNULL'],
    dane: [false, true, true, true, true, false, 'aNULL'],
    'dane-only': [true, true, true, false, true, false, 'aNULL'],
    fingerprint: [true, true, true, false, false, false, 'aNULL'],
    verify: [true, true, true, false, false, true, 'aNULL'],
    secure: [true, true, true, false, false, true, 'aNULL'],
  };
  for (const level of CLIENT_SECURITY_LEVELS) {
    const got = [
      isMandatoryLevel(level),
      usesMandatorySettings(level),
      verifiesPeer(level),
      isOpportunisticLevel(level),
      isDaneLevel(level),
      usesPkix(level),
      automaticCipherExclusion(level),
    ];
    assert.deepEqual(got, table[level], level);
  }
});
