/**
 * Lookups over the parameter catalogues, plus emulation of postconf's "known / unused
 * parameter" decision (what `postconf -n` prints). Two catalogues: the generated table of
 * every parameter of every release with its postconf type and default (release-table.ts,
 * from real builds), and the hand-written TLS catalogue (parameters.ts: value types, enums,
 * deprecations, summaries) that rules use.
 *
 * How postconf 3.7 decides that a main.cf name is used (postconf_user.c,
 * postconf_service.c, postconf_dbms.c; checked by experiment with `postconf -c DIR -n`):
 *  1. Built-in names (everything `postconf -d` lists with an empty master.cf) are known.
 *  2. "Legacy" names (postconf's pcf_legacy_str_table: virtual_maps, tlsproxy_client_level...)
 *     are known too. Read-only names (process_name, process_id) are dropped from main.cf
 *     with a "read-only parameter assignment" warning instead.
 *  3. Service names: for each master.cf service whose command is local, error, virtual, smtp or
 *     lmtp, `<service>_<suffix>` is known for the queue-manager suffixes (recipient_limit,
 *     destination_concurrency_limit, …, transport_rate_delay from 3.5); pipe adds
 *     `<service>_time_limit`; spawn has only `<service>_time_limit`. Other daemons (smtpd,
 *     tlsproxy…) add nothing, so `<service>_tls_*` or `smtps_tls_wrappermode` are NOT known.
 *  4. A user-defined name is used when it has a main.cf entry AND either appears in the
 *     (expanded) smtpd_restriction_classes list, or is referenced as $name, ${name…} or
 *     $(name) in any main.cf value (even the value of an unused parameter) or in a master.cf
 *     `-o` value. `$$name` is a literal, not a reference. Values of "raw" parameters
 *     (mailbox_command, forward_path, smtpd_reject_footer, …) are not scanned.
 *  5. Legacy DBMS names: for `ldap:NAME`, `mysql:NAME`, `pgsql:NAME`, `sqlite:NAME`,
 *     `memcache:NAME` (`mongodb:NAME` from 3.9), after skipping `proxy:` and when NAME is not a
 *     path, `NAME_<suffix>` is used. postconf only accepts the documented suffixes of each
 *     client; this model accepts any suffix (approximation).
 * Everything else draws "unused parameter: name=value" and is not printed by `postconf -n`.
 * `postconf -c DIR -n` also prints `config_directory = DIR`, which is not modelled here.
 */
import type { ParameterSpec } from './types.js';
import { PARAMETERS } from './parameters.js';
import { compareVersions, parseVersion } from '../version.js';
import { documentedSince, releaseTable, type PostconfType } from './release-table.js';

export type { ParameterSpec, DefaultSpan, ValueType } from './types.js';
export type { PostconfType, ReleaseTable } from './release-table.js';
export { PARAMETERS } from './parameters.js';
export { releaseFor, releaseTable } from './release-table.js';

let byName: Map<string, ParameterSpec> | undefined;
function catalogue(): Map<string, ParameterSpec> {
  if (!byName) byName = new Map(PARAMETERS.map((s) => [s.name, s]));
  return byName;
}

/** The TLS catalogue entry (value type, enums, deprecation, summary) of a parameter. */
export function getParameter(name: string): ParameterSpec | undefined {
  return catalogue().get(name);
}

/** Every catalogue name (TLS parameters and the helpers the linter needs), catalogue order. */
export function catalogueNames(): string[] {
  return PARAMETERS.map((s) => s.name);
}

/** Catalogue names containing "tls"; with a version, only those that exist in that release. */
export function tlsParameterNames(version?: string): string[] {
  return PARAMETERS.filter((s) => /tls/i.test(s.name) && (version === undefined || existsIn(s.name, version))).map((s) => s.name);
}

/**
 * The `postconf -d` text of any parameter in a release ("3.7" = latest 3.7 patch, or "3.7.11"),
 * from the generated all-parameter table. Legacy names (virtual_maps...) have "". Defaults that
 * postconf computes (myhostname, mydomain, mynetworks, process_name, process_id) are "" here:
 * ConfigModel computes them from its environment. Undefined when the parameter does not exist
 * there, or the release predates the table (2.11.0).
 */
