/** Byte ranges of a file to the line/column positions every output format reports. */
import type { LineIndex } from '../parser/main-cf.js';
import { codePointColumn } from '../util/text.js';
import type { Range } from './types.js';

export interface Position {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** 1-based lines; columns in Unicode code points of the UTF-8-decoded line (what SARIF's columnKind says). */
export function locateRange(index: LineIndex, range: Range): Position {
  const at = (offset: number) => {
    const { line } = index.locate(offset);
    return { line, column: codePointColumn(index.text, index.lineStart(line), offset) };
  };
  const s = at(range[0]);
  const e = at(Math.max(range[0], range[1]));
  return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}
