/**
 * The whole configuration: main.cf, the master.cf services that run the SMTP
 * client or server with -o overrides, and the TLS policy tables. Pure: the CLI
 * reads the files (tableSourcesNeeded lists the table files it needs) and
 * passes their text in.
 *
 * The rules stay what they are, pure functions over one model. A service is
 * linted as main.cf with its -o overrides applied; a policy entry as main.cf
 * (or the service that uses the table) with the entry's level and attributes
 * applied. Findings that main.cf already has are dropped; the others are
 * moved to the place that causes them: the -o option or the attribute that
 * overrides the finding's parameter, else the level that selected it.
 */
import { LineIndex, parseMainCf, type MainCfFile, type ParamNode } from '../parser/main-cf.js';
import { parseMasterCf, type MasterCfFile } from '../parser/master-cf.js';
import { ConfigModel } from '../model/config.js';
import { serviceModels, type ServiceModel, type ServiceOverride } from '../model/services.js';
import { runRules, type RuleSettings } from './run-rules.js';
import type { LintFacts } from './facts.js';
import { interpolate } from './interpolate.js';
import type { Edit, Finding, Fix, Range, RelatedLocation, Rule, Severity } from './types.js';
import { applyFixes } from '../fixer/apply-edits.js';
import { allRules } from '../../rules/index.js';
import policyTableEntryRule from '../../rules/policy-table-entry.js';
import policyTableUnreadRule from '../../rules/policy-table-unread.js';
import { parseSourceTable, type TableEntry, type TableLineProblem } from '../policy/source-table.js';
import { parseInlineTable, parseStaticTable, tableRefs, type TableRef } from '../policy/table-ref.js';
import { parsePerSiteValue, parsePolicyValue, policyOverrides, type ParsedPolicy, type PolicyAttribute } from '../policy/entry.js';
import { destinationForm, lookupPolicy } from '../policy/lookup.js';
import { lookupLevel } from '../model/values/index.js';
import type { PeerProfile } from '../interop/types.js';

export interface SourceText {
  /** Path as shown in findings. */
  readonly path: string;
  readonly text: string;
}

/** A table source the CLI read (text) or failed to read (error). */
export type TableSourceText = { readonly path: string; readonly text: string } | { readonly path: string; readonly error: string };

export interface ConfigSources {
  readonly main: SourceText;
  readonly master?: SourceText | null;
  /** The directory of main.cf: $config_directory, as with postconf -c DIR. null for stdin. */
  readonly configDir?: string | null;
  /** Table source texts by absolute path (from tableSourcesNeeded); a path that is absent does not exist. */
  readonly tables?: ReadonlyMap<string, TableSourceText>;
}

export interface WholeConfigOptions {
  readonly postfixVersion: string;
  readonly opensslVersion?: number;
  readonly rules?: readonly Rule[];
  readonly settings?: RuleSettings;
  /** Peer profiles for the interop rules (see LintFacts.peers). */
  readonly peers?: readonly PeerProfile[];
}

/** Where a table is named: a main.cf line or a master.cf -o option. */
export interface TableHolder {
  readonly file: string;
  readonly param: string;
  /** Range of the whole setting (for findings about the table). */
  readonly range: Range;
  /** Offsets in the expanded value to file ranges (exact when the value has no $name and no line breaks). */
  readonly locate: (s: number, e: number) => Range;
  readonly line: number;
  /** The main.cf definition, when the table is named there. */
  readonly node?: ParamNode;
}

export interface PolicyTable {
  readonly ref: TableRef;
  readonly holder: TableHolder;
  /** The model that uses the table (main.cf, or a service's). */
  readonly model: ConfigModel;
  readonly prefix: 'smtp' | 'lmtp';
  readonly legacyPerSite: boolean;
  /** Service that names the table in an -o option, if any. */
  readonly service?: ServiceModel;
  /** File the entries live in (the table file, or the file holding inline:/static:). */
  readonly entryFile: string | null;
  readonly entries: readonly TableEntry[];
  readonly lineProblems: readonly TableLineProblem[];
  /** Set when the source file could not be read. */
  readonly readError?: string;
}

