/**
 * The diagnose command end to end (in-process): inputs (files, gzip, stdin,
 * every header format), --since, --config, JSON against its schema, stylish
 * with and without colour, exit codes and input errors.
 */
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Ajv from 'ajv';
import { runCli } from '../support/show-harness.js';
import { ROOT, fixture, read } from './support.js';
import type { DiagnoseOutput } from '../../src/diagnose/types.js';

const V = ['--postfix-version', '3.7.11'];
const validate = new Ajv.default({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'diagnose-output.schema.json'), 'utf8')));
const generated = read('generated', 'maillog');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ptl-diagnose-'));
}

/** A copy of a log with a fixed modification time (the reference for year-less timestamps). */
function logFile(dir: string, name: string, content: string | Buffer, mtime = new Date(Date.UTC(2026, 11, 4))): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  utimesSync(p, mtime, mtime);
  return p;
}

async function json(args: string[], opts: Parameters<typeof runCli>[1] = {}): Promise<{ code: number; out: DiagnoseOutput; stderr: string }> {
  const r = await runCli(['diagnose', '--format', 'json', ...args], opts);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  const out = JSON.parse(Buffer.from(r.stdout, 'latin1').toString('utf8')) as DiagnoseOutput;
  assert.ok(validate(out), JSON.stringify(validate.errors));
  return { code: r.code, out, stderr: r.stderr };
}

/** Incidents without the raw evidence lines (which carry the input's own header format). */
function shape(out: DiagnoseOutput): unknown[] {
  return out.incidents.map((i) => ({ ...i, evidence: i.evidence.length }));
}

test('JSON output validates against schemas/diagnose-output.schema.json, with and without --config; exit 1 with incidents', async () => {
  const dir = tempDir();
  const log = logFile(dir, 'maillog', generated);
  const plain = await json([log]);
  assert.equal(plain.code, 1);
  assert.equal(plain.out.schemaVersion, 1);
  assert.equal(plain.out.incidents.length, 15);
  assert.equal(plain.out.summary.lines, generated.split('\n').filter((l) => l !== '').length);
  const configured = await json([...V, '--config', fixture('generated', 'etc'), log]);
  assert.equal(configured.out.incidents.filter((i) => i.parameter !== null).length, 12);
  assert.match(configured.stderr, /warning: smtp_tls_policy_maps: cannot read .*missing_policy/);
  const lab = await json([...V, '--config', join(fixture('lab', 'etc'), 'main.cf'), logFile(dir, 'lab.log', read('lab', 'maillog'))]);
  assert.equal(lab.out.incidents.length, 34);
  for (const i of [...plain.out.incidents, ...lab.out.incidents]) {
    assert.deepEqual(Object.keys(i), ['direction', 'hostname', 'address', 'port', 'service', 'cause', 'count', 'first', 'last', 'delivery', 'evidence', 'explanation', 'parameter', 'file', 'line', 'fix', 'confirm']);
  }
});

test('every input format gives the same incidents: maillog_file, traditional syslog, RFC 3339, journalctl short-iso, gzip, stdin', async () => {
  const dir = tempDir();
  const base = (await json([logFile(dir, 'maillog', generated)])).out;
  const lines = generated.split('\n').filter((l) => l !== '');
  const stamp = (l: string) => l.slice(0, 15);
  const iso = (l: string, zone: string) => `2026-12-03T${stamp(l).slice(7)}${zone}${l.slice(15)}`;
  const variants: Record<string, string> = {
    traditional: lines.map((l) => l.replace(/^Dec 0(\d)/, 'Dec  $1')).join('\n') + '\n',
    rfc3339: lines.map((l) => iso(l, '.000000+00:00')).join('\n') + '\n',
    journalctl: ['-- Logs begin at Thu 2026-12-03 00:00:01 UTC, end at Thu 2026-12-03 23:59:59 UTC. --', ...lines.map((l) => iso(l, '+0000'))].join('\n') + '\n',
  };
  for (const [name, text] of Object.entries(variants)) {
    const out = (await json([logFile(dir, name, text)])).out;
    assert.deepEqual(shape(out), shape(base), name);
  }
  const gz = (await json([logFile(dir, 'mail.log.2.gz', gzipSync(Buffer.from(generated)))])).out;
  assert.deepEqual(gz.incidents, base.incidents);
  const stdin = (await json(['-'], { stdin: Buffer.from(generated) })).out;
  assert.deepEqual(shape(stdin), shape(base));
  const stdinGz = (await json(['-'], { stdin: gzipSync(Buffer.from(generated)) })).out;
  assert.deepEqual(shape(stdinGz), shape(base));
  // Rotated logs read together: counts add up.
  const half = Math.floor(lines.length / 2);
  const split = (await json([logFile(dir, 'mail.log.1', lines.slice(0, half).join('\n') + '\n'), logFile(dir, 'mail.log.2.gz', gzipSync(Buffer.from(lines.slice(half).join('\n') + '\n')))])).out;
  assert.equal(split.summary.lines, base.summary.lines);
});

