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
  const before = text.slice(lineStart, offset);
  if (!/[^\x00-\x7f]/.test(before)) return before.length + 1;
  return [...Buffer.from(before, 'latin1').toString('utf8')].length + 1;
}

/** Postfix's ISSPACE: ASCII isspace(). */
export function isPostfixSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}