export interface WholeConfig {
  readonly main: MainCfFile;
  readonly model: ConfigModel;
  readonly master: MasterCfFile | null;
  readonly services: readonly ServiceModel[];
  readonly tables: readonly PolicyTable[];
  readonly facts: LintFacts;
  /** Text of every file findings may point at, by shown path. */
  readonly texts: ReadonlyMap<string, string>;
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? p : p.slice(i + 1);
}

/** An active master.cf service that runs tlsproxy(8) under the name smtp(8) connects to. */
export function tlsproxyActive(master: MasterCfFile, serviceName: string): boolean {
  return master.services.some((s) => s.active && s.valid && s.type === 'unix' && s.name === serviceName && basename(s.command) === 'tlsproxy');
}

const PREFIXES = ['smtp', 'lmtp'] as const;

/** The policy parameter in force for a prefix: the maps, else the legacy per-site table. */
function policyParam(model: ConfigModel, prefix: 'smtp' | 'lmtp'): { param: string; legacy: boolean } | null {
  const maps = `${prefix}_tls_policy_maps`;
  if (model.value(maps).trim() !== '') return { param: maps, legacy: false };
  const perSite = `${prefix}_tls_per_site`;
  if (model.isKnown(perSite) && model.value(perSite).trim() !== '') return { param: perSite, legacy: true };
  return null;
}

function withConfigDir(model: ConfigModel, configDir: string | null | undefined): ConfigModel {
  return configDir ? model.withOverrides(new Map([['config_directory', configDir]])) : model;
}

interface TableUse {
  readonly ref: TableRef;
  readonly holder: TableHolder;
  readonly model: ConfigModel;
  readonly prefix: 'smtp' | 'lmtp';
  readonly legacy: boolean;
  readonly service?: ServiceModel;
}

function mainHolder(main: MainCfFile, model: ConfigModel, param: string, lineIndex: LineIndex): TableHolder {
  const node = model.definition(param);
  const value = model.value(param);
  if (!node) return { file: main.path, param, range: [0, 0], locate: () => [0, 0], line: 1 };
  const raw = main.text.slice(node.valueRange[0], node.valueRange[1]);
  const exact = raw === value;
  const whole: Range = [node.nameRange[0], node.valueRange[1]];
  return {
    file: main.path,
    param,
    range: whole,
    locate: (s, e) => (exact ? [node.valueRange[0] + s, node.valueRange[0] + e] : whole),
    line: lineIndex.locate(node.range[0]).line,
    node,
  };
}

function overrideHolder(masterPath: string, o: ServiceOverride, value: string): TableHolder {
  const exact = o.value === value;
  const whole: Range = [o.nameRange[0], o.valueRange[1]];
  return { file: masterPath, param: o.name, range: whole, locate: (s, e) => (exact ? [o.valueRange[0] + s, o.valueRange[0] + e] : whole), line: o.line };
}

function tableUses(config: { main: MainCfFile; model: ConfigModel; master: MasterCfFile | null; services: readonly ServiceModel[] }, configDir: string | null | undefined, mainIndex: LineIndex): TableUse[] {
  const uses: TableUse[] = [];
  const dirModel = withConfigDir(config.model, configDir);
  for (const prefix of PREFIXES) {
    const p = policyParam(dirModel, prefix);
    if (!p) continue;
    const holder = mainHolder(config.main, dirModel, p.param, mainIndex);
    for (const ref of tableRefs(dirModel.value(p.param), p.param, configDir ?? null)) uses.push({ ref, holder, model: config.model, prefix, legacy: p.legacy });
  }
  if (!config.master) return uses;
  for (const s of config.services) {
    if (s.role === 'server') continue;
    const prefix = s.role === 'client-smtp' ? 'smtp' : 'lmtp';
    const sm = withConfigDir(s.model, configDir);
    const p = policyParam(sm, prefix);
    if (!p) continue;
    const o = s.overrides.find((x) => x.name === p.param && x.effective);
    if (!o) continue; // the same tables as main.cf, linted there
    const holder = overrideHolder(config.master.path, o, sm.value(p.param));
    for (const ref of tableRefs(sm.value(p.param), p.param, configDir ?? null)) uses.push({ ref, holder, model: s.model, prefix, legacy: p.legacy, service: s });
  }
  return uses;
}

