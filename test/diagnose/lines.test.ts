/**
 * Input formats, the year rule for traditional syslog, --since forms, the
 * line splitter and OpenSSL error strings (3.x, 1.1.1, 1.0.x, Postfix 2.x).
 */
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineParser, yearlessTime } from '../../src/diagnose/line.js';
import { parseSince } from '../../src/diagnose/since.js';
import { LineSplitter, MAX_LINE } from '../../src/diagnose/splitter.js';
import { causeOfReasons, opensslReason } from '../../src/diagnose/openssl-errors.js';
import { commandCounts } from '../../src/diagnose/inbound.js';

const TEXT = 'SSL_connect error to mx.example.com[192.0.2.1]:25: -1';
const REF = Date.UTC(2026, 11, 4);

test('every supported header gives the same host, program, pid and text', () => {
  const p = new LineParser(REF);
  const cases: [string, number | null][] = [
    [`Dec  3 11:14:49 mx postfix/smtp[123]: ${TEXT}`, Date.UTC(2026, 11, 3, 11, 14, 49)],
    [`Dec 03 11:14:49 mx postfix/smtp[123]: ${TEXT}`, Date.UTC(2026, 11, 3, 11, 14, 49)],
    [`Dec 03 11:14:49.123456 mx postfix/smtp[123]: ${TEXT}`, Date.UTC(2026, 11, 3, 11, 14, 49)],
    [`2026-12-03T12:14:49.123456+01:00 mx postfix/smtp[123]: ${TEXT}`, Date.UTC(2026, 11, 3, 11, 14, 49, 123)],
    [`2026-12-03T12:14:49+0100 mx postfix/smtp[123]: ${TEXT}`, Date.UTC(2026, 11, 3, 11, 14, 49)],
    [`2026-12-03T11:14:49Z mx postfix/smtp[123]: ${TEXT}`, Date.UTC(2026, 11, 3, 11, 14, 49)],
    [`2026-12-03 11:14:49 mx postfix/smtp[123]: ${TEXT}`, Date.UTC(2026, 11, 3, 11, 14, 49)],
  ];
  for (const [line, time] of cases) {
    const r = p.parse(line);
    assert.ok(r, line);
    assert.equal(r.time, time, line);
    assert.deepEqual([r.host, r.program, r.daemon, r.pid, r.text], ['mx', 'postfix/smtp', 'smtp', 123, TEXT], line);
  }
  const f = p.parse(`posttls-finger: ${TEXT}`);
  assert.deepEqual(f && [f.time, f.program, f.daemon, f.pid, f.text], [null, 'posttls-finger', 'posttls-finger', 0, TEXT]);
  const sub = p.parse('Dec  3 11:14:49 mx postfix/submission/smtpd[9]: connect from x[1.2.3.4]');
  assert.deepEqual(sub && [sub.program, sub.daemon], ['postfix/submission/smtpd', 'smtpd']);
  for (const junk of ['-- Logs begin at Thu 2026-12-03 00:00:01 UTC. --', '-- Boot 0123abcd --', '', 'random text', 'Foo  3 11:14:49 mx prog: x', 'Dec  3 11:14:49 mx']) {
    assert.equal(p.parse(junk), null, junk);
  }
});

test('traditional syslog has no year: the latest year not more than a day after the reference time', () => {
  const ref = Date.UTC(2025, 0, 2, 10, 0, 0); // 2 Jan 2025, 10:00
  assert.equal(new Date(yearlessTime(11, 31, 23, 59, 59, ref)).getUTCFullYear(), 2024, 'December read in January is last year');
  assert.equal(new Date(yearlessTime(0, 2, 9, 0, 0, ref)).getUTCFullYear(), 2025);
  assert.equal(new Date(yearlessTime(0, 3, 9, 0, 0, ref)).getUTCFullYear(), 2025, 'up to a day ahead (clock skew) stays this year');
  assert.equal(new Date(yearlessTime(1, 1, 0, 0, 0, ref)).getUTCFullYear(), 2024, 'further ahead is last year');
  // Consecutive lines across New Year keep their years.
  const p = new LineParser(ref);
  assert.equal(new Date(p.parse('Dec 31 23:59:59 h postfix/smtp[1]: x')?.time ?? 0).toISOString(), '2024-12-31T23:59:59.000Z');
  assert.equal(new Date(p.parse('Jan  1 00:00:01 h postfix/smtp[1]: x')?.time ?? 0).toISOString(), '2025-01-01T00:00:01.000Z');
});

