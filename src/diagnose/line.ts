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

const RFC3339 = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:?\d\d)? /;
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

  /** "Mmm dd HH:MM:SS[.frac] host program[pid]: text", parsed by hand: this runs for every line of a 1 GB log. */
  private traditional(raw: string): LogRecord | null {
    if (raw.length < 20 || raw.charCodeAt(3) !== 0x20 || raw.charCodeAt(9) !== 0x3a || raw.charCodeAt(12) !== 0x3a) return null;
    let time: number;
    if (this.lastStamp !== '' && raw.startsWith(this.lastStamp)) {
      time = this.lastTime;
    } else {
      const m = TRADITIONAL_STAMP.exec(raw);
      if (!m) return null;
      const month = MONTHS[m[1]];
      if (month === undefined) return null;
      time = yearlessTime(month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), this.referenceMs);
      this.lastStamp = raw.slice(0, 15);
      this.lastTime = time;
    }
    let i = 15;
    if (raw.charCodeAt(i) === 0x2e) {
      i++;
      while (i < raw.length && raw.charCodeAt(i) >= 0x30 && raw.charCodeAt(i) <= 0x39) i++;
    }
    if (raw.charCodeAt(i) !== 0x20) return null;
    return header(raw, time, i + 1);
  }
}

/** Month, day, h, m, s of "Dec  3 11:14:49" or "Dec 03 11:14:49". */
const TRADITIONAL_STAMP = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d)/;

/** "host program[pid]: text" from offset `start`; null when the line does not have that shape. */
function header(raw: string, time: number | null, start: number): LogRecord | null {
  const hostEnd = raw.indexOf(' ', start);
  if (hostEnd <= start) return null;
  const colon = raw.indexOf(': ', hostEnd + 1);
  if (colon < 0) return null;
  let progEnd = colon;
  let pid = 0;
  if (raw.charCodeAt(colon - 1) === 0x5d) {
    const open = raw.lastIndexOf('[', colon);
    if (open <= hostEnd) return null;
    pid = Number(raw.slice(open + 1, colon - 1));
    if (!Number.isInteger(pid)) return null;
    progEnd = open;
  }
  if (progEnd <= hostEnd + 1) return null;
  const program = raw.slice(hostEnd + 1, progEnd);
  if (program.includes(' ')) return null;
  const slash = program.lastIndexOf('/');
  return { raw, time, host: raw.slice(start, hostEnd), program, daemon: slash < 0 ? program : program.slice(slash + 1), pid, text: raw.slice(colon + 2) };
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
  return header(raw, time, m[0].length);
}
