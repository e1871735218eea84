/**
 * Reading the client instance's maillog: which queue id belongs to which
 * message, and, per cell service, one record per delivery attempt. Pure.
 *
 * Attribution (interop-lab-notes §6.11): each cell has its own smtp service
 * with syslog_name postfix/<service>, so a cell's lines are exactly those of
 * postfix/<service>/smtp (and its private tlsproxy); lines of other cells or
 * shared daemons are never matched by port.
 */

export interface LogLine {
  /** e.g. "postfix/c07/smtp" */
  readonly program: string;
  readonly pid: number;
  readonly text: string;
}

const LINE_RE = /^\S+(?: +\S+ +\S+)? +\S+ +(postfix[^\s[]*)\[(\d+)\]: (.*)$/;

export function parseLogLine(line: string): LogLine | null {
  const m = LINE_RE.exec(line);
  if (!m) return null;
  return { program: m[1], pid: Number(m[2]), text: m[3] };
}

export type Trust = 'Anonymous' | 'Untrusted' | 'Trusted' | 'Verified';

export interface TlsSession {
  readonly trust: Trust;
  readonly reused: boolean;
  readonly protocol: string;
  readonly cipher: string;
}

export interface Attempt {
  readonly queueId: string;
  readonly status: string;
  readonly dsn: string;
  readonly detail: string;
  /** Connection use count from the status line (2+ means a reused connection). */
  readonly connUse: number;
  /** TLS sessions the smtp process reported during this attempt (the last one carried the mail, if any). */
  readonly tls: readonly TlsSession[];
  /** "Cannot start TLS: handshake failure" seen (as status detail or as a fallback note). */
  readonly handshakeFailed: boolean;
  readonly verificationFailed: string | null;
  /** OpenSSL / TLS library errors the cell's processes logged. */
  readonly libraryErrors: readonly string[];
  /** Not a session: qmgr held the message back because the destination had just failed. */
  readonly suspended: boolean;
  /** Every cell line of this attempt, for the report. */
  readonly lines: readonly string[];
}

const TLS_RE = /^(Anonymous|Untrusted|Trusted|Verified) TLS connection (established|reused) to \S+: (\S+) with cipher (\S+)/;
const STATUS_RE = /^([0-9A-F]{6,}|[0-9B-Zb-z]{10,}): to=<[^>]*>,.* dsn=([\d.]+), status=(\w+) \((.*)\)$/;
const CONN_USE_RE = /conn_use=(\d+)/;
const QID_MSGID_RE = /^([0-9A-F]{6,}|[0-9B-Zb-z]{10,}): message-id=<([^>]*)>/;

/** queue id → message-id, from cleanup lines. */
export function queueIds(lines: readonly LogLine[]): Map<string, string> {
  const byMessageId = new Map<string, string>();
  for (const l of lines) {
    if (!l.program.endsWith('/cleanup')) continue;
    const m = QID_MSGID_RE.exec(l.text);
    if (m) byMessageId.set(m[2], m[1]);
  }
  return byMessageId;
}

/** The cell service a program name belongs to ("postfix/c07/smtp" → "c07"), or null for shared daemons. */
export function serviceOf(program: string): string | null {
  const parts = program.split('/');
  return parts.length === 3 ? parts[1] : null;
}

/**
 * Attempts of one cell in log order. Lines of the cell's smtp processes
 * accumulate until a status line closes the attempt; the cell's tlsproxy
 * only contributes library errors (its TLS lines repeat the smtp ones).
 * Status lines of the shared error transport ("delivery temporarily
 * suspended") count for the cell's queue ids, as suspended attempts.
 */
export function cellAttempts(lines: readonly LogLine[], service: string, cellQueueIds: ReadonlySet<string> = new Set()): Attempt[] {
  const attempts: Attempt[] = [];
  let pending: LogLine[] = [];
  for (const l of lines) {
    if (l.program === 'postfix/error') {
      const e = STATUS_RE.exec(l.text);
      if (e && cellQueueIds.has(e[1])) {
        attempts.push({
          queueId: e[1], dsn: e[2], status: e[3], detail: e[4], connUse: 0, tls: [], handshakeFailed: false, verificationFailed: null,
          libraryErrors: [], suspended: true, lines: [`${l.program}: ${l.text}`],
        });
      }
      continue;
    }
    if (serviceOf(l.program) !== service) continue;
    pending.push(l);
    if (!l.program.endsWith('/smtp')) continue;
    const s = STATUS_RE.exec(l.text);
    if (!s) continue;
    const smtpLines = pending.filter((p) => p.program.endsWith('/smtp'));
    const tls: TlsSession[] = [];
    for (const p of smtpLines) {
      const t = TLS_RE.exec(p.text);
      if (t) tls.push({ trust: t[1] as Trust, reused: t[2] === 'reused', protocol: t[3], cipher: t[4] });
    }
    const verification = pending.map((p) => /server certificate verification failed for \S+: (.*)$/.exec(p.text)).find((m) => m !== null);
    attempts.push({
      queueId: s[1],
      dsn: s[2],
      status: s[3],
      detail: s[4],
      connUse: Number(CONN_USE_RE.exec(l.text)?.[1] ?? '1'),
      tls,
      handshakeFailed: pending.some((p) => p.text.includes('Cannot start TLS: handshake failure')),
      verificationFailed: verification ? verification[1] : null,
      libraryErrors: pending
        .map((p) => /(?:TLS library problem: |SSL_connect error to \S+: )(.*)$/.exec(p.text)?.[1])
        .filter((e): e is string => e !== undefined),
      suspended: false,
      lines: pending.map((p) => `${p.program}: ${p.text}`),
    });
    pending = [];
  }
  return attempts;
}

/** The part of an OpenSSL error line worth showing: "error:0A00042E:SSL routines::tlsv1 alert protocol version:...". */
export function shortSslError(e: string): string {
  const m = /error:[0-9A-F]+:[^:]*::([^:]+)/.exec(e);
  return m ? m[1] : e;
}
