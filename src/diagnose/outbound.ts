/**
 * The SMTP client's side of the log (smtp, lmtp, their tlsproxy, and
 * posttls-finger transcripts): per process, the lines of one delivery attempt
 * are joined until its status line ("QID: to=<...>, relay=..., status=...")
 * says what happened; the TLS library lines carry no host or queue id, only
 * the pid. Pure.
 *
 * Message texts (Postfix 3.7.11 source): tls_client.c "SSL_connect error to %s:
 * %d|%m|lost connection", "%s: Invalid TLS protocol list \"%s\": aborting TLS
 * session"; tls_misc.c "TLS library problem: ...", "%s: error setting cipher
 * grade: \"%s\"", "%s: invalid cipher grade: \"%s\"", "%s: invalid unary '!+-@'
 * in cipher exclusion: %s"; tls_verify.c "[server ]certificate verification
 * failed for %s: ..."; smtp_proto.c "TLS is required, but was not offered by
 * host %s", "TLS is required, but host %s refused to start TLS: %s", "TLS is
 * required, but our TLS engine is unavailable", "Cannot start TLS: handshake
 * failure", "Server certificate not verified", "client TLS configuration
 * problem", and smtp_stream_except() "lost connection with %s while receiving
 * the STARTTLS response"; smtp_connect.c "TLS policy lookup [error ]for %s/%s:
 * %s"; tlsproxy_state.c "TLS handshake failed for service=%s peer=%s";
 * tls_proxy_clnt.c "connect to %s service: %m", "%s service role \"%s\" is
 * not available".
 */
import { newOccurrence, type IncidentBook, type IncidentRecord, type Occurrence } from './incidents.js';
import type { LogRecord } from './line.js';
import { causeOfReasons, isConnectionLoss, opensslReason } from './openssl-errors.js';
import { ProcessTable } from './processes.js';
import type { Cause, Delivery } from './types.js';

interface Peer {
  hostname: string | null;
  address: string | null;
  port: number | null;
}

interface ClientProcess {
  pending: Occurrence | null;
  /** Failures with other MX hosts earlier in the same attempt: the status line names only the last host. */
  earlier: Occurrence[];
  /** TLS library lines with nothing pending (tlsproxy logs them before its own failure line). */
  orphanLines: string[];
  orphanReasons: string[];
  /** Recent warnings (policy lookups, TLS engine set-up), cleared at each status line. */
  warnings: string[];
  /** A TLS session was established since the last status line. */
  tls: boolean;
  /** "QID: Cannot start TLS: handshake failure" with nothing pending (the failure was tlsproxy's). */
  fellBack: boolean;
  verify: { reason: string; line: string; peer: Peer } | null;
  last: { qid: string; time: number | null; rec: IncidentRecord | null } | null;
}

export interface OutboundCounts {
  tls: number;
  plaintext: number;
  deferred: number;
  bounced: number;
}

const PEER = /^([^\s[]*)\[([^\]]*)\](?::(\d+))?/;
const SSL_CONNECT = /^SSL_connect error to ([^\s[]*)\[([^\]]*)\](?::(\d+))?: (.*)$/;
const VERIFY = /^(?:server )?certificate verification failed for ([^\s[]*)\[([^\]]*)\](?::(\d+))?: (.*)$/;
const CONFIG = /^warning: ([^\s[]*)\[([^\]]*)\](?::(\d+))?: (Invalid TLS protocol list "([^"]*)"|error setting cipher grade: "([^"]*)"|invalid cipher grade: "([^"]*)"|invalid unary '!\+-@' in cipher exclusion: (.*))/;
const POLICY = /^warning: TLS policy lookup (?:error )?for ([^/\s]+)\/(\S+): (.*)$/;
const STATUS = /^([0-9A-Za-z]+): to=<([^>]*)>,(?: orig_to=<[^>]*>,)? relay=([^,]*), .*?status=([a-z]+) \((.*)\)$/;
const FALLBACK = /^([0-9A-Za-z]+): Cannot start TLS: handshake failure$/;
const TLSPROXY_FAILED = /^TLS handshake failed for service=(\S+) peer=\[([^\]]*)\]:(\d+)/;
const TLS_ESTABLISHED = /^(?:Anonymous|Untrusted|Trusted|Verified) TLS connection (?:established|reused) to /;
const EXPIRED = /^([0-9A-Za-z]+): from=<[^>]*>, status=expired, returned to sender/;
const MAX_PROCESSES = 10_000;
const MAX_BUFFERED = 6;

