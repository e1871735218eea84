/**
 * Fix until stable: apply what the findings offer, re-parse and re-lint, and
 * repeat (bounded), so fixes skipped for overlapping get their turn.
 */
import type { Finding, FixKind } from '../engine/types.js';
import { applyFixes } from './apply-edits.js';
import { pushAll } from '../util/push-all.js';

export const MAX_FIX_PASSES = 10;

export interface FixLoopResult {
  readonly output: string;
  /** Findings whose fix was applied, in order of application. */
  readonly applied: readonly Finding[];
  /** Findings after the last pass. */
  readonly remaining: readonly Finding[];
  readonly passes: number;
}

export interface FixFilter {
  /** Fix kinds to apply; by default only 'safe'. */
  readonly kinds?: readonly FixKind[];
  /** Only fix these rules (default: all). */
  readonly ruleIds?: ReadonlySet<string>;
  /** Decides per finding (e.g. interactive confirmation); default accepts. */
  readonly accept?: (finding: Finding, text: string) => boolean;
}

/** Interactive fixing applies one fix per pass, so it may need many more passes. */
function passLimit(filter: FixFilter): number {
  return filter.accept ? MAX_FIX_PASSES * 50 : MAX_FIX_PASSES;
}

/** The first candidate the user accepts (declined ones are recorded); [] when none is. */
function firstAccepted(candidates: readonly Finding[], textFor: (f: Finding) => string, accept: (f: Finding, text: string) => boolean, decline: (f: Finding) => void): Finding[] {
  for (const f of candidates) {
    if (accept(f, textFor(f))) return [f];
    decline(f);
  }
  return [];
}

export function fixUntilStable(text: string, lint: (text: string) => readonly Finding[], filter: FixFilter = {}): FixLoopResult {
  const kinds = filter.kinds ?? ['safe'];
  const applied: Finding[] = [];
  const declined = new Set<string>();
  let current = text;
  let findings = lint(current);
  let passes = 0;
  while (passes < passLimit(filter)) {
    const key = (f: Finding) => `${f.ruleId}\0${f.messageId}\0${f.parameter}\0${f.fix?.description}`;
    const candidates = findings.filter(
      (f) =>
        f.fix &&
        (!f.fix.file || f.fix.file === f.file) &&
        kinds.includes(f.fix.kind) &&
        (!filter.ruleIds || filter.ruleIds.has(f.ruleId)) &&
        !declined.has(key(f)),
    );
    const accepted = filter.accept ? firstAccepted(candidates, () => current, filter.accept, (f) => declined.add(key(f))) : candidates;
    if (accepted.length === 0) break;
    const result = applyFixes(current, accepted);
    if (result.output === current) break;
    passes++;
    pushAll(applied, result.applied);
    current = result.output;
    findings = lint(current);
  }
  return { output: current, applied, remaining: findings, passes };
}

export interface MultiFileFixResult {
  /** Text of every file after fixing, by path; files created by a fix are included. */
  readonly outputs: ReadonlyMap<string, string>;
  /** Paths that did not exist before (a fix created them). */
  readonly created: ReadonlySet<string>;
  /** Findings whose fix was applied, in order of application. */
  readonly applied: readonly Finding[];
  readonly remaining: readonly Finding[];
  readonly passes: number;
}

/** The file a finding's fix edits: its own `file`, else the finding's. */
export function fixTarget(f: Finding): string {
  return f.fix?.file ?? f.file;
}

/**
 * Fix until stable over a set of files (main.cf, master.cf, policy tables):
 * each fix edits the file it names (or the finding's file); a fix for a path
 * that is not in `texts` creates that file (its edits apply to empty text).
 */
export function fixFilesUntilStable(
  texts: ReadonlyMap<string, string>,
  lint: (texts: ReadonlyMap<string, string>) => readonly Finding[],
  filter: FixFilter = {},
): MultiFileFixResult {
  const kinds = filter.kinds ?? ['safe'];
  const applied: Finding[] = [];
  const declined = new Set<string>();
  const current = new Map(texts);
  const created = new Set<string>();
  let findings = lint(current);
  let passes = 0;
  const key = (f: Finding) => `${f.ruleId}\0${f.messageId}\0${f.parameter}\0${f.file}\0${f.fix?.description}`;
  while (passes < passLimit(filter)) {
    const candidates = findings.filter(
      (f) => f.fix && f.fix.edits.length > 0 && kinds.includes(f.fix.kind) && (!filter.ruleIds || filter.ruleIds.has(f.ruleId)) && !declined.has(key(f)),
    );
    // Asking: one fix at a time, each shown against the text after the fixes already accepted.
    const accepted = filter.accept ? firstAccepted(candidates, (f) => current.get(fixTarget(f)) ?? '', filter.accept, (f) => declined.add(key(f))) : candidates;
    if (accepted.length === 0) break;
    const byFile = new Map<string, Finding[]>();
    for (const f of accepted) {
      const list = byFile.get(fixTarget(f));
      if (list) list.push(f);
      else byFile.set(fixTarget(f), [f]);
    }
    let changed = false;
    for (const [file, group] of byFile) {
      const before = current.get(file);
      const result = applyFixes(before ?? '', group);
      if (before === undefined) created.add(file);
      if (result.output !== before) {
        current.set(file, result.output);
        changed = true;
        pushAll(applied, result.applied);
      }
    }
    if (!changed) break;
    passes++;
    findings = lint(current);
  }
  return { outputs: current, created, applied, remaining: findings, passes };
}
