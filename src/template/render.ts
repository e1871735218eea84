/**
 * Template text -> possible Postfix texts. The tokens of one syntax become a
 * tree of text, placeholders, if/elif/else chains and blocks; each rendering
 * takes one alternative per chain (chosen through the truth of the conditions,
 * so "if x" and a later "if not x" never both hold), loop bodies once, macro
 * definitions never. Pure.
 */
import type { ChainInfo, FrontEndResult, PathStep, Piece, PlaceholderInfo, Rendering } from './types.js';
import type { SyntaxModule, TokenizeOptions } from './syntax/control.js';
import { LineIndex } from '../parser/main-cf.js';

type TNode =
  | { readonly kind: 'text'; readonly start: number; readonly end: number; readonly text?: string }
  | { readonly kind: 'slot'; readonly start: number; readonly end: number; readonly info: PlaceholderInfo }
  | { readonly kind: 'chain'; readonly id: number; readonly alts: Alt[]; hasElse: boolean; readonly start: number; end: number }
  | { readonly kind: 'block'; readonly body: TNode[]; readonly mode: 'loop' | 'plain' | 'unknown' | 'hidden' };

interface Alt {
  readonly when: string;
  /** Condition atoms that must hold: [atom, positive]; empty for else. */
  readonly test: { readonly atom: string; readonly positive: boolean } | null;
  readonly body: TNode[];
  readonly start: number;
  end: number;
}

interface Frame {
  readonly kind: 'root' | 'chain' | 'block' | 'case';
  readonly body: TNode[];
  readonly chain?: Extract<TNode, { kind: 'chain' }>;
  readonly subject?: string;
  /** Conditions of the alternatives so far (for describing else). */
  readonly conds: string[];
  readonly start: number;
}

/** At most this many renderings per template (an if/elif chain longer than that is sampled). */
const MAX_RENDERINGS = 6;

export interface Tree {
  readonly nodes: TNode[];
  readonly chains: ChainInfo[];
  readonly problems: { line: number; message: string }[];
  readonly width: number;
}

export function buildTree(src: string, syntax: SyntaxModule, options: TokenizeOptions = {}): Tree {
  const { tokens, problems: tokenProblems } = syntax.tokenize(src, options);
  const lines = new LineIndex(src);
  const problems = tokenProblems.map((p) => ({ line: lines.locate(p.offset).line, message: p.message }));
  const root: Frame = { kind: 'root', body: [], conds: [], start: 0 };
  const stack: Frame[] = [root];
  const chains: ChainInfo[] = [];
  const chainNodes: Extract<TNode, { kind: 'chain' }>[] = [];
  let width = 1;
  const top = () => stack[stack.length - 1];
  const currentBody = (): TNode[] => {
    const f = top();
    if (f.chain) return f.chain.alts.length ? f.chain.alts[f.chain.alts.length - 1].body : f.body;
    return f.body;
  };
  const openChain = (frameKind: 'chain' | 'case', at: number, subject?: string): Frame => {
    const chain: Extract<TNode, { kind: 'chain' }> = { kind: 'chain', id: chainNodes.length, alts: [], hasElse: false, start: at, end: at };
    currentBody().push(chain);
    chainNodes.push(chain);
    const frame: Frame = { kind: frameKind, body: [], chain, conds: [], start: at, ...(subject !== undefined ? { subject } : {}) };
    stack.push(frame);
    return frame;
  };
  const addAlt = (frame: Frame, cond: string | null, negated: boolean, at: number) => {
    const chain = frame.chain!;
    const prev = chain.alts[chain.alts.length - 1];
    if (prev) prev.end = at;
    if (cond === null) {
      const when = frame.conds.length === 1 ? syntax.negate(frame.conds[0]) : frame.conds.map((c) => syntax.negate(c)).join(' and ');
      chain.alts.push({ when: when || 'otherwise', test: null, body: [], start: at, end: at });
      chain.hasElse = true;
      return;
    }
    const a = syntax.atom(cond);
    const positive = negated ? !a.positive : a.positive;
    const when = negated ? syntax.negate(cond) : cond;
    frame.conds.push(when);
    chain.alts.push({ when, test: { atom: a.atom, positive }, body: [], start: at, end: at });
  };
  const close = (at: number) => {
    const f = stack.pop()!;
    if (f.chain) {
      const last = f.chain.alts[f.chain.alts.length - 1];
      if (last) last.end = at;
      f.chain.end = at;
    }
  };
  for (const t of tokens) {
    if (t.kind === 'text') {
      currentBody().push({ kind: 'text', start: t.start, end: t.end, ...(t.text !== undefined ? { text: t.text } : {}) });
      continue;
    }
    if (t.kind === 'comment') continue;
    if (t.kind === 'output') {
      const info = syntax.placeholder(t.code);
      if (info.literal !== undefined) currentBody().push({ kind: 'text', start: t.start, end: t.end, text: info.literal });
      else currentBody().push({ kind: 'slot', start: t.start, end: t.end, info });
      continue;
    }
    const c = syntax.classify(t.code);
    const f = top();
    switch (c.type) {
      case 'if':
        addAlt(openChain('chain', t.start), c.cond, Boolean(c.negated), t.start);
        break;
      case 'case':
        openChain('case', t.start, c.subject);
        break;
      case 'when':
        if (f.kind === 'case') addAlt(f, `${f.subject} == ${c.value}`, false, t.start);
        else problems.push({ line: lines.locate(t.start).line, message: `"when" outside a case` });
        break;
      case 'elif':
        if (f.chain) addAlt(f, c.cond, false, t.start);
        else problems.push({ line: lines.locate(t.start).line, message: `"${t.code}" without an open if` });
        break;
      case 'else':
        if (f.chain) addAlt(f, null, false, t.start);
        else if (f.kind === 'block') {
          // for ... else / range ... else: the else part runs only for an empty list; linted as not taken.
          stack.pop();
          const hidden: TNode[] = [];
          currentBody().push({ kind: 'block', body: hidden, mode: 'hidden' });
          stack.push({ kind: 'block', body: hidden, conds: [], start: t.start });
        } else problems.push({ line: lines.locate(t.start).line, message: `"${t.code}" without an open if` });
        break;
      case 'end':
        if (stack.length > 1) close(t.start);
        else problems.push({ line: lines.locate(t.start).line, message: `"${t.code}" closes nothing` });
        break;
      case 'unknown-output':
        // An include or template call writes lines we cannot see: a placeholder standing for them.
        currentBody().push({ kind: 'slot', start: t.start, end: t.end, info: { label: 'include', expr: t.code } });
        break;
      case 'open': {
        const body: TNode[] = [];
        currentBody().push({ kind: 'block', body, mode: c.body });
        stack.push({ kind: 'block', body, conds: [], start: t.start });
        break;
      }
      default:
        break;
    }
  }
  while (stack.length > 1) {
    const f = top();
    problems.push({ line: lines.locate(f.start).line, message: 'a block opened here is never closed' });
    close(src.length);
  }
  for (const ch of chainNodes) {
    const n = ch.alts.length + (ch.hasElse ? 0 : 1);
    width = Math.max(width, Math.min(n, MAX_RENDERINGS));
    const alternatives = ch.alts.map((a) => ({ when: a.when, start: a.start, end: a.end }));
    if (!ch.hasElse) {
      const when = ch.alts.length === 1 ? syntax.negate(ch.alts[0].when) : ch.alts.map((a) => syntax.negate(a.when)).join(' and ');
      alternatives.push({ when, start: ch.end, end: ch.end });
    }
    chains.push({ id: ch.id, alternatives });
  }
  return { nodes: root.body, chains, problems, width };
}

