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

/** Render a binary string for humans: valid UTF-8 is decoded, other bytes become U+FFFD. */
export function displayText(text: string): string {
  // Fast path: pure ASCII needs no conversion.
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return text;
  return Buffer.from(text, 'latin1').toString('utf8');
}

/** Postfix's ISSPACE: ASCII isspace(). */
export function isPostfixSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}