export function defaultFor(name: string, version: string): string | undefined {
  return releaseTable(version)?.parameters.get(name)?.value;
}

/** postconf's type of a parameter in a release (bool, int, time, str, raw, ...). */
export function postconfType(name: string, version: string): PostconfType | undefined {
  return releaseTable(version)?.parameters.get(name)?.type;
}

/** When the name is documented to exist from (catalogue `since`, else postconf.5). */
function sinceOf(name: string): string | undefined {
  return getParameter(name)?.since ?? documentedSince(name);
}

/**
 * Whether a parameter is a built-in of a release (legacy aliases are not). Before the table's
 * oldest release (2.11.0) only the documented `since` is consulted.
 */
export function existsIn(name: string, version: string): boolean {
  const table = releaseTable(version);
  if (table) {
    const p = table.parameters.get(name);
    return p !== undefined && p.type !== 'legacy';
  }
  if (!parseVersion(version)) return false;
  const since = sinceOf(name);
  return since !== undefined && compareVersions(version, since) >= 0;
}

/**
 * Whether postconf of that release knows the name as a built-in, computed, read-only or legacy
 * parameter (the names postconf never calls "unused").
 */
export function isKnownParameterName(name: string, version: string): boolean {
  const table = releaseTable(version);
  if (table) return table.parameters.has(name);
  return existsIn(name, version);
}

/** The built-in parameter names of a release (what `postconf -d` lists), sorted; [] outside the table. */
export function parameterNames(version: string): readonly string[] {
  return releaseTable(version)?.builtinNames ?? [];
}

/** Whether postconf never expands the parameter's value (mailbox_command, forward_path, ...). */
export function isRawParameter(name: string, version: string): boolean {
  return releaseTable(version)?.raw.has(name) ?? false;
}

/** Whether the name is a legacy migration alias in that release (virtual_maps, ...). */
export function isLegacyParameter(name: string, version: string): boolean {
  return releaseTable(version)?.legacy.has(name) ?? false;
}

/** Whether postconf ignores a main.cf assignment to the name (process_name, process_id, ...). */
export function isReadOnlyParameter(name: string, version: string): boolean {
  return releaseTable(version)?.readOnly.has(name) ?? false;
}

/** Whether postconf computes the default at run time (myhostname, mydomain, mynetworks, read-only names). */
export function isComputedDefault(name: string, version: string): boolean {
  return releaseTable(version)?.computed.has(name) ?? false;
}

/** Comparable form of a version for the master.cf and DBMS rules: a bare line is its latest patch. */
function effectiveVersion(version: string): string | null {
  const parts = parseVersion(version);
  if (!parts) return null;
  return /^\s*\d+\.\d+\.\d+/.test(version) ? parts.join('.') : `${parts[0]}.${parts[1]}.9999`;
}

/** A master.cf service as postconf sees it: field 1 (name), field 8 (command) and its -o settings. */
export interface MasterService {
  readonly name: string;
  readonly command: string;
  /** `-o name=value` options (a later one for the same name wins). */
  readonly overrides?: readonly { readonly name: string; readonly value: string }[];
}

const QUEUE_SUFFIXES = [
  '_recipient_limit', '_extra_recipient_limit', '_recipient_refill_limit', '_recipient_refill_delay',
  '_delivery_slot_cost', '_delivery_slot_loan', '_delivery_slot_discount', '_minimum_delivery_slots',
  '_initial_destination_concurrency', '_destination_concurrency_limit', '_destination_recipient_limit',
  '_destination_concurrency_positive_feedback', '_destination_concurrency_negative_feedback',
  '_destination_concurrency_failed_cohort_limit', '_destination_rate_delay',
];
const DELIVERY_COMMANDS = new Set(['local', 'error', 'virtual', 'smtp', 'lmtp']);

