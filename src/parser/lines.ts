/**
 * Line-level building blocks shared by the main.cf and master.cf parsers:
 * physical lines, Postfix's "skippable" lines, line-ending style, and a
 * logical line (continuations joined) that maps back to file offsets.
 */
import { isPostfixSpace } from '../util/text.js';
import type { Range } from './types.js';

export type Eol = '\n' | '\r\n';
export const BOM = '\xef\xbb\xbf';

export interface PhysicalLine {
  /** 1-based line number. */
  readonly line: number;
  readonly start: number;
  /** End of the content, before "\n" (a CR before LF stays in the content). */
  readonly contentEnd: number;
  /** End including the line terminator. */
  readonly end: number;
}

export function splitPhysicalLines(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  let start = 0;
  let line = 1;
  const n = text.length;
  while (start < n) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      lines.push({ line, start, contentEnd: n, end: n });
      break;
    }
    lines.push({ line, start, contentEnd: nl, end: nl + 1 });
    start = nl + 1;
    line++;
  }
  return lines;
}

export function firstNonSpace(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && isPostfixSpace(text.charCodeAt(i))) i++;
  return i;
}

/** readllines() skips empty, all-whitespace and '#' lines, also inside a continuation. */
export function isSkippable(text: string, pl: PhysicalLine): boolean {
  const i = firstNonSpace(text, pl.start, pl.contentEnd);
  return i === pl.contentEnd || text.charCodeAt(i) === 0x23; /* # */
}

/** The file's dominant line ending (inserted lines follow it). */
export function detectEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 0x0d) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** A short one-line excerpt for messages. */
export function preview(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  return oneLine.length > 60 ? oneLine.slice(0, 60) + '...' : oneLine;
}

/**
 * Logical line text (continuation lines joined) with a map from logical offsets back to file offsets and lines.
 * Most logical lines have one physical line: that case keeps no arrays (parsing 10 MB allocates less).
 */
export class LogicalLine {
  text = '';
  private firstFile = 0;
  private firstLine = 0;
  private segments = 0;
  // Only for two or more segments.
  private segLogical: number[] | undefined;
  private segFile: number[] | undefined;
  private segLine: number[] | undefined;

  append(source: string, pl: PhysicalLine): void {
    if (this.segments === 0) {
      this.firstFile = pl.start;
      this.firstLine = pl.line;
      this.text = source.slice(pl.start, pl.contentEnd);
      this.segments = 1;
      return;
    }
    if (!this.segLogical) {
      this.segLogical = [0];
      this.segFile = [this.firstFile];
      this.segLine = [this.firstLine];
    }
    this.segLogical.push(this.text.length);
    this.segFile!.push(pl.start);
    this.segLine!.push(pl.line);
    this.text += source.slice(pl.start, pl.contentEnd);
    this.segments++;
  }

  private segment(logicalOffset: number): number {
    const seg = this.segLogical;
    if (!seg) return 0;
    let lo = 0;
    let hi = seg.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (seg[mid] <= logicalOffset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  toFile(logicalOffset: number): number {
    if (!this.segLogical) return this.firstFile + logicalOffset;
    const s = this.segment(logicalOffset);
    return this.segFile![s] + (logicalOffset - this.segLogical[s]);
  }

  /** File offset just after the logical char at logicalEnd - 1 (the start, for 0). */
  endToFile(logicalEnd: number): number {
    return logicalEnd === 0 ? this.toFile(0) : this.toFile(logicalEnd - 1) + 1;
  }

  lineOf(logicalOffset: number): number {
    if (!this.segLine) return this.firstLine;
    return this.segLine[this.segment(logicalOffset)];
  }

  /** File range of the logical range [s, e); an empty range sits right after logical s - 1. */
  range(s: number, e: number): Range {
    if (e > s) return [this.toFile(s), this.toFile(e - 1) + 1];
    const at = s === 0 ? this.toFile(0) : this.toFile(s - 1) + 1;
    return [at, at];
  }
}
