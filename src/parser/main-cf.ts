/**
 * Lossless main.cf parser that follows Postfix's readllines() + split_nameval().
 *
 * Every byte of the input belongs to exactly one node, so printing the nodes in
 * order reproduces the input. Offsets are byte offsets into a binary string
 * (see util/text.ts).
 */
import { isPostfixSpace } from '../util/text.js';
import type { Diagnostic, Range } from './types.js';
import { BOM, detectEol, firstNonSpace, isSkippable, LogicalLine, preview, splitPhysicalLines, type Eol, type PhysicalLine } from './lines.js';

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

export function parseMainCf(text: string, path = 'main.cf'): MainCfFile {
  const lines = splitPhysicalLines(text);
  const nodes: MainCfNode[] = [];
  const params: ParamNode[] = [];
  const diagnostics: Diagnostic[] = [];
  const hasBom = text.startsWith(BOM);

  let i = 0;
  while (i < lines.length) {
    const first = lines[i];
    if (isSkippable(text, first)) {
      const fns = firstNonSpace(text, first.start, first.contentEnd);
      if (fns === first.contentEnd) {
        nodes.push({ kind: 'blank', range: [first.start, first.end], line: first.line, endLine: first.line });
      } else {
        nodes.push({
          kind: 'comment',
          range: [first.start, first.end],
          line: first.line,
          endLine: first.line,
          text: text.slice(fns + 1, first.contentEnd),
        });
      }
      i++;
      continue;
    }
    // A logical line: this line plus following lines that are skippable or
    // start with whitespace; trailing skippable lines are not part of it.
    let last = i;
    let j = i + 1;
    while (j < lines.length) {
      const pl = lines[j];
      const c = text.charCodeAt(pl.start);
      if (isSkippable(text, pl)) {
        j++;
        continue;
      }
      if (isPostfixSpace(c)) {
        last = j;
        j++;
        continue;
      }
      break;
    }
    const physicalLines = lines.slice(i, last + 1);
    const logical = new LogicalLine();
    const innerSkipped: number[] = [];
    logical.append(text, first);
    for (let k = 1; k < physicalLines.length; k++) {
      const pl = physicalLines[k];
      if (isSkippable(text, pl)) innerSkipped.push(k);
      else logical.append(text, pl);
    }
    const range: Range = [first.start, lines[last].end];
    const textRange: Range = [first.start, lines[last].contentEnd];
    const startsWithSpace = isPostfixSpace(text.charCodeAt(first.start));
    const nodeBase = { range, line: first.line, endLine: lines[last].line };
    const rawLogical = logical.text;
    const nul = rawLogical.indexOf('\0');
    const ltext = nul === -1 ? rawLogical : rawLogical.slice(0, nul);
    if (nul !== -1) {
      diagnostics.push({
        code: 'nul-byte',
        severity: 'warning',
        message: 'NUL byte in line: Postfix ignores the rest of this logical line after it',
        range: [logical.toFile(nul), logical.toFile(nul) + 1],
        line: first.line,
      });
    }

    if (startsWithSpace) {
      nodes.push({ kind: 'invalid', reason: 'leading-whitespace', text: ltext, ...nodeBase });
      diagnostics.push({
        code: 'leading-whitespace',
        severity: 'warning',
        message: `logical line must not start with whitespace: "${preview(ltext)}" (Postfix skips it)`,
        range: textRange,
        line: first.line,
      });
      i = last + 1;
      continue;
    }

    // split_nameval(): name up to whitespace or '=', then optional blanks, '=', value.
    const n = ltext.length;
    let p = 0;
    while (p < n && isPostfixSpace(ltext.charCodeAt(p))) p++;
    const nameStart = p;
    if (p === n || ltext.charCodeAt(p) === 0x3d /* = */) {
      nodes.push({ kind: 'invalid', reason: 'missing-name', text: ltext, ...nodeBase });
      diagnostics.push({
        code: 'syntax',
        severity: 'error',
        message: `missing attribute name: "${preview(ltext)}" (postconf and every Postfix daemon stop with a fatal error)`,
        range: textRange,
        line: first.line,
      });
      i = last + 1;
      continue;
    }
    while (p < n && !isPostfixSpace(ltext.charCodeAt(p)) && ltext.charCodeAt(p) !== 0x3d) p++;
    const nameEnd = p;
    while (p < n && isPostfixSpace(ltext.charCodeAt(p))) p++;
    if (p === n || ltext.charCodeAt(p) !== 0x3d) {
      nodes.push({ kind: 'invalid', reason: 'missing-equals', text: ltext, ...nodeBase });
      diagnostics.push({
        code: 'syntax',
        severity: 'error',
        message: `missing '=' after attribute name: "${preview(ltext)}" (postconf and every Postfix daemon stop with a fatal error)`,
        range: textRange,
        line: first.line,
      });
      i = last + 1;
      continue;
    }
    const eqPos = p;
    p++;
    while (p < n && isPostfixSpace(ltext.charCodeAt(p))) p++;
    const valueStart = p;
    let valueEnd = n;
    while (valueEnd > valueStart && isPostfixSpace(ltext.charCodeAt(valueEnd - 1))) valueEnd--;
    const rawValue = ltext.slice(valueStart, valueEnd);
    const valueRange: Range =
      valueEnd > valueStart
        ? [logical.toFile(valueStart), logical.endToFile(valueEnd)]
        : [logical.endToFile(eqPos + 1), logical.endToFile(eqPos + 1)];
    const param: ParamNode = {
      kind: 'param',
      ...nodeBase,
      name: ltext.slice(nameStart, nameEnd),
      nameRange: [logical.toFile(nameStart), logical.endToFile(nameEnd)],
      rawValue,
      value: foldWhitespace(rawValue),
      valueRange,
      physicalLines,
      innerSkippedLines: innerSkipped,
    };
    nodes.push(param);
    params.push(param);
    i = last + 1;
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
    lineCount: lines.length,
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
