/** The inbound predictor and `handshake --inbound` / `clients` (clients connecting to our smtpd). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { buildWholeConfig } from '../../src/model/whole-config.js';
import { predictInbound } from '../../src/interop/predict-inbound.js';
import { DEFAULT_CLIENT_IDS, defaultClients, findBuiltinClient, loadBuiltinClients, loadClientFile, ClientFileError } from '../../src/interop/clients.js';
import { unknownCipherNames } from '../../src/interop/peers.js';
import type { ClientProfile } from '../../src/interop/client-types.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from './helpers.js';
import { CERT, STOCK_MASTER, SUBMISSION, SUBMISSIONS } from '../support/server-rule-tester.js';

const clientsDir = fileURLToPath(new URL('../../../data/clients/', import.meta.url));
const schemaPath = fileURLToPath(new URL('../../../schemas/client-profile.schema.json', import.meta.url));

function services(mainText: string, master?: string) {
  return buildWholeConfig({ main: { path: 'main.cf', text: mainText }, master: master === undefined ? null : { path: 'master.cf', text: master } }, { postfixVersion: '3.7.11' }).server.services;
}
const client = (id: string) => findBuiltinClient(id) as ClientProfile;
const brief = (p: ReturnType<typeof predictInbound>) => [p.outcome, p.delivery, p.protocol, p.cipher];

test('shipped client profiles: valid, named after their id, known suite names, the families the issue lists', () => {
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  for (const f of readdirSync(clientsDir).filter((x) => x.endsWith('.json'))) {
    const json = JSON.parse(readFileSync(join(clientsDir, f), 'utf8')) as ClientProfile;
    assert.ok(validate(json), `${f}: ${JSON.stringify(validate.errors)}`);
    assert.equal(`${json.id}.json`, f);
    assert.deepEqual(unknownCipherNames(json), [], f);
    assert.ok(json.sources.length > 0 && json.confidence, `${f}: sources and confidence`);
  }
  const ids = new Set(loadBuiltinClients().map((c) => c.id));
  for (const id of ['exchange-2010-ws2008r2', 'exchange-2013-ws2012r2', 'exchange-2016-ws2016', 'exchange-2019-ws2019', 'exchange-online', 'gmail', 'postfix-openssl3', 'openssl101-mta', 'java-8-mailer', 'java-11-mailer', 'printer-tls10', 'outlook-2010-win7', 'thunderbird-current']) assert.ok(ids.has(id), id);
  assert.deepEqual(defaultClients().map((c) => c.id), [...DEFAULT_CLIENT_IDS]);
});

test('client files are read leniently: enum case, OpenSSL group aliases, no confidence/sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clients-'));
  const p = join(dir, 'c.json');
  writeFileSync(p, JSON.stringify({ id: 'my-printer', description: 'x', kind: 'Device', sendsTo: 'Submission', starttls: 'Opportunistic', implicitTls: false, auth: true, onTlsFailure: 'DEFER', protocols: ['tlsv1', 'TLSv1.0'], ciphers: ['AES128-SHA'], groups: ['X25519', 'P-256', 'prime256v1'] }));
  const c = loadClientFile(p);
  assert.deepEqual([c.kind, c.sendsTo, c.starttls, c.onTlsFailure, c.confidence], ['device', 'submission', 'opportunistic', 'defer', 'low']);
  assert.deepEqual(c.protocols, ['TLSv1']);
  assert.deepEqual(c.groups, ['x25519', 'secp256r1']);
  writeFileSync(p, JSON.stringify({ id: 'x', description: 'x', kind: 'mta', sendsTo: 'mx', starttls: 'maybe', implicitTls: false, auth: false, onTlsFailure: 'plaintext', protocols: ['TLSv1.2'], ciphers: ['NOPE-SHA'], groups: [] }));
  assert.throws(() => loadClientFile(p), (e: Error) => e instanceof ClientFileError && /field "starttls" must be one of/.test(e.message));
});

test('level may: TLS with the client order; handshake failure then the client decides (defer, or plaintext)', () => {
  const [mx] = services(`${CERT}smtpd_tls_security_level = may\nsmtpd_tls_protocols = >=TLSv1.2\n`);
  assert.deepEqual(brief(predictInbound(mx, client('exchange-2019-ws2019'))), ['tls', 'tls', 'TLSv1.2', 'ECDHE-RSA-AES256-GCM-SHA384']);
  const ex2010 = predictInbound(mx, client('exchange-2010-ws2008r2'));
  assert.deepEqual(brief(ex2010), ['handshake-failure', 'deferred', null, null]);
  assert.match(ex2010.reason, /no common protocol.*alert 70/);
  // main.cf sets no myhostname: the server is MX_HOST, to be set by whoever runs the check.
  assert.match(ex2010.confirm, /^openssl s_client -connect "\$\{MX_HOST:\?set MX_HOST to [^}"]*\}":25 -starttls smtp -min_protocol TLSv1 -max_protocol TLSv1 -cipher /);
  const fallback = { ...client('postfix-openssl3'), id: 'pf', protocols: ['TLSv1'] as const };
  assert.deepEqual(brief(predictInbound(mx, fallback)), ['handshake-failure', 'plaintext', null, null]);
});

test('level encrypt: a client without TLS gets 530 (rejected); a failed handshake cannot fall back', () => {
  const [mx] = services(`${CERT}smtpd_tls_security_level = encrypt\nsmtpd_tls_mandatory_protocols = >=TLSv1.2\n`);
  const never = { ...client('postfix-openssl3'), id: 'never', starttls: 'never' as const };
  assert.deepEqual(brief(predictInbound(mx, never)), ['starttls-required', 'rejected', null, null]);
  const old = { ...client('postfix-openssl3'), id: 'old', protocols: ['TLSv1'] as const };
  assert.deepEqual(brief(predictInbound(mx, old)), ['handshake-failure', 'rejected', null, null]);
});

test('level none and a missing certificate: no STARTTLS (454); required clients keep their mail', () => {
  const [none] = services('smtpd_tls_security_level = none\n');
  assert.deepEqual(brief(predictInbound(none, client('gmail'))), ['no-starttls', 'plaintext', null, null]);
  assert.deepEqual(brief(predictInbound(none, client('thunderbird-current'))), ['no-starttls', 'deferred', null, null]);
  const [nocert] = services('smtpd_tls_security_level = may\n');
  const p = predictInbound(nocert, client('gmail'));
  assert.deepEqual(brief(p), ['no-starttls', 'plaintext', null, null]);
  assert.match(p.reason, /454 4\.7\.0/);
});

test('AUTH: without TLS and with auth_only the client cannot authenticate; no SASL at all is no AUTH either', () => {
  const [mx, sub] = services(`${CERT}smtpd_tls_security_level = may\nsmtpd_tls_auth_only = yes\nsmtpd_sasl_auth_enable = yes\n`, STOCK_MASTER + 'submission inet n - y - - smtpd\n');
  const noTls = { ...client('printer-tls10'), id: 'plain-printer', starttls: 'never' as const };
  const p = predictInbound(sub, noTls);
  assert.deepEqual(brief(p), ['plaintext', 'rejected', null, null]);
  assert.match(p.reason, /does not offer AUTH/);
  assert.deepEqual(brief(predictInbound(mx, client('printer-tls10'))), ['tls', 'tls', 'TLSv1', 'AES256-SHA']);
  const [nosasl] = services(`${CERT}smtpd_tls_security_level = may\n`);
  assert.equal(predictInbound(nosasl, client('thunderbird-current')).delivery, 'rejected');
});

test('wrapper mode: implicit-TLS clients handshake, others cannot talk; no plaintext retry', () => {
  const svc = services(CERT, STOCK_MASTER + SUBMISSIONS)[1];
  assert.equal(svc.role, 'submissions');
  const tb = predictInbound(svc, client('thunderbird-current'));
  assert.deepEqual(brief(tb), ['tls', 'tls', 'TLSv1.3', 'TLS_AES_128_GCM_SHA256']);
  assert.doesNotMatch(tb.confirm, /-starttls/);
  assert.deepEqual(brief(predictInbound(svc, client('java-8-mailer'))), ['handshake-failure', 'deferred', null, null]);
});

test('cipher selection: server preference, ECDSA certificate, no shared cipher, @SECLEVEL removes TLS 1.0', () => {
  const [pref] = services(`${CERT}smtpd_tls_security_level = may\ntls_preempt_cipherlist = yes\n`);
  assert.equal(predictInbound(pref, client('exchange-2010-ws2008r2')).cipher, 'ECDHE-RSA-AES256-SHA', 'OpenSSL order: 256-bit ECDHE first');
  const [ec] = services('smtpd_tls_eccert_file = /etc/ssl/ec.pem\nsmtpd_tls_security_level = may\n');
  assert.equal(predictInbound(ec, client('exchange-2016-ws2016')).cipher, 'ECDHE-ECDSA-AES256-GCM-SHA384');
  assert.match(predictInbound(ec, client('printer-tls10')).reason, /no shared cipher/);
  const [sec] = services(`${CERT}smtpd_tls_security_level = may\ntls_medium_cipherlist = aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH:@SECLEVEL=1\n`);
  const p = predictInbound(sec, client('exchange-2010-ws2008r2'));
  assert.equal(p.outcome, 'handshake-failure');
  assert.match(p.reason, /@SECLEVEL=1/);
});

test('handshake --inbound: JSON fields exactly as the contract spells them; --service, --client, errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'inbound-'));
  writeFileSync(join(dir, 'main.cf'), `${CERT}smtpd_tls_security_level = may\nsmtpd_tls_protocols = >=TLSv1.2\n`);
  writeFileSync(join(dir, 'master.cf'), STOCK_MASTER + SUBMISSION);
  let io = memoryIo(dir);
  assert.equal(await main(['handshake', '--inbound', '--format', 'json', dir], io), 1);
  const all = JSON.parse(io.out()) as Record<string, unknown>[];
  assert.deepEqual(Object.keys(all[0]), ['client', 'service', 'level', 'outcome', 'delivery', 'protocol', 'cipher', 'reason', 'confirm']);
  assert.deepEqual([...new Set(all.map((p) => p.service))], ['smtp', 'submission']);
  assert.ok(all.filter((p) => p.service === 'smtp').every((p) => findBuiltinClient(String(p.client))?.sendsTo === 'mx'));
  io = memoryIo(dir);
  assert.equal(await main(['handshake', '--inbound', '--service', 'submission', '--client', 'printer-tls10', '--format', 'json', join(dir, 'main.cf')], io), 0);
  const one = JSON.parse(io.out());
  assert.deepEqual(one.map((p: { client: string; service: string; level: string; outcome: string; delivery: string }) => [p.client, p.service, p.level, p.outcome, p.delivery]), [['printer-tls10', 'submission', 'encrypt', 'tls', 'tls']]);
  io = memoryIo(dir);
  assert.equal(await main(['handshake', '--inbound', '--client', 'nope', dir], io), 2);
  assert.match(io.err(), /unknown client "nope"/);
  io = memoryIo(dir);
  assert.equal(await main(['handshake', '--inbound', '--service', 'smtps', dir], io), 2);
  assert.match(io.err(), /no smtpd service "smtps".*smtp \(public-mx\), submission \(submission\)/);
  io = memoryIo(dir);
  assert.equal(await main(['handshake', '--inbound', '--client', 'gmail', dir], io), 0);
  assert.match(io.out(), /^SERVICE +CLIENT +LEVEL +OUTCOME/);
  assert.match(io.out(), /All 2 sessions use TLS\./);
  io = memoryIo(dir);
  assert.equal(await main(['clients', '--format', 'json'], io), 0);
  assert.ok((JSON.parse(io.out()) as { id: string; default: boolean }[]).some((c) => c.id === 'printer-tls10' && c.default));
});

test('handshake --inbound on a lone main.cf says the stock master.cf is assumed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'inbound-'));
  writeFileSync(join(dir, 'main.cf'), `${CERT}smtpd_tls_security_level = may\n`);
  const io = memoryIo(dir);
  assert.equal(await main(['handshake', '--inbound', dir], io), 0);
  assert.match(io.err(), /assuming the stock master\.cf/);
});
