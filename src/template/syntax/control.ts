/** What a statement tag does to the structure of the output, per syntax (see syntax/*.ts). */
import type { PlaceholderInfo } from '../types.js';
import type { Token } from './tokens.js';

export type Control =
  /** Start of an if chain; `negated` for unless. */
  | { readonly type: 'if'; readonly cond: string; readonly negated?: boolean }
  | { readonly type: 'elif'; readonly cond: string }
  | { readonly type: 'else' }
  | { readonly type: 'end' }
  /** case SUBJECT ... when VALUE ... (ERB). */
  | { readonly type: 'case'; readonly subject: string }
  | { readonly type: 'when'; readonly value: string }
  /** A block: a loop (body once), hidden (a macro definition: no output), unknown (output filtered), plain (output as is). */
  | { readonly type: 'open'; readonly body: 'loop' | 'hidden' | 'unknown' | 'plain' }
  /** Output of unknown lines (include, template call). */
  | { readonly type: 'unknown-output' }
  | { readonly type: 'none' };

export interface TokenizeResult {
  readonly tokens: Token[];
  readonly problems: { readonly offset: number; readonly message: string }[];
}

export interface TokenizeOptions {
  /** Jinja2 trim_blocks (Ansible's template module turns it on; plain Jinja2 and Salt leave it off). */
  readonly trimBlocks?: boolean;
}

export interface SyntaxModule {
  tokenize(src: string, options?: TokenizeOptions): TokenizeResult;
  classify(code: string): Control;
  placeholder(code: string): PlaceholderInfo;
  /** The condition as an atom and its polarity: "x is not defined" -> ("x is defined", false). */
  atom(cond: string): { readonly atom: string; readonly positive: boolean };
  /** The condition in words for its negation ("x is defined" -> "x is not defined"). */
  negate(cond: string): string;
}

/** Strip balanced outer parentheses. */
export function unparen(s: string): string {
  let t = s.trim();
  while (t.startsWith('(') && t.endsWith(')')) {
    let depth = 0;
    let balanced = true;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '(') depth++;
      else if (t[i] === ')') depth--;
      if (depth === 0 && i < t.length - 1) {
        balanced = false;
        break;
      }
    }
    if (!balanced) break;
    t = t.slice(1, -1).trim();
  }
  return t;
}

/** Whether a condition is a single term (no and/or at its top level), so "not X" reads well. */
export function isSimple(cond: string): boolean {
  return !/\s(and|or|&&|\|\|)\s/.test(cond);
}

/** A quoted string literal's value ('x' or "x"), or undefined. */
export function stringLiteral(s: string): string | undefined {
  const t = s.trim();
  const m = /^'((?:[^'\\]|\\.)*)'$|^"((?:[^"\\]|\\.)*)"$/.exec(t);
  if (!m) return undefined;
  return (m[1] ?? m[2]).replace(/\\(.)/g, '$1');
}

/** A folded condition split at the first `op`: both sides trimmed and non-empty, else null (string search: no backtracking). */
export function splitOnce(c: string, op: string): [string, string] | null {
  const i = c.indexOf(op);
  if (i <= 0) return null;
  const left = c.slice(0, i).trim();
  const right = c.slice(i + op.length).trim();
  return left && right ? [left, right] : null;
}

/** "X is TEST" / "X is not TEST" in a folded condition. */
export function isTest(c: string): { readonly subject: string; readonly negated: boolean; readonly test: string } | null {
  const words = c.split(' ');
  const n = words.length;
  if (n >= 4 && words[n - 3] === 'is' && words[n - 2] === 'not' && /^\w+$/.test(words[n - 1])) return { subject: words.slice(0, n - 3).join(' '), negated: true, test: words[n - 1] };
  if (n >= 3 && words[n - 2] === 'is' && /^\w+$/.test(words[n - 1])) return { subject: words.slice(0, n - 2).join(' '), negated: false, test: words[n - 1] };
  return null;
}
