/**
 * Runs the rules over the whole configuration (src/model/whole-config.ts).
 *
 * The rules stay what they are, pure functions over one model. A service is
 * linted as main.cf with its -o overrides applied; a policy entry as main.cf
 * (or the service that uses the table) with the entry's level and attributes
 * applied. Findings that main.cf already has are dropped; the others are
 * moved to the place that causes them: the -o option or the attribute that
 * overrides the finding's parameter, else the level that selected it.
 */
import { LineIndex, parseMainCf, type MainCfFile } from '../parser/main-cf.js';
import type { ConfigModel } from '../model/config.js';
import { buildWholeConfig, entryModel, entryPolicy, type ConfigSources, type WholeConfig, type WholeConfigOptions } from '../model/whole-config.js';
import { runRules, type RuleSettings } from './run-rules.js';
import type { LintFacts } from './facts.js';
import { interpolate } from './interpolate.js';
import { locateRange } from './location.js';
import { summarize } from './summary.js';
import type { Edit, Finding, Fix, Range, RelatedLocation, Rule, Severity } from './types.js';
import { applyFixes } from '../fixer/apply-edits.js';
import { allRules } from '../../rules/index.js';
import policyTableEntryRule from '../../rules/policy-table-entry.js';
import policyTableUnreadRule from '../../rules/policy-table-unread.js';
import { lookupLevel } from '../model/values/index.js';
import type { PeerProfile } from '../interop/types.js';
import type { ClientProfile } from '../interop/client-types.js';
import { isServerRule, lintServerServices } from './lint-server.js';
import { peerForDestination } from '../interop/remedy.js';
import { capForScope, mergeEntryFindings, resolvedByEntries, type EntryFinding } from './scope.js';
import { lintFiles } from './lint-files.js';
import type { FileCheckSettings } from './file-rules.js';

export interface LintConfigOptions extends WholeConfigOptions {
  readonly opensslVersion?: number;
  readonly rules?: readonly Rule[];
  readonly settings?: RuleSettings;
  /** Peer profiles for the interop rules (see LintFacts.peers). */
  readonly peers?: readonly PeerProfile[];
  /** Client profiles for the inbound rules (see LintFacts.clients). */
  readonly clients?: readonly ClientProfile[];
  /** How to check the files the configuration names (sources.files); absent: not at all. */
  readonly files?: FileCheckSettings;
}

/** What every rule sees besides its model, for one whole configuration. */
export function factsFor(config: WholeConfig, options: LintConfigOptions): LintFacts {
  return {
    postfixVersion: options.postfixVersion,
    opensslVersion: options.opensslVersion ?? 3,
    masterCf: config.master ? { path: config.master.path, tlsproxyActive: config.tlsproxyActive } : null,
    ...(options.peers ? { peers: options.peers } : {}),
    server: config.server,
    ...(options.clients ? { clients: options.clients } : {}),
  };
}

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
    return { file, ...locateRange(idx, range) };
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
  // A related main.cf line whose parameter the service or entry overrides is not the setting in force: point at the override.
  const overriddenAt = new Map<number, Site>();
  for (const [param, s] of sites) {
    const node = [...main.params].reverse().find((p) => p.name === param);
    if (node && s.file !== main.path) overriddenAt.set(locator.locate(main.path, node.range).line, s);
  }
  const related: RelatedLocation[] = f.related.map((r) => {
    const s = r.file === main.path ? overriddenAt.get(r.line) : undefined;
    return s ? { ...locator.locate(s.file, s.range), message: r.message } : r;
  });
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
  return { ...rest, message: prefix + f.message, summary: prefix + f.summary, range: site.range, ...locator.locate(site.file, site.range), related, ...(fix ? { fix } : {}) };
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
  const message = interpolate(rule.meta.messages[messageId], data);
  return {
    ruleId: rule.meta.id,
    severity: configured ?? severity ?? rule.meta.defaultSeverity,
    category: rule.meta.category,
    messageId,
    data,
    message,
    summary: summarize(rule.meta, messageId, data, message),
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
  readonly facts: LintFacts;
  /** Every finding: main.cf first, then master.cf, then the tables. */
  readonly findings: readonly Finding[];
  /** Files findings may point at, in report order. */
  readonly files: readonly string[];
}

