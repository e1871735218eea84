/**
 * The inbound lab's helpers (no root needed), and its recorded results as a
 * regression test: every cell in test/fixtures/lab-logs/inbound was run
 * against a real smtpd; the predictor must still say what smtpd did.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildInboundCells, SERVER_CONFIGS } from '../../lab/inbound/matrix.js';
import { labClient } from '../../lab/inbound/clients.js';
import { serverMainCf, serverMasterCf, type CertFiles } from '../../lab/inbound/server-instance.js';
import { classifyInbound, serverSessions } from '../../lab/inbound/observe.js';
import { clientTlsOptions, type SessionRecord } from '../../lab/inbound/smtp-client.js';
import { parseLogLine } from '../../lab/log.js';
import { buildWholeConfig } from '../../src/model/whole-config.js';
import { findServerServices } from '../../src/model/server-services.js';
import { predictInbound } from '../../src/interop/predict-inbound.js';
import type { ServiceCertificateStatus } from '../../src/model/tls-files.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/lab-logs/inbound/', import.meta.url));
const CERTS: CertFiles = {
  rsa: { key: '/lab/certs/server-rsa.key', cert: '/lab/certs/server-rsa.crt' },
  ecdsa: { key: '/lab/certs/server-ecdsa.key', cert: '/lab/certs/server-ecdsa.crt' },
  kinds: {
    rsa: { settings: [], label: 'rsa' },
    ecdsa: { settings: [['smtpd_tls_chain_files', '/lab/certs/server-ecdsa.key,/lab/certs/server-ecdsa.crt']], label: 'ecdsa' },
    none: { settings: [['smtpd_tls_chain_files', '']], label: 'none' },
    'missing-key': { settings: [['smtpd_tls_chain_files', ''], ['smtpd_tls_cert_file', '/lab/certs/server-rsa.crt'], ['smtpd_tls_key_file', '/lab/certs/missing.key']], label: 'missing key' },
    'key-mismatch': { settings: [['smtpd_tls_chain_files', '/lab/certs/stray.key,/lab/certs/server-rsa.crt']], label: 'key mismatch' },
    expired: { settings: [['smtpd_tls_chain_files', '/lab/certs/server-expired.key,/lab/certs/server-expired.crt']], label: 'expired' },
  },
};

interface IndexEntry {
  cell: string;
  log: string;
  service: string;
  config: { id: string };
  client: { id: string };
  observed: { outcome: string; delivery: string; protocol: string | null; cipher: string | null };
  predictedMatch: boolean;
  /** Broken certificate material: the first sentence of the lint finding the lab checked against the observation. */
  lint?: { ruleId: string; message: string };
}

/** What the certificate files told the predictor in the lab, per certificate kind (the files themselves are gone). */
function statusOf(kind: string): ServiceCertificateStatus | undefined {
  if (kind === 'missing-key' || kind === 'key-mismatch') return { loadFailure: { detail: kind, log: '' } };
  if (kind === 'expired') return { keyTypes: ['RSA'], notValid: ['the certificate expired'] };
  return undefined;
}

test('the matrix covers what the issue asks for: may, encrypt, a >=TLSv1.2 floor, SHA1 and CBC exclusions, an inclusion list, wrapper mode, auth_only', () => {
  const has = (id: string, n: string, v: string) => SERVER_CONFIGS.some((c) => c.id === id && c.settings.some(([a, b]) => a === n && b === v));
  assert.ok(has('may', 'smtpd_tls_security_level', 'may'));
  assert.ok(has('encrypt', 'smtpd_tls_security_level', 'encrypt'));
  assert.ok(has('may-tls12', 'smtpd_tls_protocols', '>=TLSv1.2'));
  assert.ok(has('may-nosha1', 'smtpd_tls_exclude_ciphers', 'SHA1'));
  assert.ok(has('may-nocbc', 'smtpd_tls_exclude_ciphers', 'CBC'));
  assert.ok(has('may-include-tls1', 'smtpd_tls_protocols', 'TLSv1'));
  assert.ok(has('wrapper', 'smtpd_tls_wrappermode', 'yes'));
  assert.ok(has('may-authonly', 'smtpd_tls_auth_only', 'yes'));
  const cells = buildInboundCells();
  assert.ok(cells.length >= 80);
  assert.equal(new Set(cells.map((c) => c.id)).size, cells.length);
});

