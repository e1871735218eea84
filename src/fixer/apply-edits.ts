/**
 * The one place edits are applied. Each fix's edits are merged into one
 * change; fixes that overlap an earlier one are skipped (and retried by the
 * fix loop in a later pass, on re-parsed text).
 */
import type { Edit, Fix } from '../engine/types.js';

export class OverlappingEditsError extends Error {}

/** Merge one fix's edits into a single edit spanning them (they must not overlap each other). */
export function mergeEdits(text: string, edits: readonly Edit[]): Edit {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].range[0] < sorted[i - 1].range[1]) throw new OverlappingEditsError('a fix contains overlapping edits');
  }
  const start = sorted[0].range[0];
  const end = sorted.reduce((max, e) => Math.max(max, e.range[1]), 0);
  let out = '';
  let pos = start;
  for (const e of sorted) {
    out += text.slice(pos, e.range[0]) + e.text;
    pos = Math.max(pos, e.range[1]);
  }
  out += text.slice(pos, end);
  return { range: [start, end], text: out };
}

export interface ApplyResult<T> {
  readonly output: string;
  readonly applied: readonly T[];
  /** Items whose fix overlapped an earlier one. */
  readonly skipped: readonly T[];
}

/** Apply the fixes of `items` (in range order) to `text`; overlapping ones are skipped. */
export function applyFixes<T extends { readonly fix?: Fix }>(text: string, items: readonly T[]): ApplyResult<T> {
  const merged = items
    .filter((it) => it.fix && it.fix.edits.length > 0)
    .map((item) => ({ item, edit: mergeEdits(text, item.fix!.edits) }))
    .sort((a, b) => a.edit.range[0] - b.edit.range[0] || a.edit.range[1] - b.edit.range[1]);
  const applied: T[] = [];
  const skipped: T[] = [];
  let out = '';
  let pos = 0;
  let lastEnd = -1;
  for (const { item, edit } of merged) {
    // Touching insertions at the same point would be ambiguous: only the first wins this pass.
    if (edit.range[0] < lastEnd || (edit.range[0] === lastEnd && applied.length > 0)) {
      skipped.push(item);
      continue;
    }
    out += text.slice(pos, edit.range[0]) + edit.text;
    pos = edit.range[1];
    lastEnd = edit.range[1];
    applied.push(item);
  }
  out += text.slice(pos);
  return { output: out, applied, skipped };
}
