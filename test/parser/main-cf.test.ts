import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMainCf, printMainCf, type ParamNode } from '../../src/parser/main-cf.js';
import { Prng, seedFromEnv } from '../support/prng.js';
import { havePostconf, NO_POSTCONF, postconfLines, removeDir, tempConfigDir } from '../support/postfix.js';
import { mapLimit, postconfAsync } from '../support/show-harness.js';

function values(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of parseMainCf(text).params) out[p.name] = p.value;
  return out;
}

const cases: { name: string; input: string; expect: Record<string, string>; diagnostics?: string[] }[] = [
  { name: 'simple', input: 'a = b\n', expect: { a: 'b' } },
  { name: 'no spaces around =', input: 'a=b\n', expect: { a: 'b' } },
  { name: 'many spaces, trailing whitespace', input: 'a   =   b  c \t\n', expect: { a: 'b c' } },
  { name: 'continuation', input: 'a = x\n  y\n\tz\n', expect: { a: 'x y z' } },
  { name: 'comment and blank lines inside a continuation', input: 'a = x\n# c\n\n  # indented comment\n y\nb = 1\n', expect: { a: 'x y', b: '1' } },
  { name: 'indented name = value joins the previous value', input: 'a = x\n  b = 1\n', expect: { a: 'x b = 1' } },
  { name: '# after a value is part of it', input: 'a = may # note\n', expect: { a: 'may # note' } },
  { name: 'CRLF', input: 'a = x\r\n  y\r\nb = 2\r\n', expect: { a: 'x y', b: '2' } },
  { name: 'no final newline', input: 'a = x', expect: { a: 'x' } },
  { name: 'empty value', input: 'a =\nb = \n', expect: { a: '', b: '' } },
  { name: 'duplicate: last wins', input: 'a = 1\na = 2\n', expect: { a: '2' } },
  { name: '= on a continuation line', input: 'a\n  = b\n', expect: { a: 'b' } },
  { name: 'NUL cuts the line', input: 'a = x\0y\nb = 2\n', expect: { a: 'x', b: '2' }, diagnostics: ['nul-byte'] },
  { name: 'leading whitespace at start is skipped', input: '  lead = 1\n   more\nb = 2\n', expect: { b: '2' }, diagnostics: ['leading-whitespace'] },
  { name: 'missing =', input: 'b = 2\nbad line\n', expect: { b: '2' }, diagnostics: ['syntax'] },
  { name: 'missing name', input: '= x\n', expect: {}, diagnostics: ['syntax'] },
  { name: 'form feed and vertical tab are whitespace', input: 'a = x\n\fy\n\vz\n', expect: { a: 'x y z' } },
];

for (const c of cases) {
  test(`parse: ${c.name}`, () => {
    const parsed = parseMainCf(c.input);
    const got: Record<string, string> = {};
    for (const p of parsed.params) got[p.name] = p.value;
    assert.deepEqual(got, c.expect);
    assert.deepEqual(
      parsed.diagnostics.map((d) => d.code),
      c.diagnostics ?? [],
    );
    assert.equal(printMainCf(parsed), c.input);
  });
}

test('parse: ranges point at the name, the value and the whole logical line', () => {
  const text = '# top\nsmtp_tls_protocols = >=TLSv1.2\n  # inner\n    <=TLSv1.3\nnext = 1\n';
  const f = parseMainCf(text);
  const p = f.params[0] as ParamNode;
  assert.equal(text.slice(...p.nameRange), 'smtp_tls_protocols');
  assert.equal(text.slice(...p.valueRange), '>=TLSv1.2\n  # inner\n    <=TLSv1.3');
  assert.equal(text.slice(...p.range), 'smtp_tls_protocols = >=TLSv1.2\n  # inner\n    <=TLSv1.3\n');
  assert.equal(p.line, 2);
  assert.equal(p.endLine, 4);
  assert.deepEqual(p.innerSkippedLines, [1]);
  assert.equal(p.value, '>=TLSv1.2 <=TLSv1.3');
});

test('parse: empty value range sits right after "="', () => {
  const text = 'a =   \n';
  const p = parseMainCf(text).params[0];
  assert.deepEqual(p.valueRange, [3, 3]);
});

test('parse: line endings, BOM and final newline are detected', () => {
  assert.equal(parseMainCf('a = 1\r\nb = 2\r\n').eol, '\r\n');
  assert.equal(parseMainCf('a = 1\nb = 2\n').eol, '\n');
  assert.equal(parseMainCf('\xef\xbb\xbfa = 1').hasBom, true);
  assert.equal(parseMainCf('a = 1').endsWithNewline, false);
});

test('parse: a 10 MB file parses in linear time', () => {
  const line = 'smtp_tls_exclude_ciphers = aNULL, MD5, RC4\n  # comment\n  eNULL\n';
  const text = line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
  const t0 = performance.now();
  const f = parseMainCf(text);
  const ms = performance.now() - t0;
  assert.equal(printMainCf(f), text);
  assert.ok(ms < 60_000, `took ${ms} ms`); // a hang guard, not a timing goal: throughput is measured in bench/
});

