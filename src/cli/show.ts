/**
 * `show`: the effective configuration printed the way `postconf -c DIR [-x] [NAME...]`
 * prints it, so admins get a familiar, scriptable view.
 */
import type { ConfigModel } from '../model/config.js';
import { isKnownParameterName, isPrintedByPostconfN, type MasterService } from '../model/catalogue/index.js';
import { LEGACY_NAMES_3_7, RAW_PARAMETERS_3_7 } from '../model/catalogue/known-names-3.7.js';
import { displayText } from '../util/text.js';

export interface ShowResult {
  /** Lines for stdout (binary strings; the caller writes them as bytes). */
  readonly lines: string[];
  /** Warnings for stderr, in postconf's words. */
  readonly warnings: string[];
  /** Set when postconf would stop with a fatal error (then lines is empty). */
  readonly fatal?: string;
}

/** postconf prints "name =" (no trailing space) for an empty value. */
export function formatNameValue(name: string, value: string): string {
  return value === '' ? `${name} =` : `${name} = ${value}`;
}

/** postconf never expands these (they hold $name text for later, per-message use). */
const RAW_NAMES: ReadonlySet<string> = new Set(RAW_PARAMETERS_3_7);
/** Legacy names postconf treats like user-defined ones: not expanded at start-up. */
const LEGACY_NAMES: ReadonlySet<string> = new Set(LEGACY_NAMES_3_7);

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function show(
  model: ConfigModel,
  names: readonly string[],
  expand: boolean,
  masterServices: readonly MasterService[] = [],
): ShowResult {
  const warnings: string[] = [];
  const fileParams = new Map<string, string>();
  for (const name of model.definitions.keys()) fileParams.set(name, model.raw(name) ?? '');
  const isPrinted = (name: string): boolean => isPrintedByPostconfN(name, fileParams, model.version, { masterServices });

  const printed: string[] = [];
  if (names.length > 0) {
    for (const name of names) {
      // A user-defined name that nothing uses is "unknown" to postconf, even when the file sets it.
      const printable = model.definitions.has(name) ? isPrinted(name) : model.raw(name) !== undefined;
      if (printable) printed.push(name);
      else warnings.push(`${displayText(name)}: unknown parameter`);
    }
  } else {
    for (const name of [...fileParams.keys()].sort(compareBytes)) {
      if (isPrinted(name)) printed.push(name);
      else warnings.push(`${model.file.path}: unused parameter: ${displayText(name)}=${displayText(model.raw(name) ?? '')}`);
    }
  }

  // postconf expands the file values of built-in parameters while it starts (so a
  // macro error there is fatal even without -x), and with -x every value it prints.
  const mustExpand = new Set<string>();
  for (const name of model.definitions.keys()) {
    if (isKnownParameterName(name, model.version) && !LEGACY_NAMES.has(name)) mustExpand.add(name);
  }
  if (expand) for (const name of printed) mustExpand.add(name);
  const undefinedSeen = new Set<string>();
  for (const name of mustExpand) {
    if (RAW_NAMES.has(name)) continue; // never expanded by postconf
    const result = model.expand(name);
    for (const d of result.diagnostics) {
      if (d.code !== 'undefined') warnings.push(`${displayText(name)}: ${displayText(d.message)}`);
      else if (expand && d.name && !undefinedSeen.has(d.name)) {
        undefinedSeen.add(d.name);
        warnings.push(`undefined parameter: ${displayText(d.name)}`);
      }
    }
    // Like postconf, stop at the first failure (and don't pay for the other bombs).
    if (!result.ok) return { lines: [], warnings, fatal: 'macro processing error' };
  }

  const valueOf = (name: string): string =>
    expand && !RAW_NAMES.has(name) ? model.expand(name).value : (model.raw(name) ?? '');
  return { lines: printed.map((name) => formatNameValue(name, valueOf(name))), warnings };
}