function peerOf(host: string, address: string, port: string | undefined): Peer {
  return { hostname: host === '' ? null : host, address, port: port === undefined ? null : Number(port) };
}

function relayPeer(relay: string): Peer | null {
  const m = PEER.exec(relay);
  return m ? peerOf(m[1], m[2], m[3]) : null;
}

/** "[mx.example.com]:587" -> host and port of a next hop. */
function destinationPeer(dest: string): Peer {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(dest);
  if (m) return { hostname: m[1], address: null, port: m[2] ? Number(m[2]) : null };
  return { hostname: dest.replace(/:\d+$/, ''), address: null, port: /:(\d+)$/.test(dest) ? Number(/:(\d+)$/.exec(dest)?.[1]) : null };
}

function newProcess(): ClientProcess {
  return { pending: null, earlier: [], orphanLines: [], orphanReasons: [], warnings: [], tls: false, fellBack: false, verify: null, last: null };
}

function push(list: string[], line: string): void {
  list.push(line);
  if (list.length > MAX_BUFFERED) list.shift();
}

function verifyCause(reason: string): Cause {
  if (/certificate has expired|not yet valid/.test(reason)) return 'certificate-expired';
  if (/hostname mismatch|num=62:/.test(reason)) return 'certificate-name-mismatch';
  return 'certificate-untrusted';
}

function policyProblem(lines: readonly string[]): NonNullable<Occurrence['facts']['policyProblem']> {
  const all = lines.join('\n');
  if (/dane(-only)? configured with (dnssec lookups disabled|MX lookup errors ignored)|TLSA lookup error/.test(all)) return 'dane-only';
  if (/configured at fingerprint security level, but with no fingerprints to match/.test(all)) return 'fingerprint';
  if (/ is unavailable|lookup error for|policy table lookup error|per-site table lookup error/.test(all)) return 'table';
  if (/invalid security level|malformed attribute|invalid attribute name|invalid empty policy|attribute "[^"]*" (has|is|invalid)|unknown TLS policy/.test(all)) return 'entry';
  return 'other';
}

export class OutboundReader {
  private readonly procs = new ProcessTable<ClientProcess>(MAX_PROCESSES, newProcess, (p, program) => this.retire(p, program));
  /** tlsproxy failures waiting for the smtp status line of the same peer. */
  private readonly proxyFailures = new Map<string, Occurrence[]>();
  readonly counts: OutboundCounts = { tls: 0, plaintext: 0, deferred: 0, bounced: 0 };

  constructor(private readonly book: IncidentBook) {}

