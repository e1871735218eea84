#!/usr/bin/env node
/**
 * Benchmark (not a test): `npm run bench` (builds first) or `node bench/run.mjs`.
 *
 * Measures, in one run, side by side, and prints ratios against the targets:
 *  1. cold start: lint examples/modern-clean/main.cf vs `node -e 0` (median of N interleaved runs);
 *  2. fleet: one CLI run over 10,000 generated main.cf files in a directory tree (files/s),
 *     vs a `postconf -c DIR -n` per-file loop over a sample (skipped without postconf);
 *  3. parse throughput of a 10 MB main.cf (MB/s, in-process), plus whole-lint throughput;
 *  4. peak memory (maxRSS of a child running the CLI) at two input sizes: linear or not;
 *  5. the newer work: template lint vs plain lint, certificate checks per file (--files auto vs off),
 *     diagnose MB/s on a generated log (bench/diagnose.mjs, smaller log);
 *  6. hostile and large inputs (bench/hostile.mjs): show, lint, --diff and --fix each within 2 s.
 *
 * The fleet mixes the generated configs with copies of the shared corpus (../shared/corpus/NNN/main.cf,
 * every 10th file) when that directory exists.
 *
 * Options: --runs N (cold-start runs, default 15), --files N (fleet size, default 10000),
 * --sample N (postconf sample, default 100), --mb N (parse size, default 10), --keep (keep the temp dir),
 * --only cold,fleet,parse,memory,newer,hostile (run only those sections).
 * Run it on an idle machine: other processes on a 2-core box skew every number.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { runHostile, HOSTILE_GOAL_MS } from './hostile.mjs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'postfix-tls-lint');
const VERSION = '3.7.11';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const RUNS = opt('runs', 15);
const FILES = opt('files', 10000);
const SAMPLE = opt('sample', 100);
const MB = opt('mb', 10);
const KEEP = args.includes('--keep');
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const runs = (section) => !ONLY || ONLY.includes(section);

/** Real-world main.cf files (see /work/shared/corpus/index.json), when the shared corpus is beside the checkout. */
function corpusFiles() {
  for (const dir of [join(ROOT, '..', 'shared', 'corpus'), join(ROOT, '..', '..', 'shared', 'corpus')]) {
    if (!existsSync(dir)) continue;
    const out = [];
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name, 'main.cf');
      if (/^\d+$/.test(name) && existsSync(p)) out.push(readFileSync(p));
    }
    if (out.length > 0) return out;
  }
  return [];
}

if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
  console.error('bench: dist/ is missing; run `npx tsc -p .` (or `npm run bench`) first');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'ptl-bench-'));
const results = [];
const line = (s = '') => process.stdout.write(s + '\n');
const fmt = (n, d = 1) => n.toFixed(d);