// --- property: print(parse(x)) === x for arbitrary bytes -----------------------------------

const PIECES = [
  'a', 'b', 'smtp_tls_protocols', '=', ' ', '  ', '\t', '\n', '\r\n', '\r', '#', '# c\n', '$', '{', '}', '\0',
  '\xef\xbb\xbf', '\xff', '\xc3\xa9', 'x = y\n', '  cont\n', '\f', '\v', 'é',
];

test('property: print(parse(x)) === x, ranges are in bounds, never throws', () => {
  const rng = new Prng(seedFromEnv(20261129));
  for (let i = 0; i < 3000; i++) {
    let s = '';
    const n = rng.int(40);
    for (let k = 0; k < n; k++) s += rng.chance(0.1) ? String.fromCharCode(rng.int(256)) : rng.pick(PIECES);
    const f = parseMainCf(s);
    assert.equal(printMainCf(f), s, `seed ${rng.seed} case ${i}: ${JSON.stringify(s)}`);
    let pos = 0;
    for (const node of f.nodes) {
      assert.equal(node.range[0], pos, `nodes must tile the input: ${JSON.stringify(s)}`);
      pos = node.range[1];
    }
    assert.equal(pos, s.length);
    for (const p of f.params) {
      assert.ok(p.valueRange[0] <= p.valueRange[1] && p.valueRange[1] <= p.range[1]);
      assert.ok(p.nameRange[0] >= p.range[0] && p.nameRange[1] <= p.valueRange[0]);
    }
  }
});

// --- differential: our values against `postconf -n` ------------------------------------------

const KNOWN_NAMES = [
  'smtp_tls_security_level', 'smtp_tls_protocols', 'smtp_tls_mandatory_protocols', 'smtp_tls_ciphers',
  'smtp_tls_exclude_ciphers', 'smtpd_tls_security_level', 'smtpd_tls_cert_file', 'smtp_tls_CAfile',
  'smtp_tls_loglevel', 'tls_ssl_options', 'mydomain', 'relayhost', 'smtp_tls_policy_maps',
];
const VALUE_WORDS = ['may', 'encrypt', '>=TLSv1.2', '!SSLv2,', '!SSLv3', 'aNULL', '#', '# note', 'x=y', '$myorigin', 'é', '\xff', 'a,b', ':', 'TLSv1.3'];
const WS = [' ', '  ', '\t', ' \t '];

function generateMainCf(rng: Prng): string {
  const eol = rng.chance(0.3) ? '\r\n' : '\n';
  // A fixed myhostname keeps postconf from looking up this machine's name in DNS (slow offline).
  let out = `myhostname = parser-test.example${eol}`;
  if (rng.chance(0.1)) out += `${rng.pick(WS)}orphan = 1${eol}`;
  const n = 1 + rng.int(8);
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.2)) out += `# comment ${i}${eol}`;
    if (rng.chance(0.1)) out += eol;
    const name = rng.pick(KNOWN_NAMES);
    const eq = rng.pick(['=', ' =', '= ', ' = ', '\t=\t', '   =']);
    let value = '';
    const words = rng.int(4);
    for (let w = 0; w < words; w++) value += (w ? rng.pick(WS) : '') + rng.pick(VALUE_WORDS);
    out += `${name}${eq}${value}${rng.chance(0.2) ? rng.pick(WS) : ''}`;
    const conts = rng.chance(0.3) ? 1 + rng.int(3) : 0;
    for (let c = 0; c < conts; c++) {
      out += eol;
      if (rng.chance(0.3)) out += rng.pick(['# inner' + eol, eol, '  # indented' + eol]);
      out += rng.pick(WS) + rng.pick(VALUE_WORDS);
      if (rng.chance(0.1)) out += ' = z';
    }
    if (i < n - 1 || rng.chance(0.8)) out += eol;
  }
  return out;
}

test('differential: values equal `postconf -c DIR -n` on generated files', async (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const rng = new Prng(seedFromEnv(7));
  const CASES = 250;
  const texts = Array.from({ length: CASES }, () => generateMainCf(rng));
  const results = await mapLimit(texts, 8, async (text) => {
    const dir = tempConfigDir({ 'main.cf': text, 'master.cf': '' });
    try {
      return { text, dir, run: await postconfAsync(dir, ['-n']) };
    } finally {
      removeDir(dir);
    }
  });
  let compared = 0;
  results.forEach(({ text, dir, run }, i) => {
    assert.equal(run.status, 0, `postconf failed on ${JSON.stringify(text)}: ${run.stderr}`);
    const expected = postconfLines(run.stdout, dir);
    const mine = values(text);
    const got = Object.keys(mine)
      .sort()
      .map((k) => (mine[k] === '' ? `${k} =` : `${k} = ${mine[k]}`));
    assert.deepEqual(got, expected, `seed ${rng.seed} case ${i}: ${JSON.stringify(text)}`);
    compared++;
  });
  assert.equal(compared, CASES);
});
