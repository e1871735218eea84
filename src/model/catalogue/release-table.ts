/**
 * The generated all-parameter table (all-parameters.ts), decoded on first use: for a Postfix
 * version, the release it stands for and every parameter postconf of that release knows, with
 * its postconf type and `postconf -d` default text.
 *
 * Version forms: "3.7.11" is that patch release (or the newest one before it that the table
 * has, e.g. a future 3.7.30 uses 3.7.22's table); a bare line "3.7" stands for its latest patch
 * release; versions newer than the table use its newest release. Versions before the oldest
 * table release (2.11.0) and malformed ones have no table.
 */
import { ALL_PARAMETERS_JSON, DOCUMENTED_SINCE_JSON } from './all-parameters.js';
import { parseVersion } from '../version.js';
import type { DefaultSpan } from './types.js';

/** postconf's parameter tables (see scripts/gen-all-params.mjs). */
export type PostconfType = 'str' | 'bool' | 'int' | 'time' | 'raw' | 'nint' | 'nbool' | 'long' | 'str-fn' | 'adhoc' | 'legacy';

interface TableData {
  readonly releases: readonly string[];
  readonly types: readonly PostconfType[];
  readonly values: readonly string[];
  /** name -> spans; names in byte order. */
  readonly params: Readonly<Record<string, readonly number[]>>;
  /** Names that are raw, legacy, read-only or computed in some release. */
  readonly special: readonly string[];
}

/** The parameters of one release, looked up (and remembered) name by name. */
export interface ReleaseParameters extends Iterable<[string, ReleaseParameter]> {
  get(name: string): ReleaseParameter | undefined;
  has(name: string): boolean;
}

export interface ReleaseParameter {
  readonly type: PostconfType;
  /** `postconf -d` text; "" for computed defaults (str-fn, adhoc) and legacy names. */
  readonly value: string;
}

export interface ReleaseTable {
  /** The release the table is for, e.g. "3.7.22". */
  readonly release: string;
  /** Every name postconf of this release knows (built-in, computed, read-only and legacy). */
  readonly parameters: ReleaseParameters;
  /** The names `postconf -d` lists (everything but legacy names), sorted (computed on first use). */
  readonly builtinNames: readonly string[];
  /** Names whose values postconf never expands (raw parameters). */
  readonly raw: ReadonlySet<string>;
  /** Migration aliases postconf knows although `postconf -d` does not list them. */
  readonly legacy: ReadonlySet<string>;
  /** Names postconf computes (myhostname, mydomain, mynetworks) or sets itself (read-only: process_name, process_id...). */
  readonly computed: ReadonlySet<string>;
  /** Read-only names: a main.cf assignment is ignored ("read-only parameter assignment"). */
  readonly readOnly: ReadonlySet<string>;
}

let data: TableData | undefined;
function table(): TableData {
  if (!data) data = JSON.parse(ALL_PARAMETERS_JSON) as TableData;
  return data;
}

/** A release line ("3.7") in the table: its first release's index and its number of patch releases. */
interface Line {
  readonly major: number;
  readonly minor: number;
  readonly first: number;
  readonly count: number;
}

/** The table's lines, oldest first; a line's patch releases are consecutive from .0 (test/catalogue checks). */
let lineStarts: Line[] | undefined;
function lines(): Line[] {
  if (!lineStarts) {
    const list: Line[] = [];
    const releases = table().releases;
    for (let i = 0; i < releases.length; i++) {
      const [major, minor] = releases[i].split('.').map(Number);
      const last = list[list.length - 1];
      if (last && last.major === major && last.minor === minor) list[list.length - 1] = { ...last, count: last.count + 1 };
      else list.push({ major, minor, first: i, count: 1 });
    }
    lineStarts = list;
  }
  return lineStarts;
}

const indexByVersion = new Map<string, number>();

/** Index into the release list for a version string, or -1 (before the table, or malformed). */
export function releaseIndex(version: string): number {
  const cached = indexByVersion.get(version);
  if (cached !== undefined) return cached;
  const p = parseVersion(version);
  let index = -1;
  if (p) {
    // A bare line ("3.7", "3.10-20250101") stands for its latest patch release.
    const explicitPatch = /^\s*\d+\.\d+\.\d+/.test(version);
    for (const l of lines()) {
      if (l.major > p[0] || (l.major === p[0] && l.minor > p[1])) break;
      const sameLine = l.major === p[0] && l.minor === p[1];
      index = l.first + (sameLine && explicitPatch ? Math.min(p[2], l.count - 1) : l.count - 1);
    }
  }
  if (indexByVersion.size >= 256) indexByVersion.clear(); // bounded: versions may come from user input
  indexByVersion.set(version, index);
  return index;
}

/** The release a version stands for ("3.7" -> "3.7.22"), or undefined outside the table. */
export function releaseFor(version: string): string | undefined {
  const i = releaseIndex(version);
  return i < 0 ? undefined : table().releases[i];
}

/** Every release in the table, oldest first. */
export function tableReleases(): readonly string[] {
  return table().releases;
}

let since: Readonly<Record<string, string>> | undefined;