export function lintConfig(sources: ConfigSources, options: LintConfigOptions): ConfigLintResult {
  const config = buildWholeConfig(sources, options);
  const facts = factsFor(config, options);
  const rules = options.rules ?? allRules;
  const settings = options.settings;
  const locator = new Locator(config.texts);
  const mainIndex = new LineIndex(config.main.text);
  const run = (model: ConfigModel, ruleSet: readonly Rule[], runFacts: LintFacts = facts) => runRules(model, runFacts, ruleSet, settings, mainIndex);
  // Findings about peers that a policy entry already gives TLS say so (and are information).
  const mainFindings = resolvedByEntries(run(config.model, rules), config, facts.peers ?? []);
  const out: Finding[] = [...mainFindings];
  // Keys and baselines are made on first use: most files have no service or entry findings to compare.
  let seenAt: Set<string> | undefined;
  const push = (f: Finding | null) => {
    if (!f) return;
    seenAt ??= new Set<string>(mainFindings.map((m) => `${findingKey(m)}\0${m.file}\0${m.line}`));
    const k = `${findingKey(f)}\0${f.file}\0${f.line}`;
    if (seenAt.has(k)) return;
    seenAt.add(k);
    out.push(f);
  };
  const baselines = new Map<ConfigModel, Set<string>>();
  const mainBaseline = (): Set<string> => {
    let b = baselines.get(config.model);
    if (!b) baselines.set(config.model, (b = baselineOf(mainFindings)));
    return b;
  };

  // Services with -o overrides.
  const master = config.master;
  const defaultTransport = (config.model.value('default_transport').trim() || 'smtp').split(':')[0];
  for (const s of config.services) {
    const effective = s.overrides.filter((o) => o.effective && !o.ignoredBecause);
    if (!master || effective.length === 0) continue;
    // Server rules judge smtpd services themselves (lint-server.ts).
    const ruleSet = (s.service === defaultTransport ? rules : rules.filter((r) => !GLOBAL_SCOPE_RULES.has(r.meta.id))).filter((r) => !isServerRule(r));
    const findings = run(s.model, ruleSet);
    baselines.set(s.model, baselineOf(findings));
    const base = mainBaseline();
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
    const dedicated = s.service !== defaultTransport;
    for (const f of findings) {
      if (alreadyReported(base, f, sites)) continue;
      const moved = relocate(f, config.main, locator, sites, fallback, `service ${s.service}/${s.type}: `);
      push(dedicated ? capForScope(moved, 'service') : moved);
    }
  }

  for (const f of lintServerServices(config, facts, rules, settings)) push(f);

  // Policy tables.
  const tableFindings: Finding[] = [];
  const pushT = (f: Finding | null) => {
    if (f) tableFindings.push(f);
  };
  const entryFindings: EntryFinding[] = [];
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
      // What was checked is this machine, beside the linted main.cf: the mail server may well have the file.
      // Since Postfix 2.9 a table that cannot be opened is not fatal: the daemon logs that it is unavailable,
      // and each lookup in it fails, so the mail whose delivery consults it is deferred (not lost).
      // On the server the table is the one the setting names ($config_directory not replaced by this directory).
      const effect = t.ref.indexed
        ? `If its .db file is missing or out of date on the mail server too, smtp(8) logs that ${t.ref.spec} is unavailable (or uses the old entries) and mail whose delivery consults the table is deferred; create the source file and run "postmap ${t.ref.spec}" there`
        : `If it is missing on the mail server too, smtp(8) logs that ${t.ref.spec} is unavailable and every delivery that consults the table is deferred until it exists`;
      // A table that is simply absent here counts as --files counts a missing certificate: only for the live
      // configuration or with --files on. A config repo or CI job rarely holds the generated tables.
      const absentHere = t.readError === 'no such file' && !(options.files?.live || options.files?.mode === 'on');
      const severity = absentHere ? 'info' : t.ref.indexed ? 'warning' : 'error';
      pushT(makeFinding(policyTableEntryRule, settings, locator, h.file, h.range, 'missing', { ...data, path: t.ref.sourcePath ?? t.ref.name, reason: t.readError, effect }, h.param, severity));
      continue;
    }
    const file = t.entryFile!;
    const tableName = t.ref.spec;
    const tableId = `${file}\0${t.ref.spec}`;
    if (!doneTables.has(tableId)) {
      for (const p of t.lineProblems) pushT(makeFinding(policyTableEntryRule, settings, locator, file, p.range, 'tableLine', { table: tableName, problem: p.message }, h.param, 'warning'));
    }
    const baseline = t.model === config.model ? mainBaseline() : baselines.get(t.model) ?? baselineOf(run(t.model, rules));
    baselines.set(t.model, baseline);
    const ruleSet = rules.filter((r) => !GLOBAL_SCOPE_RULES.has(r.meta.id) && !isServerRule(r));
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
      // The entry is judged against its own next hop and names: each peer as the server of this destination.
      const entryFacts: LintFacts = entry.matchesAll || !facts.peers ? facts : { ...facts, peers: facts.peers.map((p) => peerForDestination(p, entry.key)) };
      const prefix = `policy for "${entry.key}": `;
      for (const f of run(em.model, ruleSet, entryFacts)) {
        if (alreadyReported(baseline, f, sites)) continue;
        const moved = capForScope(relocate(f, config.main, locator, sites, fallback, prefix), 'entry');
        // Rules name a placeholder MX in posttls-finger commands; here the next hop is known.
        const target = entry.matchesAll ? null : entry.key.replace(/^\./, '');
        // Predictions for the destination name a stand-in MX (mx.DOMAIN): posttls-finger looks the real one up.
        const finding = target && moved.confirm ? { ...moved, confirm: moved.confirm.replace(/"\$\{NEXTHOP:\?[^}"]*\}"/, `"${target}"`).replace(`"[mx.${target}]"`, `"${target}"`) } : moved;
        entryFindings.push({ finding, prefix, key: entry.key, table: tableId });
      }
    }
    doneTables.add(tableId);
  }
  for (const f of [...tableFindings, ...mergeEntryFindings(entryFindings)]) push(f);
  for (const f of lintFiles(config, sources, options.files, rules, settings)) push(f);

  const files = [config.main.path, ...(master ? [master.path] : [])];
  for (const t of config.tables) if (t.entryFile && !files.includes(t.entryFile)) files.push(t.entryFile);
  for (const f of out) if (!files.includes(f.file)) files.push(f.file);
  const order = (f: Finding) => files.indexOf(f.file);
  out.sort((a, b) => order(a) - order(b) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  return { config, facts, findings: out, files };
}
