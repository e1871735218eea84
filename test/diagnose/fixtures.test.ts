/**
 * diagnose over real Postfix logs: the interop lab's own maillog (every
 * failing cell gets the right cause and, with the lab configuration, the
 * setting responsible; cells that delivered fine get no incident), the
 * private smtpd/smtp instance of lab/diagnose-fixtures.ts (the inbound causes
 * and the outbound ones the lab has no cell for), posttls-finger transcripts,
 * and lines from documents only (OpenSSL 1.1.1 strings, rarer variants).
 */
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, collect, configContext, fixture, read, withConfig } from './support.js';
import { explainWithConfig } from '../../src/diagnose/with-config.js';
import { predictedCause } from '../../src/diagnose/evidence-peer.js';
import { Collector } from '../../src/diagnose/collector.js';
import { LineParser } from '../../src/diagnose/line.js';
import { INBOUND_CAUSES, OUTBOUND_CAUSES, type Cause, type Incident } from '../../src/diagnose/types.js';

interface CellIndex {
  readonly service: string;
  readonly cell: string;
}
const cells = JSON.parse(read('lab', 'cells.json')) as CellIndex[];
const cellOf = new Map(cells.map((c) => [`postfix/${c.service}/smtp`, c.cell]));

/** Lab cell -> [cause, parameter responsible]. Every other cell delivered over TLS or plaintext by design. */
const LAB_EXPECTED: Readonly<Record<string, [Cause, string]>> = {
  'may-tls12__ex2010': ['no-shared-protocol', 'smtp_tls_protocols'],
  'may-tls12__tls10-rsa': ['no-shared-protocol', 'smtp_tls_protocols'],
  'may-tls13__ex2019': ['no-shared-protocol', 'smtp_tls_protocols'],
  'may-tls13__ws2012r2': ['no-shared-protocol', 'smtp_tls_protocols'],
  'encrypt__no-starttls': ['starttls-not-offered', 'smtp_tls_security_level'],
  'encrypt-mand12__ex2010': ['no-shared-protocol', 'smtp_tls_mandatory_protocols'],
  'encrypt-mand12__tls10-rsa': ['no-shared-protocol', 'smtp_tls_mandatory_protocols'],
  'may-nosha1__ex2010': ['no-shared-cipher', 'smtp_tls_exclude_ciphers'],
  'may-nosha1__ex2007': ['no-shared-cipher', 'smtp_tls_exclude_ciphers'],
  'may-nosha1__tls12-cbcsha': ['no-shared-cipher', 'smtp_tls_exclude_ciphers'],
  'may-nokrsa__tls10-rsa': ['no-shared-cipher', 'smtp_tls_exclude_ciphers'],
  'may-seclevel2__ex2010': ['legacy-signature', 'tls_medium_cipherlist'],
  'may-seclevel2__dhe-1024': ['dh-key-too-small', 'tls_medium_cipherlist'],
  'verify__ex2010': ['legacy-signature', 'smtp_tls_security_level'],
  'verify__modern-wrongname': ['certificate-name-mismatch', 'smtp_tls_security_level'],
  'verify__weak-key': ['certificate-untrusted', 'smtp_tls_security_level'],
  'secure__ex2010': ['legacy-signature', 'smtp_tls_security_level'],
  'secure__modern-wrongname': ['certificate-name-mismatch', 'smtp_tls_security_level'],
  'verify-untrusted__modern': ['certificate-untrusted', 'smtp_tls_CAfile'],
  'verify-untrusted__ex2019': ['certificate-untrusted', 'smtp_tls_CAfile'],
  'may-hole__modern': ['no-shared-protocol', 'smtp_tls_protocols'],
  'may-hole__ex2019': ['no-shared-protocol', 'smtp_tls_protocols'],
  'may-seclevel3__tls10-rsa': ['no-shared-protocol', 'tls_medium_cipherlist'],
  'may-x448__ex2019': ['no-shared-cipher', 'tls_eecdh_auto_curves'],
  'may-x448__modern': ['no-shared-cipher', 'tls_eecdh_auto_curves'],
  'verify-noca__modern': ['certificate-untrusted', 'smtp_tls_CAfile'],
  'dane-only__ex2019': ['policy-lookup-error', 'smtp_tls_security_level'],
  'fingerprint-empty__modern': ['policy-lookup-error', 'smtp_tls_security_level'],
  'may-badproto__modern': ['tls-library-error', 'smtp_tls_protocols'],
  'may-badcipherlist__ex2019': ['tls-library-error', 'tls_medium_cipherlist'],
  'encrypt-badexclude__modern': ['tls-library-error', 'smtp_tls_mandatory_exclude_ciphers'],
  'encrypt-nokrsa__tls10-rsa': ['no-shared-cipher', 'smtp_tls_mandatory_exclude_ciphers'],
  'may-reuse-seclevel2__ex2010': ['legacy-signature', 'tls_medium_cipherlist'],
  'encrypt-reuse-mand12__tls10-rsa': ['no-shared-protocol', 'smtp_tls_mandatory_protocols'],
};

