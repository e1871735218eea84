/**
 * No regular expression in src/ or rules/ backtracks catastrophically.
 *
 * Every regex literal (and `new RegExp`) in the product code is collected
 * with the TypeScript parser, so a new one is covered without touching this
 * test, and run against adversarial 50,000-char inputs built from the
 * characters it mentions: long runs of one char, followed by a char that makes
 * an anchored or lookahead match fail (newline, NUL, "!"). A super-linear
 * regex takes seconds on these; each run must finish within the budget.
 * Then the input paths that used such regexes are checked end to end.
 * docs/performance.md lists the audit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { evaluateCipherString } from '../../src/ciphers/evaluate.js';
import { ignorePatternMatches } from '../../src/config/glob.js';
import { lintText } from '../../src/lint.js';
import { parseMasterCf } from '../../src/parser/master-cf.js';
import { unifiedDiff } from '../../src/fixer/unified-diff.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const N = 50_000;
/** Linear scans of 50,000 chars take well under a millisecond; quadratic ones take seconds. */
const BUDGET_MS = 250;

interface FoundRegex {
  readonly where: string;
  readonly source: string;
  readonly flags: string;
}

function productRegexes(): FoundRegex[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) files.push(p);
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'rules'));
  const found: FoundRegex[] = [];
  for (const f of files) {
    const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      const where = `${f.slice(ROOT.length + 1)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = n.getText();
        const slash = text.lastIndexOf('/');
        found.push({ where, source: text.slice(1, slash), flags: text.slice(slash + 1) });
      } else if (ts.isNewExpression(n) && n.expression.getText() === 'RegExp' && n.arguments?.[0] && ts.isStringLiteralLike(n.arguments[0])) {
        const flags = n.arguments[1] && ts.isStringLiteralLike(n.arguments[1]) ? n.arguments[1].text : '';
        found.push({ where, source: n.arguments[0].text, flags });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return found;
}

/** Characters worth repeating for this regex: the literal ones it mentions, plus the usual separators. */
function attackChars(source: string): string[] {
  const chars = new Set([' ', '\t', '\n', '\r', 'a', 'A', '0', '_', '.', ',', ':', '/', '!', '$', '{', '}', '(', '[', '#', '@', '-', '+', '=', '\\', '\ud800']);
  for (const c of source.replace(/\\[dswDSWbB]/g, '')) if (c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) < 0x7f) chars.add(c);
  // Escapes in the source stand for their characters (\t, \n, \r, \v, \f).
  for (const [esc, c] of [['\\t', '\t'], ['\\n', '\n'], ['\\r', '\r'], ['\\v', '\v'], ['\\f', '\f']] as const) if (source.includes(esc)) chars.add(c);
  return [...chars];
}

const SUFFIXES = ['', '\n', '\0', '!', 'x', '\n\n'];

function timeOne(re: RegExp, input: string): number {
  const start = performance.now();
  if (re.global) input.replace(re, '');
  else re.test(input); // an unanchored test tries every start position, like split and replace do
  return performance.now() - start;
}

test('every regex in src/ and rules/ runs in linear time on 50,000-char adversarial inputs', () => {
  const regexes = productRegexes();
  assert.ok(regexes.length > 50, `found ${regexes.length} regexes`);
  const slow: string[] = [];
  for (const r of regexes) {
    const re = new RegExp(r.source, r.flags);
    for (const c of attackChars(r.source)) {
      for (const suffix of SUFFIXES) {
        // A leading char that starts no match matters for unanchored tails such as /\s+$/.
        const inputs = [c.repeat(N) + suffix, 'x' + c.repeat(N) + suffix, (c + 'a').repeat(N / 2) + suffix];
        for (const input of inputs) {
          re.lastIndex = 0;
          const ms = timeOne(re, input);
          if (ms > BUDGET_MS) slow.push(`${r.where} /${r.source}/${r.flags}: ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 6))}…×${input.length}${JSON.stringify(suffix)}`);
        }
      }
    }
  }
  assert.deepEqual(slow, [], 'regexes that backtrack super-linearly');
});

function fast<T>(what: string, fn: () => T): T {
  const start = performance.now();
  const result = fn();
  const ms = performance.now() - start;
  assert.ok(ms < 20_000, `${what} took ${ms.toFixed(0)} ms`); // hang guard: catastrophic backtracking takes far longer
  return result;
}

test('input paths that once used a quadratic regex finish quickly on their worst case', () => {
  // TLS 1.3 ciphersuite names were trimmed with /^\s+|\s+$/ (quadratic on long blank runs).
  fast('tls13 suites of blanks', () => evaluateCipherString('HIGH', { tls13Suites: ' '.repeat(N) + 'x:' + '\t'.repeat(N) + 'TLS_AES_128_GCM_SHA256' }));
  // Ignore patterns had trailing slashes stripped with /\/+$/.
  fast('ignore pattern of slashes', () => ignorePatternMatches('/'.repeat(N) + 'x', 'a/b/main.cf'));
  // Diff headers dropped their tab fields with /\t.*$/ (quadratic with a CR after many tabs).
  fast('diff of a path with tabs', () => unifiedDiff({ path: 'a' + '\t'.repeat(N) + '\rb', before: 'a = b\n', after: 'a = c\n' }));
});

test('lint and master.cf parsing stay fast on 50,000-char hostile values', () => {
  const values = ['!'.repeat(N), ' ,'.repeat(N / 2), '$'.repeat(N), '${'.repeat(N / 2), '$('.repeat(N / 2), '_'.repeat(N) + '\n', '#'.repeat(N), '@SECLEVEL='.repeat(N / 10), '>='.repeat(N / 2), ':!'.repeat(N / 2), '0x'.repeat(N / 2), '{ '.repeat(N / 2)];
  const names = ['smtp_tls_protocols', 'smtp_tls_exclude_ciphers', 'smtp_tls_mandatory_ciphers', 'tls_high_cipherlist', 'smtp_tls_security_level', 'relayhost', 'smtp_tls_policy_maps', 'x'.repeat(N)];
  for (const v of values) {
    const text = names.map((n) => `${n} = ${v}\n`).join('') + `${'_'.repeat(N)} = 1\n${'smtp_'.repeat(N / 5)} = ${v}\n`;
    fast(`lint ${JSON.stringify(v.slice(0, 4))}…`, () => lintText(text, 'main.cf', { postfixVersion: '3.7.11', opensslVersion: 3 }));
    fast(`master.cf ${JSON.stringify(v.slice(0, 4))}…`, () => parseMasterCf(`smtp inet n - y - - smtpd\n  -o ${v}\n  -o {${v}}\n  -o smtp_tls_protocols=${v}\n${v}\n`));
  }
});