function serviceSuffixes(command: string, v: string): string[] {
  if (command === 'spawn') return ['_time_limit'];
  if (!DELIVERY_COMMANDS.has(command) && command !== 'pipe') return [];
  const list = [...QUEUE_SUFFIXES];
  if (compareVersions(v, '3.5') >= 0) list.push('_transport_rate_delay');
  if (command === 'pipe') list.push('_time_limit');
  return list;
}

/** Whether a master.cf service makes the name a per-service parameter (relay_destination_concurrency_limit...). */
export function isServiceParameterName(name: string, services: readonly MasterService[], version: string): boolean {
  const v = effectiveVersion(version) ?? '3.7.9999';
  for (const service of services) {
    if (!name.startsWith(service.name)) continue;
    for (const suffix of serviceSuffixes(service.command, v)) if (name === service.name + suffix) return true;
  }
  return false;
}

/** Parameter names a value refers to, parsed as mac_expand parses them (every branch and operand). */
export { referencedNames } from '../../expand/expand.js';
import { ExpansionMemo, expandValue, referencedNames } from '../../expand/expand.js';

/** A file-local $name expansion (restriction classes, table names), with the bounded expander. */
function expandLocal(value: string, params: ReadonlyMap<string, string>, memo: ExpansionMemo): string {
  return expandValue(value, (n) => params.get(n), { memo }).value;
}

/** The tokens of value.split(/[\s,]+/) that contain a ':', found without splitting the rest (values may be ~1 MB). */
function colonTokens(value: string): string[] {
  const out: string[] = [];
  const isSeparator = (i: number) => TOKEN_SEPARATOR.test(value[i]);
  for (let colon = value.indexOf(':'); colon >= 0; ) {
    let start = colon;
    while (start > 0 && !isSeparator(start - 1)) start--;
    let end = colon + 1;
    while (end < value.length && !isSeparator(end)) end++;
    out.push(value.slice(start, end));
    colon = value.indexOf(':', end);
  }
  return out;
}
const TOKEN_SEPARATOR = /[\s,]/;

function dbmsPrefixes(value: string, v: string): string[] {
  const types = new Set(['ldap', 'mysql', 'pgsql', 'sqlite', 'memcache']);
  if (compareVersions(v, '3.9') >= 0) types.add('mongodb');
  const out: string[] = [];
  for (let token of colonTokens(value)) {
    while (token.startsWith('proxy:')) token = token.slice('proxy:'.length);
    const colon = token.indexOf(':');
    if (colon <= 0) continue;
    const type = token.slice(0, colon);
    const rest = token.slice(colon + 1);
    if (types.has(type) && rest !== '' && !rest.startsWith('/') && !rest.startsWith('.') && !rest.startsWith('{')) out.push(rest);
  }
  return out;
}

export interface PostconfContext {
  /** master.cf services (name + command); their queue-manager parameter names become known. */
  readonly masterServices?: readonly MasterService[];
  /** Values of master.cf `-o name=value` settings; $name references in them count as uses. */
  readonly masterOverrideValues?: readonly string[];
}

/**
 * Whether `postconf -n` of that release prints the main.cf setting `name`, i.e. the
 * name is set in the file and postconf does not report it as an "unused parameter".
 * `fileParams` holds the main.cf settings (last definition wins).
 */
export function isPrintedByPostconfN(name: string, fileParams: ReadonlyMap<string, string>, version: string, context: PostconfContext = {}): boolean {
  // postconf drops a read-only assignment ("read-only parameter assignment"), so it is neither printed nor unused.
  if (!fileParams.has(name) || isReadOnlyParameter(name, version)) return false;
  if (isKnownParameterName(name, version)) return true;
  const v = effectiveVersion(version) ?? '3.7.9999';

  if (isServiceParameterName(name, context.masterServices ?? [], version)) return true;

  const usage = usageIndex(fileParams, version, v, context);
  if (usage.restrictionClasses.has(name) || usage.referenced.has(name)) return true;
  // NAME_<suffix> is used when NAME is a DBMS client name: try each "_" split of the name.
  for (let i = name.indexOf('_'); i >= 0 && i < name.length - 1; i = name.indexOf('_', i + 1)) {
    if (i > 0 && usage.dbmsPrefixes.has(name.slice(0, i))) return true;
  }
  return false;
}

