/**
 * One log line: its timestamp, host, program, pid and message, from any of the
 * formats Postfix logs end up in. Pure.
 *
 *  - traditional syslog and Postfix's own maillog_file and `journalctl` (short,
 *    short-precise): "Dec  3 11:14:49 host postfix/smtp[123]: text" (the day may
 *    be zero-padded, the seconds may have a fraction);
 *  - RFC 3339 syslog and `journalctl -o short-iso[-precise]`:
 *    "2024-12-03T11:14:49.123+01:00 host postfix/smtp[123]: text" (offsets with
 *    or without a colon, Z, or none = local time);
 *  - posttls-finger transcripts: "posttls-finger: text" (no time, no pid).
 *
 * A traditional timestamp has no year and no zone: it is read as local time,
 * in the latest year that does not put it more than a day after the reference
 * time (the file's modification time, or now for stdin). A log that spans New
 * Year therefore gets December of the previous year and January of this one.
 */

export interface LogRecord {
  readonly raw: string;
  /** Milliseconds since the epoch; null when the line has no timestamp. */
  readonly time: number | null;
  /** Syslog host field ('' for posttls-finger). */
  readonly host: string;
  /** Syslog name, e.g. "postfix/submission/smtpd". */
  readonly program: string;
  /** The last component of the program: smtp, smtpd, tlsproxy, error, posttls-finger ... */
  readonly daemon: string;
  /** 0 when the line has none. */
  readonly pid: number;
  readonly text: string;
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};
const DAY_MS = 86_400_000;

const TRADITIONAL = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.\d+)? (\S+) ([^\s[:]+)(?:\[(\d+)\])?: /;
const RFC3339 = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:?\d\d)? (\S+) ([^\s[:]+)(?:\[(\d+)\])?: /;
const FINGER = 'posttls-finger: ';

/** Year-less timestamps need a reference time; consecutive lines share their second, so cache it. */
export class LineParser {
  private lastStamp = '';
  private lastTime = 0;

  constructor(private readonly referenceMs: number) {}

  /** The record, or null for a line in no known format (journalctl's "-- ... --" markers included). */
  parse(raw: string): LogRecord | null {
    const c = raw.charCodeAt(0);
    if (c >= 0x41 && c <= 0x5a) return this.traditional(raw);
    if (c >= 0x30 && c <= 0x39) return rfc3339(raw);
    if (raw.startsWith(FINGER)) {
      return { raw, time: null, host: '', program: 'posttls-finger', daemon: 'posttls-finger', pid: 0, text: raw.slice(FINGER.length) };
    }
    return null;
  }

  private traditional(raw: string): LogRecord | null {
    const m = TRADITIONAL.exec(raw);
    if (!m) return null;
    const month = MONTHS[m[1]];
    if (month === undefined) return null;
    const stamp = `${m[1]} ${m[2]} ${m[3]}:${m[4]}:${m[5]}`;
    if (stamp !== this.lastStamp) {
      this.lastStamp = stamp;
      this.lastTime = yearlessTime(month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), this.referenceMs);
    }
    return record(raw, this.lastTime, m[6], m[7], m[8], m[0].length);
  }
}

/** Local time of a year-less timestamp: the latest year that is not more than a day after the reference. */
export function yearlessTime(month: number, day: number, h: number, min: number, s: number, referenceMs: number): number {
  const year = new Date(referenceMs).getFullYear();
  const t = new Date(year, month, day, h, min, s).getTime();
  return t > referenceMs + DAY_MS ? new Date(year - 1, month, day, h, min, s).getTime() : t;
}

function rfc3339(raw: string): LogRecord | null {
  const m = RFC3339.exec(raw);
  if (!m) return null;
  let zone = m[3] ?? '';
  if (zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const time = Date.parse(`${m[1]}T${m[2]}${zone}`);
  if (Number.isNaN(time)) return null;
  return record(raw, time, m[4], m[5], m[6], m[0].length);
}

function record(raw: string, time: number, host: string, program: string, pid: string | undefined, textStart: number): LogRecord {
  const slash = program.lastIndexOf('/');
  return { raw, time, host, program, daemon: slash < 0 ? program : program.slice(slash + 1), pid: pid === undefined ? 0 : Number(pid), text: raw.slice(textStart) };
}
