#!/usr/bin/env node
/**
 * Benchmark (not a test): `npm run bench:diagnose` (builds first) or `node bench/diagnose.mjs`.
 *
 * Measures `postfix-tls-lint diagnose` throughput on a large generated mail log
 * (real-looking lines: TLS deliveries, handshake failures with their library
 * lines and status, smtpd sessions, qmgr/cleanup noise; every process and queue
 * id new), against the goal of 50 MB/s:
 *  1. the CLI end to end on a plain file (wall time of a child process, median of N runs);
 *  2. the same file gzip-compressed;
 *  3. the core alone (line splitting, parsing, correlation) in this process.
 * It also prints MB per CPU second (user + system, from /usr/bin/time; meaningful on a shared
 * machine where wall time is not) and the child's peak resident size (Linux), which must not
 * grow with the input.
 *
 * Options: --mb N (log size, default 200), --runs N (default 3), --keep (keep the temp dir).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'postfix-tls-lint');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const MB = opt('mb', 200);
const RUNS = opt('runs', 3);
const KEEP = args.includes('--keep');
const GOAL = 50;

if (!existsSync(join(ROOT, 'dist', 'src', 'diagnose', 'collector.js'))) {
  console.error('bench: dist/ is missing; run `npx tsc -p .` (or `npm run bench:diagnose`) first');
  process.exit(2);
}

function* lines() {
  for (let n = 1; ; n++) {
    const pid = 10_000 + (n % 60_000);
    const qid = (0x100000000 + n * 7919).toString(16).toUpperCase().slice(-10);
    const host = `mx${n % 500}.example.net`;
    const ip = `192.0.2.${n % 250}`;
    const ts = `Dec  3 ${String(Math.floor(n / 3600) % 24).padStart(2, '0')}:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
    yield `${ts} mail postfix/pickup[${pid}]: ${qid}: uid=1000 from=<user${n}>`;
    yield `${ts} mail postfix/cleanup[${pid}]: ${qid}: message-id=<${n}.${qid}@example.com>`;
    yield `${ts} mail postfix/qmgr[999]: ${qid}: from=<user${n}@example.com>, size=${1000 + n % 5000}, nrcpt=1 (queue active)`;
    if (n % 7 === 0) {
      yield `${ts} mail postfix/smtp[${pid}]: SSL_connect error to ${host}[${ip}]:25: -1`;
      yield `${ts} mail postfix/smtp[${pid}]: warning: TLS library problem: error:0A000410:SSL routines::sslv3 alert handshake failure:../ssl/record/rec_layer_s3.c:1602:SSL alert number 40:`;
      yield `${ts} mail postfix/smtp[${pid}]: ${qid}: to=<rcpt${n}@example.net>, relay=${host}[${ip}]:25, delay=0.4, delays=0.1/0/0.2/0, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)`;
    } else {
      yield `${ts} mail postfix/smtp[${pid}]: Trusted TLS connection established to ${host}[${ip}]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256`;
      yield `${ts} mail postfix/smtp[${pid}]: ${qid}: to=<rcpt${n}@example.net>, relay=${host}[${ip}]:25, delay=0.4, delays=0.1/0/0.2/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X${qid})`;
    }
    yield `${ts} mail postfix/qmgr[999]: ${qid}: removed`;
    const c = `client${n % 300}.example.org[198.51.100.${n % 250}]`;
    yield `${ts} mail postfix/smtpd[${pid + 1}]: connect from ${c}`;
    if (n % 11 === 0) {
      yield `${ts} mail postfix/smtpd[${pid + 1}]: SSL_accept error from ${c}: -1`;
      yield `${ts} mail postfix/smtpd[${pid + 1}]: warning: TLS library problem: error:0A000102:SSL routines::unsupported protocol:../ssl/statem/statem_srvr.c:1664:`;
      yield `${ts} mail postfix/smtpd[${pid + 1}]: lost connection after STARTTLS from ${c}`;
      yield `${ts} mail postfix/smtpd[${pid + 1}]: disconnect from ${c} ehlo=1 starttls=0/1 commands=1/2`;
    } else {
      yield `${ts} mail postfix/smtpd[${pid + 1}]: Anonymous TLS connection established from ${c}: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)`;
      yield `${ts} mail postfix/smtpd[${pid + 1}]: ${qid}: client=${c}`;
      yield `${ts} mail postfix/smtpd[${pid + 1}]: disconnect from ${c} ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7`;
    }
  }
}

function* chunks(bytes) {
  const it = lines();
  let written = 0;
  while (written < bytes) {
    let s = '';
    while (s.length < 1 << 20) s += it.next().value + '\n';
    written += s.length;
    yield s;
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const work = mkdtempSync(join(tmpdir(), 'ptl-bench-diagnose-'));
try {
  const log = join(work, 'mail.log');
  const gz = join(work, 'mail.log.1.gz');
  await pipeline(Readable.from(chunks(MB * 1024 * 1024)), createWriteStream(log));
  await pipeline(Readable.from(chunks(MB * 1024 * 1024)), createGzip({ level: 1 }), createWriteStream(gz));
  const size = statSync(log).size / (1024 * 1024);
  console.log(`diagnose benchmark: ${size.toFixed(0)} MB log (${process.version}, ${RUNS} runs each)`);

  const cli = (file) => {
    const times = [];
    const cpu = [];
    let rss = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, BIN, 'diagnose', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const wall = (performance.now() - t0) / 1000;
      if (r.error || (r.status !== 0 && r.status !== 1)) {
        // no /usr/bin/time: run without the resident size
        const t1 = performance.now();
        const q = spawnSync(process.execPath, [BIN, 'diagnose', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
        if (q.status !== 0 && q.status !== 1) throw new Error(q.stderr);
        times.push((performance.now() - t1) / 1000);
        continue;
      }
      const [kb, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
      rss = Math.max(rss, kb || 0);
      cpu.push((user || 0) + (sys || 0));
      times.push(wall);
    }
    return { seconds: median(times), rssMb: rss / 1024, cpu: cpu.length ? median(cpu) : null };
  };
  const plain = cli(log);
  const cpuRate = (r) => (r.cpu ? `; ${(size / r.cpu).toFixed(1)} MB per CPU second` : '');
  console.log(`  CLI, plain file:   ${(size / plain.seconds).toFixed(1)} MB/s (${plain.seconds.toFixed(2)} s wall${cpuRate(plain)})${plain.rssMb ? `, peak RSS ${plain.rssMb.toFixed(0)} MB` : ''}  goal >= ${GOAL} MB/s: ${size / plain.seconds >= GOAL ? 'met' : 'NOT met'}`);
  const gzr = cli(gz);
  console.log(`  CLI, gzip file:    ${(size / gzr.seconds).toFixed(1)} MB/s of uncompressed log (${gzr.seconds.toFixed(2)} s wall${cpuRate(gzr)})${gzr.rssMb ? `, peak RSS ${gzr.rssMb.toFixed(0)} MB` : ''}`);

  const { Collector } = await import(pathToFileURL(join(ROOT, 'dist/src/diagnose/collector.js')).href);
  const { LineParser } = await import(pathToFileURL(join(ROOT, 'dist/src/diagnose/line.js')).href);
  const { LineSplitter } = await import(pathToFileURL(join(ROOT, 'dist/src/diagnose/splitter.js')).href);
  const data = readFileSync(log);
  const core = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const c = new Collector(null);
    const p = new LineParser(Date.now());
    const s = new LineSplitter((l) => c.add(l, p, 0));
    for (let o = 0; o < data.length; o += 1 << 18) s.push(data.subarray(o, o + (1 << 18)));
    s.end();
    c.finish();
    core.push((performance.now() - t0) / 1000);
  }
  console.log(`  core in-process:   ${(size / median(core)).toFixed(1)} MB/s (${median(core).toFixed(2)} s)`);
} finally {
  if (KEEP) console.log(`bench: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