const labLog = read('lab', 'maillog');
const INBOUND_LAB = join(ROOT, 'test', 'fixtures', 'lab-logs', 'inbound');

test('the lab log: the right cause for every failing cell, no incident for a cell that delivered fine', () => {
  const out = collect([labLog]);
  const byCell = new Map<string, Incident[]>();
  for (const i of out.incidents) {
    const cell = cellOf.get(i.service);
    assert.ok(cell, `incident for an unknown service ${i.service}`);
    byCell.set(cell, [...(byCell.get(cell) ?? []), i]);
  }
  for (const [cell, [cause]] of Object.entries(LAB_EXPECTED)) {
    const got = byCell.get(cell) ?? [];
    assert.deepEqual(got.map((i) => i.cause), [cause], `cell ${cell}`);
    assert.equal(got[0].direction, 'outbound');
    assert.equal(got[0].hostname, 'localhost');
    assert.ok(got[0].count >= 2, `${cell}: first attempt and retry`);
    assert.ok(got[0].evidence.length >= 1 && got[0].evidence.length <= 5);
    // may falls back to plaintext on the retry; encrypt and above (and a policy that cannot be met) keep it deferred.
    assert.equal(got[0].delivery, cell.startsWith('may') ? 'plaintext' : 'deferred', cell);
  }
  for (const cell of byCell.keys()) assert.ok(cell in LAB_EXPECTED, `unexpected incident for cell ${cell}`);
  // Delivered fine (TLS, or plaintext at may/none by design) -> counted in the summary only.
  assert.ok(out.summary.outbound.tls >= 60, `TLS deliveries counted: ${out.summary.outbound.tls}`);
  assert.ok(out.summary.outbound.plaintext >= 10);
});

test('the lab log with the lab configuration: the master.cf -o line responsible, agreeing with the handshake predictor', () => {
  const ctx = configContext(fixture('lab', 'etc'));
  const master = readFileSync(fixture('lab', 'etc', 'master.cf'), 'utf8').split('\n');
  const out = collect([labLog], null, withConfig(fixture('lab', 'etc')));
  assert.equal(out.incidents.length, Object.keys(LAB_EXPECTED).length);
  for (const i of out.incidents) {
    const cell = cellOf.get(i.service) as string;
    const [, param] = LAB_EXPECTED[cell];
    assert.equal(i.parameter, param, cell);
    assert.ok(i.file?.endsWith('master.cf'), `${cell}: ${i.file}`);
    assert.match(master[(i.line as number) - 1], new RegExp(`-o \\{ ${param} =`), `${cell}: line ${i.line}`);
    assert.match(i.explanation, /The handshake predictor agrees/, cell);
    assert.ok(i.fix.length > 0 && i.confirm.length > 0);
  }
  // The same agreement through the library, on the prediction itself.
  const c = new Collector(null);
  const parser = new LineParser(Date.UTC(2026, 11, 4));
  for (const line of labLog.split('\n')) if (line) c.add(line, parser, 0);
  const collected = c.finish();
  for (const rec of collected.records) {
    const e = explainWithConfig(ctx, rec, collected.book.deliveryOf(rec));
    assert.ok(e.agreement, `${rec.service}: no agreeing peer`);
    assert.equal(predictedCause(e.agreement.prediction), rec.cause, rec.service);
    assert.equal(e.serviceName, rec.service.split('/')[1]);
  }
});

