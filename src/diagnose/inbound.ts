/**
 * The SMTP server's side of the log (smtpd): one session per process from
 * "connect from" to "disconnect from ... <command counts>". Pure.
 *
 * Message texts (Postfix 3.7.11 source): tls_server.c "SSL_accept error from
 * %s: %d|%m|lost connection"; smtpd.c "lost connection after %s from %s" and
 * the "disconnect from %s ehlo=1 starttls=0/1 ..." command counts; tls_certkey.c
 * "cannot get %s certificate from file \"%s\": disabling TLS support", "error
 * opening chain file: %s: %m", "%s private key in %s does not match public key
 * in %s"; smtpd.c "No server certs available. TLS won't be enabled", "Refusing
 * STARTTLS request from %s for service %s"; smtpd_check.c "Session encryption
 * is required".
 *
 * Two refusals are never logged by smtpd: "530 5.7.0 Must issue a STARTTLS
 * command first" (smtpd_tls_security_level = encrypt) and the "503 5.5.1 Error:
 * authentication not enabled" a client gets for AUTH before STARTTLS with
 * smtpd_tls_auth_only = yes (observed: lab fixtures). They show only in the
 * command counts (mail=0/1, auth=0/1 without starttls); such incidents are
 * tentative and kept only when the configuration or the rest of the log
 * confirms them (see confirmTentative).
 */
import { dropOlderHalf, newOccurrence, type IncidentBook, type IncidentRecord, type Occurrence } from './incidents.js';
import type { LogRecord } from './line.js';
import { causeOfReasons, isConnectionLoss, opensslReason } from './openssl-errors.js';
import { ProcessTable } from './processes.js';

interface Session {
  readonly hostname: string | null;
  readonly address: string | null;
  readonly time: number | null;
  occ: Occurrence | null;
  tls: boolean;
  /** A message was handed over ("QID: client=..."). */
  accepted: boolean;
  rejects: number;
  encryptionRequired: string | null;
  saslFailed: boolean;
  starttlsRateLimited: string | null;
  /** "Wrapper-mode request dropped ...": smtpd had no TLS context for a wrapper-mode connection. */
  wrapperDropped: string | null;
}

interface ServerProcess {
  /** The session in progress ("connect from" .. "disconnect from"). */
  session: Session | null;
  /** Certificate/key loading failed when the process started: TLS is off or anonymous-only for its sessions. */
  tlsInit: { lines: string[]; file: string | null } | null;
}

/** What sessions on one syslog name showed: used to confirm or drop tentative incidents. */
export interface ServiceEvidence {
  /** A session without TLS got a MAIL command accepted: the service does not require STARTTLS. */
  plainMailAccepted: boolean;
  /** A session issued AUTH after STARTTLS: the service offers AUTH (over TLS). */
  authAfterTls: boolean;
}

const HOST = /^([^\s[]*)\[([^\]]*)\]/;

/** smtpd writes "unknown" for a client without a (verified) reverse name. */
function clientName(name: string | undefined | null): string | null {
  return !name || name === 'unknown' ? null : name;
}
const CONNECT = /^connect from ([^\s[]*)\[([^\]]*)\]/;
const SSL_ACCEPT = /^SSL_accept error from ([^\s[]*)\[([^\]]*)\](?::\d+)?: (.*)$/;
const DISCONNECT = /^disconnect from ([^\s[]*)\[([^\]]*)\](?::\d+)?(.*)$/;
const CLIENT = /^[0-9A-Za-z]+: client=/;
const INIT_PROBLEM = /^warning: (?:key at index \d+ in (\S+) does not match next certificate|cannot get \S+ (?:certificate|private key) from file "([^"]*)"|error opening chain file: (\S+?): |error loading private keys and certificates from: (\S+?): |error loading (?:certificate|private key)|\S+ private key in (\S+) does not match public key in \S+|No server certs available|Invalid TLS protocol list "[^"]*": disabling TLS support|cannot allocate server SSL_CTX|No PEM data in (\S+)|No private key found in (\S+)|No certs for key)/;
const MAX_PROCESSES = 10_000;
const MAX_FOLLOW_UPS = 10_000;
const MAX_INIT_LINES = 4;

/** "ehlo=1 starttls=0/1 mail=1 commands=2/3" -> command -> ok/total (by hand: one per smtpd session). */
export function commandCounts(text: string): Map<string, { ok: number; total: number }> {
  const out = new Map<string, { ok: number; total: number }>();
  for (const word of text.split(' ')) {
    const eq = word.indexOf('=');
    if (eq <= 0) continue;
    const slash = word.indexOf('/', eq);
    const ok = Number(slash < 0 ? word.slice(eq + 1) : word.slice(eq + 1, slash));
    const total = slash < 0 ? ok : Number(word.slice(slash + 1));
    if (Number.isInteger(ok) && Number.isInteger(total)) out.set(word.slice(0, eq), { ok, total });
  }
  return out;
}