/** Deterministic PRNG (mulberry32), so every run lints the same fleet. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    let t = (s += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function timeSpawn(cmd, argv, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26, ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status, stderr: r.stderr ? r.stderr.toString() : '' };
}

function hasCommand(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
  return r.status === 0;
}

// ---------------------------------------------------------------- generated configs

const LEVELS = ['may', 'encrypt', 'none', 'dane', 'verify', 'secure', ''];
const PROTOCOLS = ['>=TLSv1.2', '!SSLv2, !SSLv3', '!SSLv2,!SSLv3,!TLSv1,!TLSv1.1', '>=TLSv1', 'TLSv1.2 TLSv1.3', ''];
const GRADES = ['medium', 'high', 'low', 'export', ''];
const EXCLUDES = ['aNULL', 'aNULL, MD5, RC4', 'SHA1', 'kRSA, aRSA', ''];

/** One main.cf of a fleet: a Debian-like base plus a random mix of TLS settings, comments and continuation lines. */
function fleetMainCf(rand, i) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const out = [
    '# generated fleet member ' + i,
    'smtpd_banner = $myhostname ESMTP $mail_name (Debian/GNU)',
    'biff = no',
    'append_dot_mydomain = no',
    'compatibility_level = 3.6',
    `myhostname = mx${i}.example.com`,
    'mydestination = $myhostname, localhost.localdomain, localhost',
    'mynetworks = 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128',
    'alias_maps = hash:/etc/aliases',
    'smtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem',
    'smtpd_tls_key_file = /etc/ssl/private/ssl-cert-snakeoil.key',
    `smtpd_tls_security_level = ${pick(['may', 'encrypt', 'none'])}`,
    `smtp_tls_security_level = ${pick(LEVELS)}`,
    'smtp_tls_CApath = /etc/ssl/certs',
  ];
  if (rand() < 0.6) out.push(`smtp_tls_protocols = ${pick(PROTOCOLS)}`);
  if (rand() < 0.5) out.push(`smtp_tls_mandatory_protocols = ${pick(PROTOCOLS)}`);
  if (rand() < 0.4) out.push(`smtpd_tls_protocols = ${pick(PROTOCOLS)}`);
  if (rand() < 0.4) out.push(`smtp_tls_mandatory_ciphers = ${pick(GRADES)}`);
  if (rand() < 0.3) out.push(`smtp_tls_exclude_ciphers = ${pick(EXCLUDES)}`);
  if (rand() < 0.3) out.push(`smtp_tls_loglevel = ${pick(['0', '1', '2'])}`);
  if (rand() < 0.2) out.push('smtp_use_tls = yes');
  if (rand() < 0.2) out.push(`relayhost = [relay${i % 17}.example.net]:587`);
  if (rand() < 0.2) out.push('smtpd_relay_restrictions = permit_mynetworks\n    permit_sasl_authenticated\n    defer_unauth_destination');
  if (rand() < 0.1) out.push('smtp_tls_seurity_level = encrypt # typo');
  out.push('inet_interfaces = all', '');
  return out.join('\n');
}

/** A large main.cf: many distinct parameters, comments, blank and continuation lines. */
function bigMainCf(bytes) {
  const rand = prng(42);
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const r = rand();
    let s;
    if (r < 0.15) s = `# comment line ${i} explaining the next setting in some detail\n`;
    else if (r < 0.2) s = '\n';
    else if (r < 0.3) s = `user_param_${i} = value one,\n    value two, $myhostname\n    value three\n`;
    else if (r < 0.4) s = `smtp_tls_protocols = ${PROTOCOLS[i % PROTOCOLS.length]}\n`;
    else s = `user_param_${i} = $myhostname, ${'x'.repeat(i % 40)} hash:/etc/postfix/map_${i}\n`;
    parts.push(s);
    size += s.length;
  }
  return parts.join('');
}

// ---------------------------------------------------------------- 1. cold start

function coldStart() {
  line(`## Cold start (median of ${RUNS} interleaved runs)`);
  const example = join(ROOT, 'examples', 'modern-clean', 'main.cf');
  // Run as a command (how it is installed and called), bin/postfix-tls-lint starts the startup snapshot
  // when the build made one (scripts/snapshot.mjs); `node bin/postfix-tls-lint` always runs the bundle.
  const how = existsSync(join(ROOT, 'dist', 'snapshot', 'cli.blob')) ? 'command: snapshot' : 'command: no snapshot built';
  const cases = [
    { name: 'node -e 0', cmd: process.execPath, argv: ['-e', '0'] },
    { name: `postfix-tls-lint examples/modern-clean/main.cf (${how})`, cmd: BIN, argv: [example, '--postfix-version', VERSION] },
    { name: `postfix-tls-lint --version (${how})`, cmd: BIN, argv: ['--version'] },
    { name: 'node bin/postfix-tls-lint examples/modern-clean/main.cf (bundle)', cmd: process.execPath, argv: [BIN, example, '--postfix-version', VERSION] },
    { name: 'node bin/postfix-tls-lint --version (bundle)', cmd: process.execPath, argv: [BIN, '--version'] },
  ];
  const times = cases.map(() => []);
  // Warm the file-system cache, then interleave so machine noise hits every case alike.
  for (const c of cases) timeSpawn(c.cmd, c.argv);
  for (let i = 0; i < RUNS; i++) cases.forEach((c, j) => times[j].push(timeSpawn(c.cmd, c.argv).ms));
  const base = median(times[0]);
  cases.forEach((c, j) => {
    const m = median(times[j]);
    line(`  ${fmt(m).padStart(7)} ms  (min ${fmt(Math.min(...times[j])).padStart(6)})  ${(m / base).toFixed(2)}x  ${c.name}`);
  });
  const ratio = median(times[1]) / base;
  results.push({ what: 'cold start vs node -e 0', value: `${ratio.toFixed(2)}x (${fmt(median(times[1]))} ms vs ${fmt(base)} ms)`, target: '<= 1.5x', met: ratio <= 1.5 });
}

