/**
 * Occurrences (one failed attempt or session, read from the log) grouped into
 * incidents: same direction, host, address, port, syslog name and cause. An
 * incident remembers the lines of its first occurrence as evidence and the
 * queue id of its latest one, whose later status lines decide `delivery`.
 * Pure; memory grows with the number of distinct incidents (capped) and the
 * queue ids they point at (capped), not with the log.
 */
import type { Cause, Delivery, Direction } from './types.js';

/** What the log told about one occurrence, for the explanation. */
export interface Facts {
  /** OpenSSL reasons ("tlsv1 alert protocol version"), in log order. */
  reasons: string[];
  /** "SSL_connect error to X: <detail>" / "SSL_accept error from X: <detail>". */
  handshakeDetail?: string;
  /** "server certificate verification failed for X: <reason>". */
  verifyReason?: string;
  /** A client-side configuration problem Postfix reported before the handshake. */
  configProblem?: 'protocols' | 'cipherlist' | 'grade' | 'exclusion' | 'client-engine';
  /** The value Postfix quoted with it (the protocol list, grade or exclusion). */
  configValue?: string;
  /** "TLS policy lookup for DEST/HOST". */
  policyDestination?: string;
  policyProblem?: 'dane-only' | 'fingerprint' | 'table' | 'entry' | 'other';
  /** The reply to STARTTLS when the server refused it. */
  reply?: string;
  /** A file path in a server-side certificate/key loading warning. */
  serverFile?: string;
  /** The cause was inferred from command counts (no line names it). */
  inferred?: boolean;
  /** The status detail of the delivery attempt. */
  statusDetail?: string;
  /** Recipient domain of the message (outbound). */
  recipientDomain?: string;
}

export interface Occurrence {
  readonly direction: Direction;
  cause: Cause | null;
  hostname: string | null;
  address: string | null;
  port: number | null;
  service: string;
  readonly time: number | null;
  readonly lines: string[];
  readonly facts: Facts;
}

export interface IncidentRecord {
  readonly key: string;
  readonly direction: Direction;
  readonly cause: Cause;
  readonly hostname: string | null;
  readonly address: string | null;
  readonly port: number | null;
  readonly service: string;
  count: number;
  first: number | null;
  last: number | null;
  readonly evidence: readonly string[];
  readonly facts: Facts;
  /** Queue id of the latest occurrence (outbound). */
  lastQid: string | null;
  /** Set directly for inbound incidents; outbound ones read it from their queue id. */
  delivery: Delivery;
  /** starttls-required / auth-without-tls read from command counts only: kept only if confirmed. */
  tentative: boolean;
}

export const MAX_INCIDENTS = 100_000;
const MAX_TRACKED_QIDS = 200_000;
const MAX_EVIDENCE = 5;

export function newOccurrence(direction: Direction, service: string, time: number | null, lines: readonly string[], host: { hostname?: string | null; address?: string | null; port?: number | null } = {}): Occurrence {
  return { direction, cause: null, hostname: host.hostname ?? null, address: host.address ?? null, port: host.port ?? null, service, time, lines: [...lines], facts: { reasons: [] } };
}

function evidenceOf(lines: readonly string[]): string[] {
  // Keep the last line: for outbound occurrences it is the status line that says what happened to the mail.
  return lines.length <= MAX_EVIDENCE ? [...lines] : [...lines.slice(0, MAX_EVIDENCE - 1), lines[lines.length - 1]];
}

/** Forget the older half of a Map used as a bounded FIFO (one pass; see ProcessTable). */
export function dropOlderHalf<K, V>(map: Map<K, V>): void {
  let n = map.size >> 1;
  for (const key of map.keys()) {
    if (n-- <= 0) break;
    map.delete(key);
  }
}

export class IncidentBook {
  private readonly incidents = new Map<string, IncidentRecord>();
  /** Final delivery of queue ids that incidents point at. */
  private readonly qids = new Map<string, Delivery>();
  occurrences = 0;
  truncated = false;
  readonly byCause = new Map<Cause, number>();

  constructor(private readonly sinceMs: number | null) {}

  /** Whether a time is inside the --since window (lines without time always are). */
  inWindow(time: number | null): boolean {
    return this.sinceMs === null || time === null || time >= this.sinceMs;
  }

  /** Record an occurrence (its cause must be set); null when it is before --since or the book is full. */
  add(o: Occurrence, opts: { tentative?: boolean } = {}): IncidentRecord | null {
    if (!o.cause || !this.inWindow(o.time)) return null;
    const tentative = opts.tentative === true;
    const key = [o.direction, o.hostname ?? '', o.address ?? '', o.port ?? '', o.service, o.cause, tentative ? 't' : ''].join('\u0000');
    this.occurrences++;
    this.byCause.set(o.cause, (this.byCause.get(o.cause) ?? 0) + 1);
    let rec = this.incidents.get(key);
    if (!rec) {
      if (this.incidents.size >= MAX_INCIDENTS) {
        this.truncated = true;
        return null;
      }
      rec = {
        key, direction: o.direction, cause: o.cause, hostname: o.hostname, address: o.address, port: o.port, service: o.service,
        count: 0, first: o.time, last: o.time, evidence: evidenceOf(o.lines), facts: o.facts, lastQid: null, delivery: 'unknown', tentative,
      };
      this.incidents.set(key, rec);
    }
    rec.count++;
    if (o.time !== null) {
      if (rec.first === null || o.time < rec.first) rec.first = o.time;
      if (rec.last === null || o.time > rec.last) rec.last = o.time;
    }
    return rec;
  }

  /** The incident's latest occurrence belongs to this message, which left (so far) this way. */
  link(rec: IncidentRecord, qid: string, delivery: Delivery): void {
    rec.lastQid = qid;
    if (!this.qids.has(qid) && this.qids.size >= MAX_TRACKED_QIDS) dropOlderHalf(this.qids);
    this.qids.set(qid, delivery);
  }

  /** A later status line for a message (only messages that incidents point at are tracked). */
  update(qid: string, delivery: Delivery): void {
    if (this.qids.has(qid)) this.qids.set(qid, delivery);
  }

  tracks(qid: string): boolean {
    return this.qids.has(qid);
  }

  deliveryOf(rec: IncidentRecord): Delivery {
    if (rec.lastQid !== null) return this.qids.get(rec.lastQid) ?? rec.delivery;
    return rec.delivery;
  }

  records(): IncidentRecord[] {
    return [...this.incidents.values()];
  }

  /** Drop an incident (a tentative one that was not confirmed). */
  remove(rec: IncidentRecord): void {
    if (this.incidents.delete(rec.key)) {
      this.occurrences -= rec.count;
      const left = (this.byCause.get(rec.cause) ?? 0) - rec.count;
      if (left > 0) this.byCause.set(rec.cause, left);
      else this.byCause.delete(rec.cause);
    }
  }
}