test('the lab log with the lab configuration: the fix is a per-destination policy entry where one helps', () => {
  const out = collect([labLog], null, withConfig(fixture('lab', 'etc')));
  const fixOf = (cell: string) => out.incidents.find((i) => cellOf.get(i.service) === cell)?.fix ?? '';
  assert.match(fixOf('may-tls12__ex2010'), /TLS policy entry "\[localhost\]:\d+ may protocols=>=TLSv1"/);
  assert.match(fixOf('may-nosha1__ex2010'), /TLS policy entry "\[localhost\]:\d+ may exclude="/);
  assert.match(fixOf('encrypt-mand12__tls10-rsa'), /"\[localhost\]:\d+ encrypt protocols=>=TLSv1"/);
  assert.match(fixOf('verify__ex2010'), /"\[localhost\]:\d+ verify exclude=kEECDH:kEDH"/);
  // @SECLEVEL in the cipher list and the group list cannot be changed per destination.
  assert.match(fixOf('may-seclevel2__dhe-1024'), /No TLS policy entry restores TLS.*remove its @SECLEVEL.*master\.cf:\d+/);
  assert.match(fixOf('may-x448__modern'), /an entry cannot change tls_eecdh_auto_curves/);
  assert.match(fixOf('verify__modern-wrongname'), /"\[localhost\]:\d+ encrypt"/);
});

const generated = read('generated', 'maillog');
const run = JSON.parse(read('generated', 'run.json')) as { inbound: Record<string, number>; outbound: Record<string, number> };

/** [direction, service, address, port, cause, delivery, parameter, file name] */
type Row = [string, string, string, number | null, Cause, string, string | null, string | null];
const GENERATED: Row[] = [
  ['outbound', 'postfix/smtp', '127.0.0.1', run.outbound.expired, 'certificate-expired', 'deferred', 'smtp_tls_security_level', 'tls_policy'],
  ['outbound', 'postfix/smtp', '127.0.0.1', run.outbound.ex2010, 'no-shared-protocol', 'deferred', 'smtp_tls_mandatory_protocols', 'tls_policy'],
  ['outbound', 'postfix/smtp', '127.0.0.1', run.outbound.drop, 'connection-lost', 'plaintext', null, null],
  ['outbound', 'postfix/smtp', '127.0.0.1', run.outbound.hangup, 'connection-lost', 'deferred', null, null],
  ['outbound', 'postfix/smtp', '127.0.0.1', run.inbound.mx2, 'starttls-rejected', 'deferred', 'smtp_tls_security_level', 'tls_policy'],
  ['outbound', 'postfix/reuse/smtp', '127.0.0.1', run.outbound.modern, 'tlsproxy-unavailable', 'plaintext', 'smtp_tls_connection_reuse', 'master.cf'],
  ['outbound', 'postfix/badmap/smtp', '', run.outbound.modern, 'policy-lookup-error', 'deferred', 'smtp_tls_policy_maps', 'master.cf'],
  ['inbound', 'postfix/smtpd', '127.0.0.10', null, 'client-no-shared-protocol', 'plaintext', 'smtpd_tls_protocols', 'main.cf'],
  ['inbound', 'postfix/smtpd', '127.0.0.11', null, 'client-no-shared-cipher', 'unknown', 'smtpd_tls_exclude_ciphers', 'main.cf'],
  ['inbound', 'postfix/smtpd', '127.0.0.12', null, 'client-lost-connection', 'unknown', null, null],
  ['inbound', 'postfix/submission/smtpd', '127.0.0.14', null, 'starttls-required', 'rejected', 'smtpd_tls_security_level', 'master.cf'],
  ['inbound', 'postfix/msa/smtpd', '127.0.0.16', null, 'auth-without-tls', 'rejected', 'smtpd_tls_auth_only', 'master.cf'],
  ['inbound', 'postfix/mx2/smtpd', '127.0.0.18', null, 'server-tls-unavailable', 'plaintext', 'smtpd_tls_cert_file', 'master.cf'],
  ['inbound', 'postfix/mx2/smtpd', '127.0.0.1', null, 'server-tls-unavailable', 'unknown', 'smtpd_tls_cert_file', 'master.cf'],
  ['inbound', 'postfix/mx3/smtpd', '127.0.0.19', null, 'server-tls-unavailable', 'unknown', 'smtpd_tls_chain_files', 'master.cf'],
];

