/** yes/no parameters, as Postfix's get_mail_conf_bool() reads them: ASCII case-insensitive, whole value. */
import { asciiLower, q, type ValueDiagnostic } from './types.js';

export interface BooleanResult {
  readonly ok: boolean;
  readonly value: boolean | null;
  readonly diagnostics: ValueDiagnostic[];
}

export function parseBoolean(value: string, _version?: string, name = 'parameter'): BooleanResult {
  const w = asciiLower(value);
  if (w === 'yes') return { ok: true, value: true, diagnostics: [] };
  if (w === 'no') return { ok: true, value: false, diagnostics: [] };
  return {
    ok: false,
    value: null,
    diagnostics: [
      {
        code: 'boolean-invalid',
        severity: 'error',
        message: `bad boolean configuration: ${name} = ${q(value).slice(1, -1)}: only "yes" or "no" is accepted${value.includes('#') ? ' ("#" after a value does not start a comment)' : ''}; every daemon that reads it exits at start-up and master(8) throttles the service.`,
        token: value,
        offset: 0,
      },
    ],
  };
}