test('server files: one 127.0.0.1 smtpd per configuration with its own syslog_name; certificates by kind', () => {
  const services = SERVER_CONFIGS.map((config, i) => ({ name: `s${i + 1}`, port: 40000 + i, config }));
  const master = serverMasterCf(services, CERTS);
  assert.match(master, /^127\.0\.0\.1:40000 inet n - n - - smtpd\n {2}-o syslog_name=postfix\/s1\n/m);
  assert.match(master, /-o smtpd_tls_chain_files=\/lab\/certs\/server-ecdsa\.key,\/lab\/certs\/server-ecdsa\.crt/);
  assert.match(master, /-o smtpd_tls_chain_files=\n/);
  assert.match(master, /-o \{ smtpd_tls_security_level = may \}|-o smtpd_tls_security_level=may/);
  const main = serverMainCf('/lab', CERTS, 12345);
  assert.match(main, /^smtpd_client_port_logging = yes$/m);
  assert.match(main, /^smtpd_sasl_path = inet:127\.0\.0\.1:12345$/m);
});

test('client TLS options follow the profile (protocol range, suite order with @SECLEVEL=0, groups)', () => {
  const o = clientTlsOptions(labClient('ex2010').profile);
  assert.deepEqual([o.minVersion, o.maxVersion, o.ecdhCurve], ['TLSv1', 'TLSv1', 'P-256:P-384']);
  assert.match(String(o.ciphers), /^ECDHE-RSA-AES256-SHA384:.*:@SECLEVEL=0$/);
  assert.doesNotMatch(String(o.ciphers), /RC4|DES-CBC3/);
});

