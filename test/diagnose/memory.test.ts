/**
 * A large log stays in bounded memory: ~120 MB of real-looking lines (every
 * message and process new, a fixed set of failing hosts) are streamed through
 * stdin into the CLI running with a 48 MB heap. Holding the lines, the
 * queue ids or the processes would exhaust that heap long before the end;
 * buffering the input outside the heap shows in the peak resident size
 * (read from /proc on Linux, with a generous bound). No timing assertion:
 * only a generous hang guard.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support.js';

const TARGET_BYTES = 120 * 1024 * 1024;

function* logLines(): Generator<string> {
  let n = 0;
  for (;;) {
    n++;
    const pid = 10_000 + (n % 50_000);
    const qid = (0x100000000 + n * 7919).toString(16).toUpperCase().slice(-10);
    const host = `mx${n % 40}.example.net`;
    const ip = `192.0.2.${n % 40}`;
    const ts = `Dec  3 11:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
    yield `${ts} mail postfix/cleanup[${pid}]: ${qid}: message-id=<${n}.${qid}@example.com>`;
    if (n % 3 === 0) {
      yield `${ts} mail postfix/smtp[${pid}]: SSL_connect error to ${host}[${ip}]:25: -1`;
      yield `${ts} mail postfix/smtp[${pid}]: warning: TLS library problem: error:0A00042E:SSL routines::tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1602:SSL alert number 70:`;
      yield `${ts} mail postfix/smtp[${pid}]: ${qid}: to=<user${n}@example.net>, relay=${host}[${ip}]:25, delay=0.4, delays=0.1/0/0.2/0, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)`;
    } else {
      yield `${ts} mail postfix/smtp[${pid}]: Trusted TLS connection established to ${host}[${ip}]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)`;
      yield `${ts} mail postfix/smtp[${pid}]: ${qid}: to=<user${n}@example.net>, relay=${host}[${ip}]:25, delay=0.4, delays=0.1/0/0.2/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X${qid})`;
    }
    yield `${ts} mail postfix/smtpd[${pid + 1}]: connect from client${n % 31}.example.org[198.51.100.${n % 31}]`;
    if (n % 5 === 0) {
      yield `${ts} mail postfix/smtpd[${pid + 1}]: SSL_accept error from client${n % 31}.example.org[198.51.100.${n % 31}]: -1`;
      yield `${ts} mail postfix/smtpd[${pid + 1}]: warning: TLS library problem: error:0A000102:SSL routines::unsupported protocol:../ssl/statem/statem_srvr.c:1664:`;
      yield `${ts} mail postfix/smtpd[${pid + 1}]: lost connection after STARTTLS from client${n % 31}.example.org[198.51.100.${n % 31}]`;
      yield `${ts} mail postfix/smtpd[${pid + 1}]: disconnect from client${n % 31}.example.org[198.51.100.${n % 31}] ehlo=1 starttls=0/1 commands=1/2`;
    } else {
      yield `${ts} mail postfix/smtpd[${pid + 1}]: disconnect from client${n % 31}.example.org[198.51.100.${n % 31}] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7`;
    }
  }
}

test('a large log is streamed in bounded memory (48 MB heap for a 120 MB log)', { timeout: 600_000 }, async () => {
  const child = spawn(process.execPath, ['--max-old-space-size=48', join(ROOT, 'bin', 'postfix-tls-lint'), 'diagnose', '--format', 'json', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  child.stdin.on('error', () => undefined);
  let peakKb = 0;
  const status = `/proc/${child.pid}/status`;
  const sample = () => {
    if (!existsSync(status)) return;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // the process just ended
    }
  };
  let written = 0;
  const lines = logLines();
  while (written < TARGET_BYTES) {
    let chunk = '';
    while (chunk.length < 256 * 1024) chunk += lines.next().value + '\n';
    written += chunk.length;
    if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once('drain', r));
    sample();
  }
  child.stdin.end();
  const timer = setInterval(sample, 20);
  const code = await done;
  clearInterval(timer);
  assert.equal(code, 1, stderr.slice(0, 2000));
  const out = JSON.parse(stdout) as { incidents: { cause: string; count: number }[]; summary: { lines: number } };
  assert.ok(out.summary.lines > 800_000, `lines: ${out.summary.lines}`);
  if (existsSync('/proc/self/status')) assert.ok(peakKb > 0 && peakKb < 250 * 1024, `peak resident size ${peakKb} kB for a ${written >> 20} MB log`);
  // 40 failing servers and 31 failing clients, however long the log.
  assert.equal(out.incidents.filter((i) => i.cause === 'no-shared-protocol').length, 40);
  assert.equal(out.incidents.filter((i) => i.cause === 'client-no-shared-protocol').length, 31);
});