function row(i: Incident): string {
  return [i.direction, i.service, i.address ?? '', i.port, i.cause].join(' ');
}

test('the private smtpd/smtp instance: every inbound cause and the outbound causes the lab has no cell for', () => {
  const plain = collect([generated]);
  const configured = collect([generated], null, withConfig(fixture('generated', 'etc')));
  for (const out of [plain, configured]) {
    assert.deepEqual(out.incidents.map(row).sort(), GENERATED.map((r) => [r[0], r[1], r[2], r[3], r[4]].join(' ')).sort());
    for (const r of GENERATED) {
      const i = out.incidents.find((x) => row(x) === [r[0], r[1], r[2], r[3], r[4]].join(' ')) as Incident;
      assert.equal(i.delivery, r[5], `${r[4]} ${r[2]}`);
    }
  }
  for (const i of plain.incidents) assert.deepEqual([i.parameter, i.file, i.line], [null, null, null]);
  for (const r of GENERATED) {
    const i = configured.incidents.find((x) => row(x) === [r[0], r[1], r[2], r[3], r[4]].join(' ')) as Incident;
    assert.equal(i.parameter, r[6], `${r[4]}`);
    assert.equal(i.file === null ? null : i.file.split('/').pop(), r[7], `${r[4]}`);
    if (i.file !== null) {
      const text = readFileSync(i.file, 'utf8').split('\n')[(i.line as number) - 1];
      const setting = i.file.endsWith('tls_policy') ? /\b(verify|encrypt)\b/ : new RegExp((i.parameter as string).replace(/^smtp_tls_mandatory_protocols$/, 'protocols'));
      assert.match(text, setting, `${r[4]}: ${i.file}:${i.line}`);
    }
  }
  // Sessions that went well are no incidents: the good clients, the ok.test delivery.
  for (const fine of ['127.0.0.13', '127.0.0.15', '127.0.0.17']) assert.ok(!plain.incidents.some((i) => i.address === fine), fine);
  assert.ok(!plain.incidents.some((i) => i.port === run.inbound.smtp), 'ok.test was delivered over TLS');
});

test('an outbound incident with --config names the policy entry and its fix', () => {
  const out = collect([generated], null, withConfig(fixture('generated', 'etc')));
  const legacy = out.incidents.find((i) => i.port === run.outbound.ex2010) as Incident;
  assert.match(legacy.explanation, /TLS policy entry "\[localhost\]:\d+ encrypt protocols=>=TLSv1\.2"/);
  assert.match(legacy.fix, /Replace the TLS policy entry "\[localhost\]:\d+ encrypt protocols=>=TLSv1"/);
  assert.match(legacy.confirm, /^MAIL_CONFIG=\S+ posttls-finger -c -l encrypt -p '>=TLSv1\.2' "\[localhost\]:\d+"$/);
  const expired = out.incidents.find((i) => i.cause === 'certificate-expired') as Incident;
  assert.match(expired.fix, /change the TLS policy entry "\[localhost\]:\d+ verify" \(\S+tls_policy:\d+\) to level encrypt/);
  const reuse = out.incidents.find((i) => i.cause === 'tlsproxy-unavailable') as Incident;
  assert.match(reuse.fix, /tlsproxy {2}unix/);
});

