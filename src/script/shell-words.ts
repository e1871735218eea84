/**
 * Just enough of the POSIX shell to find postconf commands: line
 * continuations, comments, quotes, $VAR / ${VAR} / $(...) expansions, and
 * the operators that separate commands. Every word keeps the source offsets
 * of its parts, so settings map back to the script. Pure.
 */

export type WordPart =
  /** Text as the command sees it; `literal` when it is the source bytes at [start, end) unchanged (no quotes or escapes inside). */
  | { readonly kind: 'text'; readonly text: string; readonly start: number; readonly end: number; readonly literal: boolean }
  /** A shell expansion whose value is unknown here. `name` for $NAME/${NAME}; `quoted`: inside double quotes. */
  | { readonly kind: 'expansion'; readonly source: string; readonly name: string | null; readonly fallback?: string; readonly start: number; readonly end: number; readonly quoted: boolean };

export interface Word {
  readonly parts: readonly WordPart[];
  readonly start: number;
  readonly end: number;
}

/** Simple commands, split at ; && || | & newlines and parentheses. */
export type Command = readonly Word[];

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t';
}

/** Offsets where "\<newline>" joins lines: skipped by the lexer (continuations). */
function isContinuation(src: string, i: number): number {
  if (src[i] !== '\\') return 0;
  if (src[i + 1] === '\n') return 2;
  if (src[i + 1] === '\r' && src[i + 2] === '\n') return 3;
  return 0;
}

