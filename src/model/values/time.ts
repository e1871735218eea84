/**
 * Time parameters, as Postfix's conv_time() reads them: a decimal number
 * (strtol: leading space and sign allowed, result >= 0) and a lower-case unit
 * letter s, m, h, d or w; without a unit the parameter's default unit applies.
 * conv_time() looks only at the first character after the number: anything
 * after the unit letter is ignored ("5d # five days" is 5 days), while a
 * blank or another character there is a bad unit ("5 d" and "5 # x" are
 * fatal). Checked against postmap in test/values/time-oracle.test.ts.
 */
import { q, type ValueDiagnostic } from './types.js';

export type TimeUnit = 's' | 'm' | 'h' | 'd' | 'w';
const UNIT_SECONDS: Readonly<Record<TimeUnit, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const INT_MAX = 0x7fffffff;

export interface TimeOptions {
  /** Unit of a bare number (the parameter's default unit; usually "s"). */
  readonly defaultUnit?: TimeUnit;
  /** Inclusive limits in seconds that the daemon enforces (0/undefined = none). */
  readonly min?: number;
  readonly max?: number;
  readonly name?: string;
}

export interface TimeResult {
  readonly ok: boolean;
  readonly seconds: number | null;
  readonly diagnostics: ValueDiagnostic[];
}

export function parseTime(value: string, options: TimeOptions = {}): TimeResult {
  const name = options.name ?? 'parameter';
  const bad = (why: string): TimeResult => ({
    ok: false,
    seconds: null,
    diagnostics: [
      {
        code: 'time-invalid',
        severity: 'error',
        message: `bad time value or unit: ${name} = ${q(value).slice(1, -1)} (${why}); the daemon that reads it exits at start-up.`,
        token: value,
        offset: 0,
      },
    ],
  });
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)(.*)$/s.exec(value) as RegExpExecArray;
  const [, sign, digits, rest] = m;
  if (value === '') return bad('empty');
  // strtol() with no digits converts nothing; conv_time() then looks at the first char only.
  const numberText = digits === '' ? '' : sign + digits;
  const tail = digits === '' ? value : rest;
  const ignored = tail.slice(1);
  const n = numberText === '' ? 0 : Number(numberText);
  if (!Number.isSafeInteger(n) || n > INT_MAX || n < -INT_MAX - 1) return bad('number out of range');
  if (n < 0) return bad('negative');
  const unit = (tail === '' ? (options.defaultUnit ?? 's') : tail[0]) as TimeUnit;
  if (!(unit in UNIT_SECONDS)) return bad(`unknown unit ${q(unit)} right after the number; units are s, m, h, d, w (lower case)`);
  const factor = UNIT_SECONDS[unit];
  if (factor > 1 && n >= Math.floor(INT_MAX / factor)) return bad('value too large');
  const seconds = n === 0 ? 0 : n * factor;
  const diagnostics: ValueDiagnostic[] = [];
  if (ignored !== '') {
    diagnostics.push({
      code: 'time-trailing',
      severity: 'warning',
      message: `${q(ignored)} after the unit letter is ignored: Postfix reads ${q(value.slice(0, value.length - ignored.length).trim())}.`,
      token: ignored,
      offset: value.length - ignored.length,
    });
  }
  if (digits === '') {
    diagnostics.push({
      code: 'time-no-number',
      severity: 'warning',
      message: `${q(value)} has no number: Postfix reads it as 0.`,
      token: value,
      offset: 0,
    });
  }
  const outOfRange = (limit: string): TimeResult => ({
    ok: false,
    seconds: null,
    diagnostics: [
      ...diagnostics,
      { code: 'time-range', severity: 'error', message: `invalid ${name}: ${seconds} (${limit}); the daemon that reads it exits at start-up.`, token: value, offset: 0 },
    ],
  });
  if (options.min && seconds < options.min) return outOfRange(`min ${options.min}`);
  if (options.max && seconds > options.max) return outOfRange(`max ${options.max}`);
  return { ok: true, seconds, diagnostics };
}
