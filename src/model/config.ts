/**
 * The configuration model: what Postfix sees when it reads one main.cf,
 * for one Postfix version. Pure: built from a parsed file and a version.
 */
import type { MainCfFile, ParamNode } from '../parser/main-cf.js';
import { foldWhitespace } from '../parser/main-cf.js';
import { defaultFor, isKnownParameterName } from './catalogue/index.js';
import { expandValue, type ExpandDiagnostic } from '../expand/expand.js';

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

  constructor(
    readonly file: MainCfFile,
    /** Postfix version the model is evaluated for, e.g. "3.7" or "3.7.11". */
    readonly version: string,
    /** Values that win over the file (e.g. master.cf -o overrides, or policy attributes). */
    private readonly overrides: ReadonlyMap<string, string> = new Map(),
  ) {
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
    return new ConfigModel(this.file, this.version, merged);
  }

  /** The definition that wins (the last one), if the file sets the name. */
  definition(name: string): ParamNode | undefined {
    const list = this.definitions.get(name);
    return list ? list[list.length - 1] : undefined;
  }

  isSet(name: string): boolean {
    return this.overrides.has(name) || this.definitions.has(name);
  }

  /** Raw value as Postfix would use it, or undefined when the name has no value in this version. */
  resolve(name: string): ResolvedValue | undefined {
    const o = this.overrides.get(name);
    if (o !== undefined) return { name, raw: foldWhitespace(o), source: 'override' };
    const node = this.definition(name);
    if (node) return { name, raw: node.value, source: 'file', node };
    const d = defaultFor(name, this.version);
    if (d === undefined) return undefined;
    return { name, raw: d, source: 'default' };
  }

  raw(name: string): string | undefined {
    return this.resolve(name)?.raw;
  }

  /** Value with $name references expanded recursively, as `postconf -x` prints it. */
  expand(name: string): ExpandedValue {
    const cached = this.expandedCache.get(name);
    if (cached) return cached;
    const raw = this.raw(name) ?? '';
    const r = expandValue(raw, (n) => this.raw(n));
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
