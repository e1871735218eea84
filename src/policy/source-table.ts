/**
 * Source text of a file-based lookup table, read the way postmap(1) (and the
 * texthash: reader) read it: logical lines made of a first line plus
 * continuation lines that start with whitespace (newlines dropped, the
 * leading whitespace kept), whole-line '#' comments and blank lines skipped
 * (also inside a continuation), then "key whitespace value". Keys fold to
 * lower case and the first of duplicate keys wins. Lossless: every entry
 * keeps the byte ranges of its key and value in the file. Pure.
 */
import { splitPhysicalLines, type PhysicalLine } from '../parser/main-cf.js';
import { isPostfixSpace } from '../util/text.js';
import type { Range } from '../parser/types.js';

/** Maps offsets in a logical line (joined physical lines) back to file offsets. */
export class OffsetMap {
  private readonly logical: number[] = [];
  private readonly file: number[] = [];
  private readonly lines: number[] = [];
  text = '';

  append(source: string, start: number, end: number, line: number): void {
    this.logical.push(this.text.length);
    this.file.push(start);
    this.lines.push(line);
    this.text += source.slice(start, end);
  }

  private segment(offset: number): number {
    let lo = 0;
    let hi = this.logical.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.logical[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  toFile(offset: number): number {
    if (this.logical.length === 0) return offset;
    const s = this.segment(offset);
    return this.file[s] + (offset - this.logical[s]);
  }

  lineOf(offset: number): number {
    return this.logical.length === 0 ? 1 : this.lines[this.segment(offset)];
  }

  /** File range of logical [s, e); an empty range sits right after logical s - 1. */
  range(s: number, e: number): Range {
    if (e > s) return [this.toFile(s), this.toFile(e - 1) + 1];
    const at = s === 0 ? this.toFile(0) : this.toFile(s - 1) + 1;
    return [at, at];
  }
}

export interface TableEntry {
  /** Key as written. */
  readonly key: string;
  /** Key as looked up (lower case, like postmap without -f). */
  readonly foldedKey: string;
  /** The value as the table returns it (continuation lines joined, outer blanks trimmed). */
  readonly value: string;
  readonly keyRange: Range;
  readonly valueRange: Range;
  /** The whole logical line, continuation lines included, without the final line end. */
  readonly range: Range;
  readonly line: number;
  readonly endLine: number;
  /** File range of value[s, e) (the value may span continuation lines). */
  readonly valueSpan: (s: number, e: number) => Range;
  /** False when an earlier entry has the same key (postmap keeps the first). */
  readonly effective: boolean;
  /** static: tables answer every key with their one value. */
  readonly matchesAll?: boolean;
}

export interface TableLineProblem {
  readonly code: 'expected-key-value' | 'duplicate-key' | 'leading-whitespace';
  readonly message: string;
  readonly range: Range;
  readonly line: number;
}

export interface SourceTable {
  readonly text: string;
  readonly entries: readonly TableEntry[];
  readonly problems: readonly TableLineProblem[];
}

function skippable(text: string, pl: PhysicalLine): boolean {
  let i = pl.start;
  while (i < pl.contentEnd && isPostfixSpace(text.charCodeAt(i))) i++;
  return i === pl.contentEnd || text.charCodeAt(i) === 0x23;
}

/** ASCII lower case, like Postfix's lowercase() (bytes above 0x7f unchanged). */
export function foldKey(key: string): string {
  return key.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

export function parseSourceTable(text: string): SourceTable {
  const lines = splitPhysicalLines(text);
  const entries: TableEntry[] = [];
  const problems: TableLineProblem[] = [];
  const seen = new Map<string, number>();
  let i = 0;
  while (i < lines.length) {
    const first = lines[i];
    if (skippable(text, first)) {
      i++;
      continue;
    }
    const map = new OffsetMap();
    map.append(text, first.start, first.contentEnd, first.line);
    let last = i;
    for (let j = i + 1; j < lines.length; j++) {
      const pl = lines[j];
      if (skippable(text, pl)) continue;
      if (!isPostfixSpace(text.charCodeAt(pl.start))) break;
      map.append(text, pl.start, pl.contentEnd, pl.line);
      last = j;
    }
    const logical = map.text;
    const entryRange: Range = [first.start, lines[last].contentEnd];
    i = last + 1;
    // A logical line that starts with whitespace only happens at the top of the file.
    let k = 0;
    while (k < logical.length && isPostfixSpace(logical.charCodeAt(k))) k++;
    const keyStart = k;
    while (k < logical.length && !isPostfixSpace(logical.charCodeAt(k))) k++;
    const keyEnd = k;
    while (k < logical.length && isPostfixSpace(logical.charCodeAt(k))) k++;
    let valueEnd = logical.length;
    while (valueEnd > k && isPostfixSpace(logical.charCodeAt(valueEnd - 1))) valueEnd--;
    if (keyStart > 0) {
      problems.push({
        code: 'leading-whitespace',
        message: 'a line that starts with whitespace continues the previous entry; here there is none, so postmap reads it as a new entry',
        range: entryRange,
        line: first.line,
      });
    }
    if (keyEnd === keyStart || valueEnd <= k) {
      problems.push({
        code: 'expected-key-value',
        message: `expected format: key whitespace value; postmap ignores this line`,
        range: entryRange,
        line: first.line,
      });
      continue;
    }
    const key = logical.slice(keyStart, keyEnd);
    const foldedKey = foldKey(key);
    const valueStart = k;
    const earlier = seen.get(foldedKey);
    if (earlier !== undefined) {
      problems.push({
        code: 'duplicate-key',
        message: `duplicate entry "${key}": postmap warns and keeps the one on line ${earlier}, so this line is never used`,
        range: map.range(keyStart, keyEnd),
        line: first.line,
      });
    } else seen.set(foldedKey, first.line);
    entries.push({
      key,
      foldedKey,
      value: logical.slice(valueStart, valueEnd),
      keyRange: map.range(keyStart, keyEnd),
      valueRange: map.range(valueStart, valueEnd),
      range: entryRange,
      line: first.line,
      endLine: lines[last].line,
      valueSpan: (s, e) => map.range(valueStart + s, valueStart + e),
      effective: earlier === undefined,
    });
  }
  return { text, entries, problems };
}
