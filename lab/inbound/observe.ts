/**
 * What the real smtpd did in one inbound cell, read from its log and
 * checked against what the client saw on the wire; and the comparison with
 * the prediction (lab/compare.ts). Pure.
 *
 * Attribution: each configuration is its own smtpd service with syslog_name
 * postfix/<service>, and smtpd_client_port_logging = yes puts the client's
 * port on the connect line: every line of that smtpd process until its
 * disconnect line belongs to the session from that port.
 */
import type { InboundDelivery, InboundOutcome } from '../../src/interop/client-types.js';
import type { LogLine } from '../log.js';
import type { ClientRun, SessionRecord } from './smtp-client.js';

export interface ServerSession {
  readonly port: number;
  /** The session's log lines as smtpd wrote them. */
  readonly lines: readonly string[];
  readonly tls: { readonly protocol: string; readonly cipher: string } | null;
  /** SSL_accept error / TLS library problem / lost connection after STARTTLS. */
  readonly handshakeFailed: boolean;
  /** The smtpd queued a message from this session ("QID: client=..."). */
  readonly accepted: boolean;
  /** The "disconnect from" command counts, e.g. "ehlo=2 starttls=1 mail=1 ...". */
  readonly counts: string | null;
}

const CONNECT_RE = /^connect from \S+\[[^\]]+\]:(\d+)$/;
const TLS_RE = /TLS connection established from \S+: (\S+) with cipher (\S+)/;

/** Sessions of one smtpd service, keyed by client port. */
export function serverSessions(entries: readonly { readonly line: LogLine; readonly raw: string }[], service: string): Map<number, ServerSession> {
  const current = new Map<number, number>(); // pid -> port
  const byPort = new Map<number, string[]>();
  // What an smtpd process logs at start-up ("No server certs available") goes with each of its sessions;
  // what it logs between two sessions goes with the next one.
  const startup = new Map<number, string[]>();
  const pending = new Map<number, string[]>();
  const started = new Set<number>();
  for (const { line: l, raw } of entries) {
    if (l.program !== `postfix/${service}/smtpd`) continue;
    const c = CONNECT_RE.exec(l.text);
    if (c) current.set(l.pid, Number(c[1]));
    const port = current.get(l.pid);
    if (port === undefined) {
      const into = started.has(l.pid) ? pending : startup;
      into.set(l.pid, [...(into.get(l.pid) ?? []), raw]);
      continue;
    }
    started.add(l.pid);
    const list = byPort.get(port) ?? [...(startup.get(l.pid) ?? []), ...(pending.get(l.pid) ?? [])];
    pending.delete(l.pid);
    list.push(raw);
    byPort.set(port, list);
    if (l.text.startsWith('disconnect from ')) current.delete(l.pid);
  }
  const out = new Map<number, ServerSession>();
  for (const [port, ls] of byPort) {
    const tls = ls.map((x) => TLS_RE.exec(x)).find((m) => m !== null);
    const disconnect = ls.find((x) => /: disconnect from /.test(x));
    out.set(port, {
      port,
      lines: ls,
      tls: tls ? { protocol: tls[1], cipher: tls[2] } : null,
      handshakeFailed: ls.some((x) => /SSL_accept error|TLS library problem|lost connection after STARTTLS|TLS handshake failed/.test(x)),
      accepted: ls.some((x) => /: [0-9A-F]{6,}: client=/.test(x)),
      counts: disconnect ? disconnect.replace(/^.*disconnect from \S+ ?/, '') : null,
    });
  }
  return out;
}

export interface InboundObserved {
  readonly outcome: InboundOutcome | 'lab-error';
  readonly delivery: InboundDelivery | 'unknown';
  readonly protocol: string | null;
  readonly cipher: string | null;
  /** What the client saw and what smtpd logged, short. */
  readonly evidence: string;
  readonly problems: readonly string[];
}

function code(reply: string | null): number {
  return reply ? Number(reply.slice(0, 3)) || 0 : 0;
}