test('smtpd sessions by client port; classification against what the client saw', () => {
  const raw = [
    'Dec 03 13:32:31 mx postfix/s16/smtpd[6994]: warning: No server certs available. TLS won\'t be enabled',
    'Dec 03 13:32:33 mx postfix/s04/smtpd[2874]: connect from localhost[127.0.0.1]:60454',
    'Dec 03 13:32:33 mx postfix/s04/smtpd[2874]: SSL_accept error from localhost[127.0.0.1]:60454: -1',
    'Dec 03 13:32:33 mx postfix/s04/smtpd[2874]: warning: TLS library problem: error:0A000102:SSL routines::unsupported protocol:../ssl/statem/statem_srvr.c:1664:',
    'Dec 03 13:32:33 mx postfix/s04/smtpd[2874]: lost connection after STARTTLS from localhost[127.0.0.1]:60454',
    'Dec 03 13:32:33 mx postfix/s04/smtpd[2874]: disconnect from localhost[127.0.0.1]:60454 ehlo=1 starttls=0/1 commands=1/2',
    'Dec 03 13:32:33 mx postfix/s16/smtpd[6994]: connect from localhost[127.0.0.1]:33324',
    'Dec 03 13:32:33 mx postfix/s16/smtpd[6994]: D2EA4212087: client=localhost[127.0.0.1]:33324',
    'Dec 03 13:32:33 mx postfix/s16/smtpd[6994]: disconnect from localhost[127.0.0.1]:33324 ehlo=1 starttls=0/1 mail=1 rcpt=1 data=1 quit=1 commands=5/6',
  ];
  const entries = raw.map((r) => ({ line: parseLogLine(r)!, raw: r }));
  const s04 = serverSessions(entries, 's04').get(60454)!;
  assert.ok(s04.handshakeFailed && !s04.accepted && s04.tls === null);
  const s16 = serverSessions(entries, 's16').get(33324)!;
  assert.match(s16.lines[0], /No server certs available/, 'start-up lines go with the session');
  assert.ok(s16.accepted);
  const rec = (p: Partial<SessionRecord>): SessionRecord => ({ localPort: 0, starttlsOffered: true, authOffered: false, starttlsReply: null, tls: null, certificate: null, tlsError: null, authReply: null, mailReply: null, dataReply: null, gaveUp: null, ...p });
  const failed = classifyInbound({ sessions: [rec({ localPort: 60454, starttlsReply: '220 2.0.0 Ready to start TLS', tlsError: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', gaveUp: null })] }, serverSessions(entries, 's04'), { wrapper: false, starttlsNever: false });
  assert.deepEqual([failed.outcome, failed.delivery, failed.problems], ['handshake-failure', 'deferred', []]);
  const plain = classifyInbound({ sessions: [rec({ localPort: 33324, starttlsReply: '454 4.7.0 TLS not available due to local problem', mailReply: '250 2.1.0 Ok', dataReply: '250 2.0.0 Ok: queued as D2EA4212087' })] }, serverSessions(entries, 's16'), { wrapper: false, starttlsNever: false });
  assert.deepEqual([plain.outcome, plain.delivery, plain.problems], ['no-starttls', 'plaintext', []]);
  const disagree = classifyInbound({ sessions: [rec({ localPort: 33324, tls: { protocol: 'TLSv1.3', cipher: 'X' }, dataReply: '250 ok' })] }, serverSessions(entries, 's16'), { wrapper: false, starttlsNever: false });
  assert.match(disagree.problems.join(), /smtpd logged no TLS/);
});

test('recorded lab cells: the fixtures are complete, and the predictor still says what the real smtpd did', () => {
  const index = JSON.parse(readFileSync(fixtures + 'index.json', 'utf8')) as IndexEntry[];
  const cells = buildInboundCells();
  assert.deepEqual(index.map((e) => e.cell).sort(), cells.map((c) => c.id).sort(), 'run `npm run lab -- --write-docs` after changing the matrix');
  assert.ok(index.every((e) => e.predictedMatch), 'every recorded cell matched its prediction');
  const services = SERVER_CONFIGS.map((config, i) => ({ name: `s${String(i + 1).padStart(2, '0')}`, port: 40000 + i, config }));
  const config = buildWholeConfig({ main: { path: 'main.cf', text: serverMainCf('/lab', CERTS, 12345) }, master: { path: 'master.cf', text: serverMasterCf(services, CERTS) } }, { postfixVersion: '3.7' });
  for (const e of index) {
    assert.ok(existsSync(fixtures + e.log), `${e.log} exists`);
    const cell = cells.find((c) => c.id === e.cell)!;
    const svc = findServerServices(config.server, `127.0.0.1:${services.find((s) => s.config.id === cell.config.id)!.port}`)[0];
    const certificates = statusOf(cell.config.cert);
    const p = predictInbound(svc, cell.client.profile, certificates ? { certificates } : {});
    assert.deepEqual([p.outcome, p.delivery, p.protocol, p.cipher], [e.observed.outcome, e.observed.delivery, e.observed.protocol, e.observed.cipher], e.cell);
  }
});

test('recorded lab cells with broken certificate material: what the sender saw, and the lint finding the lab checked against it', () => {
  const index = JSON.parse(readFileSync(fixtures + 'index.json', 'utf8')) as IndexEntry[];
  const by = (id: string) => index.filter((e) => e.config.id === id);
  // A missing key or a key that does not match: STARTTLS is still announced and answered with 454; opportunistic senders go on in plaintext.
  for (const id of ['may-missing-key', 'may-key-mismatch']) {
    assert.ok(by(id).length > 0 && by(id).every((e) => e.observed.outcome === 'no-starttls'), id);
    assert.ok(by(id).every((e) => e.lint?.ruleId === 'certificate-load-failure' && /^smtpd cannot load its private key and certificate: /.test(e.lint.message)), id);
    assert.ok(readFileSync(fixtures + by(id)[0].log, 'utf8').includes('disabling TLS support'), `${id}: smtpd said it`);
  }
  assert.ok(by('encrypt-key-mismatch').every((e) => e.observed.delivery === 'rejected'));
  assert.ok(by('wrapper-key-mismatch').every((e) => e.observed.outcome === 'handshake-failure'));
  // An expired certificate: TLS as usual with senders that do not verify.
  assert.ok(by('may-expired').length > 0 && by('may-expired').every((e) => e.observed.outcome === 'tls' && e.lint?.ruleId === 'certificate-validity' && / expired on 2020-02-01\.$/.test(e.lint.message)));
});
