/** Class "fixes say everything they do": the parameters a main.cf fix changes, that its description does not name. */
import { parseMainCf } from '../../src/parser/main-cf.js';
import { applyFixes } from '../../src/fixer/apply-edits.js';
import type { Fix } from '../../src/engine/types.js';

function definitions(text: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of parseMainCf(text, 'main.cf').params) m.set(p.name, [...(m.get(p.name) ?? []), p.value]);
  return m;
}

/** Names whose definitions (values, count) the fix changes but whose name the description leaves out. */
export function undescribedChanges(text: string, fix: Fix): string[] {
  const before = definitions(text);
  const after = definitions(applyFixes(text, [{ fix }]).output);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((n) => JSON.stringify(before.get(n)) !== JSON.stringify(after.get(n)));
  return changed.filter((n) => !new RegExp(`(^|[^a-z0-9_])${n}([^a-z0-9_]|$)`).test(fix.description));
}