export class InboundReader {
  private readonly procs = new ProcessTable<ServerProcess>(MAX_PROCESSES, () => ({ session: null, tlsInit: null }), (p, program) => {
    if (p.session) this.close(p, p.session, null, program);
  });
  readonly evidence = new Map<string, ServiceEvidence>();
  /** A client whose handshake failed: its next session on the service tells how its mail came in. */
  private readonly followUps = new Map<string, IncidentRecord>();
  readonly counts = { tls: 0, plaintext: 0 };

  constructor(private readonly book: IncidentBook) {}

  read(r: LogRecord): void {
    const p = this.procs.get(r.host, r.pid, r.program);
    const t = r.text;
    let m: RegExpExecArray | null;
    switch (t.charCodeAt(0)) {
      case 0x63: // c
        if ((m = CONNECT.exec(t))) {
          if (p.session) this.close(p, p.session, null, r.program);
          p.session = this.newSession(m[1], m[2], r.time);
        }
        return;
      case 0x64: // d
        if ((m = DISCONNECT.exec(t))) {
          const s = p.session ?? this.newSession(m[1], m[2], r.time);
          this.close(p, s, { line: r.raw, counts: commandCounts(m[3]) }, r.program);
          p.session = null;
        }
        return;
      case 0x53: // S
        if ((m = SSL_ACCEPT.exec(t))) {
          const s = (p.session ??= this.newSession(m[1], m[2], r.time));
          const o = newOccurrence('inbound', r.program, r.time, [r.raw], { hostname: clientName(m[1]), address: m[2] });
          o.facts.handshakeDetail = m[3];
          s.occ = o;
        }
        return;
      case 0x77: // w
        this.warning(p, r);
        return;
      case 0x6c: // l
        if (p.session && t.startsWith('lost connection after STARTTLS from ')) this.lostAfterStarttls(p.session, r);
        return;
      case 0x4e: // N
        if (p.session && t.startsWith('NOQUEUE: reject: ')) this.rejected(p.session, r);
        return;
      default:
        break;
    }
    const s = p.session;
    if (!s) return;
    if (/^(?:Anonymous|Untrusted|Trusted|Verified) TLS connection established from /.test(t)) s.tls = true;
    else if (CLIENT.test(t)) s.accepted = true;
    else if (/^[0-9A-Za-z]+: reject: /.test(t)) this.rejected(s, r);
  }

  private warning(p: ServerProcess, r: LogRecord): void {
    const t = r.text;
    let m: RegExpExecArray | null;
    if (t.startsWith('warning: TLS library problem: ')) {
      const s = p.session;
      if (s?.occ) {
        s.occ.lines.push(r.raw);
        const reason = opensslReason(t);
        if (reason) s.occ.facts.reasons.push(reason);
      } else if (p.tlsInit && p.tlsInit.lines.length < MAX_INIT_LINES) {
        p.tlsInit.lines.push(r.raw);
      }
    } else if ((m = INIT_PROBLEM.exec(t))) {
      const file = m.slice(1).find((x) => x !== undefined) ?? null;
      // One start-up failure logs several lines ("key at index 1 ... does not match", then "error loading ..."): keep them together.
      if (p.tlsInit && !p.session && p.tlsInit.lines.length < MAX_INIT_LINES) {
        p.tlsInit.lines.push(r.raw);
        p.tlsInit.file ??= file;
      } else p.tlsInit = { lines: [r.raw], file };
    } else if (p.session && /^warning: [^\s[]*\[[^\]]*\]: SASL \S+ authentication failed/.test(t)) {
      p.session.saslFailed = true;
    } else if (p.session && t.startsWith('warning: Wrapper-mode request dropped from ')) {
      p.session.wrapperDropped = r.raw;
    } else if (p.session && t.startsWith('warning: Refusing STARTTLS request from ')) {
      p.session.starttlsRateLimited = r.raw;
    }
  }

  private lostAfterStarttls(s: Session, r: LogRecord): void {
    if (s.occ) {
      s.occ.lines.push(r.raw);
      return;
    }
    const h = HOST.exec(r.text.slice('lost connection after STARTTLS from '.length));
    const o = newOccurrence('inbound', r.program, r.time, [r.raw], { hostname: h ? clientName(h[1]) : s.hostname, address: h?.[2] ?? s.address });
    o.facts.handshakeDetail = 'lost connection';
    s.occ = o;
  }

  private rejected(s: Session, r: LogRecord): void {
    s.rejects++;
    if (r.text.includes('Session encryption is required')) s.encryptionRequired = r.raw;
  }

  private newSession(hostname: string, address: string, time: number | null): Session {
    return { hostname: clientName(hostname), address, time, occ: null, tls: false, accepted: false, rejects: 0, encryptionRequired: null, saslFailed: false, starttlsRateLimited: null, wrapperDropped: null };
  }

  private serviceEvidence(service: string): ServiceEvidence {
    let e = this.evidence.get(service);
    if (!e) {
      e = { plainMailAccepted: false, authAfterTls: false };
      this.evidence.set(service, e);
    }
    return e;
  }

