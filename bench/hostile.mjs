#!/usr/bin/env node
/**
 * Hostile and large inputs (not a test): `node bench/hostile.mjs [--runs N] [--keep]` after a build,
 * or as part of `npm run bench`. Each input is run through `show`, lint, `--diff` and `--fix` (on a
 * fresh copy) by the real CLI; the median wall time of N runs (default 3) is printed against the
 * 2-second goal. The inputs are the ones issue 18 names plus harsher variants of them:
 *
 *  - chain60:      a 60-step doubling $name chain (a1 = x, a2 = $a1 $a1, ...) read by TLS parameters;
 *  - exclude-2mb:  one 1.96 MB smtp_tls_exclude_ciphers line of names OpenSSL knows (repeated);
 *  - unknown-2mb:  one 1.96 MB exclusion line of distinct names OpenSSL does not know (one finding each);
 *  - dup-5000 / dup-100000: that many definitions of one TLS parameter (the fix removes all but one).
 *
 * Exported for bench/run.mjs: hostileInputs(dir) and runHostile(bin, dir, runs, line).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '3.7.11';
export const HOSTILE_GOAL_MS = 2000;

const KNOWN_EXCLUSIONS = ['aNULL', 'MD5', 'RC4', 'SHA1', 'kRSA', 'eNULL', '3DES', 'CAMELLIA'];

/** Name -> main.cf text. */
export function hostileTexts() {
  let chain = 'a1 = x\n';
  for (let i = 2; i <= 60; i++) chain += `a${i} = $a${i - 1} $a${i - 1}\n`;
  chain += 'smtp_tls_security_level = $a60\nsmtp_tls_CAfile = $a60\nsmtp_tls_protocols = $a12\n';
  const line = (word) => {
    const parts = [];
    let size = 0;
    for (let i = 0; size < 1.96e6; i++) {
      const w = word(i);
      parts.push(w);
      size += w.length + 2;
    }
    return `smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = ${parts.join(', ')}\n`;
  };
  const dup = (n) => 'smtp_tls_security_level = may\n'.repeat(n) + 'smtp_tls_loglevel = 1\n';
  return new Map([
    ['chain60', chain],
    ['exclude-2mb', line((i) => KNOWN_EXCLUSIONS[i % KNOWN_EXCLUSIONS.length])],
    ['unknown-2mb', line((i) => `NOSUCH${i}`)],
    ['dup-5000', dup(5000)],
    ['dup-100000', dup(100000)],
  ]);
}

/** Writes each input as DIR/NAME/main.cf (with an empty master.cf); returns name -> path. */
export function hostileInputs(dir) {
  const out = new Map();
  for (const [name, text] of hostileTexts()) {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'main.cf'), text);
    writeFileSync(join(d, 'master.cf'), '');
    out.set(name, join(d, 'main.cf'));
  }
  return out;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function timed(bin, argv, timeoutMs) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...argv], { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs, maxBuffer: 1 << 26 });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: r.status, timedOut: r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM', stderr: String(r.stderr ?? '') };
}

/** Runs every mode on every input; prints a table; returns [{ input, mode, ms, ok }]. */
export function runHostile(bin, dir, runs = 3, line = console.log, timeoutMs = 120_000) {
  const inputs = hostileInputs(dir);
  const modes = [
    ['show', (p) => ['show', '--postfix-version', VERSION, p]],
    ['lint', (p) => [p, '--postfix-version', VERSION]],
    ['--diff', (p) => [p, '--postfix-version', VERSION, '--diff']],
    ['--fix', (p) => [p, '--postfix-version', VERSION, '--fix']],
  ];
  const rows = [];
  line(`  ${'input'.padEnd(12)} ${modes.map(([m]) => m.padStart(9)).join(' ')}   (median of ${runs}, ms; goal <= ${HOSTILE_GOAL_MS} ms each)`);
  for (const [name, path] of inputs) {
    const cells = [];
    for (const [mode, argv] of modes) {
      const times = [];
      let failed = '';
      for (let i = 0; i < runs; i++) {
        // --fix rewrites the file: give every run a fresh copy.
        let target = path;
        if (mode === '--fix') {
          target = join(dirname(path), `fix-${i}`, 'main.cf');
          mkdirSync(dirname(target), { recursive: true });
          copyFileSync(path, target);
          writeFileSync(join(dirname(target), 'master.cf'), '');
        }
        const r = timed(bin, argv(target), timeoutMs);
        times.push(r.ms);
        if (r.timedOut) failed = 'timeout';
        else if (r.status !== 0 && r.status !== 1 && !(mode === 'show' && r.status === 2)) failed = `exit ${r.status}: ${r.stderr.slice(0, 120)}`;
        if (failed) break;
      }
      const ms = median(times);
      rows.push({ input: name, mode, ms, ok: !failed && ms <= HOSTILE_GOAL_MS, failed });
      cells.push(failed ? (failed === 'timeout' ? 'timeout' : 'error') : ms.toFixed(0));
    }
    line(`  ${name.padEnd(12)} ${cells.map((c) => c.padStart(9)).join(' ')}`);
  }
  for (const r of rows) if (r.failed) line(`  ${r.input} ${r.mode}: ${r.failed}`);
  return rows;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = mkdtempSync(join(tmpdir(), 'ptl-hostile-bench-'));
  try {
    console.log('## Hostile and large inputs');
    const rows = runHostile(join(root, 'bin', 'postfix-tls-lint'), dir, runs);
    const slow = rows.filter((r) => !r.ok);
    console.log(slow.length === 0 ? '  OK  every input within 2 s in every mode' : `  !!  ${slow.length} of ${rows.length} over 2 s or failing`);
  } finally {
    if (args.includes('--keep')) console.log(`(kept ${dir})`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
