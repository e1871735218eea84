/**
 * diagnose --config over the inbound lab's recorded smtpd logs
 * (test/fixtures/lab-logs/inbound: one log per cell, index.json, and the
 * etc/main.cf and master.cf smtpd ran with): the same check the lab runs
 * (lab/inbound/diagnose-check.ts), without root or Postfix.
 */
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, REFERENCE, collect, configContext } from './support.js';
import { buildInboundCells, type InboundCell } from '../../lab/inbound/matrix.js';
import { checkInboundDiagnose, expectedDiagnosis, type DiagnosedCell } from '../../lab/inbound/diagnose-check.js';
import { INBOUND_CAUSES } from '../../src/diagnose/types.js';

const DIR = join(ROOT, 'test', 'fixtures', 'lab-logs', 'inbound');

interface IndexEntry {
  readonly cell: string;
  readonly log: string;
  readonly service: string;
  readonly observed: DiagnosedCell['observed'];
}

const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as IndexEntry[];
const cellsById = new Map(buildInboundCells().map((c) => [c.id, c]));
const recorded: DiagnosedCell[] = index.map((e) => {
  const cell = cellsById.get(e.cell) as InboundCell;
  assert.ok(cell, `index.json names ${e.cell}, which lab/inbound/matrix.ts no longer has`);
  assert.equal(`postfix/${cell.service}/smtpd`, e.service, e.cell);
  return { cell, observed: e.observed, lines: readFileSync(join(DIR, e.log), 'utf8').split('\n').filter((l) => l !== '') };
});
const ctx = configContext(join(DIR, 'etc'));

test('the recorded inbound matrix is the lab matrix (101 cells)', () => {
  assert.equal(recorded.length, 101);
  assert.deepEqual(recorded.map((r) => r.cell.id).sort(), [...cellsById.keys()].sort());
});

test('diagnose --config over every recorded cell: the right cause, setting and delivery, no incident where TLS worked', () => {
  const check = checkInboundDiagnose(recorded, ctx, REFERENCE);
  assert.deepEqual(Object.fromEntries(check.problems), {});
  assert.equal(check.diagnosed, 29);
  assert.equal(check.quiet, 68);
  // Level none: smtpd logs nothing that says the client wanted TLS.
  assert.deepEqual(check.unseen.map((u) => u.cell).sort(), ['none__gmail', 'none__postfix', 'none__thunderbird', 'none__tls-required-mta']);
  for (const u of check.unseen) assert.match(u.line, /disconnect from localhost\[127\.0\.0\.1\]:\d+ ehlo=1 /, u.cell);
  assert.equal(check.diagnosed + check.quiet + check.unseen.length, recorded.length);
});

test('the inbound causes the lab shows, each with the setting the configuration is about', () => {
  const seen = new Map<string, Set<string>>();
  for (const r of recorded) {
    const e = expectedDiagnosis(r.cell, r.observed);
    if (e.kind === 'incident') seen.set(e.cause, (seen.get(e.cause) ?? new Set()).add(e.parameter));
  }
  assert.deepEqual(Object.fromEntries([...seen].map(([c, ps]) => [c, [...ps].sort()])), {
    'client-lost-connection': ['smtpd_tls_wrappermode'],
    'client-no-shared-cipher': ['smtpd_tls_chain_files', 'smtpd_tls_exclude_ciphers'],
    'client-no-shared-protocol': ['smtpd_tls_mandatory_protocols', 'smtpd_tls_protocols', 'tls_medium_cipherlist'],
    'server-tls-unavailable': ['smtpd_tls_chain_files', 'smtpd_tls_key_file'],
    'starttls-required': ['smtpd_tls_security_level'],
  });
  // auth-without-tls has no lab cell (every AUTH client uses STARTTLS first): its real fixture is test/fixtures/diagnose/generated.
  assert.deepEqual(INBOUND_CAUSES.filter((c) => !seen.has(c)), ['auth-without-tls']);
});

test('without --config the same causes, and no setting', () => {
  for (const r of recorded) {
    const e = expectedDiagnosis(r.cell, r.observed);
    const got = collect([r.lines.join('\n')]).incidents;
    assert.deepEqual(got.map((i) => i.cause), e.kind === 'incident' ? [e.cause] : [], r.cell.id);
    for (const i of got) assert.deepEqual([i.parameter, i.file, i.line], [null, null, null]);
  }
});

test('the check catches a wrong cause, a wrong setting and a missing incident', () => {
  const flip = (id: string, f: (c: DiagnosedCell) => DiagnosedCell) => recorded.map((r) => (r.cell.id === id ? f(r) : r));
  // The predictor's view of the cell made wrong: TLS worked, so the incident is unexpected.
  const asTls = flip('may-tls12__ex2010', (r) => ({ ...r, observed: { outcome: 'tls', delivery: 'tls' } }));
  assert.deepEqual([...checkInboundDiagnose(asTls, ctx, REFERENCE).problems.keys()].sort(), ['may-tls12__ex2010', 'service postfix/s04/smtpd (may-tls12)']);
  // The configuration blamed for the wrong setting.
  const wrongSetting = flip('may-nosha1__printer', (r) => ({ ...r, cell: { ...r.cell, config: { ...r.cell.config, turnsAway: { cause: 'client-no-shared-cipher', parameter: 'smtpd_tls_ciphers' } } } }));
  assert.match(checkInboundDiagnose(wrongSetting, ctx, REFERENCE).problems.get('may-nosha1__printer')?.join() ?? '', /names smtpd_tls_exclude_ciphers, expected smtpd_tls_ciphers/);
  // A failing cell whose log lost its failure.
  const lost = flip('may-missing-key__gmail', (r) => ({ ...r, lines: r.lines.filter((l) => !/warning:|disconnect from/.test(l)) }));
  assert.match(checkInboundDiagnose(lost, ctx, REFERENCE).problems.get('may-missing-key__gmail')?.join() ?? '', /no incident; expected server-tls-unavailable/);
});