  private close(p: ServerProcess, s: Session, end: { line: string; counts: Map<string, { ok: number; total: number }> } | null, program?: string): void {
    const service = program ?? s.occ?.service ?? '';
    if (this.book.inWindow(s.time)) {
      if (s.tls) this.counts.tls++;
      else if (s.accepted) this.counts.plaintext++;
    }
    const follow = `${service} ${s.address ?? ''}`;
    const waiting = this.followUps.get(follow);
    if (waiting && s.accepted) {
      waiting.delivery = s.tls ? 'tls' : 'plaintext';
      this.followUps.delete(follow);
    }
    const counts = end?.counts ?? new Map<string, { ok: number; total: number }>();
    const mail = counts.get('mail');
    const auth = counts.get('auth');
    const starttls = counts.get('starttls');
    const ev = this.serviceEvidence(service);
    if (!s.tls && mail && mail.ok > 0) ev.plainMailAccepted = true;
    if (s.tls && auth && auth.total > 0) ev.authAfterTls = true;

    const host = { hostname: s.hostname, address: s.address };
    if (s.occ) {
      const o = s.occ;
      if (end) o.lines.push(end.line);
      const detail = o.facts.handshakeDetail ?? '';
      o.cause = causeOfReasons(o.facts.reasons, 'inbound') ?? (isConnectionLoss(detail) ? 'client-lost-connection' : 'tls-library-error');
      if (p.tlsInit && (o.cause === 'client-no-shared-cipher' || o.cause === 'tls-library-error')) {
        // Without its certificate smtpd offers anonymous suites only: the client's "no shared cipher" is ours.
        o.cause = 'server-tls-unavailable';
        o.lines.unshift(...p.tlsInit.lines);
        o.facts.serverFile = p.tlsInit.file ?? undefined;
      }
      const rec = this.book.add(o);
      if (rec) {
        rec.delivery = 'unknown';
        if (this.followUps.size >= MAX_FOLLOW_UPS) dropOlderHalf(this.followUps);
        this.followUps.set(follow, rec);
      }
      return;
    }
    const occ = (lines: string[]) => newOccurrence('inbound', service, s.time, lines, host);
    if (s.wrapperDropped) {
      // Wrapper mode without a TLS context: smtpd drops the connection before any SMTP (smtpd.c).
      const o = occ([...(p.tlsInit?.lines ?? []), s.wrapperDropped, ...(end ? [end.line] : [])]);
      o.cause = 'server-tls-unavailable';
      o.facts.serverFile = p.tlsInit?.file ?? undefined;
      const rec = this.book.add(o);
      if (rec) rec.delivery = 'unknown';
      return;
    }
    if (!end || s.tls) return;
    if (starttls && starttls.ok < starttls.total) {
      // STARTTLS was answered with an error (454 or 502): no handshake was even tried.
      const o = occ(s.starttlsRateLimited ? [s.starttlsRateLimited, end.line] : [...(p.tlsInit?.lines ?? []), end.line]);
      o.cause = s.starttlsRateLimited ? 'tls-library-error' : 'server-tls-unavailable';
      o.facts.serverFile = p.tlsInit?.file ?? undefined;
      o.facts.inferred = !p.tlsInit && !s.starttlsRateLimited;
      const rec = this.book.add(o);
      // Refused MAIL after the failed STARTTLS: level encrypt answered 530 (not logged, counted).
      if (rec) rec.delivery = s.accepted ? 'plaintext' : mail && mail.ok < mail.total ? 'rejected' : 'unknown';
      return;
    }
    if (starttls) return;
    if (s.encryptionRequired) {
      const o = occ([s.encryptionRequired, end.line]);
      o.cause = 'starttls-required';
      const rec = this.book.add(o);
      if (rec) rec.delivery = 'rejected';
      return;
    }
    if (mail && mail.total > 0 && mail.ok === 0 && s.rejects === 0) {
      const o = occ([end.line]);
      o.cause = 'starttls-required';
      o.facts.inferred = true;
      const rec = this.book.add(o, { tentative: true });
      if (rec) rec.delivery = 'rejected';
      return;
    }
    if (auth && auth.total > auth.ok && !s.saslFailed) {
      const o = occ([end.line]);
      o.cause = 'auth-without-tls';
      o.facts.inferred = true;
      const rec = this.book.add(o, { tentative: true });
      if (rec) rec.delivery = 'rejected';
    }
  }

  /** End of all input: sessions still open (the log ended first). */
  end(): void {
    for (const [p, program] of this.procs.all()) {
      if (p.session) this.close(p, p.session, null, program);
      p.session = null;
    }
  }

  /**
   * Without the configuration, a tentative incident stays only when the log
   * itself backs it: starttls-required when no plaintext session on that
   * service ever got MAIL accepted, auth-without-tls when some session used
   * AUTH after STARTTLS there.
   */
  confirmedByLog(rec: IncidentRecord): boolean {
    const e = this.evidence.get(rec.service);
    if (rec.cause === 'starttls-required') return !e?.plainMailAccepted;
    if (rec.cause === 'auth-without-tls') return e?.authAfterTls === true;
    return true;
  }
}