function describe(s: SessionRecord, srv: ServerSession | undefined): string {
  const parts: string[] = [];
  if (s.tls) parts.push(`${s.tls.protocol} ${s.tls.cipher}`);
  // The lab CA is not in the client's store: only a verdict other than "untrusted issuer" says something about the certificate.
  const verdict = s.certificate?.verifyError;
  if (verdict && !/UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED|UNABLE_TO_VERIFY_LEAF_SIGNATURE/.test(verdict)) parts.push(`certificate: ${verdict} (valid to ${s.certificate?.notAfter})`);
  if (s.tlsError) parts.push(`client: ${s.tlsError}`);
  if (s.starttlsReply && code(s.starttlsReply) !== 220) parts.push(`STARTTLS → ${s.starttlsReply.split('\n')[0]}`);
  if (!s.starttlsOffered && !s.tls) parts.push('no STARTTLS in EHLO');
  if (s.gaveUp) parts.push(`client gave up: ${s.gaveUp}`);
  if (s.mailReply && code(s.mailReply) !== 250) parts.push(`MAIL → ${s.mailReply.split('\n')[0]}`);
  if (code(s.dataReply) === 250) parts.push('accepted');
  const err = srv?.lines.map((l) => /(?:TLS library problem: |SSL_accept error from \S+: )(.*)$/.exec(l)?.[1]).find((e) => e !== undefined);
  if (err) parts.push(`smtpd: ${err.replace(/^error:[0-9A-F]+:SSL routines::/, '').replace(/:\.\.\/ssl.*$/, '')}`);
  if (srv?.counts) parts.push(`smtpd: ${srv.counts}`);
  return parts.join('; ');
}

/** Classify one cell from the client's run and the smtpd sessions of its ports. */
export function classifyInbound(run: ClientRun, sessions: ReadonlyMap<number, ServerSession>, opts: { wrapper: boolean; starttlsNever: boolean }): InboundObserved {
  const problems: string[] = [];
  const [s1, s2] = run.sessions;
  if (!s1) return { outcome: 'lab-error', delivery: 'unknown', protocol: null, cipher: null, evidence: 'no session', problems: ['the client made no connection'] };
  const srv1 = sessions.get(s1.localPort);
  const srv2 = s2 ? sessions.get(s2.localPort) : undefined;
  if (!srv1) problems.push(`smtpd logged no session from port ${s1.localPort}`);
  if (s2 && !srv2) problems.push(`smtpd logged no session from port ${s2.localPort}`);

  let outcome: InboundObserved['outcome'];
  if (opts.wrapper) outcome = s1.tls ? 'tls' : 'handshake-failure';
  else if (opts.starttlsNever) outcome = code(s1.mailReply) === 530 ? 'starttls-required' : 'plaintext';
  else if (s1.tls) outcome = 'tls';
  else if (s1.tlsError) outcome = 'handshake-failure';
  else if (!s1.starttlsOffered || (s1.starttlsReply !== null && code(s1.starttlsReply) !== 220)) outcome = 'no-starttls';
  else outcome = 'lab-error';

  const last = s2 ?? s1;
  let delivery: InboundObserved['delivery'];
  if (code(last.dataReply) === 250) delivery = last.tls ? 'tls' : 'plaintext';
  else if (code(last.mailReply) >= 500 || last.gaveUp === 'no AUTH offered') delivery = 'rejected';
  else if (last.tlsError || last.gaveUp) delivery = 'deferred';
  else delivery = 'unknown';
  if (delivery === 'unknown') problems.push(`no delivery result (${describe(last, srv2 ?? srv1)})`);

  // The smtpd log must tell the same story as the client.
  if (s1.tls && srv1 && (srv1.tls?.protocol !== s1.tls.protocol || srv1.tls?.cipher !== s1.tls.cipher)) {
    problems.push(`client saw ${s1.tls.protocol} ${s1.tls.cipher}, smtpd logged ${srv1.tls ? `${srv1.tls.protocol} ${srv1.tls.cipher}` : 'no TLS'}`);
  }
  if (s1.tlsError && srv1 && !srv1.handshakeFailed) problems.push('the client failed the handshake but smtpd logged no TLS failure');
  for (const [s, srv] of [[s1, srv1], [s2, srv2]] as const) {
    if (!s || !srv) continue;
    if (code(s.dataReply) === 250 && !srv.accepted) problems.push(`the client got 250 after DATA but smtpd logged no queued message for port ${s.localPort}`);
  }
  const completed = outcome === 'tls';
  return {
    outcome,
    delivery,
    protocol: completed && s1.tls ? s1.tls.protocol : null,
    cipher: completed && s1.tls ? s1.tls.cipher : null,
    evidence: run.sessions.map((s, i) => `#${i + 1} ${describe(s, sessions.get(s.localPort))}`).join(' → '),
    problems,
  };
}