const BRACED = /\$\{([A-Za-z_]\w*)(?::?[-=]([^}\n]*))?\}/y;
const SIMPLE = /\$([A-Za-z_]\w*|[0-9@*#?$!-])/y;

/** Scanning state of one shellCommands call: where a $( or ${ was found never to close (so later ones inside cannot either). */
interface Unclosed {
  from: number;
}

/** Read a $-expansion at i; returns its end and the part. */
function expansion(src: string, i: number, quoted: boolean, unclosed: Unclosed): { end: number; part: WordPart } | null {
  BRACED.lastIndex = i;
  let m = BRACED.exec(src);
  if (m) return { end: i + m[0].length, part: { kind: 'expansion', source: m[0], name: m[1], ...(m[2] !== undefined ? { fallback: m[2] } : {}), start: i, end: i + m[0].length, quoted } };
  SIMPLE.lastIndex = i;
  m = SIMPLE.exec(src);
  if (m) return { end: i + m[0].length, part: { kind: 'expansion', source: m[0], name: /^[A-Za-z_]/.test(m[1]) ? m[1] : null, start: i, end: i + m[0].length, quoted } };
  const open = src[i + 1];
  if ((open === '(' || open === '{') && i < unclosed.from) {
    const close = open === '(' ? ')' : '}';
    let depth = 0;
    for (let j = i + 1; j < src.length; j++) {
      if (src[j] === open) depth++;
      else if (src[j] === close && --depth === 0) {
        const end = src[i + 2] === '(' && src[j + 1] === ')' ? j + 2 : j + 1;
        return { end, part: { kind: 'expansion', source: src.slice(i, end), name: null, start: i, end, quoted } };
      }
    }
    unclosed.from = i;
  }
  return null;
}

export function shellCommands(src: string): Command[] {
  const commands: Command[] = [];
  const unclosed: Unclosed = { from: Infinity };
  let words: Word[] = [];
  let parts: WordPart[] = [];
  let wordStart = -1;
  const addText = (text: string, start: number, end: number, literal: boolean) => {
    if (wordStart < 0) wordStart = start;
    const last = parts[parts.length - 1];
    if (last && last.kind === 'text' && last.end === start && last.literal && literal) parts[parts.length - 1] = { kind: 'text', text: last.text + text, start: last.start, end, literal: true };
    else parts.push({ kind: 'text', text, start, end, literal });
  };
  const endWord = (at: number) => {
    if (wordStart >= 0) words.push({ parts, start: wordStart, end: at });
    parts = [];
    wordStart = -1;
  };
  const endCommand = (at: number) => {
    endWord(at);
    if (words.length > 0) commands.push(words);
    words = [];
  };
  let i = 0;
  while (i < src.length) {
    const cont = isContinuation(src, i);
    if (cont) {
      i += cont;
      continue;
    }
    const c = src[i];
    if (isSpace(c) || c === '\r') {
      endWord(i);
      i++;
      continue;
    }
    if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      endCommand(i);
      i++;
      continue;
    }
    if (c === '#' && wordStart < 0) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === "'") {
      if (wordStart < 0) wordStart = i;
      const close = src.indexOf("'", i + 1);
      const end = close === -1 ? src.length : close;
      addText(src.slice(i + 1, end), i + 1, end, true);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      if (wordStart < 0) wordStart = i;
      i++;
      let runStart = i;
      let run = '';
      const flush = (at: number, literal: boolean) => {
        if (run) addText(run, runStart, at, literal);
        run = '';
      };
      let runLiteral = true;
      while (i < src.length && src[i] !== '"') {
        const k = isContinuation(src, i);
        if (k) {
          flush(i, runLiteral);
          i += k;
          runStart = i;
          runLiteral = true;
          continue;
        }
        if (src[i] === '\\' && '$`"\\'.includes(src[i + 1])) {
          // An escape: the text differs from the source here.
          flush(i, runLiteral);
          addText(src[i + 1], i, i + 2, false);
          i += 2;
          runStart = i;
          runLiteral = true;
          continue;
        }
        if (src[i] === '$') {
          const e = expansion(src, i, true, unclosed);
          if (e) {
            flush(i, runLiteral);
            if (wordStart < 0) wordStart = i;
            parts.push(e.part);
            i = e.end;
            runStart = i;
            continue;
          }
        }
        if (src[i] === '`') {
          flush(i, runLiteral);
          const close = src.indexOf('`', i + 1);
          const end = close === -1 ? src.length : close + 1;
          parts.push({ kind: 'expansion', source: src.slice(i, end), name: null, start: i, end, quoted: true });
          i = end;
          runStart = i;
          continue;
        }
        run += src[i];
        i++;
      }
      flush(i, runLiteral);
      i++;
      continue;
    }
    if (c === '\\') {
      if (wordStart < 0) wordStart = i;
      addText(src[i + 1] ?? '', i, i + 2, false);
      i += 2;
      continue;
    }
    if (c === '$') {
      const e = expansion(src, i, false, unclosed);
      if (e) {
        if (wordStart < 0) wordStart = i;
        parts.push(e.part);
        i = e.end;
        continue;
      }
    }
    if (c === '`') {
      const close = src.indexOf('`', i + 1);
      const end = close === -1 ? src.length : close + 1;
      if (wordStart < 0) wordStart = i;
      parts.push({ kind: 'expansion', source: src.slice(i, end), name: null, start: i, end, quoted: false });
      i = end;
      continue;
    }
    addText(c, i, i + 1, true);
    i++;
  }
  endCommand(src.length);
  return commands;
}

/** The word's text when it has no expansion. */
export function wordText(w: Word): string | null {
  let s = '';
  for (const p of w.parts) {
    if (p.kind !== 'text') return null;
    s += p.text;
  }
  return s;
}

/** A word's parts from character `from` (of its text, expansions counting by their source) on, split at that point. */
export function sliceParts(parts: readonly WordPart[], from: number, to = Infinity): WordPart[] {
  const out: WordPart[] = [];
  let pos = 0;
  for (const p of parts) {
    const len = p.kind === 'text' ? p.text.length : p.source.length;
    const a = Math.max(from, pos);
    const b = Math.min(to, pos + len);
    if (a < b) {
      if (p.kind === 'text') {
        const text = p.text.slice(a - pos, b - pos);
        out.push(p.literal ? { kind: 'text', text, start: p.start + (a - pos), end: p.start + (b - pos), literal: true } : { ...p, text });
      } else if (a === pos && b === pos + len) out.push(p);
    }
    pos += len;
  }
  return out;
}

/** The text of a word for matching (expansions as their source). */
export function wordSource(w: Word | readonly WordPart[]): string {
  const parts = 'parts' in w ? w.parts : w;
  return parts.map((p) => (p.kind === 'text' ? p.text : p.source)).join('');
}