/** Rendering number `index`: each chain takes alternative min(index, last), as far as the conditions already decided allow. */
export function renderTree(src: string, file: string, tree: Tree, index: number, keyPrefix: string): Rendering {
  const pieces: Piece[] = [];
  const truth = new Map<string, boolean>();
  const choices = new Map<number, number>();
  let slotId = 0;
  const walk = (nodes: readonly TNode[], path: readonly PathStep[], inLoop = false) => {
    for (const n of nodes) {
      if (n.kind === 'text') {
        const literal = n.text === undefined;
        pieces.push({ kind: 'text', text: literal ? src.slice(n.start, n.end) : n.text!, src: { file, start: n.start, end: n.end }, literal, path });
      } else if (n.kind === 'slot') {
        pieces.push({ kind: 'slot', id: slotId++, key: keyPrefix + n.info.expr, info: n.info, src: { file, start: n.start, end: n.end }, path, ...(inLoop ? { inLoop } : {}) });
      } else if (n.kind === 'block') {
        if (n.mode === 'loop' || n.mode === 'plain') walk(n.body, path, inLoop || n.mode === 'loop');
      } else {
        const count = n.alts.length + (n.hasElse ? 0 : 1);
        const target = Math.min(index, count - 1);
        let taken = -1;
        for (let j = 0; j < n.alts.length; j++) {
          const test = n.alts[j].test;
          if (test === null) {
            taken = j;
            break;
          }
          let value: boolean;
          if (truth.has(test.atom)) value = truth.get(test.atom) === test.positive;
          else {
            value = j >= target;
            truth.set(test.atom, value ? test.positive : !test.positive);
          }
          if (value) {
            taken = j;
            break;
          }
        }
        choices.set(n.id, taken === -1 ? n.alts.length : taken);
        if (taken >= 0) walk(n.alts[taken].body, [...path, { chain: n.id, alt: taken, when: n.alts[taken].when }], inLoop);
      }
    }
  };
  walk(tree.nodes, []);
  return { main: pieces, choices };
}

export function renderTemplate(src: string, file: string, syntax: SyntaxModule, options: TokenizeOptions = {}): FrontEndResult {
  const tree = buildTree(src, syntax, options);
  const renderings: Rendering[] = [];
  for (let i = 0; i < tree.width; i++) renderings.push(renderTree(src, file, tree, i, ''));
  return { renderings, chains: tree.chains, problems: tree.problems };
}
