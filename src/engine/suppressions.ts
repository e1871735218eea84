/**
 * Inline suppressions, applied after the rules ran (pure post-processing).
 *
 *   # postfix-tls-lint disable-next-line RULE[, RULE] -- reason
 *   # postfix-tls-lint disable RULE[, RULE] -- reason
 *
 * Directives are whole-line comments only: in main.cf a "#" after a value is
 * part of the value, so a trailing directive would change the setting.
 * `disable-next-line` covers the next line that is not a comment (like
 * ESLint, comment lines in between are skipped; a blank line is not skipped,
 * so a directive separated from its parameter by a blank line covers
 * nothing). It covers every physical line of that logical line (continuation
 * lines included). `disable` covers the whole file, wherever it stands.
 *
 * The API is file-generic: it takes a file's lines (comment text or not), so
 * master.cf and lookup tables can use the same directives.
 */
import type { Finding, RuleMeta, Severity } from './types.js';
import type { MainCfFile } from '../parser/main-cf.js';
import { interpolate } from './interpolate.js';
import { summarize } from './summary.js';
import { pushAll } from '../util/push-all.js';

export const DIRECTIVE_PREFIX = 'postfix-tls-lint';
export const SUPPRESSION_RULE_ID = 'suppression-comment';

/** Metadata of the pseudo-rule under which problems with directives are reported. */
export const SUPPRESSION_RULE_META: RuleMeta = {
  id: SUPPRESSION_RULE_ID,
  category: 'correctness',
  defaultSeverity: 'warning',
  description: 'Checks "# postfix-tls-lint disable…" comments: known rule ids, a reason, and (with --report-unused-disables) that they suppress something.',
  why: 'A suppression hides a finding from every later reader. The reason after " -- " tells them why it is safe; a misspelt rule id would silently suppress nothing; a stale suppression would silently hide a future problem.',
  parameters: [],
  fixable: false,
  messages: {
    missingReason: 'suppression of {{rules}} has no reason: add " -- why this is safe" after the rule ids',
    unknownRule: 'suppression names an unknown rule "{{rule}}"{{suggestion}}; it suppresses nothing',
    noRules: 'suppression names no rule: write "# postfix-tls-lint {{kind}} RULE[, RULE] -- reason"',
    unknownDirective: 'unknown directive "{{word}}": use "disable-next-line" or "disable"',
    unused: 'unused suppression: {{rule}} reported nothing {{scope}}; remove it',
  },
  references: [{ title: 'docs/ci.md: Suppressions', url: 'https://github.com/postfix-tls-lint/postfix-tls-lint/blob/main/docs/ci.md#suppressions' }],
};

/** One line (logical line for multi-line entries) of a linted file. */
export interface SourceLine {
  readonly line: number;
  readonly endLine: number;
  /** Text after "#" of a whole-line comment; null for anything else. */
  readonly comment: string | null;
  readonly blank?: boolean;
}

export type DirectiveKind = 'disable-next-line' | 'disable';

export interface Directive {
  readonly kind: DirectiveKind;
  readonly line: number;
  readonly rules: readonly string[];
  readonly reason: string | null;
  /** Lines covered by disable-next-line ([start, end], inclusive); null: nothing follows. */
  readonly target: readonly [number, number] | null;
}

export interface SuppressedFinding {
  readonly finding: Finding;
  readonly directive: Directive;
}

export interface SuppressionOptions {
  /** Rule ids that exist; other ids in a directive get a warning. */
  readonly knownRuleIds: ReadonlySet<string>;
  /** Report directives (per rule id) that suppressed nothing. */
  readonly reportUnused?: boolean;
  /** Severity of directive problems (default warning). */
  readonly severity?: Severity;
}

export interface SuppressionResult {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  readonly directives: Directive[];
}

