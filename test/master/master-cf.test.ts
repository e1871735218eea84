import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMasterCf, printMasterCf, type ServiceNode } from '../../src/parser/master-cf.js';
import { tlsproxyActive } from '../../src/model/whole-config.js';
import { Prng, seedFromEnv } from '../support/prng.js';
import { postconfMLine } from './postconf-view.js';

interface Case {
  name: string;
  input: string;
  /** service/type -> overrides "name=value" */
  expect: Record<string, string[]>;
  diagnostics?: string[];
}

function summary(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of parseMasterCf(text).services) out[`${s.name}/${s.type}/${s.command}`] = s.overrides.map((o) => `${o.name}=${o.value}`);
  return out;
}

const cases: Case[] = [
  { name: 'simple entry', input: 'smtp inet n - y - - smtpd\n', expect: { 'smtp/inet/smtpd': [] } },
  { name: 'short -o', input: 'relay unix - - n - - smtp -o smtp_tls_security_level=encrypt\n', expect: { 'relay/unix/smtp': ['smtp_tls_security_level=encrypt'] } },
  {
    name: 'continuation lines with comments inside',
    input: 'submission inet n - y - - smtpd\n  -o syslog_name=postfix/submission\n# comment\n\n  #indented comment\n  -o smtpd_tls_security_level=encrypt\nnext unix - - n - - smtp\n',
    expect: { 'submission/inet/smtpd': ['syslog_name=postfix/submission', 'smtpd_tls_security_level=encrypt'], 'next/unix/smtp': [] },
  },
  { name: 'long form keeps inner whitespace', input: 'x unix - - n - - smtp -o { smtp_helo_name = a  b  }\n', expect: { 'x/unix/smtp': ['smtp_helo_name=a  b'] } },
  { name: 'long form across lines', input: 'x unix - - n - - smtp -o { a =\n    b\n  # c\n    c }\n', expect: { 'x/unix/smtp': ['a=b    c'] } },
  { name: 'attached -oname=value', input: 'x unix - - n - - smtp -oa=b\n', expect: { 'x/unix/smtp': ['a=b'] } },
  { name: 'bundled -vo', input: 'x unix - - n - - smtp -vo a=b -Dva=c\n', expect: { 'x/unix/smtp': ['a=b'] } },
  { name: 'attached name with o', input: 'x unix - - n - - smtp -osmtp_helo_name=foo.example\n', expect: { 'x/unix/smtp': ['smtp_helo_name=foo.example'] } },
  { name: 'empty value', input: 'x unix - - n - - smtp -o a= -o {b=}\n', expect: { 'x/unix/smtp': ['a=', 'b='] } },
  { name: '$name in value', input: 'x unix - - n - - smtp -o smtp_tls_security_level=$relay_level\n', expect: { 'x/unix/smtp': ['smtp_tls_security_level=$relay_level'] } },
  { name: 'options end at first non-option', input: 'x unix - - n - - pipe -o a=b flags=R -o c=d\n', expect: { 'x/unix/pipe': ['a=b'] }, diagnostics: ['late-option'] },
  { name: 'program arguments after argv= are not daemon options', input: 'x unix - n n - - pipe flags=R argv=/usr/sbin/sendmail -oi -o a=b\n', expect: { 'x/unix/pipe': [] } },
  { name: 'options end at --', input: 'x unix - - n - - smtp -o a=b -- -o c=d\n', expect: { 'x/unix/smtp': ['a=b'] }, diagnostics: ['late-option'] },
  { name: 'CRLF', input: 'x unix - - n - - smtp\r\n  -o a=b\r\n', expect: { 'x/unix/smtp': ['a=b'] } },
  { name: 'no final newline', input: 'x unix - - n - - smtp -o a=b', expect: { 'x/unix/smtp': ['a=b'] } },
  { name: 'tabs', input: 'x\tunix\t-\t-\tn\t-\t-\tsmtp\t-o\ta=b\n', expect: { 'x/unix/smtp': ['a=b'] } },
  { name: 'wakeup with ?', input: 'pickup unix n - y 60? 1 pickup\n', expect: { 'pickup/unix/pickup': [] } },
  { name: 'too few fields', input: 'x unix - - n - smtp\ny unix - - n - - smtp\n', expect: { 'y/unix/smtp': [] }, diagnostics: ['bad-field-count'] },
  { name: 'bad type', input: 'x tcp - - n - - smtp\n', expect: { 'x/tcp/smtp': [] }, diagnostics: ['bad-field'] },
  { name: 'bad boolean and limits', input: 'x unix yes - n abc 1x smtp\n', expect: { 'x/unix/smtp': [] }, diagnostics: ['bad-field', 'bad-field', 'bad-field'] },
  { name: '-o without value', input: 'x unix - - n - - smtp -o\n', expect: { 'x/unix/smtp': [] }, diagnostics: ['option-without-value'] },
  { name: '-o value without =', input: 'x unix - - n - - smtp -o foo -o =x\n', expect: { 'x/unix/smtp': [] }, diagnostics: ['bad-override', 'bad-override'] },
  { name: 'unbalanced {', input: 'x unix - - n - - smtp -o {a=b\ny unix - - n - - smtp\n', expect: { 'x/unix/smtp': ['a=b'], 'y/unix/smtp': [] }, diagnostics: ['unbalanced-brace'] },
  { name: 'unbalanced { swallows the rest', input: 'x unix - - n - - smtp -o {a=b -o c=d\n', expect: { 'x/unix/smtp': ['a=b -o c=d'] }, diagnostics: ['unbalanced-brace'] },
  { name: 'text after }', input: 'x unix - - n - - smtp -o {a=b}x\n', expect: { 'x/unix/smtp': ['a=b'] }, diagnostics: ['text-after-brace'] },
  { name: 'nested braces', input: 'x unix - - n - - smtp -o {a=b {c} d}\n', expect: { 'x/unix/smtp': ['a=b {c} d'] } },
  { name: 'leading whitespace', input: '  x unix - - n - - smtp\ny unix - - n - - smtp\n', expect: { 'y/unix/smtp': [] }, diagnostics: ['leading-whitespace'] },
  { name: 'NUL cuts the entry', input: 'x unix - - n - - smtp\0 -o a=b\n', expect: { 'x/unix/smtp': [] }, diagnostics: ['nul-byte'] },
  { name: 'duplicate service', input: 'x unix - - n - - smtp -o a=1\nx unix - - n - - lmtp -o a=2\n', expect: { 'x/unix/smtp': ['a=1'], 'x/unix/lmtp': ['a=2'] }, diagnostics: ['duplicate-service'] },
  { name: 'form feed is not a field separator', input: 'x unix - - n - - smtp -o a\f=c\n', expect: { 'x/unix/smtp': ['a=c'] } },
];

