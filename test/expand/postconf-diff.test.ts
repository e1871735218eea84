/**
 * Differential test: random main.cf files whose parameters reference each
 * other through every expansion form, expanded by the real `postconf -n -x`
 * and by expandValue(). Every printed parameter must agree (after folding
 * whitespace runs, as postconf prints them), a file must fail in postconf
 * exactly when one of its printed parameters fails here, and the user-defined
 * parameters postconf prints (the "used" ones) must be exactly those that
 * referencedNames() finds in some value.
 *
 * Defaults of the names the files leave unset come from the catalogue (the
 * generated table of the installed release), so this also checks them.
 *
 * TEST_SEED=n reproduces a run; TEST_EXPAND_FILES=n changes the file count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandValue, referencedNames } from '../../src/expand/expand.js';
import { execFile, spawnSync } from 'node:child_process';
import { defaultFor } from '../../src/model/catalogue/index.js';
import { backdate } from '../support/postfix.js';
import { Prng } from '../support/prng.js';

function havePostconf(): boolean {
  return spawnSync('postconf', ['-h', 'mail_version'], { encoding: 'utf8' }).status === 0;
}
const NO_POSTCONF = 'postconf (Postfix) is not installed: differential expansion test skipped';

/** Known parameters whose values postconf -x prints without validating them. */
const KNOWN_SETTABLE = [
  'smtp_tls_CAfile',
  'smtp_tls_cert_file',
  'smtp_tls_key_file',
  'smtp_tls_CApath',
  'smtpd_tls_CAfile',
  'smtpd_tls_cert_file',
  'smtpd_tls_key_file',
  'smtp_tls_mandatory_protocols',
  'smtp_tls_protocols',
  'smtp_tls_mandatory_ciphers',
  'smtp_tls_exclude_ciphers',
  'smtp_tls_policy_maps',
  'smtp_tls_security_level',
  'smtp_helo_name',
  'relayhost',
  'myorigin',
];
const USER_NAMES = Array.from({ length: 8 }, (_, i) => `tu${i}`);
const UNDEFINED_NAMES = ['undef_a', 'undef_b'];
const LEVELS = ['0', '1', '2', '3.6', '3.10', '3.7.11', '3.6.0', '4'];
const WORDS = ['x', 'foo', 'a b', 'TLSv1.2', '>=TLSv1.2', '!SSLv2,', '1', '10', '9', '01', '3.6', '3.10', 'md5', 'sha256', '/etc/ssl/cert.pem', '.', '-', ' ', '  ', ',', '=', '<', '!', 'x\ty', '\xe9t\xe9'];
const NUMBERS = ['0', '1', '01', '9', '10', '007', '100'];
const RELOPS = ['==', '!=', '<', '<=', '>', '>='];
const FILES = Number(process.env.TEST_EXPAND_FILES ?? 400);
const CONCURRENCY = 24;

interface GenContext {
  rng: Prng;
  /** Names this value may reference. */
  names: string[];
  /** Per-node chance of a deliberate error. */
  errorRate: number;
}

function space(rng: Prng): string {
  return rng.chance(0.3) ? rng.pick([' ', '  ', '\t']) : '';
}

function reference(c: GenContext): string {
  const name = c.rng.pick(c.names);
  switch (c.rng.int(4)) {
    case 0:
      return `$${name}`;
    case 1:
      return `\${${name}}`;
    case 2:
      return `$(${name})`;
    default:
      return `\${${space(c.rng)}${name}${space(c.rng)}}`;
  }
}

function levelOperand(c: GenContext): string {
  const rng = c.rng;
  if (rng.chance(c.errorRate * 2)) return rng.pick(['3.', 'x', '', '3.6.1.2']);
  if (rng.chance(0.4)) return '$compatibility_level';
  return `${space(rng)}${rng.pick(LEVELS)}`;
}

function deliberateError(rng: Prng): string {
  return rng.pick(['${', '$-', '${a b}', '${tu0{x}}', '${{x}}', '${{1}=={2}x}', '${tu1?{x}y}', '${{x}<lev{1}}', '$', '${{18446744073709551615}<{1}}']);
}

/** A random expansion expression; braces stay balanced so mac_parse can delimit it. */
function expression(c: GenContext, depth: number): string {
  const rng = c.rng;
  const parts: string[] = [];
  const count = 1 + rng.int(depth > 2 ? 2 : 4);
  for (let i = 0; i < count; i++) {
    if (rng.chance(c.errorRate)) {
      parts.push(deliberateError(rng));
      continue;
    }
    const kind = depth <= 0 ? rng.int(3) : rng.int(7);
    switch (kind) {
      case 0:
        parts.push(rng.pick(WORDS));
        break;
      case 1:
        parts.push(reference(c));
        break;
      case 2:
        parts.push(rng.chance(0.5) ? '$$' : `$$${rng.pick(c.names)}`);
        break;
      case 3:
      case 4:
        parts.push(conditional(c, depth - 1));
        break;
      default:
        parts.push(relational(c, depth - 1));
        break;
    }
  }
  return parts.join(rng.chance(0.5) ? ' ' : '');
}

