/**
 * The one-line summary of a finding (stylish prints it; --verbose and JSON
 * `message` keep the full text). A rule may give a template per messageId in
 * `meta.summaries`; otherwise the summary is the message's first sentence,
 * shortened at a clause boundary when that sentence is long.
 */
import { interpolate } from './interpolate.js';
import type { RuleMeta } from './types.js';

/** Longer first sentences are cut at the first clause boundary (": " or "; ") after SHORTEST characters. */
export const SUMMARY_MAX = 160;
const SHORTEST = 30;

/** Offsets (outside parentheses and double quotes) where a sentence ends and where a clause ends. */
function boundaries(text: string): { sentence: number; clauses: number[] } {
  let depth = 0;
  let quoted = false;
  const clauses: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth > 0) continue;
    // ". " before a capital, quote, digit or "(" ends a sentence ("e.g. x" and "TLSv1.2 " do not).
    else if (c === '.' && /^\s+["'(A-Z0-9]/.test(text.slice(i + 1, i + 3)) && !/(?:^|\W)(?:e\.g|i\.e|etc|vs)$/.test(text.slice(Math.max(0, i - 4), i))) {
      return { sentence: i, clauses };
    } else if ((c === ':' || c === ';') && text[i + 1] === ' ') clauses.push(i);
  }
  return { sentence: text.length, clauses };
}

export function firstSentence(message: string): string {
  const { sentence, clauses } = boundaries(message);
  let s = message.slice(0, sentence).trim();
  if (s.length > SUMMARY_MAX) {
    const cut = clauses.find((c) => c >= SHORTEST && c < s.length);
    if (cut !== undefined) s = s.slice(0, cut);
  }
  return s.replace(/[.:;,]$/, '');
}

export function summarize(meta: Pick<RuleMeta, 'summaries'>, messageId: string, data: Readonly<Record<string, string | number>> | undefined, message: string): string {
  const template = meta.summaries?.[messageId];
  return template !== undefined ? interpolate(template, data) : firstSentence(message);
}
