/**
 * Go text/template (confd, Helm, consul-template): {{ action }}, {{/* comment * /}},
 * "{{- " and " -}}" trim all whitespace on that side.
 */
import { fold, findClose, trimAfter, trimBefore, TokenBuilder } from './tokens.js';
import { isSimple, stringLiteral, unparen, type Control, type SyntaxModule, type TokenizeResult } from './control.js';
import type { PlaceholderInfo } from '../types.js';

const CONTROL = /^(if|else|end|range|with|define|block|template|break|continue)\b/;

function tokenize(src: string): TokenizeResult {
  const problems: { offset: number; message: string }[] = [];
  const b = new TokenBuilder(src, { left: false, right: false });
  let pos = 0;
  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    if (open === -1) break;
    const end = findClose(src, open + 2, '}}', `'"\``);
    if (end === -1) {
      problems.push({ offset: open, message: '"{{" is never closed with "}}"' });
      break;
    }
    let inner = src.slice(open + 2, end);
    const left = /^-[ \t\r\n]/.test(inner);
    const right = /[ \t\r\n]-$/.test(inner);
    if (left) inner = inner.slice(1);
    if (right) inner = inner.slice(0, -1);
    const code = inner.trim();
    let kind: 'output' | 'statement' | 'comment' = 'output';
    if (code.startsWith('/*')) kind = 'comment';
    else if (CONTROL.test(code) || /^\$\w*\s*:?=/.test(code)) kind = 'statement';
    b.add({ kind, start: open, end: end + 2, code }, { left, right });
    pos = end + 2;
  }
  const { tokens, marks } = b.finish();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind === 'text') continue;
    if (marks[i].left) trimBefore(tokens, i, src);
    if (marks[i].right) trimAfter(tokens, i, src);
  }
  return { tokens: tokens.filter((t) => t.kind !== 'text' || t.end > t.start), problems };
}

function classify(code: string): Control {
  let m: RegExpExecArray | null;
  if ((m = /^if\s+([\s\S]*)$/.exec(code))) return { type: 'if', cond: fold(m[1]) };
  if ((m = /^with\s+([\s\S]*)$/.exec(code))) return { type: 'if', cond: fold(m[1]) };
  if ((m = /^else\s+(?:if|with)\s+([\s\S]*)$/.exec(code))) return { type: 'elif', cond: fold(m[1]) };
  if (/^else$/.test(code)) return { type: 'else' };
  if (/^end$/.test(code)) return { type: 'end' };
  if (/^range\b/.test(code)) return { type: 'open', body: 'loop' };
  if (/^define\b/.test(code)) return { type: 'open', body: 'hidden' };
  if (/^block\b/.test(code)) return { type: 'open', body: 'plain' };
  if (/^template\b/.test(code)) return { type: 'unknown-output' };
  return { type: 'none' };
}

function label(expr: string): string {
  const key = /^(?:getv|getenv|exists|get)\s+("[^"]*"|`[^`]*`)/.exec(expr);
  if (key) return stringLiteral(key[1]) ?? key[1].slice(1, -1);
  const field = /\$?\.[\w.]+|\$\w+/.exec(expr);
  return field ? field[0] : expr;
}

function placeholder(code: string): PlaceholderInfo {
  const expr = fold(code);
  const literal = stringLiteral(expr) ?? (/^`[^`]*`$/.test(expr) ? expr.slice(1, -1) : undefined);
  if (literal !== undefined) return { label: literal, expr, literal };
  // confd: getv "/key" "default"; getenv "NAME" "default"
  let m = /^(?:getv|getenv)\s+("[^"]*"|`[^`]*`)\s+("[^"]*"|`[^`]*`)$/.exec(expr);
  if (m) return { label: label(expr), expr, fallback: stringLiteral(m[2]) ?? m[2].slice(1, -1) };
  // sprig: X | default "v"  /  default "v" X
  m = /\|\s*default\s+("[^"]*")$/.exec(expr) ?? /^default\s+("[^"]*")\s+\S+$/.exec(expr);
  if (m) return { label: label(expr), expr, fallback: stringLiteral(m[1])! };
  return { label: label(expr), expr };
}

function atom(cond: string): { atom: string; positive: boolean } {
  let c = unparen(fold(cond));
  let positive = true;
  const m = /^not\s+(\S+)$/.exec(c);
  if (m) {
    positive = false;
    c = unparen(m[1]);
  }
  const ne = /^ne\s+(\S+)\s+(\S+)$/.exec(c);
  if (ne) return { atom: `eq ${ne[1]} ${ne[2]}`, positive: !positive };
  return { atom: c, positive };
}

function negate(cond: string): string {
  const c = unparen(fold(cond));
  const m = /^not\s+(\S+)$/.exec(c);
  if (m) return m[1];
  const eq = /^eq\s+(\S+)\s+(\S+)$/.exec(c);
  if (eq) return `ne ${eq[1]} ${eq[2]}`;
  return isSimple(c) && !/\s/.test(c) ? `not ${c}` : `not (${c})`;
}

export const go: SyntaxModule = { tokenize, classify, placeholder, atom, negate };
