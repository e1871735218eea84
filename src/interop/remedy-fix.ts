/** Text edits for a checked main.cf remedy (src/interop/remedy.ts), written in the file's own style. */
import type { ConfigModel } from '../model/config.js';
import type { Edit } from '../engine/types.js';
import { removeParam, setParam } from '../fixer/edits.js';
import type { MainChange } from './remedy.js';

/** The value text without one token and the separator that tied it to its neighbour. */
export function withoutToken(value: string, token: string): string | null {
  const re = new RegExp(`(^|[\\s,:]+)${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[\\s,:])`);
  const m = re.exec(value);
  if (!m) return null;
  const start = m.index;
  const end = m.index + m[0].length;
  // The first token: drop the separator after it instead.
  if (m[1] === '') return value.slice(end).replace(/^[\s,:]+/, '');
  return value.slice(0, start) + value.slice(end);
}

/** Edits that make the changes in main.cf, or null when a value is not written literally there. */
export function remedyEdits(model: ConfigModel, changes: readonly MainChange[]): Edit[] | null {
  const edits: Edit[] = [];
  const byParam = new Map<string, MainChange[]>();
  for (const c of changes) byParam.set(c.param, [...(byParam.get(c.param) ?? []), c]);
  for (const [param, cs] of byParam) {
    const node = model.definition(param);
    if (model.resolve(param)?.source === 'override') return null;
    if (cs.some((c) => c.token !== undefined)) {
      if (!node || node.rawValue.includes('$') || node.innerSkippedLines.length > 0) return null;
      let text: string | null = model.file.text.slice(node.valueRange[0], node.valueRange[1]);
      for (const c of cs) text = text === null ? null : withoutToken(text, c.token!);
      if (text === null) return null;
      edits.push(text.trim() === '' ? removeParam(node) : { range: node.valueRange, text: text.trim() });
    } else {
      if (node && node.rawValue.includes('$')) return null;
      edits.push(setParam(model.file, param, cs[cs.length - 1].value, node));
    }
  }
  return edits;
}
