/**
 * What the configuration is: main.cf, the master.cf services that run the SMTP
 * client or server with -o overrides, and the TLS policy tables, with the
 * model each of them sees. Pure: the CLI reads the files (tableSourcesNeeded
 * lists the table files it needs) and passes their text in. Running rules over
 * it is the engine's job (src/engine/lint-config.ts); this layer never imports
 * the engine.
 */
import { LineIndex, parseMainCf, type MainCfFile, type ParamNode } from '../parser/main-cf.js';
import { parseMasterCf, type MasterCfFile } from '../parser/master-cf.js';
import type { Range } from '../parser/types.js';
import { ConfigModel } from './config.js';
import type { PostfixEnvironment } from './environment.js';
import { serviceModels, type ServiceModel, type ServiceOverride } from './services.js';
import { parseSourceTable, type TableEntry, type TableLineProblem } from '../policy/source-table.js';
import { parseInlineTable, parseStaticTable, tableRefs, type TableRef } from '../policy/table-ref.js';
import { parsePerSiteValue, parsePolicyValue, policyOverrides, type ParsedPolicy, type PolicyAttribute } from '../policy/entry.js';
import { destinationForm, lookupPolicy } from '../policy/lookup.js';
import { serverTls, type ServerTls } from './server-services.js';
import type { FileStore } from '../certs/file-facts.js';

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
  /** Certificate, key and CA files by the path the configuration names (from tlsFilesNeeded in tls-files.ts). */
  readonly files?: FileStore;
  /** The table files are not at hand (a template in a repository): a table not in `tables` is unknown, not missing. */
  readonly tablesUnknown?: boolean;
}

export interface WholeConfigOptions {
  readonly postfixVersion: string;
  /** The machine (host name, interfaces); config_directory comes from ConfigSources.configDir. */
  readonly environment?: PostfixEnvironment;
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
  /** Whether smtp(8)'s connection reuse has an active tlsproxy(8) service to go through. */
  readonly tlsproxyActive: boolean;
  /** The receiving half: every smtpd with its TLS policy and role (see server-services.ts). */
  readonly server: ServerTls;
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

export function mainHolder(main: MainCfFile, model: ConfigModel, param: string, lineIndex: LineIndex): TableHolder {
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

export function overrideHolder(masterPath: string, o: ServiceOverride, value: string): TableHolder {
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
  const environment = sources.configDir ? { ...options.environment, configDirectory: sources.configDir } : options.environment;
  const model = new ConfigModel(main, options.postfixVersion, undefined, environment);
  const master = sources.master ? parseMasterCf(sources.master.text, sources.master.path) : null;
  const services = master ? serviceModels(model, master) : [];
  return { main, model, master, services };
}

// The CLI asks for the table sources, then builds the whole config, from the
// same texts: keep the last parse (read-only) instead of parsing twice.
let lastBase: { readonly key: readonly unknown[]; readonly base: Base } | undefined;
function parseBase(sources: Omit<ConfigSources, 'tables'>, options: WholeConfigOptions): Base {
  const key = [sources.main.text, sources.main.path, sources.master?.text, sources.master?.path, options.postfixVersion, options.environment, sources.configDir];
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

// The CLI builds the whole config once to list the certificate files it must read and once more to
// lint, from the same texts: keep the last one (read-only) for the same inputs.
let lastWhole: { readonly key: readonly unknown[]; readonly tables: ReadonlyMap<string, TableSourceText> | undefined; readonly config: WholeConfig } | undefined;
function sameTables(a: ReadonlyMap<string, TableSourceText> | undefined, b: ReadonlyMap<string, TableSourceText> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.path !== v.path || ('text' in v ? !('text' in w) || w.text !== v.text : !('error' in w) || w.error !== v.error)) return false;
  }
  return true;
}

export function buildWholeConfig(sources: ConfigSources, options: WholeConfigOptions): WholeConfig {
  const key = [sources.main.text, sources.main.path, sources.master?.text, sources.master?.path, sources.configDir, options.postfixVersion];
  if (lastWhole && lastWhole.key.every((k, i) => k === key[i]) && sameTables(lastWhole.tables, sources.tables)) return lastWhole.config;
  const config = buildWholeConfigUncached(sources, options);
  lastWhole = { key, tables: sources.tables, config };
  return config;
}

function buildWholeConfigUncached(sources: ConfigSources, options: WholeConfigOptions): WholeConfig {
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
      if (!found && sources.tablesUnknown) {
        tables.push({ ...common, entryFile: null, entries: [], lineProblems: [] });
        continue;
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
  const proxy = master ? tlsproxyActive(master, tlsproxyName) : false;
  return { main, model, master, services, tables, tlsproxyActive: proxy, server: serverTls(model, master, services), texts };
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