type Base = ReturnType<typeof parseBaseUncached>;
function parseBaseUncached(sources: Omit<ConfigSources, 'tables'>, options: WholeConfigOptions) {
  const main = parseMainCf(sources.main.text, sources.main.path);
  const model = new ConfigModel(main, options.postfixVersion);
  const master = sources.master ? parseMasterCf(sources.master.text, sources.master.path) : null;
  const services = master ? serviceModels(model, master) : [];
  return { main, model, master, services };
}

// The CLI asks for the table sources, then builds the whole config, from the
// same texts: keep the last parse (read-only) instead of parsing twice.
let lastBase: { readonly key: readonly unknown[]; readonly base: Base } | undefined;
function parseBase(sources: Omit<ConfigSources, 'tables'>, options: WholeConfigOptions): Base {
  const key = [sources.main.text, sources.main.path, sources.master?.text, sources.master?.path, options.postfixVersion];
  if (lastBase && lastBase.key.every((k, i) => k === key[i])) return lastBase.base;
  const base = parseBaseUncached(sources, options);
  lastBase = { key, base };
  return base;
}

/** Absolute paths of the table source files the configuration names (all candidates, in order). */
export function tableSourcesNeeded(sources: Omit<ConfigSources, 'tables'>, options: WholeConfigOptions): string[] {
  const base = parseBase(sources, options);
  const out: string[] = [];
  for (const u of tableUses(base, sources.configDir, new LineIndex(base.main.text))) {
    for (const c of u.ref.candidates ?? []) if (!out.includes(c)) out.push(c);
  }
  return out;
}

export function buildWholeConfig(sources: ConfigSources, options: WholeConfigOptions): WholeConfig {
  const base = parseBase(sources, options);
  const { main, model, master, services } = base;
  const texts = new Map<string, string>([[main.path, main.text]]);
  if (master) texts.set(master.path, master.text);
  const mainIndex = new LineIndex(main.text);
  const tables: PolicyTable[] = [];
  for (const u of tableUses(base, sources.configDir, mainIndex)) {
    const common = { ref: u.ref, holder: u.holder, model: u.model, prefix: u.prefix, legacyPerSite: u.legacy, ...(u.service ? { service: u.service } : {}) };
    if (u.ref.cls === 'source-file') {
      let found: TableSourceText | undefined;
      for (const c of u.ref.candidates ?? []) {
        found = sources.tables?.get(c);
        if (found) break;
      }
      if (!found || 'error' in found) {
        tables.push({ ...common, entryFile: null, entries: [], lineProblems: [], readError: found && 'error' in found ? found.error : 'no such file' });
        continue;
      }
      texts.set(found.path, found.text);
      const parsed = parseSourceTable(found.text);
      tables.push({ ...common, entryFile: found.path, entries: parsed.entries, lineProblems: parsed.problems });
    } else if (u.ref.cls === 'inline' || u.ref.cls === 'static') {
      const parsed = u.ref.cls === 'inline' ? parseInlineTable(u.ref, u.holder.locate, u.holder.line) : parseStaticTable(u.ref, u.holder.locate, u.holder.line);
      tables.push({ ...common, entryFile: u.holder.file, entries: parsed.entries, lineProblems: parsed.problems });
    } else {
      tables.push({ ...common, entryFile: null, entries: [], lineProblems: [] });
    }
  }
  const tlsproxyName = model.value('tlsproxy_service_name').trim() || 'tlsproxy';
  const facts: LintFacts = {
    postfixVersion: options.postfixVersion,
    opensslVersion: options.opensslVersion ?? 3,
    masterCf: master ? { path: master.path, tlsproxyActive: tlsproxyActive(master, tlsproxyName) } : null,
    ...(options.peers ? { peers: options.peers } : {}),
  };
  return { main, model, master, services, tables, facts, texts };
}

