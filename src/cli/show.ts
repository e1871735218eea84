/**
 * `show`: the effective configuration printed the way `postconf -c DIR [-x] [NAME...]`
 * prints it, so admins get a familiar, scriptable view.
 */
import type { ConfigModel } from '../model/config.js';
import { isPrintedByPostconfN, type MasterService } from '../model/catalogue/index.js';
import { displayText } from '../util/text.js';

export interface ShowResult {
  /** Lines for stdout (binary strings; the caller writes them as bytes). */
  readonly lines: string[];
  /** Warnings for stderr, in postconf's words. */
  readonly warnings: string[];
}

/** postconf prints "name =" (no trailing space) for an empty value. */
export function formatNameValue(name: string, value: string): string {
  return value === '' ? `${name} =` : `${name} = ${value}`;
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function show(
  model: ConfigModel,
  names: readonly string[],
  expand: boolean,
  masterServices: readonly MasterService[] = [],
): ShowResult {
  const lines: string[] = [];
  const warnings: string[] = [];
  const valueOf = (name: string): string => (expand ? model.expand(name).value : (model.raw(name) ?? ''));
  if (expand) {
    const targets = names.length > 0 ? names : [...model.definitions.keys()];
    const undefinedSeen = new Set<string>();
    for (const n of targets) {
      for (const d of model.expand(n).diagnostics) {
        if (d.code === 'undefined' && d.name && !undefinedSeen.has(d.name)) {
          undefinedSeen.add(d.name);
          warnings.push(`undefined parameter: ${d.name}`);
        } else if (d.code !== 'undefined') {
          warnings.push(`${n}: ${d.message}`);
        }
      }
    }
  }
  if (names.length > 0) {
    for (const name of names) {
      if (!model.isSet(name) && model.raw(name) === undefined) {
        warnings.push(`${displayText(name)}: unknown parameter`);
        continue;
      }
      lines.push(formatNameValue(name, valueOf(name)));
    }
    return { lines, warnings };
  }
  const fileParams = new Map<string, string>();
  for (const name of model.definitions.keys()) fileParams.set(name, model.raw(name) ?? '');
  const sorted = [...fileParams.keys()].sort(compareBytes);
  for (const name of sorted) {
    if (!isPrintedByPostconfN(name, fileParams, model.version, { masterServices })) {
      warnings.push(`${model.file.path}: unused parameter: ${displayText(name)}=${displayText(model.raw(name) ?? '')}`);
      continue;
    }
    lines.push(formatNameValue(name, valueOf(name)));
  }
  return { lines, warnings };
}