/** The file's lines as the suppression code needs them. */
export function sourceLinesOfMainCf(file: Pick<MainCfFile, 'nodes'>): SourceLine[] {
  return file.nodes.map((n) => ({
    line: n.line,
    endLine: n.endLine,
    comment: n.kind === 'comment' ? n.text : null,
    blank: n.kind === 'blank',
  }));
}

/**
 * The lines of any Postfix-style file (main.cf, master.cf, lookup tables):
 * a line whose first non-blank character is "#" is a comment, a line that
 * starts with whitespace continues the previous logical line, as in
 * Postfix's readllines(). Works on binary strings; CRLF tolerated.
 */
export function sourceLinesOfText(text: string): SourceLine[] {
  const out: { line: number; endLine: number; comment: string | null; blank: boolean }[] = [];
  const physical = text.split('\n');
  if (physical.length > 0 && physical[physical.length - 1] === '') physical.pop(); // final newline
  let lastLogical: { endLine: number } | null = null;
  physical.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.replace(/^[ \t\v\f]+/, '');
    if (trimmed === '') {
      out.push({ line: lineNo, endLine: lineNo, comment: null, blank: true });
      return;
    }
    if (trimmed.startsWith('#')) {
      out.push({ line: lineNo, endLine: lineNo, comment: trimmed.slice(1), blank: false });
      return;
    }
    if (trimmed !== line && lastLogical) {
      lastLogical.endLine = lineNo; // continuation line
      return;
    }
    const entry = { line: lineNo, endLine: lineNo, comment: null, blank: false };
    out.push(entry);
    lastLogical = entry;
  });
  return out;
}

type ParsedComment =
  | { readonly ok: true; readonly kind: DirectiveKind; readonly rules: string[]; readonly reason: string | null }
  | { readonly ok: false; readonly messageId: 'noRules' | 'unknownDirective'; readonly data: Record<string, string> }
  | null;

/** Parse one comment's text (after "#"); null when it is no directive at all. */
export function parseDirective(comment: string): ParsedComment {
  const text = comment.trim();
  if (!text.startsWith(DIRECTIVE_PREFIX)) return null;
  const after = text.slice(DIRECTIVE_PREFIX.length);
  if (after !== '' && !/^[ \t]/.test(after)) return null; // e.g. "postfix-tls-linter", not ours
  const body = after.trim();
  const sep = body.search(/(^|[ \t])--([ \t]|$)/);
  const head = sep === -1 ? body : body.slice(0, sep);
  const reasonText = sep === -1 ? null : body.slice(sep).replace(/^[ \t]*--/, '').trim();
  const word = head.split(/[ \t]+/)[0] ?? '';
  if (word !== 'disable-next-line' && word !== 'disable') {
    return { ok: false, messageId: 'unknownDirective', data: { word: word || '(none)' } };
  }
  const rules = head
    .slice(word.length)
    .split(/[ \t]*,[ \t]*|[ \t]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (rules.length === 0) return { ok: false, messageId: 'noRules', data: { kind: word } };
  return { ok: true, kind: word, rules, reason: reasonText ? reasonText : null };
}

/** The lines a disable-next-line at index i covers. */
function targetAfter(lines: readonly SourceLine[], i: number): readonly [number, number] | null {
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j];
    if (l.comment !== null) continue;
    if (l.blank) return null;
    return [l.line, l.endLine];
  }
  return null;
}

function closest(id: string, known: ReadonlySet<string>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(id, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(id.length / 4)) ? best : null;
}

/** Levenshtein distance (short ids only). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

export function didYouMean(id: string, known: ReadonlySet<string>): string | null {
  return closest(id, known);
}

/**
 * Remove the findings of `file` that a directive covers; add findings about
 * the directives themselves. Findings of other files pass through.
 */
