/**
 * Lossless main.cf parser that follows Postfix's readllines() + split_nameval().
 *
 * Every byte of the input belongs to exactly one node, so printing the nodes in
 * order reproduces the input. Offsets are byte offsets into a binary string
 * (see util/text.ts).
 */
import { isPostfixSpace } from '../util/text.js';
import type { Diagnostic, Range } from './types.js';
import { BOM, detectEol, firstNonSpace, LogicalLine, preview, type Eol, type PhysicalLine } from './lines.js';

export type { Eol, PhysicalLine } from './lines.js';
export { splitPhysicalLines } from './lines.js';

interface NodeBase {
  readonly range: Range;
  /** 1-based number of the first physical line. */
  readonly line: number;
  readonly endLine: number;
}

export interface BlankNode extends NodeBase {
  readonly kind: 'blank';
}

export interface CommentNode extends NodeBase {
  readonly kind: 'comment';
  /** Comment text after '#', without the line terminator. */
  readonly text: string;
}

export interface ParamNode extends NodeBase {
  readonly kind: 'param';
  readonly name: string;
  readonly nameRange: Range;
  /**
   * The value as Postfix sees it: continuation lines joined, interior comment
   * lines dropped, surrounding whitespace trimmed, truncated at a NUL byte.
   */
  readonly rawValue: string;
  /** rawValue with whitespace runs folded to one space: what `postconf -n` prints. */
  readonly value: string;
  /** From the first to the last byte of the value (may span lines); empty range after '=' when the value is empty. */
  readonly valueRange: Range;
  /** Physical lines of the logical line, comment/blank lines inside a continuation included. */
  readonly physicalLines: readonly PhysicalLine[];
  /** Indices into physicalLines of comment or blank lines that Postfix skips inside the value. */
  readonly innerSkippedLines: readonly number[];
}

/** A logical line Postfix rejects (fatal) or skips (leading whitespace). */
export interface InvalidNode extends NodeBase {
  readonly kind: 'invalid';
  readonly reason: 'missing-name' | 'missing-equals' | 'leading-whitespace';
  readonly text: string;
}

export type MainCfNode = BlankNode | CommentNode | ParamNode | InvalidNode;

export interface MainCfFile {
  readonly path: string;
  /** The whole input as a binary string. */
  readonly text: string;
  readonly nodes: readonly MainCfNode[];
  readonly params: readonly ParamNode[];
  readonly diagnostics: readonly Diagnostic[];
  readonly eol: Eol;
  readonly hasBom: boolean;
  readonly endsWithNewline: boolean;
  readonly lineCount: number;
}

export function foldWhitespace(value: string): string {
  // Most values are already folded (single spaces between words, no edges): return them as they are.
  if (isFolded(value)) return value;
  let out = '';
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && isPostfixSpace(value.charCodeAt(i))) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && !isPostfixSpace(value.charCodeAt(i))) i++;
    out += out ? ' ' + value.slice(s, i) : value.slice(s, i);
  }
  return out;
}