test('--since forms', () => {
  const now = Date.UTC(2026, 11, 3, 12, 0, 0);
  const cases: [string, number | null][] = [
    ['30m', now - 30 * 60_000],
    ['2h', now - 2 * 3_600_000],
    ['7d', now - 7 * 86_400_000],
    ['1w ago', now - 7 * 86_400_000],
    ['today', Date.UTC(2026, 11, 3)],
    ['yesterday', Date.UTC(2026, 11, 2)],
    ['2026-12-01', Date.UTC(2026, 11, 1)],
    ['2026-12-01T10:30', Date.UTC(2026, 11, 1, 10, 30)],
    ['2026-12-01 10:30:15', Date.UTC(2026, 11, 1, 10, 30, 15)],
    ['2026-12-01T10:30:00+01:00', Date.UTC(2026, 11, 1, 9, 30)],
    ['2026-12-01T10:30:00Z', Date.UTC(2026, 11, 1, 10, 30)],
    ['Dec 3 11:00', Date.UTC(2026, 11, 3, 11, 0)],
    ['Dec  1 11:00:30', Date.UTC(2026, 11, 1, 11, 0, 30)],
    ['2026-02-31', null],
    ['2026-12-01T25:00', null],
    ['soon', null],
    ['Foo 3 11:00', null],
    ['', null],
  ];
  for (const [v, want] of cases) assert.equal(parseSince(v, now), want, v);
});

test('the splitter: CRLF and LF, chunks split anywhere (also inside UTF-8), over-long lines cut, a last line without newline', () => {
  const text = 'a1\r\nb2 é ü\nc3\n\nd4';
  const bytes = Buffer.from(text, 'utf8');
  for (let cut = 0; cut <= bytes.length; cut++) {
    const got: string[] = [];
    const s = new LineSplitter((l) => got.push(l));
    s.push(bytes.subarray(0, cut));
    s.push(bytes.subarray(cut));
    s.end();
    assert.deepEqual(got, ['a1', 'b2 é ü', 'c3', '', 'd4'], `cut at ${cut}`);
  }
  const got: string[] = [];
  const s = new LineSplitter((l) => got.push(l));
  const long = Buffer.alloc(MAX_LINE * 3, 0x61);
  for (let i = 0; i < long.length; i += 10_000) s.push(long.subarray(i, i + 10_000));
  s.push(Buffer.from('\nnext\n'));
  s.end();
  assert.equal(got.length, 2);
  assert.equal(got[0].length, MAX_LINE);
  assert.equal(got[1], 'next');
});

test('OpenSSL reasons in every error-string format Postfix has logged, and their causes', () => {
  const cases: [string, string, string, string | null][] = [
    // [line, reason, outbound cause, inbound cause]
    ['warning: TLS library problem: error:0A00042E:SSL routines::tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1602:SSL alert number 70:', 'tlsv1 alert protocol version', 'no-shared-protocol', 'client-no-shared-protocol'],
    ['warning: TLS library problem: error:1409442E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1544:SSL alert number 70:', 'tlsv1 alert protocol version', 'no-shared-protocol', 'client-no-shared-protocol'],
    ['warning: TLS library problem: 20373:error:14094410:SSL routines:SSL3_READ_BYTES:sslv3 alert handshake failure:s3_pkt.c:1275:SSL alert number 40:', 'sslv3 alert handshake failure', 'no-shared-cipher', 'client-no-shared-cipher'],
    ['warning: TLS library problem: error:0A000102:SSL routines::unsupported protocol:../ssl/statem/statem_srvr.c:1664:', 'unsupported protocol', 'no-shared-protocol', 'client-no-shared-protocol'],
    ['warning: TLS library problem: error:1417A0C1:SSL routines:tls_post_process_client_hello:no shared cipher:../ssl/statem/statem_srvr.c:2283:', 'no shared cipher', 'no-shared-cipher', 'client-no-shared-cipher'],
    ['warning: TLS library problem: error:0A00014D:SSL routines::legacy sigalg disallowed or unsupported:../ssl/statem/statem_clnt.c:2254:', 'legacy sigalg disallowed or unsupported', 'legacy-signature', null],
    ['warning: TLS library problem: error:141A318A:SSL routines:tls_process_ske_dhe:dh key too small:../ssl/statem/statem_clnt.c:2157:', 'dh key too small', 'dh-key-too-small', null],
    ['warning: TLS library problem: error:0A000126:SSL routines::unexpected eof while reading:../ssl/record/rec_layer_s3.c:308:', 'unexpected eof while reading', 'connection-lost', 'client-lost-connection'],
    ['warning: TLS library problem: error:0A0000B9:SSL routines::no cipher match:../ssl/ssl_lib.c:2759:', 'no cipher match', 'tls-library-error', null],
  ];
  for (const [line, reason, out, inn] of cases) {
    assert.equal(opensslReason(line), reason, line);
    assert.equal(causeOfReasons([reason], 'outbound') ?? 'tls-library-error', out, line);
    assert.equal(causeOfReasons([reason], 'inbound'), inn, line);
  }
  assert.equal(opensslReason('warning: TLS library problem: nothing here'), null);
});

test('smtpd command counts', () => {
  assert.deepEqual([...commandCounts(' ehlo=1 starttls=0/1 mail=1 rcpt=0/1 commands=3/5')], [
    ['ehlo', { ok: 1, total: 1 }], ['starttls', { ok: 0, total: 1 }], ['mail', { ok: 1, total: 1 }], ['rcpt', { ok: 0, total: 1 }], ['commands', { ok: 3, total: 5 }],
  ]);
});
