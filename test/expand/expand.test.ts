import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandValue, parseCompatLevel, referencedNames, type Lookup } from '../../src/expand/expand.js';

const params: Record<string, string> = {
  a: 'X',
  e: '',
  t: '$a',
  lvl: '3.6',
  sp: 'a  b',
};
const lookup: Lookup = (name) => (Object.hasOwn(params, name) ? params[name] : undefined);

/**
 * Expected results. Every row with ok:true (and the failing ones) was checked
 * against `postconf -c DIR -n -x` from Postfix 3.7.11; postconf prints values
 * with whitespace runs folded and trimmed, so rows with leading spaces show
 * what mac_expand itself produces.
 */
const table: { input: string; value?: string; ok?: boolean; codes?: string[] }[] = [
  // plain references
  { input: '$a ${a} $(a)', value: 'X X X' },
  { input: '[$$a]', value: '[$a]' },
  { input: '$$$a', value: '$X' },
  { input: '$t', value: 'X' },
  { input: '$a.$a', value: 'X.X' },
  { input: '$a-b', value: 'X-b' },
  { input: '${ a }', value: 'X' },
  { input: '${\ta\r}', value: 'X' },
  { input: '$(a)b)', value: 'Xb)' },
  { input: '$undef', value: '', codes: ['undefined'] },
  { input: '${ }', value: '', codes: ['undefined'] },
  { input: 'text without dollars', value: 'text without dollars' },
  // conditionals, Postfix 2.2 raw text forms
  { input: '${a?x:y}', value: 'x:y' },
  { input: '${e?x:y}', value: '' },
  { input: '${e?y}|${e:z}|${undef:u}|${undef?v}', value: '|z|u|', codes: ['undefined'] },
  { input: '${a ?x}', value: 'x' },
  { input: '${a? x}', value: ' x' },
  { input: '${a?}', value: '' },
  { input: '${:x}', value: 'x', codes: ['undefined'] },
  { input: '${?x}', value: '', codes: ['undefined'] },
  { input: '${a?$t$t}', value: 'XX' },
  // braced forms (3.0)
  { input: '${a?{1}:{2}}${e?{1}:{2}}${a?{1}:2}${a:{1}}', value: '121' },
  { input: '${a?{x}:y z}', value: 'x' },
  { input: '${e?{x}:y z}', value: 'y z' },
  { input: '${a?{x} : y}', value: 'x' },
  { input: '${e?{x} : y}', value: ' y' },
  { input: '${a?{ x  y }}', value: ' x  y ' },
  { input: '${a?{${e:{${a?{deep}}}}}}', value: 'deep' },
  // relational (3.0)
  { input: '${{$a}=={X}}', value: 'true' },
  { input: '${{$t}=={X}}', value: 'true' },
  { input: '${{ $a } == {X} ? {t} : {f}}', value: 'f' },
  { input: '${{a}  ==  {a}}', value: 'true' },
  { input: '${{a}=={a}?x}', value: 'x' },
  { input: '${{a}=={a} ?x}', value: 'x' },
  { input: '${{a}=={a}:x}', value: '' },
  { input: '${{a}=={b}:x}', value: 'x' },
  { input: '${{a}=={a}?{x}:{y}}', value: 'x' },
  { input: '${{a b}==  {a  b}}|${{10}<{9}}|${{abc}<{abd}}|${{3.10}<{3.9}}', value: '||true|true' },
  { input: '${{}<{1}}', value: 'true' },
  { input: '${{}=={}}', value: 'true' },
  { input: '${{ 1}<{2}}', value: 'true' },
  { input: '${{-1}<{2}}', value: 'true' },
  { input: '${{ab}<={ab}}', value: 'true' },
  { input: '${{b}>{ab}}', value: 'true' },
  { input: '${{1}>={01}}', value: 'true' },
  { input: '${{1}=={01}}', value: 'true' },
  { input: '${{1}!={01}}', value: '' },
  { input: '${{$sp}=={a  b}}', value: 'true' },
  { input: '${{\xe9}>{z}}', value: 'true' },
  // compatibility levels (3.6)
  { input: '${{3.6}<level{3.10}}', value: 'true' },
  { input: '${{3.6.1}<level{3.6}}', value: '' },
  { input: '${{0}<level{1}}', value: 'true' },
  { input: '${{01}<level{1}}', value: '' },
  { input: '${{1}==level{1.0}}', value: 'true' },
  { input: '${{1.0.0}==level{1}}', value: 'true' },
  { input: '${{ 3}<level{4}}', value: 'true' },
  { input: '${{$lvl} <level {3.6} ? {md5} : {sha256}}', value: 'sha256' },
  { input: '${{$lvl} <=level {3.6} ? {md5} : {sha256}}', value: 'md5' },
  { input: '${{$lvl} >level {2} ? {y} : {n}}', value: 'y' },
  { input: '${{$lvl} !=level {3.6.0} ? {y} : {n}}', value: 'n' },
  // Postfix stops with "macro processing error" on all of these
  { input: '${a', ok: false, codes: ['syntax'] },
  { input: '$', ok: false, codes: ['syntax'] },
  { input: 'x$-', ok: false, codes: ['syntax'] },
  { input: '${}', ok: false, codes: ['syntax'] },
  { input: '$()', ok: false, codes: ['syntax'] },
  { input: '$(a}', ok: false, codes: ['syntax'] },
  { input: '${a{x}}', ok: false, codes: ['syntax'] },
  { input: '${a b}', ok: false, codes: ['syntax'] },
  { input: '${\va}', ok: false, codes: ['syntax'] },
  { input: '${{a}}', ok: false, codes: ['syntax'] },
  { input: '${{a}= ={a}}', ok: false, codes: ['syntax'] },
  { input: '${{a}===={a}}', ok: false, codes: ['syntax'] },
  { input: '${{a}=={b}x}', ok: false, codes: ['syntax'] },
  { input: '${a?{x}y}', ok: false, codes: ['syntax'] },
  { input: '${a?{x}:{y}z}', ok: false, codes: ['syntax'] },
  { input: '${a?{x}', ok: false, codes: ['syntax'] },
  { input: '${a?{x}:{${b}', ok: false, codes: ['syntax'] },
  { input: '${{a}<level{3.6}}', ok: false, codes: ['syntax'] },
  { input: '${{$a}<level{3.6}?{old}:{new}}', ok: false, codes: ['syntax'] },
  { input: '${{3.6.1.2}<level{3.6}}', ok: false, codes: ['syntax'] },
  { input: '${{}<level{1}}', ok: false, codes: ['syntax'] },
  { input: '${{3.}<level{4}}', ok: false, codes: ['syntax'] },
  { input: '${{a}<levelx{3}}', ok: false, codes: ['syntax'] },
  { input: '${{1}<lev{3}}', ok: false, codes: ['syntax'] },
  { input: '${{99999999999999999999}<{2}}', ok: false, codes: ['syntax'] },
  // syntax errors in a branch that is not taken are not evaluated (postconf only warns while scanning)
  { input: '${a?{x}:{$-}}', value: 'x' },
  { input: '${e?{$-}:{x}}', value: 'x' },
];

