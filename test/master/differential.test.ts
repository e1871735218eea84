/**
 * Differential tests against the real `postconf -M` / `postconf -P` on
 * generated master.cf files and on the system's master.cf files.
 */
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parseMasterCf, type MasterCfFile } from '../../src/parser/master-cf.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import { ConfigModel } from '../../src/model/config.js';
import { isUnusedMasterOverride } from '../../src/model/services.js';
import { bytesToBinary } from '../../src/util/text.js';
import { Prng, seedFromEnv } from '../support/prng.js';
import { havePostconf, NO_POSTCONF, postconf, removeDir, tempConfigDir } from '../support/postfix.js';
import { postconfM, postconfP } from './postconf-view.js';
import { backdate } from '../support/postfix.js';

const MAIN_CF = 'relay_level = encrypt\nsubmission_restrictions = permit_sasl_authenticated, reject\nbar = $user_thing\n';

/** Async postconf run, so generated cases can run in parallel (single runs sometimes stall ~2 s here). */
function postconfAsync(dir: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    backdate(dir);
    execFile('postconf', ['-c', dir, ...args], { encoding: 'latin1', env: { ...process.env, LANG: 'C' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ status: code, stdout, stderr });
    });
  });
}

function lines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l !== '');
}

interface Outcome {
  agreeM: boolean;
  agreeP: boolean;
  agreeUnused: boolean;
}

/** Compare our reading with postconf on one master.cf; returns which views agree. */
async function compare(master: string, label: string, mainCf = MAIN_CF, checkUnused = true): Promise<Outcome> {
  const dir = tempConfigDir({ 'main.cf': mainCf, 'master.cf': master });
  try {
    const parsed: MasterCfFile = parseMasterCf(master);
    const [m, p] = await Promise.all([postconfAsync(dir, ['-M']), postconfAsync(dir, ['-P'])]);
    assert.equal(m.status, 0, `${label}: postconf -M failed: ${m.stderr}`);
    assert.equal(p.status, 0, `${label}: postconf -P failed: ${p.stderr}`);
    const ours = postconfM(parsed);
    const theirs = lines(m.stdout);
    const oursP = postconfP(parsed);
    const theirsP = lines(p.stdout);
    const agreeM = JSON.stringify(ours) === JSON.stringify(theirs);
    const agreeP = JSON.stringify(oursP) === JSON.stringify(theirsP);
    assert.deepEqual(ours, theirs, `${label}: -M differs\n--- master.cf ---\n${master}`);
    assert.deepEqual(oursP, theirsP, `${label}: -P differs\n--- master.cf ---\n${master}`);
    let agreeUnused = true;
    if (checkUnused) {
      const model = new ConfigModel(parseMainCf(mainCf), '3.7');
      // postconf keeps one parameter dictionary per name/type and checks it once per entry.
      const dicts = new Map<string, Map<string, string>>();
      for (const s of parsed.services) {
        const d = dicts.get(`${s.name}/${s.type}`) ?? new Map<string, string>();
        for (const o of s.overrides) d.set(o.name, o.value);
        dicts.set(`${s.name}/${s.type}`, d);
      }
      const ourUnused = parsed.services
        .flatMap((s) => [...(dicts.get(`${s.name}/${s.type}`) as Map<string, string>)].filter(([n, v]) => isUnusedMasterOverride(n, v, model, parsed, s)).map(([n, v]) => `${n}=${v}`.replace(/[\x00-\x1f\x7f]/g, '?'))) // msg_warn() prints control characters as '?'
        .sort();
      const theirUnused = [...p.stderr.matchAll(/master\.cf: unused parameter: (.*)$/gm)].map((x) => x[1]).sort();
      agreeUnused = JSON.stringify(ourUnused) === JSON.stringify(theirUnused);
      assert.deepEqual(ourUnused, theirUnused, `${label}: unused-parameter warnings differ\n${master}`);
    }
    return { agreeM, agreeP, agreeUnused };
  } finally {
    removeDir(dir);
  }
}

