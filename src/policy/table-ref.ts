/**
 * The tables named by smtp_tls_policy_maps (or the legacy smtp_tls_per_site):
 * which ones this tool can read, and where their source text lives. Pure:
 * paths are computed, never opened (the CLI reads them).
 */
import { posix } from 'node:path';
import { extractBraces, splitNameValue } from '../parser/master-cf.js';
import type { Range } from '../parser/types.js';
import { foldKey, type TableEntry, type TableLineProblem } from './source-table.js';
import { COMMA_SP, splitBraced, type Span } from './tokens.js';

/** Types whose source is a text file in postmap(1) format (indexed ones after `postmap`). */
export const INDEXED_TYPES: readonly string[] = ['hash', 'btree', 'lmdb', 'cdb', 'dbm', 'sdbm'];
export const TEXT_TYPES: readonly string[] = ['texthash'];

export type TableClass = 'source-file' | 'inline' | 'static' | 'unread' | 'malformed';

export interface TableRef {
  /** The parameter that names the table (smtp_tls_policy_maps, smtp_tls_per_site, lmtp_...). */
  readonly param: string;
  /** "type:name" as it appears in the (expanded) value. */
  readonly spec: string;
  readonly type: string;
  readonly name: string;
  readonly cls: TableClass;
  /** Indexed types are read from a database that `postmap` builds from the source file. */
  readonly indexed: boolean;
  /** Where the spec sits in the expanded parameter value. */
  readonly span: Span;
  /** Source-file tables: the file postmap reads, resolved to an absolute path. */
  readonly sourcePath?: string;
  /** Absolute paths to try, in order (see resolveTablePath). */
  readonly candidates?: readonly string[];
  /** The name is a relative path (smtp(8) resolves it against queue_directory). */
  readonly relative?: boolean;
}

/** The default config_directory of a Postfix installation. */
export const DEFAULT_CONFIG_DIRECTORY = '/etc/postfix';

/**
 * Where to read a table's source. A relative name is taken relative to the
 * config directory (where an admin runs postmap; smtp(8) itself would look in
 * queue_directory, which is reported). An absolute name under /etc/postfix is
 * first looked for in the linted config directory, so a copy of /etc/postfix
 * lints with its own tables, then at the literal path.
 */
export function resolveTablePath(name: string, configDir: string | null): { primary: string; candidates: string[]; relative: boolean } {
  const relative = !name.startsWith('/');
  const dir = configDir ?? DEFAULT_CONFIG_DIRECTORY;
  if (relative) {
    const p = posix.normalize(posix.join(dir, name));
    return { primary: p, candidates: [p], relative };
  }
  const literal = posix.normalize(name);
  const prefix = DEFAULT_CONFIG_DIRECTORY + '/';
  if (configDir && posix.normalize(configDir) !== DEFAULT_CONFIG_DIRECTORY && literal.startsWith(prefix)) {
    const mapped = posix.join(configDir, literal.slice(prefix.length));
    return { primary: mapped, candidates: [mapped, literal], relative };
  }
  return { primary: literal, candidates: [literal], relative };
}

/** Split a maps list ("hash:/a, inline:{ k=v }") into table references. */
export function tableRefs(value: string, param: string, configDir: string | null): TableRef[] {
  const refs: TableRef[] = [];
  for (const span of splitBraced(value, COMMA_SP)) {
    const spec = value.slice(span.start, span.end);
    const colon = spec.indexOf(':');
    if (colon <= 0) {
      refs.push({ param, spec, type: '', name: spec, cls: 'malformed', indexed: false, span });
      continue;
    }
    const type = spec.slice(0, colon).toLowerCase();
    const name = spec.slice(colon + 1);
    if (INDEXED_TYPES.includes(type) || TEXT_TYPES.includes(type)) {
      const r = resolveTablePath(name, configDir);
      refs.push({ param, spec, type, name, cls: 'source-file', indexed: INDEXED_TYPES.includes(type), span, sourcePath: r.primary, candidates: r.candidates, relative: r.relative });
    } else if (type === 'inline') {
      refs.push({ param, spec, type, name, cls: 'inline', indexed: false, span });
    } else if (type === 'static') {
      refs.push({ param, spec, type, name, cls: 'static', indexed: false, span });
    } else {
      refs.push({ param, spec, type, name, cls: 'unread', indexed: false, span });
    }
  }
  return refs;
}

export interface InlineTable {
  readonly entries: TableEntry[];
  readonly problems: TableLineProblem[];
}

/**
 * inline:{ key=value, { key = value with blanks } } (dict_inline): entries
 * whose ranges come from `locate`, a map from offsets in the parameter value
 * to file ranges.
 */
export function parseInlineTable(ref: TableRef, locate: (s: number, e: number) => Range, line: number): InlineTable {
  const entries: TableEntry[] = [];
  const problems: TableLineProblem[] = [];
  const base = ref.span.start + ref.type.length + 1;
  const name = ref.name;
  const outer = extractBraces(name);
  if (!outer.braced || outer.error) {
    problems.push({ code: 'expected-key-value', message: `${ref.spec}: an inline table is written inline:{ key=value, ... }; Postfix rejects this one`, range: locate(ref.span.start, ref.span.end), line });
    return { entries, problems };
  }
  const inner = name.slice(outer.start, outer.end);
  const seen = new Set<string>();
  for (const t of splitBraced(inner, COMMA_SP)) {
    const tokStart = outer.start + t.start;
    const tokEnd = outer.start + t.end;
    let from = tokStart;
    let to = tokEnd;
    if (name[tokStart] === '{') {
      const x = extractBraces(name, tokStart, tokEnd);
      from = x.start;
      to = x.end;
    }
    const nv = splitNameValue(name, from, to);
    const at = (s: number, e: number): Range => locate(base + s, base + e);
    if (!nv.ok) {
      problems.push({ code: 'expected-key-value', message: `"${name.slice(tokStart, tokEnd)}" in ${ref.type}: is not key=value; Postfix rejects the table`, range: at(tokStart, tokEnd), line });
      continue;
    }
    const key = name.slice(nv.nameStart, nv.nameEnd);
    const foldedKey = foldKey(key);
    const effective = !seen.has(foldedKey);
    seen.add(foldedKey);
    const vs = nv.valueStart;
    entries.push({
      key,
      foldedKey,
      value: name.slice(nv.valueStart, nv.valueEnd),
      keyRange: at(nv.nameStart, nv.nameEnd),
      valueRange: at(nv.valueStart, nv.valueEnd),
      range: at(tokStart, tokEnd),
      line,
      endLine: line,
      valueSpan: (s, e) => at(vs + s, vs + e),
      effective,
    });
  }
  return { entries, problems };
}

/** static:value (or static:{ value with blanks }): one entry that matches every destination. */
export function parseStaticTable(ref: TableRef, locate: (s: number, e: number) => Range, line: number): InlineTable {
  const base = ref.span.start + ref.type.length + 1;
  const x = extractBraces(ref.name);
  const vs = x.start;
  const at = (s: number, e: number): Range => locate(base + s, base + e);
  return {
    entries: [
      {
        key: '*',
        foldedKey: '*',
        value: ref.name.slice(x.start, x.end),
        keyRange: locate(ref.span.start, ref.span.start + ref.type.length),
        valueRange: at(x.start, x.end),
        range: locate(ref.span.start, ref.span.end),
        line,
        endLine: line,
        valueSpan: (s, e) => at(vs + s, vs + e),
        effective: true,
        matchesAll: true,
      },
    ],
    problems: [],
  };
}
