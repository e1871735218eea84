/**
 * `show`: the effective configuration printed the way `postconf -c DIR [-x] [NAME...]`
 * prints it, so admins get a familiar, scriptable view.
 */
import type { ConfigModel } from '../model/config.js';
import { isKnownParameterName, isLegacyParameter, isPrintedByPostconfN, isRawParameter, isReadOnlyParameter, releaseTable, type MasterService } from '../model/catalogue/index.js';
import { undefinedReferences } from '../model/catalogue/postconf-warnings.js';
import { displayText } from '../util/text.js';
import { foldWhitespace } from '../parser/main-cf.js';

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

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function show(
  model: ConfigModel,
  names: readonly string[],
  expand: boolean,
  masterServices: readonly MasterService[] = [],
  masterPath = 'master.cf',
): ShowResult {
  const warnings: string[] = [];
  const version = model.version;
  const fileParams = new Map<string, string>();
  // Values as the model sees them (a service's -o overrides win); a read-only assignment as written.
  for (const [name, defs] of model.definitions) fileParams.set(name, isReadOnlyParameter(name, version) ? defs[defs.length - 1].value : (model.raw(name) ?? ''));
  // $name in a master.cf -o value (not of a raw or read-only parameter) uses a main.cf name too.
  const masterOverrideValues = masterServices.flatMap((s) =>
    (s.overrides ?? []).filter((o) => !isRawParameter(o.name, version) && !isReadOnlyParameter(o.name, version)).map((o) => o.value),
  );
  const isPrinted = (name: string): boolean => isPrintedByPostconfN(name, fileParams, version, { masterServices, masterOverrideValues });
  // Computed while postconf starts, whatever the query (the default of myhostname, mynetworks...).
  const startupError = model.startupError();
  if (startupError) return { lines: [], warnings, fatal: startupError };
  // Read while postconf starts, whatever the query: read-only assignments, then $names nothing defines.
  for (const [name, value] of fileParams) {
    if (isReadOnlyParameter(name, version)) warnings.push(`${model.file.path}: read-only parameter assignment: ${displayText(name)}=${displayText(value)}`);
  }
  const computed = new Map<string, string>();
  for (const name of releaseTable(version)?.computed ?? []) {
    if (!model.isSet(name) && !isReadOnlyParameter(name, version)) computed.set(name, model.raw(name) ?? '');
  }
  for (const u of undefinedReferences(fileParams, version, masterServices, computed)) {
    warnings.push(`${u.source === 'main.cf' ? model.file.path : masterPath}: undefined parameter: ${displayText(u.name)}`);
  }

  const printed: string[] = [];
  if (names.length > 0) {
    for (const name of names) {
      // A user-defined name that nothing uses is "unknown" to postconf, even when the file sets it.
      const printable = isKnownParameterName(name, version) || (model.definitions.has(name) ? isPrinted(name) : model.raw(name) !== undefined);
      if (printable) printed.push(name);
      else warnings.push(`${displayText(name)}: unknown parameter`);
    }
  } else {
    for (const name of [...fileParams.keys()].sort(compareBytes)) {
      if (isPrinted(name)) printed.push(name);
      else if (!isReadOnlyParameter(name, version)) warnings.push(`${model.file.path}: unused parameter: ${displayText(name)}=${displayText(model.raw(name) ?? '')}`);
    }
  }

  // postconf expands the file values of built-in parameters while it starts (so a
  // macro error there is fatal even without -x), and with -x every value it prints.
  // (Legacy names are user-defined to postconf, read-only assignments are dropped.)
  const mustExpand = new Set<string>();
  for (const name of model.definitions.keys()) {
    if (isKnownParameterName(name, version) && !isLegacyParameter(name, version) && !isReadOnlyParameter(name, version)) mustExpand.add(name);
  }
  if (expand) for (const name of printed) mustExpand.add(name);
  for (const name of mustExpand) {
    if (isRawParameter(name, version)) continue; // never expanded by postconf
    const result = model.expand(name);
    for (const d of result.diagnostics) {
      // "undefined parameter" warnings come from the start-up scan above, not from expansion.
      if (d.code !== 'undefined') warnings.push(`${displayText(name)}: ${displayText(d.message)}`);
    }
    // Like postconf, stop at the first failure (and don't pay for the other bombs).
    if (!result.ok) return { lines: [], warnings, fatal: 'macro processing error' };
  }

  // postconf prints values with whitespace folded (a computed mynetworks ends with a space).
  const valueOf = (name: string): string =>
    expand && !isRawParameter(name, version) ? model.expand(name).value : foldWhitespace(model.raw(name) ?? '');
  return { lines: printed.map((name) => formatNameValue(name, valueOf(name))), warnings };
}