  /** A line of smtp, lmtp, tlsproxy or posttls-finger; `source` separates transcripts of different inputs. */
  read(r: LogRecord, source: number): void {
    const t = r.text;
    if (r.daemon === 'tlsproxy') {
      this.readTlsproxy(r);
      return;
    }
    // A transcript is one process per input.
    const p = r.daemon === 'posttls-finger' ? this.procs.get('', -1 - source, r.program) : this.procs.get(r.host, r.pid, r.program);
    // "QID: to=<...>" and "QID: Cannot start TLS: handshake failure": the queue id ends within 16 characters.
    const colon = t.indexOf(': ');
    if (colon > 0 && colon <= 16) {
      if (t.startsWith('to=<', colon + 2)) {
        const m = STATUS.exec(t);
        if (m) this.status(p, r, m[1], m[2], m[3], m[4], m[5]);
        return;
      }
      if (t.startsWith('Cannot start TLS: handshake failure', colon + 2) && FALLBACK.test(t)) {
        // The TLS attempt failed and this attempt goes on in plaintext (may, after minimal_backoff_time).
        if (p.pending) p.pending.lines.push(r.raw);
        else p.fellBack = true;
        return;
      }
    }
    switch (t.charCodeAt(0)) {
      case 0x53: // S
        if (t.startsWith('SSL_connect error to ')) this.sslConnect(p, r);
        return;
      case 0x77: // w
        if (t.startsWith('warning: TLS library problem: ')) this.library(p, r);
        else this.warning(p, r);
        return;
      case 0x65: // e
        if (t.startsWith('error: ')) this.warning(p, r);
        return;
      case 0x73: // s
      case 0x63: // c
        if (t.includes('certificate verification failed for ')) {
          const m = VERIFY.exec(t);
          if (m) p.verify = { reason: m[4], line: r.raw, peer: peerOf(m[1], m[2], m[3]) };
        } else if (r.daemon === 'posttls-finger' && t.startsWith('setting up TLS connection to ')) {
          this.flushFinger(p);
        }
        return;
      default:
        if (TLS_ESTABLISHED.test(t)) p.tls = true;
    }
  }

  private sslConnect(p: ClientProcess, r: LogRecord): void {
    const m = SSL_CONNECT.exec(r.text);
    if (!m) return;
    const o = newOccurrence('outbound', r.program, r.time, [r.raw], peerOf(m[1], m[2], m[3]));
    o.facts.handshakeDetail = m[4];
    this.setPending(p, o, r);
  }

  private library(p: ClientProcess, r: LogRecord): void {
    const reason = opensslReason(r.text);
    if (p.pending) {
      p.pending.lines.push(r.raw);
      if (reason) p.pending.facts.reasons.push(reason);
    } else {
      push(p.orphanLines, r.raw);
      if (reason) push(p.orphanReasons, reason);
    }
  }

  private warning(p: ClientProcess, r: LogRecord): void {
    const t = r.text;
    const c = CONFIG.exec(t);
    if (c) {
      const o = newOccurrence('outbound', r.program, r.time, [r.raw], peerOf(c[1], c[2], c[3]));
      o.cause = 'tls-library-error';
      o.facts.configProblem = c[5] !== undefined ? 'protocols' : c[6] !== undefined ? 'cipherlist' : c[7] !== undefined ? 'grade' : 'exclusion';
      o.facts.configValue = c[5] ?? c[6] ?? c[7] ?? c[8];
      this.setPending(p, o, r);
      return;
    }
    const pol = POLICY.exec(t);
    if (pol) {
      const o = newOccurrence('outbound', r.program, r.time, [...p.warnings, r.raw], { ...destinationPeer(pol[1]), hostname: pol[2] });
      o.cause = 'policy-lookup-error';
      o.facts.policyDestination = pol[1];
      o.facts.policyProblem = policyProblem(o.lines);
      this.setPending(p, o, r);
      p.warnings = [];
      return;
    }
    if (/^warning: (connect to private\/\S+ service: |private\/\S+ service role "client" is not available)/.test(t) && /tlsproxy/.test(t)) {
      const o = newOccurrence('outbound', r.program, r.time, [r.raw]);
      o.cause = 'tlsproxy-unavailable';
      this.setPending(p, o, r);
      return;
    }
    push(p.warnings, r.raw);
  }

  private readTlsproxy(r: LogRecord): void {
    const p = this.procs.get(r.host, r.pid, r.program);
    const t = r.text;
    if (t.startsWith('warning: TLS library problem: ')) {
      push(p.orphanLines, r.raw);
      const reason = opensslReason(t);
      if (reason) push(p.orphanReasons, reason);
      return;
    }
    const m = TLSPROXY_FAILED.exec(t);
    if (!m) return;
    const o = newOccurrence('outbound', r.program, r.time, [...p.orphanLines, r.raw], { address: m[2], port: Number(m[3]) });
    o.facts.reasons.push(...p.orphanReasons);
    p.orphanLines = [];
    p.orphanReasons = [];
    const k = `${r.host} ${m[2]} ${m[3]}`;
    const list = this.proxyFailures.get(k) ?? [];
    list.push(o);
    if (list.length > MAX_BUFFERED) this.finish(list.shift() as Occurrence, null, 'unknown');
    this.proxyFailures.set(k, list);
  }

