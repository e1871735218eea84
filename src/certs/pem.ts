/**
 * PEM files split into their objects the way OpenSSL's PEM_read_bio() reads
 * them: text outside "-----BEGIN X-----" ... "-----END X-----" is skipped,
 * an object may carry RFC 1421 headers (Proc-Type: 4,ENCRYPTED) before its
 * base64 body. Objects are numbered from 1 like Postfix's "PEM object
 * number N" warnings. Pure.
 */

export interface PemBlock {
  /** "CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY", ... */
  readonly label: string;
  /** 1-based position among the file's objects. */
  readonly index: number;
  readonly headers: ReadonlyMap<string, string>;
  /** The decoded body; null when it is not valid base64. */
  readonly der: Uint8Array | null;
  /** Line of the BEGIN line and of the END line (1-based). */
  readonly line: number;
  readonly endLine: number;
  /** The object's text, BEGIN to END line. */
  readonly text: string;
}

export interface PemFile {
  readonly blocks: readonly PemBlock[];
  /** A BEGIN line without its END line (OpenSSL stops there with an error). */
  readonly unterminated: { readonly label: string; readonly line: number } | null;
  /** The bytes look like a binary (DER or PKCS#12) file rather than text. */
  readonly binary: boolean;
}

const BEGIN = /^-----BEGIN ([^-]*)-----\s*$/;
const END = /^-----END ([^-]*)-----\s*$/;

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0 || (b < 0x09 && b !== 0)) return true;
  }
  // DER and PKCS#12 start with a SEQUENCE tag and a long-form length.
  return n >= 2 && bytes[0] === 0x30 && bytes[1] >= 0x81 && bytes[1] <= 0x84;
}

function decodeBase64(body: string): Uint8Array | null {
  const clean = body.replace(/[\s]/g, '');
  if (clean === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return null;
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

export function splitPem(bytes: Uint8Array): PemFile {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const lines = text.split('\n');
  const blocks: PemBlock[] = [];
  let open: { label: string; line: number; headers: Map<string, string>; body: string[]; inHeaders: boolean } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (!open) {
      const b = BEGIN.exec(line);
      if (b) open = { label: b[1], line: i + 1, headers: new Map(), body: [], inHeaders: true };
      continue;
    }
    const e = END.exec(line);
    if (e) {
      // A mismatched END label is a read error in OpenSSL; the object is unusable.
      const der = e[1] === open.label ? decodeBase64(open.body.join('')) : null;
      blocks.push({ label: open.label, index: blocks.length + 1, headers: open.headers, der, line: open.line, endLine: i + 1, text: lines.slice(open.line - 1, i + 1).join('\n') + '\n' });
      open = null;
      continue;
    }
    if (open.inHeaders) {
      const h = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (h && open.body.length === 0) {
        open.headers.set(h[1], h[2].trim());
        continue;
      }
      open.inHeaders = false;
      if (line.trim() === '') continue;
    }
    open.body.push(line);
  }
  return { blocks, unterminated: open ? { label: open.label, line: open.line } : null, binary: blocks.length === 0 && looksBinary(bytes) };
}