for (const c of cases) {
  test(`master.cf: ${c.name}`, () => {
    const parsed = parseMasterCf(c.input);
    assert.deepEqual(summary(c.input), c.expect);
    assert.deepEqual(
      parsed.diagnostics.map((d) => d.code),
      c.diagnostics ?? [],
    );
    assert.equal(printMasterCf(parsed), c.input);
  });
}

test('master.cf: ranges of fields and overrides', () => {
  const text = '# head\nrelay     unix  -  -  n  -  -  smtp\n    -o smtp_tls_security_level=encrypt\n  # inner\n    -o { smtp_helo_name = mx  example }\n    -vo x=1\n';
  const f = parseMasterCf(text);
  const s = f.services[0] as ServiceNode;
  assert.equal(s.line, 2);
  assert.equal(s.endLine, 6);
  assert.equal(text.slice(...s.fields.command.range), 'smtp');
  assert.equal(text.slice(...s.fields.type.range), 'unix');
  const [a, b, c] = s.overrides;
  assert.equal(text.slice(...a.range), '-o smtp_tls_security_level=encrypt');
  assert.equal(text.slice(...a.nameRange), 'smtp_tls_security_level');
  assert.equal(text.slice(...a.valueRange), 'encrypt');
  assert.equal(a.line, 3);
  assert.equal(a.form, 'short');
  assert.equal(text.slice(...b.range), '-o { smtp_helo_name = mx  example }');
  assert.equal(text.slice(...b.nameRange), 'smtp_helo_name');
  assert.equal(text.slice(...b.valueRange), 'mx  example');
  assert.equal(b.line, 5);
  assert.equal(b.form, 'long');
  assert.equal(text.slice(...c.range), 'o x=1');
  assert.equal(c.form, 'attached');
  assert.deepEqual(s.innerSkippedLines, [2]);
});

test('master.cf: a value range spans continuation lines', () => {
  const text = 'x unix - - n - - smtp -o { a = b\n  # c\n   c }\n';
  const o = parseMasterCf(text).services[0].overrides[0];
  assert.equal(text.slice(...o.valueRange), 'b\n  # c\n   c');
  assert.equal(o.value, 'b   c');
});