/** The policy of one entry as smtp(8) reads it. */
export function entryPolicy(table: PolicyTable, entry: TableEntry): ParsedPolicy {
  return table.legacyPerSite ? parsePerSiteValue(entry.value) : parsePolicyValue(entry.value, table.model.version);
}

export interface EntryModel {
  readonly model: ConfigModel;
  /** Parameter -> the attribute (or 'level') that sets it. */
  readonly origins: ReadonlyMap<string, PolicyAttribute | 'level'>;
  /** Parameters set only to describe where the destination's mail goes. */
  readonly context: ReadonlySet<string>;
}

/** The model smtp(8) works with for a destination that matched this entry. */
export function entryModel(table: PolicyTable, entry: TableEntry, policy: ParsedPolicy, base: ConfigModel = table.model): EntryModel {
  const overrides = policyOverrides(policy, table.prefix);
  const values = new Map<string, string>();
  const origins = new Map<string, PolicyAttribute | 'level'>();
  for (const [k, v] of overrides) {
    values.set(k, v.value);
    origins.set(k, v.origin);
  }
  const context = new Set<string>();
  const form = destinationForm(entry.key, entry.matchesAll);
  if (form === 'bracketed' || form === 'host-port') {
    values.set('relayhost', entry.key);
    context.add('relayhost');
  } else if (form === 'domain' || form === 'parent-domain') {
    // Mail for a recipient domain goes to its MX hosts.
    if (base.value('relayhost').trim() !== '') {
      values.set('relayhost', '');
      context.add('relayhost');
    }
    if (base.value('default_transport').includes(':')) {
      values.set('default_transport', 'smtp');
      context.add('default_transport');
    }
  }
  return { model: base.withOverrides(values), origins, context };
}

/** The entry smtp(8) uses for a next hop, over the tables in force for main.cf (or one service). */
export function policyForDestination(config: WholeConfig, destination: string, prefix: 'smtp' | 'lmtp' = 'smtp', service?: ServiceModel): { table: PolicyTable; entry: TableEntry; key: string; policy: ParsedPolicy; model: ConfigModel } | null {
  const own = config.tables.filter((t) => t.prefix === prefix && t.service === service);
  const tables = own.length > 0 || !service ? own : config.tables.filter((t) => t.prefix === prefix && !t.service);
  const hit = lookupPolicy(tables.map((t) => t.entries), destination);
  if (!hit) return null;
  const table = tables[hit.tableIndex];
  const policy = entryPolicy(table, hit.entry);
  const base = service?.model ?? table.model;
  if (!policy.valid) return { table, entry: hit.entry, key: hit.key, policy, model: base };
  return { table, entry: hit.entry, key: hit.key, policy, model: entryModel(table, hit.entry, policy, base).model };
}

// ---------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------

/** Rules whose premise is the global default; a per-destination entry or a non-default transport is not that. */
const GLOBAL_SCOPE_RULES: ReadonlySet<string> = new Set(['global-mandatory-tls', 'tls-off-outbound']);

function findingKey(f: Finding): string {
  return `${f.ruleId}\0${f.messageId}\0${f.parameter}\0${f.message}`;
}

/** Rule and parameter: a finding about a main.cf setting that main.cf already gets is not repeated per service or entry. */
function topicKey(f: Finding): string {
  return `${f.ruleId}\0${f.parameter}`;
}

/** Findings already reported for a model: exact ones, and rule+parameter pairs. */
function baselineOf(findings: readonly Finding[]): Set<string> {
  const s = new Set<string>();
  for (const f of findings) {
    s.add(findingKey(f));
    if (f.parameter !== null) s.add('topic\0' + topicKey(f));
  }
  return s;
}

function alreadyReported(baseline: ReadonlySet<string>, f: Finding, overridden: ReadonlyMap<string, unknown>): boolean {
  if (baseline.has(findingKey(f))) return true;
  return f.parameter !== null && !overridden.has(f.parameter) && baseline.has('topic\0' + topicKey(f));
}

