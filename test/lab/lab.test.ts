/**
 * The interop lab's own helpers (no root, no Postfix needed): log reading,
 * classification, comparison, generated config files, peer options, matrix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellAttempts, parseLogLine, queueIds, type LogLine } from '../../lab/log.js';
import { classifyMessage, compare } from '../../lab/compare.js';
import { baseMainCf, masterCf } from '../../lab/postfix-instance.js';
import { nodeTlsOptions, startPeerServer, type ConnectionRecord } from '../../lab/peer-server.js';
import { LAB_PEERS, labPeer } from '../../lab/peers.js';
import { buildCells, CONFIGS } from '../../lab/matrix.js';
import { parsePeerProfile } from '../../src/interop/peers.js';
import type { Prediction } from '../../src/interop/types.js';

function lines(text: string): LogLine[] {
  return text.trim().split('\n').map((l) => parseLogLine(l.trim())).filter((l): l is LogLine => l !== null);
}

const LOG = lines(`
  Nov 29 02:09:13 client postfix/cleanup[16232]: 1D87923756B: message-id=<c07.1.x@client.interoplab.test>
  Nov 29 02:09:13 client postfix/cleanup[16232]: 2B1CE23757F: message-id=<c08.1.x@client.interoplab.test>
  Nov 29 02:09:13 client postfix/c07/smtp[16499]: SSL_connect error to localhost[127.0.0.1]:39795: -1
  Nov 29 02:09:13 client postfix/c07/smtp[16499]: warning: TLS library problem: error:0A00042E:SSL routines::tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1602:SSL alert number 70:
  Nov 29 02:09:13 client postfix/c08/smtp[16500]: Trusted TLS connection established to localhost[127.0.0.1]:40001: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256
  Nov 29 02:09:13 client postfix/c07/smtp[16499]: 1D87923756B: to=<rcpt1@c07.lab>, relay=localhost[127.0.0.1]:39795, delay=0.08, delays=0.01/0.01/0.05/0, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)
  Nov 29 02:09:13 client postfix/c08/smtp[16500]: 2B1CE23757F: to=<rcpt1@c08.lab>, relay=localhost[127.0.0.1]:40001, delay=0.2, delays=0.01/0.01/0.1/0.05, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued by lab peer)
  Nov 29 02:09:16 client postfix/c07/smtp[16510]: SSL_connect error to localhost[127.0.0.1]:39795: -1
  Nov 29 02:09:16 client postfix/c07/smtp[16510]: 1D87923756B: Cannot start TLS: handshake failure
  Nov 29 02:09:16 client postfix/c07/smtp[16510]: 1D87923756B: to=<rcpt1@c07.lab>, relay=localhost[127.0.0.1]:39795, delay=2.9, delays=2.8/0/0.05/0.05, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued by lab peer)
`);

function conn(p: Partial<ConnectionRecord>): ConnectionRecord {
  return { id: 1, helo: 'x', starttlsOffered: true, starttlsRequested: false, tls: null, tlsError: null, messages: [], ...p };
}

test('log: queue ids by message-id, attempts per cell service', () => {
  const q = queueIds(LOG);
  assert.equal(q.get('c07.1.x@client.interoplab.test'), '1D87923756B');
  const c07 = cellAttempts(LOG, 'c07');
  assert.equal(c07.length, 2);
  assert.equal(c07[0].status, 'deferred');
  assert.ok(c07[0].handshakeFailed);
  assert.match(c07[0].libraryErrors.join(' '), /alert protocol version/);
  assert.equal(c07[1].status, 'sent');
  assert.equal(c07[1].tls.length, 0);
  const c08 = cellAttempts(LOG, 'c08');
  assert.deepEqual(c08[0].tls, [{ trust: 'Trusted', reused: false, protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' }]);
  assert.equal(cellAttempts(LOG, 'c09').length, 0);
});

test('log: error-transport deferrals count as suspended attempts of the cell', () => {
  const l = lines(`Nov 29 02:09:13 client postfix/error[16506]: 2B1CE23757F: to=<rcpt3@c77.lab>, relay=none, delay=0.06, delays=0.04/0.01/0/0.01, dsn=4.7.5, status=deferred (delivery temporarily suspended: Cannot start TLS: handshake failure)`);
  assert.equal(cellAttempts(l, 'c77').length, 0);
  const a = cellAttempts(l, 'c77', new Set(['2B1CE23757F']));
  assert.equal(a.length, 1);
  assert.ok(a[0].suspended);
});

test('classify: handshake failure then plaintext retry; TLS; missing STARTTLS; config problem', () => {
  const fallback = classifyMessage(cellAttempts(LOG, 'c07'), [
    conn({ starttlsRequested: true, tlsError: 'ECONNRESET' }),
    conn({ id: 2, starttlsRequested: true }),
    conn({ id: 3, messages: [{ tls: false }] }),
  ]);
  assert.equal(fallback.outcome, 'handshake-failure');
  assert.equal(fallback.delivery, 'plaintext');
  assert.deepEqual(fallback.problems, []);

  const tls = classifyMessage(cellAttempts(LOG, 'c08'), [conn({ starttlsRequested: true, tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' }, messages: [{ tls: true }] })]);
  assert.deepEqual([tls.outcome, tls.delivery, tls.protocol, tls.cipher, tls.trust], ['tls', 'tls', 'TLSv1.3', 'TLS_AES_256_GCM_SHA384', 'Trusted']);
  // The peer's view must agree with the log.
  const disagree = classifyMessage(cellAttempts(LOG, 'c08'), [conn({ starttlsRequested: true, tls: { protocol: 'TLSv1.2', cipher: 'X' }, messages: [{ tls: true }] })]);
  assert.match(disagree.problems.join(), /peer never saw TLSv1\.3/);

  const required = lines(`
    Nov 29 02:09:13 client postfix/c09/smtp[1]: AAAAAA1: to=<r@c09.lab>, relay=localhost[127.0.0.1]:1, delay=0.1, delays=0/0/0/0, dsn=4.7.4, status=deferred (TLS is required, but was not offered by host localhost[127.0.0.1])
    Nov 29 02:09:16 client postfix/c09/smtp[1]: AAAAAA1: to=<r@c09.lab>, relay=localhost[127.0.0.1]:1, delay=0.1, delays=0/0/0/0, dsn=4.7.4, status=deferred (TLS is required, but was not offered by host localhost[127.0.0.1])`);
  const nst = classifyMessage(cellAttempts(required, 'c09'), [conn({ starttlsOffered: false })]);
  assert.deepEqual([nst.outcome, nst.delivery], ['no-starttls', 'deferred']);

  const cfg = lines(`
    Nov 29 02:10:25 client postfix/c83/smtp[2]: AAAAAA2: to=<r@c83.lab>, relay=none, delay=0.07, delays=0.04/0.04/0/0, dsn=4.7.5, status=deferred (client TLS configuration problem)
    Nov 29 02:10:28 client postfix/c83/smtp[2]: AAAAAA2: to=<r@c83.lab>, relay=none, delay=2.9, delays=2.9/0/0/0, dsn=4.7.5, status=deferred (client TLS configuration problem)`);
  assert.equal(classifyMessage(cellAttempts(cfg, 'c83'), []).outcome, 'verification-failure');

  assert.equal(classifyMessage([], []).outcome, 'lab-error');
});

test('compare: field differences and lab problems', () => {
  const p: Prediction = { peer: 'x', level: 'may', outcome: 'tls', delivery: 'tls', protocol: 'TLSv1.2', cipher: 'A', reason: '', confirm: '' };
  const o = { outcome: 'tls', delivery: 'tls', protocol: 'TLSv1.2', cipher: 'A', trust: null, reused: false, evidence: '', problems: [] } as const;
  assert.deepEqual(compare(p, o), { match: true, differences: [] });
  const c = compare(p, { ...o, cipher: 'B', problems: ['peer received no message over TLS'] });
  assert.equal(c.match, false);
  assert.deepEqual(c.differences, ['cipher: predicted A, observed B', 'lab: peer received no message over TLS']);
});

test('instance files: no inet listener, own paths, per-cell services and private tlsproxy', () => {
  const main = baseMainCf('/tmp/labx', '/tmp/labx/certs/ca.crt');
  for (const want of ['inet_interfaces = loopback-only', 'mydestination =', 'queue_directory = /tmp/labx/spool', 'data_directory = /tmp/labx/data',
    'maillog_file = /tmp/labx/log/maillog', 'maillog_file_prefixes = /tmp/labx', 'smtp_tls_loglevel = 1', 'minimal_backoff_time = 2s', 'compatibility_level = 3.6']) {
    assert.ok(main.split('\n').includes(want), want);
  }
  assert.doesNotMatch(main, /\/etc\/postfix/);
  const master = masterCf([
    { name: 'c01', overrides: [['smtp_tls_security_level', 'may']], privateTlsproxy: false },
    { name: 'c02', overrides: [['tls_medium_cipherlist', 'HIGH:@SECLEVEL=2']], privateTlsproxy: true },
  ]);
  const services = master.split('\n').filter((l) => /^\S/.test(l) && !l.startsWith('#')).map((l) => l.split(/\s+/));
  assert.ok(services.every((f) => f[1] !== 'inet'), 'no inet service');
  assert.ok(services.some((f) => f[0] === 'postlog' && f[1] === 'unix-dgram'));
  assert.match(master, /^c01 unix - - n - - smtp\n {2}-o \{ syslog_name = postfix\/c01 \}/m);
  assert.match(master, /-o \{ tlsproxy_service_name = tp_c02 \}\ntp_c02 unix - - n - 0 tlsproxy\n {2}-o \{ syslog_name = postfix\/c02 \}\n {2}-o \{ tls_medium_cipherlist = HIGH:@SECLEVEL=2 \}/);
});

test('peers: profiles pass the schema; Node options follow the profile', () => {
  for (const p of LAB_PEERS) parsePeerProfile(JSON.parse(JSON.stringify(p.profile)), p.id);
  const ex2010 = nodeTlsOptions(labPeer('ex2010').profile);
  assert.equal(ex2010.minVersion, 'TLSv1');
  assert.equal(ex2010.maxVersion, 'TLSv1');
  assert.equal(ex2010.honorCipherOrder, true);
  assert.match(String(ex2010.ciphers), /^ECDHE-RSA-AES256-SHA384:.*:@SECLEVEL=0$/);
  assert.doesNotMatch(String(ex2010.ciphers), /RC4|DES-CBC3|ECDSA|DSS/);
  assert.equal(ex2010.ecdhCurve, 'P-256:P-384');
  const modern = nodeTlsOptions(labPeer('modern').profile);
  assert.deepEqual([modern.minVersion, modern.maxVersion, modern.honorCipherOrder, modern.ecdhCurve], ['TLSv1.2', 'TLSv1.3', false, 'X25519:P-256:P-384']);
  assert.equal(nodeTlsOptions(labPeer('anon-first').profile).dhparam, 'auto');
});

test('matrix: unique cells covering every level and knob of the issue', () => {
  const cells = buildCells();
  assert.equal(new Set(cells.map((c) => c.id)).size, cells.length);
  assert.equal(new Set(cells.map((c) => c.service)).size, cells.length);
  assert.equal(new Set(cells.map((c) => c.domain)).size, cells.length);
  const levels = new Set(cells.flatMap((c) => c.config.fragment.filter(([n]) => n === 'smtp_tls_security_level').map(([, v]) => v)));
  for (const l of ['none', 'may', 'encrypt', 'verify', 'secure']) assert.ok(levels.has(l), l);
  const settings = cells.flatMap((c) => c.config.fragment.map(([n, v]) => `${n} = ${v}`));
  for (const s of ['smtp_tls_protocols = >=TLSv1.2', 'smtp_tls_protocols = >=TLSv1.3', 'smtp_tls_mandatory_protocols = >=TLSv1.2',
    'smtp_tls_exclude_ciphers = SHA1', 'smtp_tls_exclude_ciphers = kRSA', 'smtp_tls_exclude_ciphers = aNULL', 'smtp_tls_connection_reuse = yes']) {
    assert.ok(settings.includes(s), s);
  }
  assert.ok(settings.some((s) => /_ciphers = high$/.test(s)));
  assert.ok(settings.some((s) => /^tls_medium_cipherlist = .*@SECLEVEL=2$/.test(s)));
  assert.ok(cells.some((c) => c.id === 'encrypt-wrongknob__ex2010'));
  assert.ok(cells.some((c) => c.id === 'verify__modern-wrongname'));
  for (const peer of ['ex2010', 'tls10-rsa', 'ex2019', 'tls12-cbcsha', 'ws2012r2', 'modern', 'no-starttls']) {
    assert.ok(cells.some((c) => c.peer.id === peer), peer);
  }
  assert.ok(CONFIGS.every((c) => cells.some((x) => x.config === c)), 'every config has cells');
});

/** Send the whole (pipelined) dialogue after the greeting; the peer reads it line by line. */
function smtp(port: number, dialogue: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = netConnect(port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => {
      if (out === '') s.write(dialogue);
      out += d.toString();
    });
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

test('peer server: plaintext SMTP dialogue without STARTTLS', async () => {
  const server = await startPeerServer(labPeer('no-starttls').profile, null);
  try {
    const out = await smtp(server.port, 'EHLO c01.test\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n');
    assert.doesNotMatch(out, /STARTTLS/);
    assert.match(out, /250 2\.0\.0 Ok: queued by lab peer/);
    assert.equal(server.connections[0].helo, 'c01.test');
    assert.deepEqual(server.connections[0].messages, [{ tls: false }]);
  } finally {
    await server.close();
  }
});

test('peer server: STARTTLS with a lab certificate (needs the openssl CLI)', async (t) => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    t.skip('openssl not installed');
    return;
  }
  const { createLabCa } = await import('../../lab/ca.js');
  const dir = mkdtempSync(join(tmpdir(), 'lab-ca-test-'));
  try {
    const ca = createLabCa(dir);
    const cert = ca.issue('peer', ['localhost']);
    const server = await startPeerServer(labPeer('ex2019').profile, cert);
    try {
      const raw = netConnect(server.port, '127.0.0.1');
      let buf = '';
      const onData = (d: Buffer) => (buf += d.toString());
      raw.on('data', onData);
      const waitFor = async (re: RegExp) => {
        while (!re.test(buf)) await new Promise((r) => setTimeout(r, 5));
      };
      await waitFor(/^220 /m);
      raw.write('EHLO c02.test\r\n');
      await waitFor(/250 STARTTLS\r\n/);
      raw.write('STARTTLS\r\n');
      await waitFor(/220 2\.0\.0/);
      raw.removeListener('data', onData);
      const secure = tlsConnect({ socket: raw, servername: 'localhost', ca: readFileSync(ca.caFile) });
      await new Promise<void>((resolve, reject) => {
        secure.once('secureConnect', () => resolve());
        secure.once('error', reject);
      });
      assert.equal(secure.getProtocol(), 'TLSv1.2');
      assert.equal(secure.getCipher().name, 'ECDHE-RSA-AES256-GCM-SHA384');
      const closed = new Promise((r) => secure.once('close', r));
      secure.resume();
      secure.write('QUIT\r\n');
      await closed;
      assert.deepEqual(server.connections[0].tls, { protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384' });
      assert.ok(server.connections[0].starttlsOffered && server.connections[0].starttlsRequested);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