export function applySuppressions(
  findings: readonly Finding[],
  file: string,
  lines: readonly SourceLine[],
  options: SuppressionOptions,
): SuppressionResult {
  const severity = options.severity ?? 'warning';
  const problems: Finding[] = [];
  const directives: Directive[] = [];
  const meta = SUPPRESSION_RULE_META;
  const problem = (line: number, messageId: keyof typeof meta.messages & string, data: Record<string, string>): Finding => ({
    ruleId: meta.id,
    severity,
    category: meta.category,
    messageId,
    data,
    message: interpolate(meta.messages[messageId], data),
    summary: summarize(meta, messageId, data, interpolate(meta.messages[messageId], data)),
    parameter: null,
    range: [0, 0],
    file,
    line,
    column: 1,
    endLine: line,
    endColumn: 1,
    related: [],
  });

  lines.forEach((l, i) => {
    if (l.comment === null) return;
    const parsed = parseDirective(l.comment);
    if (parsed === null) return;
    if (!parsed.ok) {
      problems.push(problem(l.line, parsed.messageId, parsed.data));
      return;
    }
    const known: string[] = [];
    for (const rule of parsed.rules) {
      if (options.knownRuleIds.has(rule)) {
        known.push(rule);
      } else {
        const guess = closest(rule, options.knownRuleIds);
        problems.push(problem(l.line, 'unknownRule', { rule, suggestion: guess ? ` (did you mean ${guess}?)` : '' }));
      }
    }
    if (parsed.reason === null) problems.push(problem(l.line, 'missingReason', { rules: parsed.rules.join(', ') }));
    directives.push({
      kind: parsed.kind,
      line: l.line,
      rules: known,
      reason: parsed.reason,
      target: parsed.kind === 'disable-next-line' ? targetAfter(lines, i) : null,
    });
  });

  const used = new Set<string>(); // `${directive.line}:${rule}`
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const d = f.file === file ? directives.find((x) => covers(x, f)) : undefined;
    if (d) {
      used.add(`${d.line}:${f.ruleId}`);
      suppressed.push({ finding: f, directive: d });
    } else {
      kept.push(f);
    }
  }
  if (options.reportUnused) {
    for (const d of directives) {
      for (const rule of d.rules) {
        if (used.has(`${d.line}:${rule}`)) continue;
        const scope = d.kind === 'disable' ? 'in this file' : d.target ? (d.target[0] === d.target[1] ? `on line ${d.target[0]}` : `on lines ${d.target[0]}-${d.target[1]}`) : 'on the next line (there is none: blank line or end of file)';
        problems.push(problem(d.line, 'unused', { rule, scope }));
      }
    }
  }
  // Keep files in their order of appearance; within a file, by position.
  const fileOrder = new Map<string, number>();
  for (const f of [...kept, ...problems]) if (!fileOrder.has(f.file)) fileOrder.set(f.file, fileOrder.size);
  const all = [...kept, ...problems].sort(
    (a, b) => (fileOrder.get(a.file) as number) - (fileOrder.get(b.file) as number) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId),
  );
  return { findings: all, suppressed, directives };
}

/**
 * Apply the directives of every file in `texts` (shown path -> text) to the
 * findings of that file. Files not in `texts` keep their findings.
 */
export function applySuppressionsToFiles(
  findings: readonly Finding[],
  texts: ReadonlyMap<string, string>,
  options: SuppressionOptions,
): SuppressionResult {
  let current: Finding[] = [...findings];
  const suppressed: SuppressedFinding[] = [];
  const directives: Directive[] = [];
  for (const [file, text] of texts) {
    if (!text.includes(DIRECTIVE_PREFIX)) continue; // fast path: no directive in this file
    const r = applySuppressions(current, file, sourceLinesOfText(text), options);
    current = r.findings;
    pushAll(suppressed, r.suppressed);
    pushAll(directives, r.directives);
  }
  return { findings: current, suppressed, directives };
}

function covers(d: Directive, f: Finding): boolean {
  if (!d.rules.includes(f.ruleId)) return false;
  if (d.kind === 'disable') return true;
  return d.target !== null && f.line >= d.target[0] && f.line <= d.target[1];
}
