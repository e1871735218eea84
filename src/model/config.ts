/**
 * The configuration model: what Postfix sees when it reads one main.cf,
 * for one Postfix version, on one machine (the environment: configuration
 * directory, host name, interfaces). Pure: built from a parsed file, a
 * version and the environment as data.
 */
import type { MainCfFile, ParamNode } from '../parser/main-cf.js';
import { foldWhitespace } from '../parser/main-cf.js';
import { isKnownParameterName, releaseTable, type ReleaseTable } from './catalogue/index.js';
import { ExpansionMemo, expandValue, type ExpandDiagnostic } from '../expand/expand.js';
import { computeMynetworks, DEFAULT_HOSTNAME, defaultMydomain, defaultMyhostname, defaultMynetworks, type PostfixEnvironment } from './environment.js';

export type { PostfixEnvironment, InterfaceAddress } from './environment.js';

export interface ResolvedValue {
  readonly name: string;
  /** Raw (unexpanded) value text as postconf prints it: whitespace folded. */
  readonly raw: string;
  /** Where it comes from: the winning definition in the file, or the version's default. */
  readonly source: 'file' | 'default' | 'override';
  /** The winning definition when source is 'file'. */
  readonly node?: ParamNode;
}

export interface ExpandedValue {
  readonly value: string;
  readonly ok: boolean;
  readonly diagnostics: readonly ExpandDiagnostic[];
}

export class ConfigModel {
  /** Every definition per name, in file order (for duplicate and shadowing rules). */
  readonly definitions: ReadonlyMap<string, readonly ParamNode[]>;
  private readonly expandedCache = new Map<string, ExpandedValue>();
  private readonly computedCache = new Map<string, string>();
  /** `$name` expansions shared by every value this model expands (one lookup: raw()). */
  readonly expansionMemo = new ExpansionMemo();
  /** The same for settingEvaluated's lookup (settings only). */
  private readonly settingMemo = new ExpansionMemo();
  /** The release table of `version` (undefined before 2.11 or when malformed). */
  private readonly table: ReleaseTable | undefined;

  constructor(
    readonly file: MainCfFile,
    /** Postfix version the model is evaluated for, e.g. "3.7" or "3.7.11". */
    readonly version: string,
    /** Values that win over the file (e.g. master.cf -o overrides, or policy attributes). */
    private readonly overrides: ReadonlyMap<string, string> = new Map(),
    /** The machine: configuration directory, host name, interfaces (see environment.ts). */
    readonly environment: PostfixEnvironment = {},
  ) {
    this.table = releaseTable(version);
    const defs = new Map<string, ParamNode[]>();
    for (const p of file.params) {
      const list = defs.get(p.name);
      if (list) list.push(p);
      else defs.set(p.name, [p]);
    }
    this.definitions = defs;
  }

  /** A copy of this model with some parameters overridden. */
  withOverrides(overrides: ReadonlyMap<string, string>): ConfigModel {
    const merged = new Map(this.overrides);
    for (const [k, v] of overrides) merged.set(k, v);
    return new ConfigModel(this.file, this.version, merged, this.environment);
  }

  /** The definition that wins (the last one), if the file sets the name. */
  definition(name: string): ParamNode | undefined {
    const list = this.definitions.get(name);
    return list ? list[list.length - 1] : undefined;
  }

  isSet(name: string): boolean {
    return this.overrides.has(name) || this.definitions.has(name);
  }

  /**
   * Raw value as Postfix would use it, or undefined when the name has no value in this version.
   * A main.cf assignment to a read-only parameter (process_name, process_id) is ignored, as
   * Postfix does; computed defaults (config_directory, myhostname, mydomain, mynetworks,
   * mail_version, process_name, process_id) come from the environment.
   */
  resolve(name: string): ResolvedValue | undefined {
    const o = this.overrides.get(name);
    if (o !== undefined) return { name, raw: foldWhitespace(o), source: 'override' };
    const param = this.table?.parameters.get(name);
    const node = param?.type === 'adhoc' ? undefined : this.definition(name);
    if (node) return { name, raw: node.value, source: 'file', node };
    if (!param) return undefined;
    return { name, raw: this.computedDefault(name, param.value), source: 'default' };
  }

