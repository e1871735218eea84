/**
 * envsubst templates: $NAME and ${NAME} are replaced from the environment.
 * A reference to a Postfix parameter ($myhostname) is what the author meant
 * Postfix to expand, so it stays Postfix text (envsubst without a variable
 * list would blank it: a mistake in the template, not a placeholder).
 */
import { fold, type Token } from './tokens.js';
import type { Control, SyntaxModule, TokenizeResult } from './control.js';
import type { PlaceholderInfo } from '../types.js';

export function envsubstModule(isPostfixName: (name: string) => boolean): SyntaxModule {
  const tokenize = (src: string): TokenizeResult => {
    const tokens: Token[] = [];
    const re = /\$(?:\{([A-Za-z_]\w*)(?:(:?[-=])([^}]*))?\}|([A-Za-z_]\w*))/g;
    let textStart = 0;
    for (let m = re.exec(src); m; m = re.exec(src)) {
      const name = m[1] ?? m[4];
      if (isPostfixName(name)) continue;
      if (m.index > textStart) tokens.push({ kind: 'text', start: textStart, end: m.index });
      tokens.push({ kind: 'output', start: m.index, end: m.index + m[0].length, code: m[0] });
      textStart = m.index + m[0].length;
    }
    if (src.length > textStart) tokens.push({ kind: 'text', start: textStart, end: src.length });
    return { tokens, problems: [] };
  };
  const placeholder = (code: string): PlaceholderInfo => {
    const m = /^\$\{?([A-Za-z_]\w*)(?::?[-=]([^}]*))?\}?$/.exec(code);
    const label = m ? m[1] : code;
    return { label, expr: fold(code), ...(m && m[2] !== undefined ? { fallback: m[2] } : {}) };
  };
  return {
    tokenize,
    classify: (): Control => ({ type: 'none' }),
    placeholder,
    atom: (cond) => ({ atom: cond, positive: true }),
    negate: (cond) => `not ${cond}`,
  };
}