test('--since keeps only what happened from then on', async () => {
  const dir = tempDir();
  const log = logFile(dir, 'maillog', generated);
  const all = (await json([log])).out;
  // The retries of the outbound messages happened two seconds after the first attempts.
  const firsts = all.incidents.filter((i) => i.direction === 'outbound').map((i) => i.first as string).sort();
  const lastFirst = firsts[firsts.length - 1];
  const cut = new Date(Date.parse(lastFirst) + 1000).toISOString();
  const later = (await json(['--since', cut, log])).out;
  assert.ok(later.incidents.length > 0 && later.incidents.length < all.incidents.length);
  for (const i of later.incidents) assert.ok((i.first as string) >= cut, `${i.first} < ${cut}`);
  assert.equal(later.summary.since, cut.replace(/\.\d+Z$/, '.000Z'));
  assert.ok(later.summary.consideredLines < all.summary.consideredLines);
  const none = await json(['--since', '2027-01-01', log]);
  assert.equal(none.code, 0);
  assert.equal(none.out.incidents.length, 0);
});

test('stylish output: grouped by host with counts, cause in words, fix and check; colours only when asked', async () => {
  const dir = tempDir();
  const log = logFile(dir, 'maillog', generated);
  const r = await runCli(['diagnose', ...V, '--config', fixture('generated', 'etc'), log]);
  assert.equal(r.code, 1);
  const out = Buffer.from(r.stdout, 'latin1').toString('utf8');
  assert.doesNotMatch(out, /\x1b\[/);
  assert.match(out, /^to localhost\[127\.0\.0\.1\]:\d+ {2}2 failures$/m);
  assert.match(out, /^ {2}✖ 2× no TLS protocol version in common with the server {2}no-shared-protocol$/m);
  assert.match(out, /^ {4}setting: smtp_tls_mandatory_protocols \(\S+tls_policy:\d+\)$/m);
  assert.match(out, /^ {4}fix: /m);
  assert.match(out, /^ {4}confirm: .*posttls-finger /m);
  assert.match(out, /^from \[127\.0\.0\.14\] {2}1 failure$/m);
  assert.match(out, /^✖ 15 TLS incidents \(23 failures\) with 15 hosts$/m);
  const coloured = await runCli(['diagnose', log], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
  assert.match(coloured.stdout, /\x1b\[31m/);
  const off = await runCli(['diagnose', '--no-color', log], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
  assert.doesNotMatch(off.stdout, /\x1b\[/);
  const clean = await runCli(['diagnose', fixture('posttls-finger', 'ok.txt')]);
  assert.equal(clean.code, 0);
  assert.match(Buffer.from(clean.stdout, 'latin1').toString('utf8'), /^✔ no TLS incidents in \d+ log lines/m);
});

test('input errors exit 2 with a clear message and no stack trace', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'sub'));
  const cases: [string[], RegExp][] = [
    [['diagnose'], /missing required argument|needs log files/],
    [['diagnose', join(dir, 'nope.log')], /nope\.log: no such file or directory/],
    [['diagnose', join(dir, 'sub')], /is a directory/],
    [['diagnose', '--since', 'soon', fixture('posttls-finger', 'ok.txt')], /invalid --since "soon": use a duration/],
    [['diagnose', '--format', 'xml', fixture('posttls-finger', 'ok.txt')], /invalid|allowed choices/i],
    [['diagnose', logFile(dir, 'broken.gz', Buffer.concat([gzipSync(Buffer.from(generated)).subarray(0, 200)]))], /broken\.gz: not a valid gzip stream/],
    [['diagnose', '--config', join(dir, 'none'), fixture('posttls-finger', 'ok.txt')], /no such file or directory/],
    [['diagnose', '-', '-'], /stdin \(-\) can be read only once/],
  ];
  for (const [argv, message] of cases) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, message, argv.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});
