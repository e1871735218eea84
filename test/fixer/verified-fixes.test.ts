/**
 * Fixes are verified, not trusted: after --fix the claimed findings are gone,
 * security never went down, and the real postconf accepts the result with no
 * new warning and the intended effective values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../../src/lint.js';
import { fixUntilStable } from '../../src/fixer/fix-loop.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import { ConfigModel } from '../../src/model/config.js';
import { clientLevel } from '../../src/model/client-tls.js';
import { levelRank, parseProtocols, PROTOCOL_NAMES } from '../../src/model/values/index.js';
import { Prng, seedFromEnv } from '../support/prng.js';
import { havePostconf, NO_POSTCONF, removeDir, tempConfigDir } from '../support/postfix.js';
import { mapLimit, postconfAsync } from '../support/show-harness.js';

const VERSION = '3.7.11';
const root = new URL('../../../', import.meta.url);

const WEAK_LINES = [
  'smtp_tls_security_level = none',
  'smtp_tls_security_level = may # opportunistic',
  'smtp_use_tls = yes',
  'smtpd_use_tls = yes',
  'smtp_tls_protocols = !SSLv2',
  'smtpd_tls_protocols = !SSLv2',
  'smtpd_tls_mandatory_protocols = !SSLv2, !SSLv3',
  'smtp_tls_protocols = >= TLSv1.2',
  'smtp_tls_ciphers = export',
  'smtpd_tls_ciphers = low',
  'smtp_tls_exclude_ciphers = !aNULL',
  'smtp_tls_loglevel = 0',
  'smtp_tls_security_level = encrypt',
  'smtp_tls_protocols = TLSv1_2',
  'smtp_tls_securty_level = may',
  'smtpd_tls_security_level = may',
  'smtp_tls_security_level = dane',
];

function generate(rng: Prng): string {
  const eol = rng.chance(0.3) ? '\r\n' : '\n';
  const lines = ['myhostname = fix-test.example', '# managed by hand'];
  const n = 1 + rng.int(6);
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.2)) lines.push('# note ' + i);
    lines.push(rng.pick(WEAK_LINES));
  }
  const text = lines.join(eol);
  return rng.chance(0.8) ? text + eol : text;
}

function level(text: string): number {
  const model = new ConfigModel(parseMainCf(text), VERSION);
  const l = clientLevel(model, 'smtp').level;
  return l === null ? -1 : levelRank(l);
}

/** Lowest protocol the opportunistic smtp list allows (index into PROTOCOL_NAMES; Infinity when invalid). */
function floor(text: string, name: string): number {
  const model = new ConfigModel(parseMainCf(text), VERSION);
  const p = parseProtocols(model.value(name), VERSION);
  if (!p.ok || !p.min) return Number.POSITIVE_INFINITY;
  return PROTOCOL_NAMES.indexOf(p.min);
}

function warningsOf(stderr: string, dir: string): Set<string> {
  return new Set(
    stderr
      .split('\n')
      .filter((l) => l.includes('warning:') && !l.includes('master.cf'))
      .map((l) => l.replaceAll(dir, 'DIR').replace(/line \d+/, 'line N')),
  );
}

const inputs: { name: string; text: string }[] = [];
for (const ex of ['seed-exchange2010', 'strict-encrypt', 'weak-legacy', 'modern-clean']) {
  inputs.push({ name: `examples/${ex}`, text: readFileSync(new URL(`examples/${ex}/main.cf`, root)).toString('latin1') });
}
const rng = new Prng(seedFromEnv(4242));
for (let i = 0; i < 60; i++) inputs.push({ name: `generated #${i} (seed ${rng.seed})`, text: generate(rng) });

const lint = (text: string) => lintText(text, 'main.cf', { postfixVersion: VERSION }).findings;

test('safe fixes resolve what they claim and never lower the security level or a protocol floor', () => {
  for (const { name, text } of inputs) {
    const result = fixUntilStable(text, lint);
    for (const applied of result.applied) {
      assert.equal(applied.fix?.kind, 'safe', `${name}: only safe fixes by default`);
    }
    const claimed = new Set(result.applied.map((f) => `${f.ruleId}|${f.messageId}|${f.parameter}`));
    for (const f of result.remaining) {
      if (f.fix && f.fix.kind === 'safe') assert.fail(`${name}: a safe fix is still on offer after fixing: ${f.ruleId}: ${f.message}`);
      assert.ok(
        !claimed.has(`${f.ruleId}|${f.messageId}|${f.parameter}`) || f.fix === undefined,
        `${name}: ${f.ruleId} (${f.parameter}) was fixed but is still reported`,
      );
    }
    assert.ok(level(result.output) >= level(text), `${name}: the smtp security level went down:\n${result.output}`);
    for (const p of ['smtp_tls_protocols', 'smtp_tls_mandatory_protocols', 'smtpd_tls_protocols', 'smtpd_tls_mandatory_protocols']) {
      const before = floor(text, p);
      if (before !== Number.POSITIVE_INFINITY) assert.ok(floor(result.output, p) >= before, `${name}: ${p} floor went down`);
    }
    assert.equal(fixUntilStable(result.output, lint).output, result.output, `${name}: fixing twice changes more`);
  }
});

test('postconf accepts every fixed file, with no new warning and the values the fixes set', async (t) => {
  if (!havePostconf()) return t.skip(NO_POSTCONF);
  const runs = await mapLimit(inputs, 6, async ({ name, text }) => {
    const fixed = fixUntilStable(text, lint);
    const before = tempConfigDir({ 'main.cf': text, 'master.cf': '' });
    const after = tempConfigDir({ 'main.cf': fixed.output, 'master.cf': '' });
    try {
      const [b, a] = await Promise.all([postconfAsync(before, ['-n']), postconfAsync(after, ['-n'])]);
      return { name, fixed, b, a, before, after };
    } finally {
      removeDir(before);
      removeDir(after);
    }
  });
  let checked = 0;
  for (const { name, fixed, b, a, before, after } of runs) {
    assert.equal(a.status, 0, `${name}: postconf rejects the fixed file: ${a.stderr}`);
    const old = warningsOf(b.stderr, before);
    for (const w of warningsOf(a.stderr, after)) assert.ok(old.has(w), `${name}: new postconf warning after fixing: ${w}`);
    // Effective values: what postconf prints equals what our model says the fixed file means.
    const model = new ConfigModel(parseMainCf(fixed.output), VERSION);
    for (const line of a.stdout.split('\n')) {
      const m = /^([A-Za-z0-9_]+) = ?(.*)$/.exec(line);
      if (!m || m[1] === 'config_directory') continue;
      assert.equal(model.raw(m[1]), m[2], `${name}: ${m[1]}`);
    }
    checked++;
  }
  assert.equal(checked, inputs.length);
});
