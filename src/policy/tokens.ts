/** Postfix's tokenizers for lookup-table lists and policy values (mystrtokq with "{}"). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** ", \t\r\n": what separates tables in a maps list and attributes in a policy. */
export const COMMA_SP = ', \t\r\n';

/**
 * mystrtokq(): split on any of `seps`, but not inside balanced "{...}"; an
 * unbalanced "{" runs to the end. `unbalanced` is set on such a token.
 */
export function splitBraced(text: string, seps = COMMA_SP): (Span & { unbalanced: boolean })[] {
  const out: (Span & { unbalanced: boolean })[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && seps.includes(text[i])) i++;
    if (i >= n) break;
    const start = i;
    let level = 0;
    for (; i < n; i++) {
      const c = text[i];
      if (c === '{') level++;
      else if (level > 0 && c === '}') level--;
      else if (level === 0 && seps.includes(c)) break;
    }
    out.push({ start, end: i, unbalanced: level > 0 });
  }
  return out;
}
