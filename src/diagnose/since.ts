/**
 * `--since TIME`: the forms accepted, turned into milliseconds since the epoch. Pure.
 *
 *  - a duration back from now: 90s, 30m, 2h, 7d, 1w (optionally followed by " ago");
 *  - today, yesterday (local midnight);
 *  - an ISO 8601 date or date-time: 2024-12-03, 2024-12-03T11:00, 2024-12-03 11:00:00,
 *    with an optional zone (Z, +01:00, +0100); without a zone it is local time;
 *  - a syslog timestamp: "Dec 3 11:00" or "Dec  3 11:00:00" (the year as for log lines:
 *    the latest that is not more than a day in the future).
 */
import { yearlessTime } from './line.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export const SINCE_FORMS = 'a duration (30m, 2h, 7d, 1w), today, yesterday, an ISO 8601 date or date-time (2024-12-03, 2024-12-03T11:00, 2024-12-03 11:00:00+01:00) or a syslog time (Dec 3 11:00)';

export function parseSince(value: string, nowMs: number): number | null {
  const v = value.trim();
  const rel = /^(\d+)\s*([smhdw])(?:\s+ago)?$/i.exec(v);
  if (rel) return nowMs - Number(rel[1]) * UNIT_MS[rel[2].toLowerCase()];
  const lower = v.toLowerCase();
  if (lower === 'today' || lower === 'yesterday') {
    const d = new Date(nowMs);
    return new Date(d.getFullYear(), d.getMonth(), d.getDate() - (lower === 'yesterday' ? 1 : 0)).getTime();
  }
  const iso = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/i.exec(v);
  if (iso) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = iso;
    if (zone) {
      const z = zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase();
      const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${z}`);
      return Number.isNaN(t) ? null : t;
    }
    const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    // Reject 2024-02-31 and friends instead of rolling them over.
    if (date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
    return date.getTime();
  }
  const sys = /^([A-Za-z]{3})\s+(\d{1,2})\s+(\d\d):(\d\d)(?::(\d\d))?$/.exec(v);
  if (sys) {
    const month = MONTHS.indexOf(sys[1].toLowerCase());
    if (month < 0 || Number(sys[2]) < 1 || Number(sys[2]) > 31 || Number(sys[3]) > 23 || Number(sys[4]) > 59) return null;
    return yearlessTime(month, Number(sys[2]), Number(sys[3]), Number(sys[4]), Number(sys[5] ?? '0'), nowMs);
  }
  return null;
}