function braced(c: GenContext, depth: number): string {
  return `${space(c.rng)}{${expression(c, depth)}}${space(c.rng)}`;
}

function conditional(c: GenContext, depth: number): string {
  const rng = c.rng;
  const name = `${space(rng)}${rng.pick(c.names)}${space(rng)}`;
  switch (rng.int(6)) {
    case 0:
      return `\${${name}?${expression(c, depth)}}`;
    case 1:
      return `\${${name}:${expression(c, depth)}}`;
    case 2:
      return `\${${name}?${braced(c, depth)}}`;
    case 3:
      return `\${${name}:${braced(c, depth)}}`;
    case 4:
      return `\${${name}?${braced(c, depth)}:${braced(c, depth)}}`;
    default:
      return `\${${name}?${braced(c, depth)}:${expression(c, depth)}}`;
  }
}

function relational(c: GenContext, depth: number): string {
  const rng = c.rng;
  const op = rng.pick(RELOPS);
  let left: string;
  let right: string;
  let operator: string;
  if (rng.chance(0.35)) {
    operator = `${op}level`;
    left = levelOperand(c);
    right = levelOperand(c);
  } else if (rng.chance(0.3)) {
    // Both all digits: compared as numbers, where string order would differ.
    operator = op;
    left = rng.pick(NUMBERS);
    right = rng.pick(NUMBERS);
  } else {
    operator = op;
    left = rng.chance(0.5) ? rng.pick(WORDS) : expression(c, depth);
    right = rng.chance(0.5) ? rng.pick(WORDS) : expression(c, depth);
  }
  const head = `{${left}}${space(rng)}${operator}${space(rng)}{${right}}${space(rng)}`;
  switch (rng.int(6)) {
    case 0:
      return `\${${space(rng)}${head}}`;
    case 1:
      return `\${${head}?${braced(c, depth)}}`;
    case 2:
      return `\${${head}:${braced(c, depth)}}`;
    case 3:
      return `\${${head}?${braced(c, depth)}:${braced(c, depth)}}`;
    case 4:
      return `\${${head}?${expression(c, depth)}}`;
    default:
      return `\${${head}?${braced(c, depth)}:${expression(c, depth)}}`;
  }
}

/** `calls` nested mac_expand callbacks: each wrapper adds one, the innermost literal one more. */
function deepValue(rng: Prng, calls: number): string {
  let value = 'deep';
  for (let i = 1; i < calls; i++) {
    switch (rng.int(3)) {
      case 0:
        value = `\${mydomain?{${value}}}`;
        break;
      case 1:
        value = `\${undef_a:{${value}}}`;
        break;
      default:
        value = `\${{a} == {a} ? {${value}}}`;
        break;
    }
  }
  return value;
}

interface GeneratedFile {
  text: string;
  /** What the main.cf reader keeps: the value with surrounding whitespace trimmed. */
  values: Map<string, string>;
  known: Set<string>;
}

function generateFile(rng: Prng, failingFile: boolean): GeneratedFile {
  const values = new Map<string, string>();
  const known = new Set<string>();
  // Fixed-ish identity so nothing depends on this machine's hostname.
  values.set('mydomain', rng.pick(['example.com', 'example.org', 'localdomain']));
  values.set('myhostname', rng.pick(['mx.$mydomain', 'mail.$mydomain', 'host.example.net']));
  known.add('mydomain').add('myhostname');
  if (rng.chance(0.7)) {
    values.set('compatibility_level', rng.pick(LEVELS));
    known.add('compatibility_level');
  }
  const order: string[] = [];
  for (const name of KNOWN_SETTABLE) if (rng.chance(0.35)) order.push(name);
  for (const name of USER_NAMES) if (rng.chance(0.7)) order.push(name);
  // Shuffle, then let each value reference only names earlier in the order (plus
  // defaults and undefined names), so most files are free of reference loops.
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const allowCycles = rng.chance(0.03);
  const errorRate = failingFile ? 0.05 : 0.0005;
  const fallbackNames = [...UNDEFINED_NAMES, 'mydomain', 'myhostname', 'compatibility_level', 'smtp_tls_fingerprint_digest', 'mail_name', 'smtp_tls_loglevel'];
  order.forEach((name, i) => {
    const earlier = allowCycles ? order : order.slice(0, i);
    const names = [...earlier, ...earlier, ...fallbackNames, ...USER_NAMES.filter((u) => !order.includes(u))];
    const value = expression({ rng, names, errorRate }, 1 + rng.int(3));
    values.set(name, value.replace(/^[ \t]+|[ \t]+$/g, ''));
    if (!USER_NAMES.includes(name)) known.add(name);
  });
  // Now and then a deeply nested value near Postfix's limit of 101 nested macro calls.
  const unsetKnown = KNOWN_SETTABLE.filter((n) => !values.has(n));
  if (rng.chance(0.06) && unsetKnown.length > 0) {
    const name = rng.pick(unsetKnown);
    values.set(name, deepValue(rng, 96 + rng.int(10)));
    known.add(name);
  }
  // An unused carrier that makes some user-defined parameters "used".
  const carried = USER_NAMES.filter(() => rng.chance(0.5)).map((n) => `$${n}`);
  if (carried.length > 0) values.set('tu_carrier', carried.join(' '));
  const lines = [...values].map(([name, value]) => (value === '' ? `${name} =` : `${name} = ${value}`));
  return { text: `${lines.join('\n')}\n`, values, known };
}