const NAMES_ANY = ['smtp_helo_name', 'syslog_name', 'smtpd_client_restrictions', 'content_filter', 'smtpd_tls_wrappermode', 'my_option', 'user_thing'];
/** Names and values without "o": postconf mis-splits attached "-oname=value" at a later "o" (see the explicit test). */
const NAMES_NO_O = ['smtp_tls_security_level', 'smtpd_tls_security_level', 'lmtp_tls_security_level', 'smtpd_sasl_auth_enable', 'smtp_tls_ciphers', 'x_special'];
const VALUES_NO_O = ['may', 'encrypt', 'yes', 'high', '$relay_level', '${relay_level}', 'a,b', '', 'dane', 'medium'];
const VALUES_ANY = [...VALUES_NO_O, 'postfix/submission', '$submission_restrictions', 'permit_mynetworks,reject'];
const SPACED = ['permit_mynetworks reject', 'a  b\t c', '$relay_level  x', '{nested} text', 'x'];

function genOverride(rng: Prng): string {
  const sep = () => rng.pick([' ', '\t', '\n  ', '\n\t', '\n  # comment in between\n  ', '\n\n   ', '\r\n  ']);
  switch (rng.int(5)) {
    case 0:
      return `-o${sep()}${rng.pick([...NAMES_ANY, ...NAMES_NO_O])}=${rng.pick(VALUES_ANY)}`;
    case 1:
      return `-o${rng.pick(NAMES_NO_O)}=${rng.pick(VALUES_NO_O)}`;
    case 2:
      return `-${rng.pick(['v', 'D', 'vv'])}o${sep()}${rng.pick(NAMES_ANY)}=${rng.pick(VALUES_ANY)}`;
    default: {
      const inner = rng.pick([' ', '', '  ', '\n    ']);
      const eq = rng.pick(['=', ' = ', ' =\n   ', '= ']);
      return `-o${sep()}{${inner}${rng.pick([...NAMES_ANY, ...NAMES_NO_O])}${eq}${rng.pick([...VALUES_ANY, ...SPACED])}${rng.pick([' ', '', '\n  # c\n  ', '  '])}}`;
    }
  }
}

function genMaster(rng: Prng, serviceCount: number): string {
  let out = rng.chance(0.3) ? '# generated master.cf\n#\n' : '';
  const used = new Set<string>();
  for (let n = 0; n < serviceCount; n++) {
    let name = rng.pick(['smtp', 'relay', 'exchange-legacy', 'submission', '127.0.0.1:10025', 'lmtp', 'custom' + n, 'tlsproxy', 'svc' + n]);
    const type = rng.pick(['unix', 'inet', 'unix', 'pass', 'fifo', 'unix-dgram']);
    if (used.has(`${name}/${type}`)) name = `${name}${n}`;
    used.add(`${name}/${type}`);
    const ws = () => rng.pick([' ', '  ', '\t', ' \t ']);
    const fields = [name, type, rng.pick(['-', 'y', 'n']), rng.pick(['-', 'y', 'n']), rng.pick(['-', 'y', 'n']), rng.pick(['-', '0', '60', '300?', '?']), rng.pick(['-', '0', '1', '100']), rng.pick(['smtp', 'lmtp', 'smtpd', 'pipe', 'smtp', 'smtpd', 'cleanup'])];
    let line = fields.map((f, i) => (i === 0 ? f : (rng.chance(0.1) ? '\n  ' : ws()) + f)).join('');
    const nOpt = rng.int(5);
    for (let k = 0; k < nOpt; k++) {
      line += rng.chance(0.5) ? rng.pick(['\n  ', '\n\t', '\n  # between\n    ', '\n\n  ']) : ws();
      line += rng.chance(0.15) ? rng.pick(['-v', '-D']) : genOverride(rng);
    }
    if (rng.chance(0.3)) line += rng.pick([' flags=Rq user=nobody argv=/bin/cat', ' -- -o a=b', ' {a  b} c', '\n  flags=R {x y}', ' x -o late=1']);
    out += line + rng.pick(['\n', '\n', '\r\n', '\n# trailing comment\n', '\n\n']);
  }
  return out;
}

