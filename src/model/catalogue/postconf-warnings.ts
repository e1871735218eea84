/**
 * The "undefined parameter" warnings postconf prints while it registers user-defined
 * parameters (postconf_user.c: pcf_register_user_parameters), which it does for every
 * query except -d, with or without -x:
 *  - each master.cf service's `-o` values, then the defaults of the parameters main.cf leaves
 *    unset, then each main.cf value, is scanned for $name references the way mac_expand scans
 *    (every branch and operand); raw parameters and read-only assignments are skipped. Of the
 *    defaults only the computed ones can name an undefined parameter: myhostname is built from
 *    main.cf's mydomain after expansion, so `mydomain = x$$y` makes it "host.x$y";
 *  - each name in smtpd_restriction_classes (main.cf, expanded with main.cf values) counts
 *    as a reference;
 *  - a referenced name draws one warning per occurrence when it has no setting (main.cf, or
 *    for main.cf values also any service's -o; for -o values that service's -o) and is not a
 *    name postconf knows (built-in, legacy, read-only or per-service).
 * postconf walks main.cf in hash-table order (random per run); this returns file order.
 */
import { expandValue, referenceOccurrences } from '../../expand/expand.js';
import { isServiceParameterName, type MasterService } from './index.js';
import { releaseTable } from './release-table.js';

export interface UndefinedReference {
  /** Which file the value that refers to it is in. */
  readonly source: 'main.cf' | 'master.cf';
  readonly name: string;
}

/**
 * Each undefined name postconf warns about, once per occurrence. `fileParams`: main.cf settings
 * (last wins), in file order; `computedDefaults`: the values of the computed defaults main.cf
 * leaves unset (myhostname, mydomain, mynetworks), as the model computes them.
 */
export function undefinedReferences(
  fileParams: ReadonlyMap<string, string>,
  version: string,
  services: readonly MasterService[] = [],
  computedDefaults: ReadonlyMap<string, string> = new Map(),
): UndefinedReference[] {
  const table = releaseTable(version);
  const known = (n: string) => (table?.parameters.has(n) ?? false) || isServiceParameterName(n, services, version);
  const skipped = (n: string) => table !== undefined && (table.raw.has(n) || table.readOnly.has(n));
  const masterNames = new Set<string>();
  for (const s of services) for (const o of s.overrides ?? []) masterNames.add(o.name);
  const out: UndefinedReference[] = [];
  /** One name space: its settings, and which names count as having a value there. */
  const scan = (source: UndefinedReference['source'], settings: ReadonlyMap<string, string>, supplied: (n: string) => boolean) => {
    const flag = (n: string) => {
      if (!supplied(n) && !known(n)) out.push({ source, name: n });
    };
    const classes = settings.get('smtpd_restriction_classes');
    if (classes !== undefined) for (const c of restrictionClasses(classes, settings)) flag(c);
    for (const [name, value] of settings) {
      if (skipped(name)) continue;
      for (const n of referenceOccurrences(value)) flag(n);
    }
  };
  for (const s of services) {
    const local = new Map((s.overrides ?? []).map((o) => [o.name, o.value]));
    scan('master.cf', local, (n) => local.has(n) || fileParams.has(n));
  }
  const global = (n: string) => fileParams.has(n) || masterNames.has(n);
  for (const value of computedDefaults.values()) {
    for (const n of referenceOccurrences(value)) if (!global(n) && !known(n)) out.push({ source: 'main.cf', name: n });
  }
  scan('main.cf', fileParams, global);
  return out;
}

/** The class names of a smtpd_restriction_classes value, expanded with the settings of its own scope. */
function restrictionClasses(value: string, settings: ReadonlyMap<string, string>): string[] {
  return expandValue(value, (n) => settings.get(n)).value.split(/[\s,]+/).filter(Boolean);
}