interface Site {
  readonly file: string;
  readonly range: Range;
  /** An edit that gives the parameter this value at the site, when it can. */
  readonly setValue?: (value: string) => { edit: Edit; description: string } | null;
}

class Locator {
  private readonly indexes = new Map<string, LineIndex>();
  constructor(private readonly texts: ReadonlyMap<string, string>) {}
  locate(file: string, range: Range): Omit<RelatedLocation, 'message'> {
    let idx = this.indexes.get(file);
    if (!idx) {
      idx = new LineIndex(this.texts.get(file) ?? '');
      this.indexes.set(file, idx);
    }
    const s = idx.locate(range[0]);
    const e = idx.locate(Math.max(range[0], range[1]));
    return { file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }
}

function lastValues(file: MainCfFile): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of file.params) m.set(p.name, p.value);
  return m;
}

/** The value a main.cf fix gives `param`, when that is all the fix changes. */
function valueFixSets(main: MainCfFile, fix: Fix, param: string): string | null {
  if (fix.file && fix.file !== main.path) return null;
  const after = parseMainCf(applyFixes(main.text, [{ fix }]).output, main.path);
  const a = lastValues(main);
  const b = lastValues(after);
  const changed = new Set<string>();
  for (const k of new Set([...a.keys(), ...b.keys()])) if (a.get(k) !== b.get(k)) changed.add(k);
  if (changed.size !== 1 || !changed.has(param)) return null;
  return b.get(param) ?? null;
}

function relocate(
  f: Finding,
  main: MainCfFile,
  locator: Locator,
  sites: ReadonlyMap<string, Site>,
  fallback: Site,
  prefix: string,
): Finding {
  const site = (f.parameter !== null ? sites.get(f.parameter) : undefined) ?? fallback;
  const related: RelatedLocation[] = [...f.related];
  if (site === fallback && f.file === main.path && f.range[1] > f.range[0]) {
    related.push({ ...locator.locate(main.path, f.range), message: 'the main.cf setting this uses' });
  }
  let fix: Fix | undefined;
  if (f.fix && f.parameter !== null && site !== fallback && site.setValue) {
    const value = valueFixSets(main, f.fix, f.parameter);
    const made = value === null ? null : site.setValue(value);
    if (made) fix = { kind: f.fix.kind, description: made.description, edits: [made.edit], file: site.file };
  }
  const { fix: _dropped, ...rest } = f;
  return { ...rest, message: prefix + f.message, range: site.range, ...locator.locate(site.file, site.range), related, ...(fix ? { fix } : {}) };
}

function makeFinding(
  rule: Rule,
  settings: RuleSettings | undefined,
  locator: Locator,
  file: string,
  range: Range,
  messageId: string,
  data: Record<string, string | number>,
  parameter: string | null,
  severity?: Severity,
): Finding | null {
  const configured = settings?.severities?.[rule.meta.id];
  if (configured === 'off') return null;
  return {
    ruleId: rule.meta.id,
    severity: configured ?? severity ?? rule.meta.defaultSeverity,
    category: rule.meta.category,
    messageId,
    data,
    message: interpolate(rule.meta.messages[messageId], data),
    parameter,
    range,
    ...locator.locate(file, range),
    related: [],
  };
}

/** "a, b:c" -> "a:b:c": policy attribute values cannot hold commas or blanks. */
function colonList(value: string): string | null {
  const parts = value.split(/[\s,:]+/).filter((p) => p !== '');
  return parts.length > 0 ? parts.join(':') : value === '' ? '' : null;
}

export interface ConfigLintResult {
  readonly config: WholeConfig;
  /** Every finding: main.cf first, then master.cf, then the tables. */
  readonly findings: readonly Finding[];
  /** Files findings may point at, in report order. */
  readonly files: readonly string[];
}

