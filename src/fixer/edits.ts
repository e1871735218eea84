/**
 * Builders for text edits on main.cf, in the file's own style: its line
 * ending, its spacing around '=', and no '#' comment after a value ever.
 */
import type { MainCfFile, ParamNode } from '../parser/main-cf.js';
import type { Edit } from '../engine/types.js';

/** The "name = value" separator this file uses most (" = " by default). */
export function separatorStyle(file: MainCfFile): string {
  const counts = new Map<string, number>();
  for (const p of file.params) {
    const between = file.text.slice(p.nameRange[1], p.valueRange[0]);
    if (between.includes('\n')) continue;
    const eq = between.indexOf('=');
    const sep = p.rawValue === '' ? between.slice(0, eq + 1) + ' ' : between;
    counts.set(sep, (counts.get(sep) ?? 0) + 1);
  }
  let best = ' = ';
  let bestN = 0;
  for (const [sep, n] of counts) if (n > bestN) [best, bestN] = [sep, n];
  return best;
}

/** Replace a definition's value (all of it, continuation lines included). */
export function replaceValue(file: MainCfFile, node: ParamNode, value: string): Edit {
  const text = file.text;
  if (node.rawValue !== '') return { range: node.valueRange, text: value };
  // "name =" or "name =   ": write " value" after '=' and drop the trailing blanks.
  let end = node.valueRange[0];
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return { range: [node.valueRange[0], end], text: value === '' ? '' : ' ' + value };
}

/** A new "name = value" line after the logical line of `after` (or at the end of the file). */
export function insertParam(file: MainCfFile, name: string, value: string, after?: ParamNode): Edit {
  const line = `${name}${separatorStyle(file)}${value}`;
  const at = after ? after.range[1] : file.text.length;
  const needsLeadingEol = at > 0 && file.text.charCodeAt(at - 1) !== 0x0a;
  // Keep a missing final newline missing: the new line becomes the unterminated last line.
  if (needsLeadingEol) return { range: [at, at], text: file.eol + line };
  if (at === file.text.length && !file.endsWithNewline) return { range: [at, at], text: line };
  return { range: [at, at], text: line + file.eol };
}

/** Remove a whole logical line, continuation lines included. */
export function removeParam(node: ParamNode): Edit {
  return { range: node.range, text: '' };
}

/** A whole-line comment placed above a definition (never after a value). */
export function insertCommentAbove(file: MainCfFile, node: ParamNode, comment: string): Edit {
  return { range: [node.range[0], node.range[0]], text: `# ${comment}${file.eol}` };
}

/** Set a parameter: replace the winning definition's value, or add a line next to a related parameter. */
export function setParam(file: MainCfFile, name: string, value: string, existing?: ParamNode, relatedNames: readonly string[] = []): Edit {
  if (existing) return replaceValue(file, existing, value);
  let anchor: ParamNode | undefined;
  for (const p of file.params) if (p.name === name || relatedNames.includes(p.name)) anchor = p;
  if (!anchor) {
    const prefix = name.includes('_') ? name.slice(0, name.indexOf('_') + 1) : name; // "smtp_tls_x" -> "smtp_"
    for (const p of file.params) if (p.name.startsWith(prefix) && p.name.includes('tls')) anchor = p;
  }
  return insertParam(file, name, value, anchor);
}
