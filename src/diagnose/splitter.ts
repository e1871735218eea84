/**
 * Bytes to lines for streamed input: whole lines are decoded as UTF-8 in one
 * go per chunk (a chunk boundary never splits a character), "\r\n" and "\n"
 * both end a line, and a line longer than MAX_LINE bytes is cut there (the
 * rest up to its newline is dropped), so memory stays bounded whatever the
 * input. Pure.
 */
export const MAX_LINE = 64 * 1024;

export class LineSplitter {
  private rest: Buffer = Buffer.alloc(0);
  /** Dropping the tail of an over-long line until its newline. */
  private skipping = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.skipping) {
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      this.skipping = false;
      buf = buf.subarray(nl + 1);
    }
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      this.keep(buf);
      return;
    }
    const head = this.rest.length > 0 ? Buffer.concat([this.rest, buf.subarray(0, last)]) : buf.subarray(0, last);
    this.rest = Buffer.alloc(0);
    this.emitAll(head.toString('utf8'));
    this.keep(buf.subarray(last + 1));
  }

  end(): void {
    if (this.rest.length > 0) this.emitAll(this.rest.toString('utf8'));
    this.rest = Buffer.alloc(0);
    this.skipping = false;
  }

  private keep(tail: Buffer): void {
    if (this.rest.length + tail.length > MAX_LINE) {
      const room = Math.max(0, MAX_LINE - this.rest.length);
      const cut = Buffer.concat([this.rest, tail.subarray(0, room)]);
      this.rest = Buffer.alloc(0);
      this.emitAll(cut.toString('utf8'));
      this.skipping = true;
      return;
    }
    this.rest = this.rest.length > 0 ? Buffer.concat([this.rest, tail]) : Buffer.from(tail);
  }

  private emitAll(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      let line = text.slice(start, end);
      if (line.length > MAX_LINE) line = line.slice(0, MAX_LINE);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.onLine(line);
      if (nl < 0) return;
      start = nl + 1;
    }
  }
}
