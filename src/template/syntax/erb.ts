/**
 * ERB (Puppet templates, Chef cookbooks) and EPP (Puppet): <%= expr %>,
 * <% code %>, <%# comment %>, <%- strips the indentation before a tag, -%>
 * eats the line break after it (also after an output tag), <%% is a literal
 * "<%". A code tag alone on its line takes the line with it (Erubis, which
 * Chef uses; for Puppet it only removes a blank line).
 */
import { fold, dropIndentBefore, dropNewlineAfter, onlyIndentBefore, onlySpaceAfter, isBlank, TokenBuilder, type Token } from './tokens.js';
import { isSimple, splitOnce, stringLiteral, unparen, type Control, type SyntaxModule, type TokenizeResult } from './control.js';
import type { PlaceholderInfo } from '../types.js';

export function tokenizeErbLike(src: string, epp: boolean): TokenizeResult {
  const problems: { offset: number; message: string }[] = [];
  const b = new TokenBuilder(src, { left: false, right: false });
  let pos = 0;
  while (pos < src.length) {
    const open = src.indexOf('<%', pos);
    if (open === -1) break;
    if (src[open + 2] === '%') {
      // "<%%" is a literal "<%".
      b.add({ kind: 'text', start: open, end: open + 3, text: '<%' });
      pos = open + 3;
      continue;
    }
    const end = src.indexOf('%>', open + 2);
    if (end === -1) {
      problems.push({ offset: open, message: '"<%" is never closed with "%>"' });
      break;
    }
    let inner = src.slice(open + 2, end);
    let left = false;
    let right = false;
    if (inner.startsWith('-')) {
      left = true;
      inner = inner.slice(1);
    }
    let kind: 'output' | 'statement' | 'comment' = 'statement';
    if (inner.startsWith('=')) {
      kind = 'output';
      inner = inner.slice(1);
    } else if (inner.startsWith('#')) {
      kind = 'comment';
      inner = inner.slice(1);
    }
    if (inner.endsWith('-')) {
      right = true;
      inner = inner.slice(0, -1);
    }
    const code = inner.trim();
    // EPP's parameter list <%- | ... | -%> declares, it prints nothing.
    const isParams = epp && kind === 'statement' && code.startsWith('|');
    b.add({ kind: isParams ? 'comment' : kind, start: open, end: end + 2, code }, { left, right });
    pos = end + 2;
  }
  const { tokens, marks } = b.finish();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'text') continue;
    const m = marks[i];
    if (m.left) dropIndentBefore(tokens, i, src);
    if (m.right) {
      if (epp) {
        // EPP: trailing spaces and tabs, then one line break.
        const n = tokens[i + 1];
        if (n && n.kind === 'text' && n.text === undefined) {
          while (n.start < n.end && (src[n.start] === ' ' || src[n.start] === '\t')) n.start++;
        }
      }
      dropNewlineAfter(tokens, i, src);
    } else if (t.kind !== 'output' && onlyIndentBefore(src, t.start) >= 0 && onlySpaceAfter(src, t.end) && !sharesLine(tokens, i, src)) {
      dropIndentBefore(tokens, i, src);
      const n = tokens[i + 1];
      if (n && n.kind === 'text' && n.text === undefined) {
        while (n.start < n.end && src[n.start] !== '\n' && isBlank(src[n.start])) n.start++;
      }
      dropNewlineAfter(tokens, i, src);
    }
  }
  return { tokens: tokens.filter((t) => t.kind !== 'text' || t.end > t.start), problems };
}

/** Whether another tag shares the line with tag i (then the line is not a code-only line). */
function sharesLine(tokens: Token[], i: number, src: string): boolean {
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  const sameLine = (a: number, b: number) => !src.slice(Math.min(a, b), Math.max(a, b)).includes('\n');
  return (prev !== undefined && prev.kind !== 'text' && sameLine(prev.end, tokens[i].start)) || (next !== undefined && next.kind !== 'text' && sameLine(tokens[i].end, next.start));
}