  /** A default that depends on the environment or the release, else the table's text. */
  private computedDefault(name: string, tableValue: string): string {
    switch (name) {
      case 'config_directory':
        return this.environment.configDirectory ?? tableValue;
      case 'mail_version': {
        // The table's release says what Postfix prints ("3.9" for 3.9.0); a patch release the
        // table does not have yet (3.7.99) is itself.
        const v = this.version.trim();
        return /^\d+\.\d+\.\d+$/.test(v) && this.table?.release !== v ? v : tableValue;
      }
      case 'process_name':
        return this.table?.readOnly.has(name) ? (this.environment.processName ?? 'postconf') : tableValue;
      case 'process_id':
        return this.table?.readOnly.has(name) ? String(this.environment.processId ?? 0) : tableValue;
      case 'myhostname':
      case 'mydomain':
      case 'mynetworks': {
        let value = this.computedCache.get(name);
        if (value === undefined) {
          value = this.computeHostDefault(name);
          this.computedCache.set(name, value);
        }
        return value;
      }
      default:
        return tableValue;
    }
  }

  private computeHostDefault(name: 'myhostname' | 'mydomain' | 'mynetworks'): string {
    if (name === 'mynetworks') return defaultMynetworks(this.environment, (n) => this.startupValue(n));
    const myhostname = defaultMyhostname(this.environment, this.settingEvaluated('mydomain')?.value);
    return name === 'myhostname' ? myhostname : defaultMydomain(this.settingEvaluated('myhostname')?.value ?? myhostname);
  }

  /**
   * postconf's mail_conf_lookup_eval(): a name's main.cf (or -o, or -c) setting, expanded with
   * settings only (defaults are not consulted; an unset name expands to nothing). Undefined when
   * the name is not set.
   */
  private settingEvaluated(name: string): { value: string; ok: boolean; message?: string } | undefined {
    const setting = (n: string): string | undefined =>
      this.overrides.get(n) ?? this.definition(n)?.value ?? (n === 'config_directory' ? this.environment.configDirectory : undefined);
    const value = setting(name);
    if (value === undefined) return undefined;
    const r = expandValue(value, setting, { memo: this.settingMemo });
    const problem = r.diagnostics.find((d) => d.code !== 'undefined');
    return { value: r.value, ok: r.ok, ...(problem ? { message: problem.message } : {}) };
  }

  /** What the computation of mynetworks reads: the setting evaluated as above, else the expanded default. */
  private startupValue(name: string): string {
    return this.settingEvaluated(name)?.value ?? this.value(name);
  }

  /**
   * Why postconf would stop before printing anything while it computes the defaults it scans
   * at start-up (every query but -d): a macro error in the main.cf value of mydomain, myhostname,
   * inet_interfaces, mynetworks_style or inet_protocols when it evaluates them, or a
   * mynetworks_style / inet_protocols value it does not know. Undefined when there is none.
   */
  startupError(): string | undefined {
    const evaluated = (n: string) => {
      const r = this.settingEvaluated(n);
      return r && !r.ok ? `dictionary mail_dict: macro processing error${r.message ? ` (${n}: ${r.message})` : ''}` : undefined;
    };
    const hostname = this.environment.hostname ?? DEFAULT_HOSTNAME;
    if (!this.isSet('myhostname') && !hostname.includes('.')) {
      const e = evaluated('mydomain');
      if (e) return e;
    }
    if (!this.isSet('mydomain')) {
      const e = evaluated('myhostname');
      if (e) return e;
    }
    if (!this.isSet('mynetworks') && this.table?.parameters.has('mynetworks')) {
      for (const n of ['inet_interfaces', 'mynetworks_style', 'inet_protocols']) {
        const e = evaluated(n);
        if (e) return e;
      }
      const r = computeMynetworks(this.environment, (n) => this.startupValue(n));
      if ('error' in r) return r.error;
    }
    return undefined;
  }

  raw(name: string): string | undefined {
    return this.resolve(name)?.raw;
  }

  /** Value with $name references expanded recursively, as `postconf -x` prints it. */
  expand(name: string): ExpandedValue {
    const cached = this.expandedCache.get(name);
    if (cached) return cached;
    const raw = this.raw(name) ?? '';
    const r = expandValue(raw, (n) => this.raw(n), { memo: this.expansionMemo });
    const result: ExpandedValue = { value: foldWhitespace(r.value), ok: r.ok, diagnostics: r.diagnostics };
    this.expandedCache.set(name, result);
    return result;
  }

  /** Expanded value, or '' when expansion failed. */
  value(name: string): string {
    return this.expand(name).value;
  }

  /** Whether the name is one Postfix of this version knows. */
  isKnown(name: string): boolean {
    return isKnownParameterName(name, this.version);
  }

  /** compatibility_level as set in the file (or its default "0"). */
  get compatibilityLevel(): string {
    return this.value('compatibility_level') || '0';
  }
}