test('tentative inbound incidents: kept only when the log or the configuration backs them', () => {
  const lines = generated.split('\n');
  const submissionPlain = lines.filter((l) => /postfix\/submission\/smtpd\[\d+\]: (connect|disconnect) from unknown\[127\.0\.0\.14\]/.test(l));
  assert.equal(submissionPlain.length, 2);
  // The same refusal on a service where another client delivered in plaintext: MAIL failed for another reason.
  const accepted = submissionPlain.map((l) => l.replace('127.0.0.14', '127.0.0.99').replace(/mail=0\/1 rcpt=0\/1 data=0\/1 quit=1 commands=2\/5/, 'mail=1 rcpt=1 data=1 quit=1 commands=5'));
  assert.equal(collect([submissionPlain.join('\n')]).incidents.length, 1);
  assert.equal(collect([[...submissionPlain, ...accepted].join('\n')]).incidents.length, 0);
  // AUTH refused in plaintext on a service where nobody used AUTH after STARTTLS (a port-25 spam bot): no incident.
  const authPlain = lines.filter((l) => /postfix\/msa\/smtpd\[\d+\]: (connect|disconnect) from unknown\[127\.0\.0\.16\]/.test(l));
  assert.equal(collect([authPlain.join('\n')]).incidents.length, 0);
  assert.equal(collect([lines.filter((l) => l.includes('postfix/msa/')).join('\n')]).incidents.length, 1);
  // With the configuration the service's own settings decide, whatever the rest of the log shows.
  assert.deepEqual(collect([authPlain.join('\n')], null, withConfig(fixture('generated', 'etc'))).incidents.map((i) => i.parameter), ['smtpd_tls_auth_only']);
  const asSmtpd = authPlain.map((l) => l.replace('postfix/msa/smtpd', 'postfix/smtpd'));
  assert.equal(collect([asSmtpd.join('\n')], null, withConfig(fixture('generated', 'etc'))).incidents.length, 0, 'the port-25 service has no SASL');
});

test('posttls-finger -c -Ldebug transcripts (generated against the same peers)', () => {
  const t = (name: string) => read('posttls-finger', `${name}.txt`);
  const out = collect([t('no-shared-protocol'), t('certificate-expired'), t('certificate-name-mismatch'), t('ok')]);
  assert.deepEqual(out.incidents.map((i) => [i.cause, i.service, i.first, i.delivery]).sort(), [
    ['certificate-expired', 'posttls-finger', null, 'unknown'],
    ['certificate-name-mismatch', 'posttls-finger', null, 'unknown'],
    ['no-shared-protocol', 'posttls-finger', null, 'unknown'],
  ]);
  assert.equal(collect([t('ok')]).incidents.length, 0);
});