/** "available in Postfix X.Y and later" from postconf.5, for names that predate the table. */
export function documentedSince(name: string): string | undefined {
  since ??= JSON.parse(DOCUMENTED_SINCE_JSON) as Record<string, string>;
  return Object.prototype.hasOwnProperty.call(since, name) ? since[name] : undefined;
}

/** Releases (indices) from which a name exists, as [from, until) pairs; until = -1 means still there. */
export function existenceRanges(name: string): { from: string; until?: string }[] {
  const t = table();
  const spans = t.params[name];
  const out: { from: string; until?: string }[] = [];
  if (!spans) return out;
  for (let i = 0; i < spans.length; i += 3) {
    const exists = spans[i + 1] >= 0;
    const open = out.length > 0 && out[out.length - 1].until === undefined;
    if (exists && !open) out.push({ from: t.releases[spans[i]] });
    else if (!exists && open) out[out.length - 1].until = t.releases[spans[i]];
  }
  return out;
}

/** The (type, value) history of one name: one entry per change, oldest first; undefined entries mean "absent". */
export function parameterHistory(name: string): { release: string; parameter: ReleaseParameter | undefined }[] {
  const t = table();
  const spans = t.params[name] ?? [];
  const out: { release: string; parameter: ReleaseParameter | undefined }[] = [];
  for (let i = 0; i < spans.length; i += 3) {
    out.push({ release: t.releases[spans[i]], parameter: spans[i + 1] < 0 ? undefined : { type: t.types[spans[i + 1]], value: t.values[spans[i + 2]] } });
  }
  return out;
}

const tables = new Map<number, ReleaseTable>();

/** The table of the release a version stands for (built once per release), or undefined outside the table. */
export function releaseTable(version: string): ReleaseTable | undefined {
  const index = releaseIndex(version);
  if (index < 0) return undefined;
  let t = tables.get(index);
  if (!t) {
    t = buildReleaseTable(index);
    tables.set(index, t);
  }
  return t;
}

/** The (type, value) a name has in release `index`, from its spans. */
function parameterAt(t: TableData, name: string, index: number): ReleaseParameter | undefined {
  const spans = Object.prototype.hasOwnProperty.call(t.params, name) ? t.params[name] : undefined;
  if (!spans) return undefined;
  let type = -1;
  let value = -1;
  for (let i = 0; i < spans.length && spans[i] <= index; i += 3) {
    type = spans[i + 1];
    value = spans[i + 2];
  }
  return type < 0 ? undefined : { type: t.types[type], value: t.values[value] };
}

class LazyParameters implements ReleaseParameters {
  private readonly seen = new Map<string, ReleaseParameter | null>();
  constructor(
    private readonly t: TableData,
    private readonly index: number,
  ) {}

  get(name: string): ReleaseParameter | undefined {
    let p = this.seen.get(name);
    if (p === undefined) {
      p = parameterAt(this.t, name, this.index) ?? null;
      // Bounded: names may come from user input.
      if (this.seen.size < 10_000) this.seen.set(name, p);
    }
    return p ?? undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  *[Symbol.iterator](): IterableIterator<[string, ReleaseParameter]> {
    for (const name in this.t.params) {
      const p = this.get(name);
      if (p) yield [name, p];
    }
  }
}

function buildReleaseTable(index: number): ReleaseTable {
  const t = table();
  const parameters = new LazyParameters(t, index);
  const raw = new Set<string>();
  const legacy = new Set<string>();
  const computed = new Set<string>();
  const readOnly = new Set<string>();
  for (const name of t.special) {
    const p = parameters.get(name);
    if (!p) continue;
    if (p.type === 'legacy') legacy.add(name);
    if (p.type === 'raw') raw.add(name);
    if (p.type === 'str-fn' || p.type === 'adhoc') computed.add(name);
    if (p.type === 'adhoc') readOnly.add(name);
  }
  let builtinNames: readonly string[] | undefined;
  return {
    release: t.releases[index],
    parameters,
    get builtinNames() {
      // The generator writes names in byte order.
      builtinNames ??= Object.freeze([...parameters].filter(([, p]) => p.type !== 'legacy').map(([name]) => name));
      return builtinNames;
    },
    raw,
    legacy,
    computed,
    readOnly,
  };
}

/** A release as catalogue spans name it: "3.9.0" is "3.9", other patch releases stay as they are. */
function spanName(release: string): string {
  return release.endsWith('.0') ? release.slice(0, -2) : release;
}

/** The catalogue view of a name's history: default changes while it exists, and the release that removed it. */
export function defaultSpans(name: string): { readonly defaults: readonly DefaultSpan[]; readonly until?: string } {
  const defaults: DefaultSpan[] = [];
  let until: string | undefined;
  for (const { release, parameter } of parameterHistory(name)) {
    if (parameter === undefined || parameter.type === 'legacy') {
      if (defaults.length > 0) until = spanName(release);
      continue;
    }
    until = undefined;
    if (defaults.length === 0 || defaults[defaults.length - 1].value !== parameter.value) defaults.push({ from: spanName(release), value: parameter.value });
  }
  return { defaults, ...(until !== undefined ? { until } : {}) };
}
