/**
 * Integer parameters, as Postfix's get_mail_conf_int() reads them: strtol()
 * base 10 (leading space and sign allowed), the whole value consumed, within
 * int range; then the parameter's min/max limits.
 */
import { q, type ValueDiagnostic } from './types.js';

const INT_MAX = 0x7fffffff;
const INT_MIN = -INT_MAX - 1;

export interface IntegerOptions {
  /** Limits the daemon enforces; 0/undefined means none (as in Postfix). */
  readonly min?: number;
  readonly max?: number;
  readonly name?: string;
}

export interface IntegerResult {
  readonly ok: boolean;
  readonly value: number | null;
  readonly diagnostics: ValueDiagnostic[];
}

export function parseInteger(value: string, options: IntegerOptions = {}): IntegerResult {
  const name = options.name ?? 'parameter';
  const fail = (code: string, message: string): IntegerResult => ({
    ok: false,
    value: null,
    diagnostics: [{ code, severity: 'error', message, token: value, offset: 0 }],
  });
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!m || n > INT_MAX || n < INT_MIN) {
    return fail('integer-invalid', `bad numerical configuration: ${name} = ${q(value).slice(1, -1)}; the daemon that reads it exits at start-up.`);
  }
  if (options.min && n < options.min) {
    return fail('integer-range', `invalid ${name} parameter value ${n} < ${options.min}; the daemon that reads it exits at start-up.`);
  }
  if (options.max && n > options.max) {
    return fail('integer-range', `invalid ${name} parameter value ${n} > ${options.max}; the daemon that reads it exits at start-up.`);
  }
  return { ok: true, value: n, diagnostics: [] };
}