test('differential: generated master.cf files vs postconf -M / -P / unused-parameter warnings', async (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const seed = seedFromEnv(7331);
  const rng = new Prng(seed);
  const total = 200;
  const masters = Array.from({ length: total }, () => genMaster(rng, 1 + rng.int(8)));
  const results: Outcome[] = [];
  for (let n = 0; n < total; n += 25) {
    results.push(...(await Promise.all(masters.slice(n, n + 25).map((m, k) => compare(m, `seed ${seed} case ${n + k}`)))));
  }
  const services = masters.reduce((sum, m) => sum + parseMasterCf(m).services.length, 0);
  const count = (f: (o: Outcome) => boolean) => results.filter(f).length;
  t.diagnostic(`generated (${services} services): -M agree ${count((o) => o.agreeM)}/${total}, -P agree ${count((o) => o.agreeP)}/${total}, unused warnings agree ${count((o) => o.agreeUnused)}/${total}`);
});

const TABLE: { name: string; master: string }[] = [
  { name: 'long form with nested braces and text after }', master: 'x unix - - n - - smtp -o {a=b {c} d} -o {x=}}\n' },
  { name: 'missing } runs to the end', master: 'x unix - - n - - smtp -o {e=f -o g=h\n' },
  { name: 'bad -o values are ignored', master: 'x unix - - n - - smtp -ov -o=x -o y -o z= -o {} -o { =x }\n' },
  { name: 'duplicate name/type share one parameter list in postconf', master: 'x unix - - n - - smtp -o {a=b} -o {a=c}\nx unix - - n - - smtp -o q=1\n' },
  { name: 'options stop at a non-option and at --', master: 'x unix - - n - - smtp -o a=b foo -o c=d {x  y} {z  w}\ny unix - - n - - smtp -o a=b -- -o c=d\n' },
  { name: 'leading whitespace entry is skipped', master: '  lead unix - - n - - smtp\nx unix - - n - - smtp -o a=b\n' },
  { name: 'form feed inside a token', master: 'x unix - - n - - smtp -o a\f=c\n' },
  { name: 'NUL byte', master: 'x unix - - n - - smtp\0 -o a=b\ny unix - - n - - smtp -o c=d\n' },
];

for (const c of TABLE) {
  test(`differential: ${c.name}`, async (t) => {
    if (!havePostconf()) {
      t.skip(NO_POSTCONF);
      return;
    }
    await compare(c.master, c.name);
  });
}

test('differential: postconf stops with a fatal error exactly when we report a fatal field error', (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const inputs = ['x unix - - n - smtp\n', 'x tcp - - n - - smtp\n', 'x unix yes - n - - smtp\n', 'x unix - - n 1x - smtp\n', 'x unix - - n - 1x smtp\n', 'x unix - - n ? 0 smtp\n', 'x unix - - n 5? 0 smtp\n', 'x inet - - n - - smtp\n'];
  for (const master of inputs) {
    const dir = tempConfigDir({ 'main.cf': '', 'master.cf': master });
    try {
      const fatal = postconf(dir, ['-M']).status !== 0;
      const ours = parseMasterCf(master).diagnostics.some((d) => d.code === 'bad-field' || d.code === 'bad-field-count');
      assert.equal(ours, fatal, master);
    } finally {
      removeDir(dir);
    }
  }
});

test('differential: postconf mis-splits attached -oname=value containing "o" (daemons use getopt)', (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const master = 'x unix - - n - - smtp -osmtp_helo_name=foo.example\n';
  const dir = tempConfigDir({ 'main.cf': '', 'master.cf': master });
  try {
    const p = lines(postconf(dir, ['-P']).stdout);
    assert.deepEqual(p, ['x/unix/_name = f']);
    assert.deepEqual(
      parseMasterCf(master).services[0].overrides.map((o) => [o.name, o.value]),
      [['smtp_helo_name', 'foo.example']],
    );
  } finally {
    removeDir(dir);
  }
});

for (const path of ['/etc/postfix/master.cf', '/usr/share/postfix/master.cf.dist']) {
  test(`differential: ${path}`, async (t) => {
    if (!havePostconf()) {
      t.skip(NO_POSTCONF);
      return;
    }
    if (!existsSync(path)) {
      t.skip(`${path} not present`);
      return;
    }
    const text = bytesToBinary(readFileSync(path));
    await compare(text, path, '');
    t.diagnostic(`${path}: ${parseMasterCf(text).services.length} services agree with postconf -M and -P`);
  });
}