/** What a set of main.cf settings uses, independent of the name asked about. */
interface UsageIndex {
  readonly restrictionClasses: ReadonlySet<string>;
  /** Names referenced as $name in a (non-raw) file value, a master.cf -o value, or the default of an unset catalogue parameter. */
  readonly referenced: ReadonlySet<string>;
  readonly dbmsPrefixes: ReadonlySet<string>;
}

interface CachedUsage {
  readonly size: number;
  readonly version: string;
  readonly context: PostconfContext;
  readonly index: UsageIndex;
}

// Callers ask about every name of one file with the same settings: index them once, not once
// per name (which made a file with n user-defined names cost n² expansions).
const usageByParams = new WeakMap<ReadonlyMap<string, string>, CachedUsage>();

function usageIndex(fileParams: ReadonlyMap<string, string>, version: string, v: string, context: PostconfContext): UsageIndex {
  const hit = usageByParams.get(fileParams);
  if (
    hit &&
    hit.size === fileParams.size &&
    hit.version === version &&
    hit.context.masterServices === context.masterServices &&
    hit.context.masterOverrideValues === context.masterOverrideValues
  ) {
    return hit.index;
  }
  const memo = new ExpansionMemo();
  const classes = fileParams.get('smtpd_restriction_classes');
  const restrictionClasses = new Set(classes === undefined ? [] : expandLocal(classes, fileParams, memo).split(/[\s,]+/));
  const referenced = new Set<string>();
  const dbms = new Set<string>();
  const table = releaseTable(version);
  const skipped = (param: string) => table !== undefined && (table.raw.has(param) || table.readOnly.has(param));
  for (const [param, value] of fileParams) {
    if (skipped(param)) continue;
    for (const n of referencedNames(value)) referenced.add(n);
  }
  for (const value of context.masterOverrideValues ?? []) for (const n of referencedNames(value)) referenced.add(n);
  // Defaults left unset in this release may name a legacy or user-defined parameter.
  for (const [param, names] of defaultReferences(version)) {
    if (fileParams.has(param)) continue;
    for (const n of names) referenced.add(n);
  }
  for (const [param, value] of fileParams) {
    if (skipped(param)) continue;
    // Only a value that mentions a map type (or $name that may expand to one) can hold a DBMS name.
    if (!value.includes(':') && !value.includes('$')) continue;
    for (const prefix of dbmsPrefixes(expandLocal(value, fileParams, memo), v)) dbms.add(prefix);
  }
  const index: UsageIndex = { restrictionClasses, referenced, dbmsPrefixes: dbms };
  usageByParams.set(fileParams, { size: fileParams.size, version, context, index });
  return index;
}

/** Names in `fileParams` that postconf would report as "unused parameter" (sorted). */
export function unusedParameterNames(fileParams: ReadonlyMap<string, string>, version: string, context: PostconfContext = {}): string[] {
  return [...fileParams.keys()].filter((n) => !isReadOnlyParameter(n, version) && !isPrintedByPostconfN(n, fileParams, version, context)).sort();
}

const defaultRefsByRelease = new Map<string, readonly (readonly [string, readonly string[]])[]>();

/** For one release, the (non-raw) built-in defaults that refer to other names, and those names: computed once per release. */
function defaultReferences(version: string): readonly (readonly [string, readonly string[]])[] {
  const table = releaseTable(version);
  if (!table) return [];
  let refs = defaultRefsByRelease.get(table.release);
  if (!refs) {
    const list: (readonly [string, readonly string[]])[] = [];
    for (const [name, p] of table.parameters) {
      if (p.type === 'raw' || !p.value.includes('$')) continue;
      const names = referencedNames(p.value);
      if (names.length > 0) list.push([name, names]);
    }
    refs = list;
    defaultRefsByRelease.set(table.release, refs);
  }
  return refs;
}