function isFolded(value: string): boolean {
  const n = value.length;
  if (n === 0) return true;
  if (isPostfixSpace(value.charCodeAt(0)) || isPostfixSpace(value.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = value.charCodeAt(i);
    if (isPostfixSpace(c) && (c !== 0x20 || isPostfixSpace(value.charCodeAt(i + 1)))) return false;
  }
  return true;
}

/** End of the line's content (before "\n") for a line starting at `start`. */
function contentEndOf(text: string, start: number): number {
  const nl = text.indexOf('\n', start);
  return nl === -1 ? text.length : nl;
}

/** readllines() skips empty, all-whitespace and '#' lines, also inside a continuation. */
function skippableAt(text: string, start: number, contentEnd: number): boolean {
  const i = firstNonSpace(text, start, contentEnd);
  return i === contentEnd || text.charCodeAt(i) === 0x23; /* # */
}

/** Shared by every parameter without comment lines inside its value (frozen: read-only). */
const NO_SKIPPED_LINES: number[] = Object.freeze([]) as unknown as number[];

export function parseMainCf(text: string, path = 'main.cf'): MainCfFile {
  const nodes: MainCfNode[] = [];
  const params: ParamNode[] = [];
  const diagnostics: Diagnostic[] = [];
  const hasBom = text.startsWith(BOM);
  const len = text.length;

  // One pass over the text with a cursor: PhysicalLine records are built only
  // for the lines of a parameter (comment and blank lines need none), which
  // keeps allocation, and so GC, low on big files.
  let pos = 0;
  let lineNo = 1;
  let nextNul = text.indexOf('\0');
  while (pos < len) {
    const contentEnd = contentEndOf(text, pos);
    const end = contentEnd === len ? len : contentEnd + 1;
    const fns = firstNonSpace(text, pos, contentEnd);
    if (fns === contentEnd || text.charCodeAt(fns) === 0x23 /* # */) {
      if (fns === contentEnd) {
        nodes.push({ kind: 'blank', range: [pos, end], line: lineNo, endLine: lineNo });
      } else {
        nodes.push({ kind: 'comment', range: [pos, end], line: lineNo, endLine: lineNo, text: text.slice(fns + 1, contentEnd) });
      }
      pos = end;
      lineNo++;
      continue;
    }
    // A logical line: this line plus following lines that are skippable or
    // start with whitespace; trailing skippable lines are not part of it.
    const first: PhysicalLine = { line: lineNo, start: pos, contentEnd, end };
    let lastEnd = end;
    let lastLine = lineNo;
    let lastContentEnd = contentEnd;
    for (let q = end, qLine = lineNo + 1; q < len; qLine++) {
      const ce = contentEndOf(text, q);
      if (skippableAt(text, q, ce)) {
        q = ce === len ? len : ce + 1;
        continue;
      }
      if (!isPostfixSpace(text.charCodeAt(q))) break;
      q = ce === len ? len : ce + 1;
      lastEnd = q;
      lastLine = qLine;
      lastContentEnd = ce;
    }
    let physicalLines: PhysicalLine[];
    let innerSkipped: number[] = NO_SKIPPED_LINES;
    // The logical line's text is src[lo, hi); toFile/endToFile map src offsets to file offsets.
    // A one-line logical line is read straight from the file text (no copy, no offset map).
    let src = text;
    let lo = pos;
    let hi = contentEnd;
    let logical: LogicalLine | null = null;
    if (lastEnd === end) {
      physicalLines = [first];
      if (nextNul !== -1 && nextNul < pos) nextNul = text.indexOf('\0', pos);
      if (nextNul !== -1 && nextNul < contentEnd) hi = nextNul;
    } else {
      logical = new LogicalLine();
      logical.append(text, first);
      physicalLines = [first];
      innerSkipped = [];
      for (let q = end, qLine = lineNo + 1; q < lastEnd; qLine++) {
        const ce = contentEndOf(text, q);
        const pl: PhysicalLine = { line: qLine, start: q, contentEnd: ce, end: ce === len ? len : ce + 1 };
        if (skippableAt(text, q, ce)) innerSkipped.push(physicalLines.length);
        else logical.append(text, pl);
        physicalLines.push(pl);
        q = pl.end;
      }
      src = logical.text;
      lo = 0;
      hi = src.indexOf('\0');
      if (hi === -1) hi = src.length;
    }
    const map = logical;
    const toFile = (x: number): number => (map ? map.toFile(x) : x);
    const endToFile = (x: number): number => (map ? map.endToFile(x) : x);
    const startLine = lineNo;
    pos = lastEnd;
    lineNo = lastLine + 1;
    const range: Range = [first.start, lastEnd];
    const textRange = (): Range => [first.start, lastContentEnd];
    const ltext = (): string => src.slice(lo, hi);
    if (hi < (map ? src.length : contentEnd)) {
      diagnostics.push({
        code: 'nul-byte',
        severity: 'warning',
        message: 'NUL byte in line: Postfix ignores the rest of this logical line after it',
        range: [toFile(hi), toFile(hi) + 1],
        line: startLine,
      });
    }

    if (isPostfixSpace(text.charCodeAt(first.start))) {
      const t = ltext();
      nodes.push({ kind: 'invalid', reason: 'leading-whitespace', text: t, range, line: startLine, endLine: lastLine });
      diagnostics.push({
        code: 'leading-whitespace',
        severity: 'warning',
        message: `logical line must not start with whitespace: "${preview(t)}" (Postfix skips it)`,
        range: textRange(),
        line: startLine,
      });
      continue;
    }

    // split_nameval(): name up to whitespace or '=', then optional blanks, '=', value.
    let p = lo;
    while (p < hi && isPostfixSpace(src.charCodeAt(p))) p++;
    const nameStart = p;
    if (p === hi || src.charCodeAt(p) === 0x3d /* = */) {
      const t = ltext();
      nodes.push({ kind: 'invalid', reason: 'missing-name', text: t, range, line: startLine, endLine: lastLine });
      diagnostics.push({
        code: 'syntax',
        severity: 'error',
        message: `missing attribute name: "${preview(t)}" (postconf and every Postfix daemon stop with a fatal error)`,
        range: textRange(),
        line: startLine,
      });
      continue;
    }
    while (p < hi && !isPostfixSpace(src.charCodeAt(p)) && src.charCodeAt(p) !== 0x3d) p++;
    const nameEnd = p;
    while (p < hi && isPostfixSpace(src.charCodeAt(p))) p++;
    if (p === hi || src.charCodeAt(p) !== 0x3d) {
      const t = ltext();
      nodes.push({ kind: 'invalid', reason: 'missing-equals', text: t, range, line: startLine, endLine: lastLine });
      diagnostics.push({
        code: 'syntax',
        severity: 'error',
        message: `missing '=' after attribute name: "${preview(t)}" (postconf and every Postfix daemon stop with a fatal error)`,
        range: textRange(),
        line: startLine,
      });
      continue;
    }
    const eqPos = p;
    p++;
    while (p < hi && isPostfixSpace(src.charCodeAt(p))) p++;
    const valueStart = p;
    let valueEnd = hi;
    while (valueEnd > valueStart && isPostfixSpace(src.charCodeAt(valueEnd - 1))) valueEnd--;
    const rawValue = src.slice(valueStart, valueEnd);
    const valueRange: Range = valueEnd > valueStart ? [toFile(valueStart), endToFile(valueEnd)] : [endToFile(eqPos + 1), endToFile(eqPos + 1)];
    const param: ParamNode = {
      kind: 'param',
      range,
      line: startLine,
      endLine: lastLine,
      name: src.slice(nameStart, nameEnd),
      nameRange: [toFile(nameStart), endToFile(nameEnd)],
      rawValue,
      value: foldWhitespace(rawValue),
      valueRange,
      physicalLines,
      innerSkippedLines: innerSkipped,
    };
    nodes.push(param);
    params.push(param);
  }

  if (hasBom) {
    diagnostics.unshift({
      code: 'bom',
      severity: 'error',
      message:
        'the file starts with a UTF-8 byte order mark: Postfix reads these three bytes as part of the first line, so the first setting gets an unknown name (or a comment line becomes a fatal syntax error); save the file without BOM',
      range: [0, 3],
      line: 1,
    });
  }
  return {
    path,
    text,
    nodes,
    params,
    diagnostics,
    eol: detectEol(text),
    hasBom,
    endsWithNewline: text.length === 0 || text.endsWith('\n'),
    lineCount: lineNo - 1,
  };
}

export function printMainCf(file: Pick<MainCfFile, 'text' | 'nodes'>): string {
  let out = '';
  for (const node of file.nodes) out += file.text.slice(node.range[0], node.range[1]);
  return out;
}

/** Maps byte offsets to 1-based line/column in O(log n). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  locate(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))];
  }
  get lineCount(): number {
    return this.starts.length;
  }
}
