/** Jinja2 (Ansible, Salt): {{ expr }}, {% stmt %}, {# comment #}, whitespace control, raw blocks. */
import { fold, findClose, trimAfter, trimBefore, dropNewlineAfter, TokenBuilder } from './tokens.js';
import { isSimple, isTest, splitOnce, stringLiteral, unparen, type Control, type SyntaxModule, type TokenizeOptions, type TokenizeResult } from './control.js';
import type { PlaceholderInfo } from '../types.js';

function tokenize(src: string, options: TokenizeOptions = {}): TokenizeResult {
  const problems: { offset: number; message: string }[] = [];
  // Per tag: strip before / strip after / trim_blocks disabled ("+%}").
  const b = new TokenBuilder(src, { left: false, right: false, keepNewline: false });
  let pos = 0;
  while (pos < src.length) {
    const open = src.indexOf('{', pos);
    if (open === -1 || open + 1 >= src.length) break;
    const next = src[open + 1];
    if (next !== '{' && next !== '%' && next !== '#') {
      pos = open + 1;
      continue;
    }
    const close = next === '{' ? '}}' : next === '%' ? '%}' : '#}';
    const innerStart = open + 2;
    const end = next === '#' ? src.indexOf('#}', innerStart) : findClose(src, innerStart, close);
    if (end === -1) {
      problems.push({ offset: open, message: `"${src.slice(open, open + 2)}" is never closed with "${close}"` });
      break;
    }
    let inner = src.slice(innerStart, end);
    let left = false;
    let right = false;
    let keepNewline = false;
    if (inner.startsWith('-')) {
      left = true;
      inner = inner.slice(1);
    } else if (inner.startsWith('+')) inner = inner.slice(1);
    if (inner.endsWith('-')) {
      right = true;
      inner = inner.slice(0, -1);
    } else if (inner.endsWith('+')) {
      keepNewline = true;
      inner = inner.slice(0, -1);
    }
    const tagEnd = end + 2;
    const kind = next === '{' ? 'output' : next === '%' ? 'statement' : 'comment';
    const code = kind === 'comment' ? inner : inner.trim();
    // {% raw %} ... {% endraw %}: everything between is text.
    if (kind === 'statement' && /^raw$/.test(code)) {
      const m = /\{%[-+]?\s*endraw\s*[-+]?%\}/.exec(src.slice(tagEnd));
      b.add({ kind: 'statement', start: open, end: tagEnd, code: 'raw-begin' }, { left, right, keepNewline });
      if (!m) {
        problems.push({ offset: open, message: '{% raw %} is never closed with {% endraw %}' });
        break;
      }
      const endRawStart = tagEnd + m.index;
      const endRawEnd = endRawStart + m[0].length;
      b.add({ kind: 'statement', start: endRawStart, end: endRawEnd, code: 'raw-end' }, { left: m[0].startsWith('{%-'), right: m[0].endsWith('-%}'), keepNewline: m[0].endsWith('+%}') });
      pos = endRawEnd;
      continue;
    }
    b.add({ kind, start: open, end: tagEnd, code }, { left, right, keepNewline });
    pos = tagEnd;
  }
  const { tokens, marks } = b.finish();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'text') continue;
    const m = marks[i];
    if (m.left) trimBefore(tokens, i, src);
    if (m.right) trimAfter(tokens, i, src);
    else if (options.trimBlocks && t.kind !== 'output' && !m.keepNewline) dropNewlineAfter(tokens, i, src);
  }
  return { tokens: tokens.filter((t) => t.kind !== 'text' || t.end > t.start), problems };
}

const END = /^end(if|for|macro|call|filter|set|block|with|autoescape|trans|raw)\b/;

function classify(code: string): Control {
  const m = /^([a-z_]+)\b\s*([\s\S]*)$/.exec(code);
  if (!m) return { type: 'none' };
  const [, word, rest] = m;
  if (word === 'if') return { type: 'if', cond: fold(rest) };
  if (word === 'elif') return { type: 'elif', cond: fold(rest) };
  if (word === 'else') return { type: 'else' };
  if (END.test(word)) return { type: 'end' };
  if (word === 'for') return { type: 'open', body: 'loop' };
  if (word === 'macro') return { type: 'open', body: 'hidden' };
  if (word === 'set') return /=/.test(rest.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '')) ? { type: 'none' } : { type: 'open', body: 'hidden' };
  if (word === 'call' || word === 'filter') return { type: 'open', body: 'unknown' };
  if (word === 'block' || word === 'with' || word === 'autoescape' || word === 'trans') return { type: 'open', body: 'plain' };
  if (word === 'include') return { type: 'unknown-output' };
  return { type: 'none' };
}