test('expansion table (checked against postconf 3.7.11)', () => {
  for (const row of table) {
    const r = expandValue(row.input, lookup);
    const label = JSON.stringify(row.input);
    assert.equal(r.ok, row.ok ?? true, `${label} ok; ${JSON.stringify(r.diagnostics)}`);
    if (row.value !== undefined) assert.equal(r.value, row.value, `${label} value`);
    assert.deepEqual(
      [...new Set(r.diagnostics.map((d) => d.code))],
      row.codes ?? [],
      `${label} diagnostics ${JSON.stringify(r.diagnostics)}`,
    );
  }
});

test('undefined names are named once each, and expansion stays ok', () => {
  const r = expandValue('$u1 $u1 ${u2?x} ${u3:y}', lookup);
  assert.equal(r.ok, true);
  assert.equal(r.value, '   y');
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.name]),
    [
      ['undefined', 'u1'],
      ['undefined', 'u2'],
      ['undefined', 'u3'],
    ],
  );
});

test('reference loops are reported with the names involved', () => {
  const map = new Map([
    ['a', '$b'],
    ['b', 'x$a'],
  ]);
  const start = Date.now();
  const r = expandValue('$a', (n) => map.get(n));
  assert.ok(Date.now() - start < 500);
  assert.equal(r.ok, false);
  const loop = r.diagnostics.find((d) => d.code === 'loop');
  assert.ok(loop, JSON.stringify(r.diagnostics));
  assert.match(loop.message, /\$a -> \$b -> \$a|\$b -> \$a -> \$b/);
});

test('self-reference through a conditional and through a relational operand', () => {
  const viaConditional = expandValue('$a', (n) => (n === 'a' ? 'y${a?{$a}}' : undefined));
  assert.equal(viaConditional.ok, false);
  assert.equal(viaConditional.diagnostics[0].code, 'loop');
  assert.equal(viaConditional.diagnostics[0].name, 'a');
  // Postfix itself crashes on this one (each operand restarts its nesting count).
  const viaOperand = expandValue('$a', (n) => (n === 'a' ? '${{$a}=={x}}' : undefined));
  assert.equal(viaOperand.ok, false);
  assert.equal(viaOperand.diagnostics[0].code, 'loop');
});