function fold(value: string): string {
  return value.replace(/[ \t\r\n]+/g, ' ').trim();
}

interface PostconfResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runPostconf(dir: string): Promise<PostconfResult> {
  backdate(dir);
  return new Promise((resolve) => {
    execFile(
      'postconf',
      ['-c', dir, '-n', '-x'],
      { encoding: 'latin1', env: { ...process.env, LANG: 'C' }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

test('expandValue agrees with postconf -n -x on random main.cf files', async (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const seed = process.env.TEST_SEED ? Number(process.env.TEST_SEED) : 20240611;
  const root = mkdtempSync(join(tmpdir(), 'ptl-expand-'));
  try {
    const version = spawnSync('postconf', ['-h', 'mail_version'], { encoding: 'utf8' }).stdout.trim();

    const rng = new Prng(seed);
    const files = Array.from({ length: FILES }, (_, index) => {
      const file = generateFile(rng, rng.chance(0.06));
      const dir = join(root, `c${index}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'master.cf'), '');
      writeFileSync(join(dir, 'main.cf'), file.text, 'latin1');
      return { index, dir, file };
    });

    const outputs = await mapLimit(files, CONCURRENCY, ({ dir }) => runPostconf(dir));

    let valuesCompared = 0;
    let filesAgreeing = 0;
    let failingFiles = 0;
    const mismatches: string[] = [];
    files.forEach(({ file, index }, i) => {
      const out = outputs[i];
      const lookup = (name: string): string | undefined => file.values.get(name) ?? defaultFor(name, version);
      // Which user-defined parameters postconf calls "used": referenced by some value.
      const referenced = new Set<string>();
      for (const value of file.values.values()) for (const n of referencedNames(value)) referenced.add(n);
      const printed = [...file.values.keys()].filter((n) => file.known.has(n) || (n.startsWith('tu') && referenced.has(n)));
      const mine = new Map(printed.map((n) => [n, expandValue(file.values.get(n) as string, lookup)]));
      const someFail = [...mine.values()].some((r) => !r.ok);
      const where = `seed ${seed} file ${join(root, `c${index}`, 'main.cf')}`;
      const before = mismatches.length;
      if (out.code !== 0) {
        failingFiles++;
        if (!someFail) mismatches.push(`${where}: postconf failed (${out.code}) but expandValue did not: ${out.stderr.slice(-300)}`);
      } else if (someFail) {
        const bad = [...mine].filter(([, r]) => !r.ok).map(([n, r]) => `${n}: ${JSON.stringify(r.diagnostics)}`);
        mismatches.push(`${where}: expandValue failed but postconf did not: ${bad.join('; ')}`);
      } else {
        const theirs = new Map<string, string>();
        for (const line of out.stdout.split('\n')) {
          const m = /^(\S+) =(?: (.*))?$/.exec(line);
          if (m && m[1] !== 'config_directory') theirs.set(m[1], m[2] ?? '');
        }
        const expectedNames = [...printed].sort();
        const actualNames = [...theirs.keys()].sort();
        if (JSON.stringify(expectedNames) !== JSON.stringify(actualNames)) {
          mismatches.push(`${where}: printed names differ: expected ${expectedNames.join(',')} got ${actualNames.join(',')}`);
        }
        for (const [name, r] of mine) {
          if (!theirs.has(name)) continue;
          valuesCompared++;
          const expected = theirs.get(name) as string;
          if (fold(r.value) !== expected) {
            mismatches.push(`${where}: ${name}: postconf ${JSON.stringify(expected)} vs ours ${JSON.stringify(fold(r.value))}`);
          }
        }
      }
      if (mismatches.length === before) filesAgreeing++;
    });
    t.diagnostic(
      `seed ${seed}: ${filesAgreeing}/${files.length} files agree (${failingFiles} fail in both as expected), ${valuesCompared} expanded values compared`,
    );
    assert.deepEqual(mismatches.slice(0, 10), [], `${mismatches.length} mismatches`);
    assert.ok(valuesCompared > files.length, 'too few values compared');
  } finally {
    if (process.env.TEST_KEEP_FILES === undefined) rmSync(root, { recursive: true, force: true });
  }
});
