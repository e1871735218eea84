/**
 * Lookups over the TLS parameter catalogue, plus emulation of postconf's
 * "known / unused parameter" decision (what `postconf -n` prints).
 *
 * How postconf 3.7 decides that a main.cf name is used (postconf_user.c,
 * postconf_service.c, postconf_dbms.c; checked by experiment with `postconf -c DIR -n`):
 *  1. Built-in names (everything `postconf -d` lists with an empty master.cf) are known.
 *  2. "Legacy" names that a built-in default mentions as $name are known too, even when the
 *     referring parameter is set explicitly (e.g. tlsproxy_client_level, virtual_maps).
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
import { KNOWN_NAMES_3_7, LEGACY_NAMES_3_7, RAW_PARAMETERS_3_7 } from './known-names-3.7.js';
import { compareVersions, parseVersion } from '../version.js';

export type { ParameterSpec, DefaultSpan, ValueType } from './types.js';
export { PARAMETERS } from './parameters.js';

const OLDEST_MODELLED = '2.11';

let byName: Map<string, ParameterSpec> | undefined;
function catalogue(): Map<string, ParameterSpec> {
  if (!byName) byName = new Map(PARAMETERS.map((s) => [s.name, s]));
  return byName;
}

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
 * Comparable form of a version: "3.7.11" stays as is; a bare line "3.0" stands for its
 * latest patch release, so mid-line default changes (3.0.2) apply to it. Null when malformed.
 */
function effectiveVersion(version: string): string | null {
  const cached = effectiveVersions.get(version);
  if (cached !== undefined) return cached;
  const parts = parseVersion(version);
  const explicitPatch = /^\s*\d+\.\d+\.\d+/.test(version);
  const v = !parts ? null : explicitPatch ? parts.join('.') : `${parts[0]}.${parts[1]}.9999`;
  if (effectiveVersions.size >= 256) effectiveVersions.clear();
  effectiveVersions.set(version, v);
  return v;
}
// Called for every parameter lookup; a run sees only a few version strings.
const effectiveVersions = new Map<string, string | null>();

function spanFor(spec: ParameterSpec, v: string): string | undefined {
  let value: string | undefined;
  for (const span of spec.defaults) {
    if (compareVersions(span.from, v) <= 0) value = span.value;
    else break;
  }
  return value;
}

/**
 * The `postconf -d` text of a parameter in a release ("3.7" = latest 3.7 patch, or "3.7.11").
 * Undefined when the parameter does not exist there, or the release predates the model (2.11).
 */
export function defaultFor(name: string, version: string): string | undefined {
  const spec = getParameter(name);
  const v = effectiveVersion(version);
  if (!spec || !v || compareVersions(v, OLDEST_MODELLED) < 0) return undefined;
  return spanFor(spec, v);
}

/** Whether a catalogue parameter exists in a release (before 2.11 only `since` is consulted). */
export function existsIn(name: string, version: string): boolean {
  const spec = getParameter(name);
  const v = effectiveVersion(version);
  if (!spec || !v) return false;
  if (compareVersions(v, OLDEST_MODELLED) < 0) return compareVersions(v, spec.since) >= 0;
  const first = spec.defaults[0];
  return first !== undefined && compareVersions(first.from, v) <= 0;
}

// ------------------------------------------------------------------ known names

let known37: Set<string> | undefined;
function knownNames37(): Set<string> {
  if (!known37) known37 = new Set([...KNOWN_NAMES_3_7.split(' '), ...LEGACY_NAMES_3_7]);
  return known37;
}
let rawParams: Set<string> | undefined;
function rawParameters(): Set<string> {
  if (!rawParams) rawParams = new Set(RAW_PARAMETERS_3_7);
  return rawParams;
}

/**
 * Names that are real parameters only in some releases and are not in the catalogue:
 * tlsproxy_client_level/_policy were the 3.4-3.6 names; from 3.7 they live on as legacy
 * fallbacks referenced by the defaults of their renamed successors.
 */
const EXTRA_NAMES: ReadonlyMap<string, string> = new Map([
  ['tlsproxy_client_level', '3.4'],
  ['tlsproxy_client_policy', '3.4'],
]);

/**
 * Whether postconf of that release knows the name as a built-in (or legacy) parameter.
 * Catalogue parameters follow their own history; other names are assumed to match 3.7.
 */
export function isKnownParameterName(name: string, version: string): boolean {
  if (getParameter(name)) return existsIn(name, version);
  const extraSince = EXTRA_NAMES.get(name);
  const v = effectiveVersion(version);
  if (extraSince !== undefined) return v !== null && compareVersions(v, extraSince) >= 0;
  return knownNames37().has(name);
}

/** A master.cf service as postconf sees it: field 1 (name) and field 8 (command). */
export interface MasterService {
  readonly name: string;
  readonly command: string;
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

/** Parameter names a value refers to, parsed as mac_expand parses them (every branch and operand). */
export { referencedNames } from '../../expand/expand.js';
import { expandValue, referencedNames } from '../../expand/expand.js';

/** A file-local $name expansion (restriction classes, table names), with the bounded expander. */
function expandLocal(value: string, params: ReadonlyMap<string, string>): string {
  return expandValue(value, (n) => params.get(n)).value;
}

function dbmsPrefixes(value: string, v: string): string[] {
  const types = new Set(['ldap', 'mysql', 'pgsql', 'sqlite', 'memcache']);
  if (compareVersions(v, '3.9') >= 0) types.add('mongodb');
  const out: string[] = [];
  for (let token of value.split(/[\s,]+/)) {
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
  if (!fileParams.has(name)) return false;
  const v = effectiveVersion(version) ?? '3.7.9999';
  if (isKnownParameterName(name, version)) return true;

  for (const service of context.masterServices ?? []) {
    for (const suffix of serviceSuffixes(service.command, v)) if (name === service.name + suffix) return true;
  }

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
  const classes = fileParams.get('smtpd_restriction_classes');
  const restrictionClasses = new Set(classes === undefined ? [] : expandLocal(classes, fileParams).split(/[\s,]+/));
  const referenced = new Set<string>();
  const dbms = new Set<string>();
  const raw = rawParameters();
  for (const [param, value] of fileParams) {
    if (raw.has(param)) continue;
    for (const n of referencedNames(value)) referenced.add(n);
  }
  for (const value of context.masterOverrideValues ?? []) for (const n of referencedNames(value)) referenced.add(n);
  // Defaults of catalogue parameters left unset in this release may name a legacy parameter.
  for (const spec of PARAMETERS) {
    if (fileParams.has(spec.name)) continue;
    const def = defaultFor(spec.name, version);
    if (def !== undefined) for (const n of referencedNames(def)) referenced.add(n);
  }
  for (const [param, value] of fileParams) {
    if (raw.has(param)) continue;
    // Only a value that mentions a map type (or $name that may expand to one) can hold a DBMS name.
    if (!value.includes(':') && !value.includes('$')) continue;
    for (const prefix of dbmsPrefixes(expandLocal(value, fileParams), v)) dbms.add(prefix);
  }
  const index: UsageIndex = { restrictionClasses, referenced, dbmsPrefixes: dbms };
  usageByParams.set(fileParams, { size: fileParams.size, version, context, index });
  return index;
}

/** Names in `fileParams` that postconf would report as "unused parameter" (sorted). */
export function unusedParameterNames(fileParams: ReadonlyMap<string, string>, version: string, context: PostconfContext = {}): string[] {
  return [...fileParams.keys()].filter((n) => !isPrintedByPostconfN(n, fileParams, version, context)).sort();
}