test('nesting: Postfix allows 101 levels of macro calls, not 102', () => {
  const nest = (n: number) => {
    let s = 'x';
    for (let i = 1; i < n; i++) s = `\${a?{${s}}}`;
    return s;
  };
  // n-1 conditionals plus the literal callback = n nested callbacks.
  assert.deepEqual(expandValue(nest(101), lookup), { value: 'x', ok: true, diagnostics: [] });
  const r = expandValue(nest(102), lookup);
  assert.equal(r.ok, false);
  assert.equal(r.diagnostics[0].code, 'nesting');
});

test('bounded: 60-step doubling chain stops quickly with too-large', () => {
  const map = new Map<string, string>([['p0', 'x']]);
  for (let i = 1; i <= 60; i++) map.set(`p${i}`, `$p${i - 1} $p${i - 1}`);
  const start = Date.now();
  const r = expandValue('$p60', (n) => map.get(n));
  assert.ok(Date.now() - start < 20_000, // hang guard (bounded expansion), not a timing goal
    `took ${Date.now() - start} ms`);
  assert.equal(r.ok, false);
  assert.equal(r.diagnostics[0].code, 'too-large');
  assert.ok(r.value.length <= 1024 * 1024 + 10);
  // The byte cap alone also stops it.
  const small = expandValue('$p60', (n) => map.get(n), { maxOutputBytes: 1000, maxSteps: 1e9 });
  assert.equal(small.ok, false);
  assert.equal(small.diagnostics[0].code, 'too-large');
  assert.ok(small.value.length <= 1000 + 4);
  // Empty values produce no output but still cost steps.
  map.set('p0', '');
  const empty = expandValue('$p60', (n) => map.get(n), { maxSteps: 10_000 });
  assert.equal(empty.diagnostics[0].code, 'too-large');
});

test('bounded: 3000 nested conditionals and relational operands do not overflow the stack', () => {
  let cond = 'x';
  let rel = 'x';
  for (let i = 0; i < 3000; i++) {
    cond = `\${a?{${cond}}}`;
    rel = `\${{${rel}}=={x}}`;
  }
  for (const input of [cond, rel]) {
    const start = Date.now();
    const r = expandValue(input, lookup);
    assert.ok(Date.now() - start < 1000);
    assert.equal(r.ok, false);
    assert.equal(r.diagnostics[0].code, 'nesting');
  }
  const names = referencedNames(cond);
  assert.deepEqual(names, ['a']);
});

test('bounded: a 10 MB value without $ expands in linear time', () => {
  const big = 'abc def '.repeat(1_310_720);
  const start = Date.now();
  const r = expandValue(big, lookup);
  assert.ok(Date.now() - start < 20_000, // hang guard (bounded expansion), not a timing goal
    `took ${Date.now() - start} ms`);
  assert.equal(r.ok, true);
  assert.equal(r.value, big);
  // A long run of $$ too.
  const dollars = '$$'.repeat(500_000);
  assert.equal(expandValue(dollars, lookup).value, '$'.repeat(500_000));
});

test('bounded: deep braces in a huge value are matched once, not per level', () => {
  const open = '${a?{'.repeat(200_000);
  const start = Date.now();
  const r = expandValue(`${open}x${'}}'.repeat(200_000)}`, lookup);
  assert.ok(Date.now() - start < 20_000, // hang guard (bounded expansion), not a timing goal
    `took ${Date.now() - start} ms`);
  assert.equal(r.diagnostics[0].code, 'nesting');
});

test('binary strings pass through unchanged', () => {
  const bytes = '\xff\xfe\x80caf\xc3\xa9 ';
  const r = expandValue(`${bytes}$v`, (n) => (n === 'v' ? bytes : undefined));
  assert.equal(r.value, bytes + bytes);
});

test('referencedNames sees every branch and operand, in order, once', () => {
  assert.deepEqual(referencedNames('${a?{$b}:{${{$c}=={$d}?$e}}} $f $$g ${h:$i} $(j) ${ k }'), [
    'a',
    'b',
    'c',
    'd',
    'e',
    'f',
    'h',
    'i',
    'j',
    'k',
  ]);
  assert.deepEqual(referencedNames('${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}'), ['compatibility_level']);
  // Like postconf's scan, names after a syntax error are not seen.
  assert.deepEqual(referencedNames('$a $- $b'), ['a']);
  assert.deepEqual(referencedNames('no refs $$x'), []);
});

test('parseCompatLevel follows compat_level_from_string', () => {
  assert.equal(parseCompatLevel('0'), 0n);
  assert.equal(parseCompatLevel('3.6'), (3n << 20n) | (6n << 10n));
  assert.equal(parseCompatLevel('3.6.1'), (3n << 20n) | (6n << 10n) | 1n);
  assert.equal(parseCompatLevel('+3'), 3n << 20n);
  for (const bad of ['', 'a', '3.', '3.6.1.2', '-1', '3.1024', '3.6.x', '99999999999999999999']) {
    assert.equal(parseCompatLevel(bad), undefined, bad);
  }
});