export function lintConfig(sources: ConfigSources, options: WholeConfigOptions): ConfigLintResult {
  const config = buildWholeConfig(sources, options);
  const rules = options.rules ?? allRules;
  const settings = options.settings;
  const locator = new Locator(config.texts);
  const mainIndex = new LineIndex(config.main.text);
  const run = (model: ConfigModel, ruleSet: readonly Rule[]) => runRules(model, config.facts, ruleSet, settings, mainIndex);
  const mainFindings = run(config.model, rules);
  const out: Finding[] = [...mainFindings];
  const seenAt = new Set<string>(out.map((f) => `${findingKey(f)}\0${f.file}\0${f.line}`));
  const push = (f: Finding | null) => {
    if (!f) return;
    const k = `${findingKey(f)}\0${f.file}\0${f.line}`;
    if (seenAt.has(k)) return;
    seenAt.add(k);
    out.push(f);
  };
  const baselines = new Map<ConfigModel, Set<string>>([[config.model, baselineOf(mainFindings)]]);

  // Services with -o overrides.
  const master = config.master;
  const defaultTransport = (config.model.value('default_transport').trim() || 'smtp').split(':')[0];
  for (const s of config.services) {
    const effective = s.overrides.filter((o) => o.effective && !o.ignoredBecause);
    if (!master || effective.length === 0) continue;
    const ruleSet = s.service === defaultTransport ? rules : rules.filter((r) => !GLOBAL_SCOPE_RULES.has(r.meta.id));
    const findings = run(s.model, ruleSet);
    baselines.set(s.model, baselineOf(findings));
    const base = baselines.get(config.model)!;
    const sites = new Map<string, Site>();
    for (const o of effective) {
      sites.set(o.name, {
        file: master.path,
        range: [o.nameRange[0], o.valueRange[1]],
        setValue: (value) => {
          const blank = /[\s]/.test(value);
          const edit: Edit =
            o.node.form === 'long' || !blank
              ? { range: o.valueRange, text: value }
              : { range: [o.nameRange[0], o.valueRange[1]], text: `{ ${o.name} = ${value} }` };
          return { edit, description: `set -o ${o.name}=${value} in master.cf service ${s.service}` };
        },
      });
    }
    const levelSite = sites.get(`${s.prefix}tls_security_level`);
    const fallback: Site = levelSite ?? { file: master.path, range: s.node.fields.service.range };
    for (const f of findings) {
      if (alreadyReported(base, f, sites)) continue;
      push(relocate(f, config.main, locator, sites, fallback, `service ${s.service}/${s.type}: `));
    }
  }

  // Policy tables.
  const tableFindings: Finding[] = [];
  const pushT = (f: Finding | null) => {
    if (f) tableFindings.push(f);
  };
  const doneTables = new Set<string>();
  for (const t of config.tables) {
    const h = t.holder;
    const data = { param: h.param, spec: t.ref.spec, type: t.ref.type, name: t.ref.name };
    if (t.ref.cls === 'unread') {
      pushT(makeFinding(policyTableUnreadRule, settings, locator, h.file, h.range, 'unread', data, h.param));
      continue;
    }
    if (t.ref.cls === 'malformed') {
      pushT(makeFinding(policyTableEntryRule, settings, locator, h.file, h.range, 'malformed', data, h.param));
      continue;
    }
    if (t.ref.relative) {
      const queueDirectory = t.model.value('queue_directory') || '/var/spool/postfix';
      pushT(makeFinding(policyTableEntryRule, settings, locator, h.file, h.range, 'relative', { ...data, queueDirectory, suggested: `${t.ref.type}:${t.ref.sourcePath}` }, h.param, 'warning'));
    }
    if (t.readError !== undefined) {
      const effect = t.ref.indexed
        ? `its entries are not checked; if ${t.ref.sourcePath}.db does not exist either, smtp(8) cannot open the table and stops with a fatal error, so no mail leaves through it (create the file and run "postmap ${t.ref.type}:${t.ref.sourcePath}")`
        : 'smtp(8) cannot open the table and stops with a fatal error, so no mail leaves through it';
      pushT(makeFinding(policyTableEntryRule, settings, locator, h.file, h.range, 'missing', { ...data, path: t.ref.sourcePath ?? t.ref.name, reason: t.readError, effect }, h.param, t.ref.indexed ? 'warning' : 'error'));
      continue;
    }
    const file = t.entryFile!;
    const tableName = t.ref.spec;
    const tableId = `${file}\0${t.ref.spec}`;
    if (!doneTables.has(tableId)) {
      for (const p of t.lineProblems) pushT(makeFinding(policyTableEntryRule, settings, locator, file, p.range, 'tableLine', { table: tableName, problem: p.message }, h.param, 'warning'));
    }
    const baseline = baselines.get(t.model) ?? baselineOf(run(t.model, rules));
    baselines.set(t.model, baseline);
    const ruleSet = rules.filter((r) => !GLOBAL_SCOPE_RULES.has(r.meta.id));
    for (const entry of t.entries) {
      if (!entry.effective) continue;
      const policy = entryPolicy(t, entry);
      const levelRange = entry.valueSpan(policy.levelSpan.start, policy.levelSpan.end);
      if (!policy.valid) {
        if (!doneTables.has(tableId)) {
          const p = policy.problems[0];
          pushT(makeFinding(policyTableEntryRule, settings, locator, file, entry.valueSpan(p.span.start, p.span.end), 'invalid', { key: entry.key, problem: p.message, table: `${t.holder.param} ${tableName}` }, h.param));
        }
        continue;
      }
      if (policy.ignored.length > 0 && !doneTables.has(tableId)) {
        const first = policy.ignored[0].span;
        const last = policy.ignored[policy.ignored.length - 1].span;
        pushT(makeFinding(policyTableEntryRule, settings, locator, file, entry.valueSpan(first.start, last.end), 'ignored', { key: entry.key, attributes: policy.ignored.map((a) => `"${entry.value.slice(a.span.start, a.span.end)}"`).join(', ') }, h.param, 'warning'));
      }
      if (policy.level === 'none') continue;
      const em = entryModel(t, entry, policy);
      const sites = new Map<string, Site>();
      for (const [param, origin] of em.origins) {
        if (origin === 'level') {
          sites.set(param, {
            file,
            range: levelRange,
            setValue: t.legacyPerSite
              ? undefined
              : (value) => (lookupLevel(value) ? { edit: { range: levelRange, text: value }, description: `set the level of the policy for "${entry.key}" to ${value}` } : null),
          });
          continue;
        }
        const attrRange = entry.valueSpan(origin.span.start, origin.span.end);
        const primary = origin.name !== 'exclude' || param.endsWith('_tls_exclude_ciphers');
        sites.set(param, {
          file,
          range: attrRange,
          setValue: primary
            ? (value) => {
                const v = origin.name === 'protocols' || origin.name === 'exclude' ? colonList(value) : /^[^\s,]+$/.test(value) ? value : null;
                if (v === null || (v === '' && origin.name === 'ciphers')) return null;
                return { edit: { range: entry.valueSpan(origin.valueSpan.start, origin.valueSpan.end), text: v }, description: `set ${origin.name}=${v} in the policy for "${entry.key}"` };
              }
            : undefined,
        });
      }
      const keySite: Site = { file, range: entry.keyRange };
      for (const c of em.context) sites.set(c, keySite);
      const fallback = sites.get(`${t.prefix}_tls_security_level`)!;
      for (const f of run(em.model, ruleSet)) {
        if (alreadyReported(baseline, f, sites)) continue;
        const moved = relocate(f, config.main, locator, sites, fallback, `policy for "${entry.key}": `);
        // Rules name a placeholder MX in posttls-finger commands; here the next hop is known.
        const target = entry.matchesAll ? null : entry.key.replace(/^\./, '');
        pushT(target && moved.confirm ? { ...moved, confirm: moved.confirm.replace('"[mx.example.net]"', `"${target}"`) } : moved);
      }
    }
    doneTables.add(tableId);
  }
  for (const f of tableFindings) push(f);

  const files = [config.main.path, ...(master ? [master.path] : [])];
  for (const t of config.tables) if (t.entryFile && !files.includes(t.entryFile)) files.push(t.entryFile);
  for (const f of out) if (!files.includes(f.file)) files.push(f.file);
  const order = (f: Finding) => files.indexOf(f.file);
  out.sort((a, b) => order(a) - order(b) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  return { config, findings: out, files };
}