test('lines from documents only: OpenSSL 1.1.1 and Postfix 2.x error strings, rarer message variants', () => {
  const out = collect([read('documents', 'openssl-1.1.1.log'), read('documents', 'variants.log')]);
  const by = (host: string) => out.incidents.filter((i) => i.hostname === host).map((i) => [i.cause, i.delivery]);
  assert.deepEqual(by('mail.example.com').sort(), [['no-shared-protocol', 'deferred'], ['tlsproxy-unavailable', 'bounced']]);
  assert.deepEqual(by('mx.example.net').sort(), [['connection-lost', 'deferred'], ['no-shared-cipher', 'deferred']]);
  assert.deepEqual(by('mx.example.org'), [['dh-key-too-small', 'deferred']]);
  assert.deepEqual(by('relay.example.org'), [['connection-lost', 'deferred']]);
  assert.deepEqual(by('lb.example.com'), [['connection-lost', 'deferred']]);
  assert.deepEqual(by('smarthost.example.net'), [['tls-library-error', 'deferred']]);
  assert.deepEqual(by('legacy.example.org'), [['no-shared-cipher', 'deferred']]);
  assert.deepEqual(by('exchange.example.com'), [['no-shared-protocol', 'deferred']]);
  assert.deepEqual(by('old.example.com'), [['client-no-shared-protocol', 'unknown']]);
  assert.deepEqual(by('bank.example.net'), [['client-no-shared-cipher', 'unknown']]);
  assert.deepEqual(by('laptop.example.net'), [['starttls-required', 'rejected']]);
  // Two MX hosts fail in one attempt: the status line names the second, both belong to the message.
  assert.deepEqual(by('mx1.example.info'), [['no-shared-protocol', 'deferred']]);
  assert.deepEqual(by('mx2.example.info'), [['no-shared-protocol', 'deferred']]);
  const proxied = out.incidents.find((i) => i.hostname === 'exchange.example.com') as Incident;
  assert.equal(proxied.service, 'postfix/smtp', 'a shared tlsproxy failure is joined to the smtp status line by peer address');
  assert.equal(proxied.evidence.length, 3);
});

test('every cause has a fixture from a real Postfix log (except where the index says documents only)', () => {
  const real = [
    collect([labLog]), collect([generated]),
    collect(['no-shared-protocol', 'certificate-expired', 'certificate-name-mismatch'].map((n) => read('posttls-finger', `${n}.txt`))),
    // The inbound lab's smtpd logs (checked cell by cell in inbound-lab.test.ts).
    collect(readdirSync(INBOUND_LAB).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(INBOUND_LAB, f), 'utf8'))),
  ].flatMap((o) => o.incidents.map((i) => i.cause));
  const index = read('INDEX.md');
  for (const cause of [...OUTBOUND_CAUSES, ...INBOUND_CAUSES]) {
    assert.ok(real.includes(cause), `no real fixture for ${cause}`);
    assert.match(index, new RegExp(`\\| \`${cause}\` \\|`), `${cause} is missing from the fixture index`);
  }
});

test('the lab checks diagnose on its own log (lab/diagnose-check.ts): agreement passes, a wrong expectation is caught', async () => {
  const { checkDiagnose } = await import('../../lab/diagnose-check.js');
  const { CONFIGS } = await import('../../lab/matrix.js');
  const ctx = configContext(fixture('lab', 'etc'));
  type Result = Parameters<typeof checkDiagnose>[1][number];
  const results = cells.map((c) => {
    const config = CONFIGS.find((x) => x.id === c.cell.split('__')[0]);
    assert.ok(config, c.cell);
    const expected = LAB_EXPECTED[c.cell];
    const outcome = !expected ? 'tls' : expected[0] === 'starttls-not-offered' ? 'no-starttls' : /^certificate|policy-lookup/.test(expected[0]) ? 'verification-failure' : 'handshake-failure';
    const settings = [...config.fragment, ...(config.trustAnchor === 'other-ca' ? [['smtp_tls_CAfile', '/srv/lab/certs/other-ca.crt'] as const] : [])];
    return { cell: { id: c.cell, service: c.service }, observed: { outcome, delivery: expected ? 'deferred' : 'tls' }, mainCfSettings: settings } as unknown as Result;
  });
  assert.deepEqual([...checkDiagnose(labLog, results, ctx, Date.UTC(2026, 11, 4))], []);
  const wrong = results.map((r) => (r.cell.id === 'may-tls12__ex2010' ? ({ ...r, observed: { ...r.observed, outcome: 'tls' } } as Result) : r));
  assert.deepEqual([...checkDiagnose(labLog, wrong, ctx, Date.UTC(2026, 11, 4)).keys()], ['may-tls12__ex2010']);
});