/** The variable an expression is about: the first name (after a leading literal or "not"). */
export function leadingName(expr: string): string {
  const m = /[A-Za-z_][\w]*(?:(?:\.[A-Za-z_]\w*)|(?:\[[^\]]*\]))*/.exec(expr.replace(/(["'])(?:\\.|(?!\1).)*\1/g, ' '));
  return m ? m[0] : fold(expr);
}

function placeholder(code: string): PlaceholderInfo {
  const expr = fold(code);
  const literal = stringLiteral(expr);
  if (literal !== undefined) return { label: literal, expr, literal };
  // Ansible's "| comment" makes comment lines.
  if (/\|\s*comment\b[^|]*$/.test(expr)) return { label: leadingName(expr), expr, literal: `# {{${leadingName(expr)}}}` };
  // 'yes' if x else 'no'
  const inline = /^('[^']*'|"[^"]*")\s+if\s+(.+?)\s+else\s+('[^']*'|"[^"]*")$/.exec(expr);
  if (inline) return { label: leadingName(inline[2]), expr, choices: [stringLiteral(inline[1])!, stringLiteral(inline[3])!] };
  const ternary = /\|\s*ternary\(\s*('[^']*'|"[^"]*")\s*,\s*('[^']*'|"[^"]*")\s*\)$/.exec(expr);
  if (ternary) return { label: leadingName(expr), expr, choices: [stringLiteral(ternary[1])!, stringLiteral(ternary[2])!] };
  const fallback = defaultOf(expr);
  return { label: leadingName(expr), expr, ...(fallback !== undefined ? { fallback } : {}) };
}

/** `x | default('v')`, `x | d("v")`, `x | default(['a','b']) | join(', ')`: the value used when x is undefined. */
function defaultOf(expr: string): string | undefined {
  const m = /\|\s*(?:default|d)\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|\[[^\]]*\]|True|False|true|false)\s*(?:,\s*(?:true|True))?\s*\)\s*(\|\s*join\(\s*('[^']*'|"[^"]*")\s*\))?\s*$/.exec(expr);
  if (!m) return undefined;
  const v = m[1];
  const s = stringLiteral(v);
  if (s !== undefined) return s;
  if (/^-?\d/.test(v)) return v;
  if (/^(true|false)$/i.test(v)) return v[0].toUpperCase() + v.slice(1).toLowerCase();
  // A list: only with a join after it (else Jinja2 prints the Python list).
  if (!m[2]) return undefined;
  const items = v.slice(1, -1).split(',').map((x) => x.trim()).filter((x) => x !== '').map(stringLiteral);
  if (items.some((x) => x === undefined)) return undefined;
  return items.join(stringLiteral(m[3])!);
}

function atom(cond: string): { atom: string; positive: boolean } {
  let c = unparen(fold(cond));
  let positive = true;
  for (;;) {
    const not = /^not\s+([\s\S]+)$/.exec(c);
    if (not && isSimple(not[1])) {
      positive = !positive;
      c = unparen(not[1]);
      continue;
    }
    break;
  }
  const t = isTest(c);
  if (t && t.test === 'undefined') return { atom: `${t.subject} is defined`, positive: t.negated ? positive : !positive };
  if (t && t.negated) return { atom: `${t.subject} is ${t.test}`, positive: !positive };
  const ne = isSimple(c) ? splitOnce(c, '!=') : null;
  if (ne) return { atom: `${ne[0]} == ${ne[1]}`, positive: !positive };
  const notIn = isSimple(c) ? splitOnce(c, ' not in ') : null;
  if (notIn) return { atom: `${notIn[0]} in ${notIn[1]}`, positive: !positive };
  return { atom: c, positive };
}

function negate(cond: string): string {
  const c = unparen(fold(cond));
  const t = isTest(c);
  if (t && (t.negated || isSimple(c))) return `${t.subject} is ${t.negated ? '' : 'not '}${t.test}`;
  const m = /^not\s+(.+)$/.exec(c);
  if (m && isSimple(m[1])) return unparen(m[1]);
  const eq = isSimple(c) ? splitOnce(c, '==') : null;
  if (eq) return `${eq[0]} != ${eq[1]}`;
  const ne = isSimple(c) ? splitOnce(c, '!=') : null;
  if (ne) return `${ne[0]} == ${ne[1]}`;
  return isSimple(c) && !/\s/.test(c) ? `not ${c}` : `not (${c})`;
}

export const jinja2: SyntaxModule = { tokenize, classify, placeholder, atom, negate };
