/**
 * Config files are handled as "binary strings": one JS char per byte (latin1).
 * Offsets are then byte offsets, any byte sequence round-trips exactly, and
 * invalid UTF-8 never throws. Convert to UTF-8 only for display.
 */
export function bytesToBinary(buf: Uint8Array): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
}

export function binaryToBytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/**
 * Render text for humans, exactly once, at the output edge. Messages mix two
 * kinds of characters: text the program wrote (any Unicode; by convention never
 * U+0080..U+00FF, which test/formats/text-encoding.test.ts checks) and values
 * quoted from a file as binary strings (one char per byte, U+0000..U+00FF).
 * Each run of byte chars is decoded as UTF-8 (invalid bytes become U+FFFD);
 * characters above U+00FF are kept. Control characters (other than tab and
 * newline) are shown as \xNN so no file can put escape sequences on a terminal.
 */
export function displayText(text: string): string {
  // Fast path: printable ASCII (plus tab/newline) needs no conversion.
  // eslint-disable-next-line no-control-regex
  if (!/[^\x20-\x7e\t\n]/.test(text)) return text;
  let out = '';
  let run = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0xff) {
      run += text[i];
      continue;
    }
    if (run) {
      out += Buffer.from(run, 'latin1').toString('utf8');
      run = '';
    }
    out += text[i];
  }
  if (run) out += Buffer.from(run, 'latin1').toString('utf8');
  // eslint-disable-next-line no-control-regex
  return out.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

/** 1-based column of `offset` in a binary string, counted in Unicode code points of the UTF-8-decoded line (SARIF "unicodeCodePoints"). */
export function codePointColumn(text: string, lineStart: number, offset: number): number {
  // Many findings on one long line ask in increasing order: continue from the last answer
  // instead of decoding the line from its start each time (which was quadratic).
  let from = columnCursor;
  if (from.text !== text || from.lineStart !== lineStart) {
    columnAnswers.clear();
  } else {
    // Findings anchored at one node ask the same two offsets again and again.
    const known = columnAnswers.get(offset);
    if (known !== undefined) return known;
  }
  if (from.text !== text || from.lineStart !== lineStart || from.offset > offset) {
    from = { text, lineStart, offset: lineStart, codePoints: 0 };
  }
  const codePoints = from.codePoints + codePointCount(text, from.offset, offset);
  // Resume only after an ASCII byte: the UTF-8 decoder holds no partial sequence there.
  let resume = offset;
  while (resume > from.offset && text.charCodeAt(resume - 1) > 0x7f) resume--;
  columnCursor = resume === offset ? { text, lineStart, offset, codePoints } : { text, lineStart, offset: resume, codePoints: from.codePoints + codePointCount(text, from.offset, resume) };
  if (columnAnswers.size >= 4096) columnAnswers.clear();
  columnAnswers.set(offset, codePoints + 1);
  return codePoints + 1;
}

let columnCursor = { text: '', lineStart: 0, offset: 0, codePoints: 0 };
/** Columns already answered for columnCursor's line. */
const columnAnswers = new Map<number, number>();

/** Code points of text[start, end) decoded as UTF-8 (start must follow an ASCII byte or begin the line). */
function codePointCount(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && text.charCodeAt(i) <= 0x7f) i++;
  if (i === end) return end - start;
  return i - start + [...Buffer.from(text.slice(i, end), 'latin1').toString('utf8')].length;
}

/** Postfix's ISSPACE: ASCII isspace(). */
export function isPostfixSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}