  private status(p: ClientProcess, r: LogRecord, qid: string, rcpt: string, relay: string, status: string, detail: string): void {
    const delivery: Delivery = status === 'sent' ? (p.tls ? 'tls' : 'plaintext') : status === 'deferred' ? 'deferred' : status === 'bounced' ? 'bounced' : 'unknown';
    if (r.daemon === 'error') {
      // "delivery temporarily suspended": no connection was made, the message just waits.
      this.book.update(qid, delivery);
      return;
    }
    if (this.book.inWindow(r.time)) {
      if (delivery === 'tls' || delivery === 'plaintext' || delivery === 'deferred' || delivery === 'bounced') this.counts[delivery]++;
    }
    // More recipients of the same message in the same attempt: one occurrence.
    if (!p.pending && p.earlier.length === 0 && p.last && p.last.qid === qid && p.last.time === r.time) {
      if (p.last.rec) this.book.update(qid, delivery);
      this.resetAttempt(p);
      return;
    }
    let o = p.pending;
    const peer = relayPeer(relay);
    const domain = rcpt.includes('@') ? rcpt.slice(rcpt.lastIndexOf('@') + 1) : undefined;
    if (!o) o = this.occurrenceFromStatus(p, r, detail, peer);
    if (o) {
      o.lines.push(r.raw);
      if (!o.hostname && !o.address && peer) Object.assign(o, peer);
      else if (peer && o.hostname === null) o.hostname = peer.hostname;
      if (o.service.endsWith('/tlsproxy')) o.service = r.program;
      o.facts.statusDetail = detail;
      o.facts.recipientDomain = domain;
    }
    for (const e of p.earlier) {
      e.facts.recipientDomain = domain;
      this.finish(e, qid, delivery);
    }
    p.earlier = [];
    const rec = o ? this.finish(o, qid, delivery) : null;
    if (!o) this.book.update(qid, delivery);
    this.resetAttempt(p);
    p.last = { qid, time: r.time, rec };
  }

  /** An occurrence that only the status line (and the lines the process kept) tell about. */
  private occurrenceFromStatus(p: ClientProcess, r: LogRecord, detail: string, peer: Peer | null): Occurrence | null {
    const make = (cause: Cause, lines: readonly string[] = []): Occurrence => {
      const o = newOccurrence('outbound', r.program, r.time, lines, peer ?? {});
      o.cause = cause;
      return o;
    };
    let m: RegExpExecArray | null;
    if (detail.startsWith('TLS is required, but was not offered by host ')) return make('starttls-not-offered');
    if ((m = /^TLS is required, but host \S+ refused to start TLS: (.*)$/.exec(detail))) {
      const o = make('starttls-rejected');
      o.facts.reply = m[1];
      return o;
    }
    if (/^(?:lost connection|conversation) with \S+ (?:timed out )?while receiving the STARTTLS response/.test(detail)) return make('connection-lost');
    if (detail === 'Server certificate not verified' || detail === 'Server certificate not trusted') {
      const v = p.verify;
      const o = make(v ? verifyCause(v.reason) : 'certificate-untrusted', v ? [v.line] : []);
      if (v) {
        o.facts.verifyReason = v.reason;
        if (v.peer.port !== null && o.port === null) o.port = v.peer.port;
      }
      return o;
    }
    if (detail.endsWith('Cannot start TLS: handshake failure') || p.fellBack) {
      const claimed = peer?.address ? this.claimProxyFailure(r.host, peer.address, peer.port) : null;
      if (claimed) {
        if (peer?.hostname) claimed.hostname = peer.hostname;
        return claimed;
      }
      const o = make('tls-library-error', p.warnings);
      return o;
    }
    if (detail === 'client TLS configuration problem') {
      const o = make('policy-lookup-error', p.warnings);
      o.facts.policyProblem = policyProblem(p.warnings);
      return o;
    }
    if (detail === 'TLS is required, but our TLS engine is unavailable' || detail === 'TLS is required, but unavailable') {
      const o = make('tls-library-error', p.warnings);
      o.facts.configProblem = 'client-engine';
      return o;
    }
    return null;
  }

