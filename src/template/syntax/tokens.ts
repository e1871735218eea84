/** Tokens every template tokenizer produces, and the whitespace-control helpers they share. */

export type Token =
  | {
      readonly kind: 'text';
      start: number;
      end: number;
      /** Rendered text when it differs from the source (an escape such as ERB `<%%`). */
      readonly text?: string;
    }
  | {
      readonly kind: 'output' | 'statement' | 'comment';
      readonly start: number;
      readonly end: number;
      /** The code between the delimiters, without whitespace-control marks, trimmed. */
      readonly code: string;
    };

export type TagToken = Extract<Token, { kind: 'output' | 'statement' | 'comment' }>;

export function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

/** Drop whitespace (newlines included) at the end of the text token before index i. */
export function trimBefore(tokens: Token[], i: number, src: string, newlines = true): void {
  const t = tokens[i - 1];
  if (!t || t.kind !== 'text' || t.text !== undefined) return;
  while (t.end > t.start && (newlines ? isBlank(src[t.end - 1]) : src[t.end - 1] === ' ' || src[t.end - 1] === '\t')) t.end--;
}

/** Drop whitespace (newlines included) at the start of the text token after index i. */
export function trimAfter(tokens: Token[], i: number, src: string): void {
  const t = tokens[i + 1];
  if (!t || t.kind !== 'text' || t.text !== undefined) return;
  while (t.start < t.end && isBlank(src[t.start])) t.start++;
}

/** Drop one line break right after the tag at index i (ERB/EPP "-%>", Jinja trim_blocks). */
export function dropNewlineAfter(tokens: Token[], i: number, src: string): void {
  const t = tokens[i + 1];
  if (!t || t.kind !== 'text' || t.text !== undefined) return;
  if (src[t.start] === '\n') t.start++;
  else if (src[t.start] === '\r' && src[t.start + 1] === '\n') t.start += 2;
}

/** Whether only spaces and tabs precede the tag at `tagStart` on its line. */
export function onlyIndentBefore(src: string, tagStart: number): number {
  let p = tagStart;
  while (p > 0 && (src[p - 1] === ' ' || src[p - 1] === '\t')) p--;
  return p === 0 || src[p - 1] === '\n' ? p : -1;
}

/** Drop spaces and tabs between the start of the line and the tag at index i, when only they precede it. */
export function dropIndentBefore(tokens: Token[], i: number, src: string): boolean {
  const lineStart = onlyIndentBefore(src, tokens[i].start);
  if (lineStart < 0) return false;
  const t = tokens[i - 1];
  if (t && t.kind === 'text' && t.text === undefined) t.end = Math.max(t.start, Math.min(t.end, lineStart));
  return true;
}

/** Whether only spaces and tabs follow the tag ending at `tagEnd` up to the end of its line. */
export function onlySpaceAfter(src: string, tagEnd: number): boolean {
  let p = tagEnd;
  while (p < src.length && (src[p] === ' ' || src[p] === '\t' || src[p] === '\r')) p++;
  return p === src.length || src[p] === '\n';
}

/**
 * End of a tag: the first `close` after `from` outside string literals.
 * Returns -1 when the tag is not closed.
 */
export function findClose(src: string, from: number, close: string, quotes = `'"`): number {
  let q = '';
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (q) {
      if (c === '\\' && q !== '`') i++;
      else if (c === q) q = '';
      continue;
    }
    if (quotes.includes(c)) {
      q = c;
      continue;
    }
    if (src.startsWith(close, i)) return i;
  }
  // An unbalanced quote inside the tag: fall back to the plain first close.
  return src.indexOf(close, from);
}

/** Whitespace runs folded, for condition and expression text shown in messages. */
export function fold(code: string): string {
  return code.replace(/\s+/g, ' ').trim();
}

/** Collects text and tag tokens in order, with per-token whitespace-control marks (M). */
export class TokenBuilder<M> {
  readonly tokens: Token[] = [];
  readonly marks: M[] = [];
  private textStart = 0;
  constructor(
    private readonly src: string,
    private readonly plain: M,
  ) {}

  /** Text up to `end` (from the end of the last tag). */
  text(end: number): void {
    if (end > this.textStart) {
      this.tokens.push({ kind: 'text', start: this.textStart, end });
      this.marks.push(this.plain);
    }
    this.textStart = Math.max(this.textStart, end);
  }

  /** A tag (or an escape rendered as `token.text`) after the text before it; text resumes at its end. */
  add(token: Token, mark: M = this.plain): void {
    this.text(token.start);
    this.tokens.push(token);
    this.marks.push(mark);
    this.textStart = token.end;
  }

  /** The rest of the source as text; the tokens and their marks. */
  finish(): { tokens: Token[]; marks: M[] } {
    this.text(this.src.length);
    return { tokens: this.tokens, marks: this.marks };
  }
}