test('master.cf: empty value range sits after "="', () => {
  const text = 'x unix - - n - - smtp -o a=\n';
  const o = parseMasterCf(text).services[0].overrides[0];
  assert.deepEqual(o.valueRange, [text.indexOf('=') + 1, text.indexOf('=') + 1]);
});

test('master.cf: diagnostics carry line numbers', () => {
  const f = parseMasterCf('ok unix - - n - - smtp\n\nbad unix - -\n  n\nz unix - - n - - smtp -o\n');
  assert.deepEqual(
    f.diagnostics.map((d) => [d.code, d.line]),
    [
      ['bad-field-count', 3],
      ['option-without-value', 5],
    ],
  );
});

test('master.cf: eol, BOM, final newline', () => {
  assert.equal(parseMasterCf('x unix - - n - - smtp\r\n').eol, '\r\n');
  assert.equal(parseMasterCf('\xef\xbb\xbfx unix - - n - - smtp').hasBom, true);
  assert.equal(parseMasterCf('x unix - - n - - smtp').endsWithNewline, false);
});

test('master.cf: postconf -M rendering of the normalised entry', () => {
  const s = parseMasterCf('relay unix - - n - - smtp -o { smtp_helo_name = a  b } -vo x=y {p q}\n').services[0];
  assert.equal(postconfMLine(s), 'relay      unix  -       -       n       -       -       smtp -o {smtp_helo_name=a  b} -v -o x=y p q');
});

test('tlsproxy: only an active unix service of that name running tlsproxy(8) counts', () => {
  const text = 'smtp inet n - y - - smtpd\n#tlsproxy unix - - y - 0 tlsproxy\nrelay unix - - n - - smtp\n   -o a=b\n';
  const active = (t: string, name = 'tlsproxy') => tlsproxyActive(parseMasterCf(t), name);
  assert.equal(active(text), false, 'commented out');
  assert.equal(active(text + 'tlsproxy unix - - y - 0 tlsproxy\n'), true);
  assert.equal(active('tlsp unix - - y - 0 tlsproxy\n'), false, 'another name than tlsproxy_service_name');
  assert.equal(active('tlsp unix - - y - 0 tlsproxy\n', 'tlsp'), true);
  assert.equal(active('tlsproxy unix - - y - 0 smtpd\n'), false, 'runs another command');
});

test('master.cf property: print(parse(x)) === x and no exception, over generated bytes', () => {
  const seed = seedFromEnv(20240611);
  const rng = new Prng(seed);
  const pieces = ['x', 'smtp', ' ', '\t', '\n', '\r\n', '#', '-o', '-', '{', '}', '=', 'a=b', '\0', '\f', '\v', '\xff', '\xc3\xa9', 'unix', '-vo', '  ', '$x'];
  for (let n = 0; n < 3000; n++) {
    let text = '';
    const len = rng.int(40);
    for (let k = 0; k < len; k++) text += rng.chance(0.2) ? String.fromCharCode(rng.int(256)) : rng.pick(pieces);
    let f;
    try {
      f = parseMasterCf(text);
    } catch (e) {
      assert.fail(`seed ${seed} case ${n}: threw ${String(e)} on ${JSON.stringify(text)}`);
    }
    assert.equal(printMasterCf(f), text, `seed ${seed} case ${n}`);
    let prevEnd = 0;
    for (const node of f.nodes) {
      assert.equal(node.range[0], prevEnd, `seed ${seed} case ${n}: gap or overlap`);
      prevEnd = node.range[1];
    }
    assert.equal(prevEnd, text.length);
    for (const s of f.services) for (const o of s.overrides) assert.ok(o.range[0] <= o.nameRange[0] && o.valueRange[1] <= o.range[1]);
  }
});

test('master.cf: a 10 MB file parses in linear time', () => {
  const entry = 'relay unix - - n - - smtp\n  -o smtp_tls_security_level=encrypt\n  # c\n  -o { smtp_helo_name = a b }\n';
  const text = entry.repeat(Math.ceil((10 * 1024 * 1024) / entry.length));
  const t0 = performance.now();
  const f = parseMasterCf(text);
  const ms = performance.now() - t0;
  assert.equal(printMasterCf(f), text);
  assert.ok(ms < 60_000, `took ${ms} ms`); // a hang guard (linear-time parsing), not a timing goal: see bench/
});