  private claimProxyFailure(host: string, address: string, port: number | null): Occurrence | null {
    const k = `${host} ${address} ${port ?? ''}`;
    const list = this.proxyFailures.get(k);
    if (!list || list.length === 0) return null;
    const o = list.shift() as Occurrence;
    if (list.length === 0) this.proxyFailures.delete(k);
    return o;
  }

  private resetAttempt(p: ClientProcess): void {
    p.pending = null;
    p.verify = null;
    p.tls = false;
    p.fellBack = false;
    p.warnings = [];
    p.orphanLines = [];
    p.orphanReasons = [];
  }

  /** Classify and record; link the message so its later status lines decide `delivery`. */
  private finish(o: Occurrence, qid: string | null, delivery: Delivery): IncidentRecord | null {
    if (!o.cause) {
      const detail = o.facts.handshakeDetail ?? '';
      o.cause = causeOfReasons(o.facts.reasons, 'outbound') ?? (isConnectionLoss(detail) ? 'connection-lost' : 'tls-library-error');
    }
    const rec = this.book.add(o);
    if (rec) {
      if (qid !== null) this.book.link(rec, qid, delivery);
      else rec.delivery = delivery;
    }
    return rec;
  }

  /** A new failure in this process: one still pending belongs to another MX host of the same attempt (a transcript starts over). */
  private setPending(p: ClientProcess, o: Occurrence, r: LogRecord): void {
    if (p.pending) {
      if (r.daemon === 'posttls-finger') this.flushPending(p);
      else {
        p.earlier.push(p.pending);
        if (p.earlier.length > MAX_BUFFERED) this.finish(p.earlier.shift() as Occurrence, null, 'unknown');
      }
    }
    p.pending = o;
    p.orphanLines = [];
    p.orphanReasons = [];
  }

  private flushPending(p: ClientProcess): void {
    for (const e of p.earlier) this.finish(e, null, 'unknown');
    p.earlier = [];
    if (p.pending) this.finish(p.pending, null, 'unknown');
    p.pending = null;
  }

  /** posttls-finger has no status line: a session ends at the next one or at the end of the transcript. */
  private flushFinger(p: ClientProcess): void {
    this.flushPending(p);
    if (p.verify) {
      const o = newOccurrence('outbound', 'posttls-finger', null, [p.verify.line], p.verify.peer);
      o.cause = verifyCause(p.verify.reason);
      o.facts.verifyReason = p.verify.reason;
      this.finish(o, null, 'unknown');
    }
    this.resetAttempt(p);
  }

  /** A process leaves the table (full table, end of input): what it was doing ends without a status line. */
  private retire(p: ClientProcess, program: string): void {
    if (program === 'posttls-finger') this.flushFinger(p);
    else this.flushPending(p);
  }

  /** End of one input: its posttls-finger transcript is complete. */
  endInput(source: number): void {
    const p = this.procs.find('', -1 - source, 'posttls-finger');
    if (p) {
      this.flushFinger(p);
      this.procs.remove('', -1 - source, 'posttls-finger');
    }
  }

  /** End of all input: attempts without a status line, tlsproxy failures nobody claimed. */
  end(): void {
    for (const [p, program] of this.procs.all()) this.retire(p, program);
    for (const list of this.proxyFailures.values()) for (const o of list) this.finish(o, null, 'unknown');
    this.proxyFailures.clear();
  }

  /** A message's later fate from lines outside the smtp processes (qmgr expiry). */
  readQmgr(r: LogRecord): void {
    const m = EXPIRED.exec(r.text);
    if (m) this.book.update(m[1], 'bounced');
  }
}