function classifyRuby(code: string): Control {
  const c = code.replace(/;\s*$/, '').trim();
  let m: RegExpExecArray | null;
  if (/^end\b/.test(c) || c === '}') return { type: 'end' };
  if (/^else\b/.test(c)) return { type: 'else' };
  if ((m = /^elsif\b\s*([\s\S]*?)(?:\s+then)?$/.exec(c))) return { type: 'elif', cond: fold(m[1]) };
  if ((m = /^(if|unless)\b\s*([\s\S]*?)(?:\s+then)?$/.exec(c))) {
    if (/\bend$/.test(c)) return { type: 'none' };
    return { type: 'if', cond: fold(m[2]), negated: m[1] === 'unless' };
  }
  if ((m = /^case\b\s*([\s\S]*)$/.exec(c))) return { type: 'case', subject: fold(m[1]) };
  if ((m = /^when\b\s*([\s\S]*?)(?:\s+then)?$/.exec(c))) return { type: 'when', value: fold(m[1]) };
  if (/\bdo\s*(\|[^|]*\|)?$/.test(c) || /\{\s*(\|[^|]*\|)?$/.test(c) || /^(for|while|until)\b/.test(c)) return { type: 'open', body: 'loop' };
  if (/^begin\b/.test(c)) return { type: 'open', body: 'plain' };
  return { type: 'none' };
}

function classifyPuppet(code: string): Control {
  const c = code.trim();
  let m: RegExpExecArray | null;
  if (c === '}') return { type: 'end' };
  if (/^\}\s*else\s*\{$/.test(c)) return { type: 'else' };
  if ((m = /^\}\s*elsif\s+([\s\S]*?)\s*\{$/.exec(c))) return { type: 'elif', cond: fold(m[1]) };
  if ((m = /^(if|unless)\s+([\s\S]*?)\s*\{$/.exec(c))) return { type: 'if', cond: fold(m[2]), negated: m[1] === 'unless' };
  if (/\{$/.test(c)) return { type: 'open', body: 'loop' };
  return { type: 'none' };
}

/** Ruby/Puppet variable names shown without their sigils. */
function rubyLabel(expr: string): string {
  const lookup = /lookupvar\(\s*['"]([^'"]+)['"]\s*\)|scope\[\s*['"]([^'"]+)['"]\s*\]/.exec(expr);
  if (lookup) return lookup[1] ?? lookup[2];
  const node = /node(?:\[[^\]]+\])+/.exec(expr);
  if (node) return node[0];
  const v = /[@$]{1,2}([A-Za-z_][\w:]*)/.exec(expr);
  if (v) return v[1];
  const w = /[A-Za-z_][\w.]*/.exec(expr.replace(/(["'])(?:\\.|(?!\1).)*\1/g, ' '));
  return w ? w[0] : expr;
}

function erbPlaceholder(code: string): PlaceholderInfo {
  const expr = fold(code);
  const literal = stringLiteral(expr);
  if (literal !== undefined) return { label: literal, expr, literal };
  const or = splitOnce(expr, '||');
  const fallback = or ? (stringLiteral(or[1]) ?? (/^\d+$/.test(or[1]) ? or[1] : undefined)) : undefined;
  if (or && fallback !== undefined) return { label: rubyLabel(or[0]), expr, fallback };
  const ternary = splitOnce(expr, '?');
  const m = ternary ? /^('[^']*'|"[^"]*")\s*:\s*('[^']*'|"[^"]*")$/.exec(ternary[1]) : null;
  if (ternary && m) return { label: rubyLabel(ternary[0]), expr, choices: [stringLiteral(m[1])!, stringLiteral(m[2])!] };
  if (/bool2yesno|bool2str/.test(expr)) return { label: rubyLabel(expr), expr, choices: ['yes', 'no'] };
  return { label: rubyLabel(expr), expr };
}

function eppPlaceholder(code: string): PlaceholderInfo {
  const expr = fold(code);
  const literal = stringLiteral(expr);
  if (literal !== undefined) return { label: literal, expr, literal };
  const m = /^pick\(\s*(\$[\w:]+)\s*,\s*('[^']*'|"[^"]*")\s*\)$/.exec(expr);
  if (m) return { label: rubyLabel(m[1]), expr, fallback: stringLiteral(m[2])! };
  return { label: rubyLabel(expr), expr };
}

function rubyAtom(cond: string): { atom: string; positive: boolean } {
  let c = unparen(fold(cond));
  let positive = true;
  for (;;) {
    const m = /^(?:!|not\s+)\s*([\s\S]+)$/.exec(c);
    if (m && isSimple(m[1]) && !/^=/.test(m[1])) {
      positive = !positive;
      c = unparen(m[1]);
      continue;
    }
    break;
  }
  const ne = isSimple(c) ? splitOnce(c, '!=') : null;
  if (ne) return { atom: `${ne[0]} == ${ne[1]}`, positive: !positive };
  return { atom: c, positive };
}

function rubyNegate(cond: string): string {
  const c = unparen(fold(cond));
  const m = /^(?:!|not\s+)\s*([\s\S]+)$/.exec(c);
  if (m && isSimple(m[1])) return unparen(m[1]);
  const eq = isSimple(c) ? splitOnce(c, '==') : null;
  if (eq) return `${eq[0]} != ${eq[1]}`;
  return isSimple(c) && !/\s/.test(c) ? `!${c}` : `!(${c})`;
}

export const erb: SyntaxModule = { tokenize: (src) => tokenizeErbLike(src, false), classify: classifyRuby, placeholder: erbPlaceholder, atom: rubyAtom, negate: rubyNegate };
export const epp: SyntaxModule = { tokenize: (src) => tokenizeErbLike(src, true), classify: classifyPuppet, placeholder: eppPlaceholder, atom: rubyAtom, negate: rubyNegate };