// ---------------------------------------------------------------- 2. fleet

function fleet() {
  line(`\n## Fleet: ${FILES} main.cf files in one run`);
  const dir = join(work, 'fleet');
  const rand = prng(7);
  const t0 = Date.now();
  const corpus = corpusFiles();
  for (let i = 0; i < FILES; i++) {
    const d = join(dir, `site${i % 50}`, `host${i}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'main.cf'), corpus.length > 0 && i % 10 === 5 ? corpus[(i / 10) % corpus.length | 0] : fleetMainCf(rand, i));
    if (i % 10 === 0) writeFileSync(join(d, 'master.cf'), 'smtp      inet  n       -       y       -       -       smtpd\nsmtp      unix  -       -       y       -       -       smtp\n');
  }
  line(`  generated in ${Date.now() - t0} ms under ${dir} (${corpus.length > 0 ? `every 10th a copy of one of ${corpus.length} corpus files` : 'no shared corpus found: generated only'})`);
  const out = join(work, 'fleet-report.json');
  // JSON to a file: the run includes formatting and writing every finding.
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, dir, '--postfix-version', VERSION, '-f', 'json'], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 1) line(`  (exit ${r.status}: ${String(r.stderr).slice(0, 300)})`);
  writeFileSync(out, r.stdout ?? '');
  let findings = 0;
  try {
    const parsed = JSON.parse(String(r.stdout));
    const files = Array.isArray(parsed) ? parsed : parsed.files ?? parsed.results ?? [];
    for (const f of files) findings += (f.findings ?? f.messages ?? []).length;
  } catch {
    /* the count is informational */
  }
  const rate = (FILES / ms) * 1000;
  line(`  postfix-tls-lint DIR -f json: ${fmt(ms, 0)} ms, ${fmt(rate, 0)} files/s (${findings} findings, ${cpus().length} CPUs)`);
  results.push({ what: `fleet of ${FILES} files`, value: `${fmt(rate, 0)} files/s`, target: '>= 5000 files/s', met: rate >= 5000 });

  if (!hasCommand('postconf')) {
    line('  postconf not installed: skipping the postconf -c DIR -n comparison');
    return;
  }
  const n = Math.min(SAMPLE, FILES);
  const tp = process.hrtime.bigint();
  for (let i = 0; i < n; i++) spawnSync('postconf', ['-c', join(dir, `site${i % 50}`, `host${i}`), '-n'], { stdio: 'ignore' });
  const pms = Number(process.hrtime.bigint() - tp) / 1e6;
  const prate = (n / pms) * 1000;
  line(`  postconf -c DIR -n loop over ${n} files: ${fmt(pms, 0)} ms, ${fmt(prate, 0)} files/s`);
  line(`  ratio: postfix-tls-lint is ${(rate / prate).toFixed(1)}x the postconf loop`);
  results.push({ what: 'fleet vs postconf -n loop', value: `${(rate / prate).toFixed(1)}x (${fmt(prate, 0)} files/s)`, target: 'information', met: null });
}

// ---------------------------------------------------------------- 3. parse throughput

async function parseThroughput() {
  line(`\n## Parse throughput (${MB} MB main.cf, in-process)`);
  const { parseMainCf } = await import(pathToFileURL(join(ROOT, 'dist', 'src', 'parser', 'main-cf.js')).href);
  const { lintText } = await import(pathToFileURL(join(ROOT, 'dist', 'src', 'lint.js')).href);
  const text = bigMainCf(MB * 1024 * 1024);
  const mb = text.length / (1024 * 1024);
  parseMainCf(text.slice(0, 1 << 20), 'warm/main.cf');
  const parseMs = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    parseMainCf(text, 'big/main.cf');
    parseMs.push(performance.now() - t);
  }
  const best = Math.min(...parseMs);
  const rate = mb / (median(parseMs) / 1000);
  line(`  parseMainCf: median ${fmt(median(parseMs))} ms (best ${fmt(best)} ms) for ${fmt(mb, 2)} MB: ${fmt(rate, 0)} MB/s`);
  results.push({ what: `parse ${MB} MB`, value: `${fmt(rate, 0)} MB/s`, target: '>= 50 MB/s', met: rate >= 50 });
  const t = performance.now();
  const r = lintText(text, 'big/main.cf', { postfixVersion: VERSION, opensslVersion: 3, masterCf: null });
  const lintMs = performance.now() - t;
  line(`  lintText (parse + model + all rules): ${fmt(lintMs)} ms: ${fmt(mb / (lintMs / 1000), 0)} MB/s (${r.findings.length} findings)`);
}

// ---------------------------------------------------------------- 4. peak memory

function peakMemory() {
  line('\n## Peak memory (maxRSS of a child running the CLI on one file)');
  // The child runs the real CLI in-process, then reports its own peak RSS.
  const child = `
    const { run } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'src', 'cli', 'main.js')).href)});
    const argv = process.argv.slice(1);
    if (argv.length) await run(argv);
    process.stderr.write('\\nMAXRSS ' + process.resourceUsage().maxRSS + '\\n');`;
  const measure = (argv) => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', child, ...argv], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    const m = /MAXRSS (\d+)/.exec(String(r.stderr));
    return m ? Number(m[1]) / 1024 : NaN;
  };
  const sizes = [MB, MB * 4];
  const base = measure([]);
  line(`  node + CLI modules, no input: ${fmt(base)} MB`);
  const rows = [];
  for (const s of sizes) {
    const d = join(work, `mem${s}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'main.cf'), bigMainCf(s * 1024 * 1024));
    const rss = measure([join(d, 'main.cf'), '--postfix-version', VERSION, '-f', 'json', '--quiet']);
    rows.push({ s, rss });
    line(`  ${String(s).padStart(3)} MB input: maxRSS ${fmt(rss)} MB (${fmt((rss - base) / s)} MB per input MB above the baseline)`);
  }
  const [a, b] = rows;
  const growth = (b.rss - base) / (a.rss - base);
  const linear = growth <= (b.s / a.s) * 1.25;
  line(`  ${b.s / a.s}x the input -> ${growth.toFixed(2)}x the memory above baseline (${linear ? 'linear' : 'NOT linear'})`);
  results.push({ what: 'peak memory', value: `${fmt(a.rss, 0)} MB @ ${a.s} MB, ${fmt(b.rss, 0)} MB @ ${b.s} MB (growth ${growth.toFixed(2)}x for ${b.s / a.s}x input)`, target: 'linear', met: linear });
}

// ---------------------------------------------------------------- 5. newer work

function medianRun(argv, n = 3) {
  const times = [];
  for (let i = 0; i < n; i++) times.push(timeSpawn(process.execPath, [BIN, ...argv]).ms);
  return median(times);
}

function newerWork() {
  line('\n## Newer work: templates, certificate files, diagnose');
  const n = 500;
  const plain = join(work, 'plain');
  const tmpl = join(work, 'templates');
  const rand = prng(11);
  for (let i = 0; i < n; i++) {
    const text = fleetMainCf(rand, i);
    mkdirSync(join(plain, `h${i}`), { recursive: true });
    writeFileSync(join(plain, `h${i}`, 'main.cf'), text);
    mkdirSync(join(tmpl, `h${i}`), { recursive: true });
    writeFileSync(join(tmpl, `h${i}`, 'main.cf.j2'), text.replace(`mx${i}.example.com`, '{{ inventory_hostname }}').replace('smtp_tls_CApath', '{% if tls_capath %}smtp_tls_CApath{% else %}smtp_tls_CApath{% endif %}'));
  }
  const p = medianRun([plain, '--postfix-version', VERSION, '-f', 'json']);
  const t = medianRun([tmpl, '--postfix-version', VERSION, '-f', 'json']);
  line(`  ${n} plain main.cf: ${fmt(p, 0)} ms; the same as Jinja2 templates: ${fmt(t, 0)} ms (${(t / p).toFixed(2)}x)`);
  results.push({ what: 'template lint vs plain lint', value: `${(t / p).toFixed(2)}x (${n} files)`, target: 'information', met: null });

  // Certificate checks: a fleet naming one real CA bundle and a certificate/key pair.
  const certs = join(work, 'certs');
  mkdirSync(certs, { recursive: true });
  const key = join(certs, 'key.pem');
  const cert = join(certs, 'cert.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=mx.example.com'], { stdio: 'ignore' });
  if (made.status !== 0) {
    line('  openssl not available: skipping the certificate-file measurement');
  } else {
    const bundle = existsSync('/etc/ssl/certs/ca-certificates.crt') ? '/etc/ssl/certs/ca-certificates.crt' : cert;
    const fleetDir = join(work, 'cert-fleet');
    for (let i = 0; i < n; i++) {
      mkdirSync(join(fleetDir, `h${i}`), { recursive: true });
      writeFileSync(join(fleetDir, `h${i}`, 'main.cf'), `myhostname = mx.example.com\nsmtpd_tls_cert_file = ${cert}\nsmtpd_tls_key_file = ${key}\nsmtpd_tls_security_level = may\nsmtp_tls_security_level = may\nsmtp_tls_CAfile = ${bundle}\nsmtp_tls_CApath = /etc/ssl/certs\n`);
    }
    const off = medianRun([fleetDir, '--postfix-version', VERSION, '-f', 'json', '--files', 'off']);
    const on = medianRun([fleetDir, '--postfix-version', VERSION, '-f', 'json', '--files', 'auto']);
    line(`  ${n} files naming a certificate, key and CA bundle: --files off ${fmt(off, 0)} ms, auto ${fmt(on, 0)} ms: ${fmt((on - off) / n, 2)} ms per file for the checks`);
    results.push({ what: 'certificate checks', value: `${fmt((on - off) / n, 2)} ms per file (${(on / off).toFixed(2)}x --files off)`, target: 'information', met: null });
  }

  // diagnose: the dedicated bench on a smaller log (npm run bench:diagnose for the full 200 MB run).
  const r = spawnSync(process.execPath, [join(ROOT, 'bench', 'diagnose.mjs'), '--mb', '50', '--runs', '1'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const plainLine = /CLI, plain file:\s+([\d.]+) MB\/s[^\n]*/.exec(r.stdout ?? '');
  if (plainLine) {
    line(`  diagnose, 50 MB log: ${plainLine[0].replace(/^CLI, plain file:\s+/, '')}`);
    results.push({ what: 'diagnose (50 MB log)', value: `${plainLine[1]} MB/s`, target: '>= 50 MB/s', met: Number(plainLine[1]) >= 50 });
  } else line(`  diagnose bench failed: ${String(r.stderr).slice(0, 300)}`);
}

// ---------------------------------------------------------------- 6. hostile inputs

function hostile() {
  line('\n## Hostile and large inputs (bench/hostile.mjs)');
  const rows = runHostile(BIN, join(work, 'hostile'), 3, line);
  const slow = rows.filter((r) => !r.ok);
  const worst = rows.reduce((a, b) => (b.ms > a.ms ? b : a));
  results.push({
    what: 'hostile inputs (show, lint, --diff, --fix)',
    value: slow.length === 0 ? `all within ${HOSTILE_GOAL_MS} ms (worst ${worst.input} ${worst.mode} ${fmt(worst.ms, 0)} ms)` : `${slow.length} of ${rows.length} over: ${slow.map((r) => `${r.input} ${r.mode} ${r.failed || `${fmt(r.ms, 0)} ms`}`).join(', ')}`,
    target: `<= ${HOSTILE_GOAL_MS} ms each`,
    met: slow.length === 0,
  });
}

// ---------------------------------------------------------------- main

try {
  line(`postfix-tls-lint benchmark: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${new Date().toISOString()}\n`);
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  line(`load average at the start: ${existsSync('/proc/loadavg') ? load() : '?'}`);
  if (runs('cold')) coldStart();
  if (runs('fleet')) fleet();
  if (runs('parse')) await parseThroughput();
  if (runs('memory')) peakMemory();
  if (runs('newer')) newerWork();
  if (runs('hostile')) hostile();
  if (existsSync('/proc/loadavg')) line(`\nload average at the end: ${load()}`);
  line('\n## Summary');
  for (const r of results) line(`  ${r.met === null ? '  ' : r.met ? 'OK' : '!!'}  ${r.what}: ${r.value}  (target ${r.target})`);
} finally {
  if (KEEP) line(`\n(kept ${work})`);
  else rmSync(work, { recursive: true, force: true });
}
