/**
 * Feeds log lines to the outbound and inbound readers and counts what it saw.
 * Pure: the CLI reads the inputs and hands over one line at a time, so memory
 * does not grow with the size of the log.
 */
import { IncidentBook, type IncidentRecord } from './incidents.js';
import { InboundReader } from './inbound.js';
import type { LineParser } from './line.js';
import { OutboundReader } from './outbound.js';
import type { Cause } from './types.js';

const CLIENT_DAEMONS = new Set(['smtp', 'lmtp', 'tlsproxy', 'error', 'posttls-finger']);

export interface Collected {
  readonly records: readonly IncidentRecord[];
  readonly book: IncidentBook;
  readonly inbound: InboundReader;
  readonly outbound: OutboundReader;
  readonly lines: number;
  readonly parsedLines: number;
  readonly consideredLines: number;
}

export class Collector {
  readonly book: IncidentBook;
  private readonly outbound: OutboundReader;
  private readonly inbound: InboundReader;
  private lines = 0;
  private parsedLines = 0;
  private consideredLines = 0;

  constructor(readonly sinceMs: number | null) {
    this.book = new IncidentBook(sinceMs);
    this.outbound = new OutboundReader(this.book);
    this.inbound = new InboundReader(this.book);
  }

  /** One line (without its line end) of input number `source`, parsed with that input's parser. */
  add(raw: string, parser: LineParser, source: number): void {
    this.lines++;
    const r = parser.parse(raw);
    if (!r) return;
    this.parsedLines++;
    if (this.book.inWindow(r.time)) this.consideredLines++;
    const d = r.daemon;
    if (CLIENT_DAEMONS.has(d)) this.outbound.read(r, source);
    else if (d === 'smtpd') this.inbound.read(r);
    else if (d === 'qmgr' && r.text.includes('status=expired')) this.outbound.readQmgr(r);
  }

  /** The end of one input (a posttls-finger transcript ends with its file). */
  endInput(source: number): void {
    this.outbound.endInput(source);
  }

  finish(): Collected {
    this.outbound.end();
    this.inbound.end();
    return {
      records: this.book.records(),
      book: this.book,
      inbound: this.inbound,
      outbound: this.outbound,
      lines: this.lines,
      parsedLines: this.parsedLines,
      consideredLines: this.consideredLines,
    };
  }
}

export function byCauseObject(map: ReadonlyMap<Cause, number>): Partial<Record<Cause, number>> {
  const out: Partial<Record<Cause, number>> = {};
  for (const [k, v] of [...map].sort(([a], [b]) => a.localeCompare(b))) out[k] = v;
  return out;
}
