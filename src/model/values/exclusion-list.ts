/**
 * Cipher exclusion lists (smtp[d]_tls_[mandatory_]exclude_ciphers, policy
 * `exclude=`). Postfix splits on whitespace, comma and colon and appends
 * ":!token" to the grade's cipher list for each token.
 */
import { COMMA_SPACE, q, splitTokens, type ValueDiagnostic, type ValueToken } from './types.js';
import { boundedMemo, freezeShallow } from '../../util/memo.js';

export interface ExclusionListResult {
  /** False when Postfix rejects the list (a token starting with ! + - @). */
  readonly ok: boolean;
  /** Every token, with its offset; name checks against OpenSSL happen elsewhere. */
  readonly tokens: readonly ValueToken[];
  readonly diagnostics: ValueDiagnostic[];
}

/** Characters OpenSSL's cipher-string parser accepts inside a name ("+" joins A+B). */
const OPENSSL_NAME = /^[A-Za-z0-9._=+-]*$/;

/** Pure, and asked for the same value by every prediction of a model: parsed once per value. */
const parseExclusionListCached = boundedMemo((value: string) => freezeShallow(parseUncached(value)), (value) => value, 256);

export function parseExclusionList(value: string, _version?: string): ExclusionListResult {
  return parseExclusionListCached(value);
}

function parseUncached(value: string): ExclusionListResult {
  const tokens = splitTokens(value, COMMA_SPACE + ':');
  const diagnostics: ValueDiagnostic[] = [];
  for (const t of tokens) {
    if ('!+-@'.includes(t.text[0])) {
      diagnostics.push({
        code: 'exclusion-unary',
        severity: 'error',
        message: `invalid unary '!+-@' in cipher exclusion: ${q(t.text)}. Exclusion lists take bare names (write ${q(t.text.replace(/^[!+\-@]+/, '') || 'aNULL')}); Postfix rejects the cipher list and every TLS session that uses it fails.`,
        token: t.text,
        offset: t.offset,
      });
      continue;
    }
    if (t.text.includes(';')) {
      const [first, ...rest] = t.text.split(';');
      diagnostics.push({
        code: 'exclusion-semicolon',
        severity: 'warning',
        message: `";" is not a Postfix separator, but OpenSSL splits on it: ${q(t.text)} becomes "!${first}" followed by ${rest.map((r) => q(r)).join(', ')}, which ADDS ${rest.length > 1 ? 'those ciphers' : 'that cipher'} back instead of excluding ${rest.length > 1 ? 'them' : 'it'}. Use "," or whitespace.`,
        token: t.text,
        offset: t.offset,
      });
      continue;
    }
    if (!OPENSSL_NAME.test(t.text)) {
      diagnostics.push({
        code: 'exclusion-bad-char',
        severity: 'error',
        message: `${q(t.text)} contains a character OpenSSL cannot parse in a cipher list${t.text.includes('#') ? ' ("#" after a value does not start a comment)' : ''}: setting the cipher list fails ("error setting cipher grade") and every TLS session that uses it fails.`,
        token: t.text,
        offset: t.offset,
      });
    }
  }
  return { ok: !diagnostics.some((d) => d.code === 'exclusion-unary'), tokens, diagnostics };
}
