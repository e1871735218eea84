/**
 * --vars: render a Jinja2 template with real values, using nunjucks (a
 * maintained Jinja2-compatible engine), and map the output back to template
 * offsets. Before rendering, a marker carrying its template offset is put at
 * the start of every line's literal text and after tags followed by literal
 * text (never where Jinja2 whitespace control would then strip differently);
 * after rendering, the markers say where each piece of output comes from, and
 * output that matches the template byte for byte from a marker on is literal
 * (a fix may edit it).
 *
 * Where nunjucks differs from Jinja2, and what is done about it:
 * - it prints None/True/False/lists/dicts the JavaScript way: output goes
 *   through a printer that prints them like Python (None, True, ['a', 'b']);
 * - it lacks Jinja2's count filter, none/boolean tests, str.join/strip/... and
 *   the Ansible filters roles use (bool, ternary, comment, mandatory,
 *   regex_replace, to_json): they are added here;
 * - an undefined variable: Jinja2's Undefined prints as '' and iterates as an
 *   empty list, and "x in undefined" is false; nunjucks filters and "in" fail
 *   on undefined: they get '' or [] instead (Jinja2 still stops on an
 *   attribute of an undefined variable, where nunjucks gives undefined);
 * - {% do %}, {% include %} and Ansible lookups are not supported: rendering
 *   stops with an error that names the template line (lint without --vars);
 * - whitespace: trim_blocks on and the final newline kept, as Ansible's
 *   template module renders; nunjucks does not drop the line break after a
 *   comment or {% endraw %} (Jinja2 does): dropped before rendering.
 */
import type { FrontEndResult, Piece } from './types.js';
import { jinja2 } from './syntax/jinja2.js';

export interface VarsRenderer {
  render(text: string, path: string): FrontEndResult;
}

export class TemplateRenderError extends Error {
  constructor(readonly line: number | null, message: string) {
    super(message);
  }
}

/** The subset of the nunjucks module used here. */
export interface NunjucksModule {
  Environment: new (loader: null, opts: Record<string, unknown>) => {
    renderString(src: string, ctx: object): string;
    addFilter(name: string, fn: (...args: never[]) => unknown): void;
    addTest(name: string, fn: (...args: never[]) => boolean): void;
  };
  runtime: Record<string, unknown>;
  installJinjaCompat(): void;
}

const MARK = /\x01(\d+)\x02/g;

/** Python's repr()/str() of a value, as Jinja2 prints it. */
export function pythonStr(v: unknown, nested = false): string {
  if (v === null || v === undefined) return nested ? 'None' : v === null ? 'None' : '';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return nested ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : v;
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(v);
  if (Array.isArray(v)) return `[${v.map((x) => pythonStr(x, true)).join(', ')}]`;
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pythonStr(k, true)}: ${pythonStr(x, true)}`).join(', ')}}`;
  }
  return String(v);
}

let installed = false;

/** Make the nunjucks runtime behave like Jinja2 where templates notice (process-wide: only --vars loads nunjucks). */
function install(n: NunjucksModule): void {
  if (installed) return;
  installed = true;
  n.installJinjaCompat();
  const rt = n.runtime as { suppressValue: (v: unknown, esc: boolean) => unknown; memberLookup: (o: unknown, k: unknown) => unknown; inOperator: unknown; SafeString: new (s: string) => unknown };
  const suppress = rt.suppressValue;
  rt.suppressValue = (v: unknown, esc: boolean) => suppress(v instanceof rt.SafeString ? v : pythonStr(v), esc);
  // "x in undefined" is false in Jinja2 (Undefined iterates as empty); nunjucks throws.
  const inOperator = rt.inOperator as (a: unknown, b: unknown) => boolean;
  rt.inOperator = (key: unknown, container: unknown) => (container === undefined || container === null ? false : inOperator(key, container));
  const lookup = rt.memberLookup;
  const STRING_METHODS: Record<string, (s: string) => unknown> = {
    join: (s) => (xs: unknown[] | undefined) => (xs ?? []).map((x) => pythonStr(x)).join(s),
    strip: (s) => (chars?: string) => (chars ? s.replace(new RegExp(`^[${escapeClass(chars)}]+|[${escapeClass(chars)}]+$`, 'g'), '') : s.trim()),
    lstrip: (s) => () => s.trimStart(),
    rstrip: (s) => () => s.trimEnd(),
    lower: (s) => () => s.toLowerCase(),
    upper: (s) => () => s.toUpperCase(),
    startswith: (s) => (p: string) => s.startsWith(p),
    endswith: (s) => (p: string) => s.endsWith(p),
    replace: (s) => (a: string, b: string) => s.split(a).join(b),
    split: (s) => (sep?: string) => (sep === undefined ? s.split(/\s+/).filter((x) => x !== '') : s.split(sep)),
  };
  rt.memberLookup = (obj: unknown, key: unknown) => {
    if (typeof obj === 'string' && typeof key === 'string' && Object.prototype.hasOwnProperty.call(STRING_METHODS, key)) return STRING_METHODS[key](obj);
    return lookup(obj, key);
  };
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}

function truthy(v: unknown): boolean {
  if (typeof v === 'string') return ['yes', 'on', '1', 'true', 'y', 't'].includes(v.toLowerCase());
  return v === true || v === 1;
}

/** Filters that take a list: Jinja2's Undefined is an empty list to them (and an empty string to the others). */
const LIST_FILTERS = new Set(['join', 'first', 'last', 'list', 'sort', 'reverse', 'batch', 'groupby', 'select', 'reject', 'selectattr', 'rejectattr', 'sum', 'unique', 'dictsort', 'slice', 'length', 'count', 'map']);

/** Jinja2's Undefined prints as '' and iterates as []; nunjucks filters fail on undefined: give them what Jinja2 would. */
function undefinedSafeFilters(env: { filters?: Record<string, (...args: unknown[]) => unknown> }): void {
  const filters = env.filters ?? {};
  for (const [name, fn] of Object.entries(filters)) {
    if (name === 'default' || name === 'd' || name === 'mandatory') continue;
    filters[name] = function (this: unknown, first: unknown, ...rest: unknown[]) {
      return fn.call(this, first === undefined ? (LIST_FILTERS.has(name) ? [] : '') : first, ...rest);
    };
  }
}

function addJinjaAndAnsibleFilters(env: InstanceType<NunjucksModule['Environment']>): void {
  const add = (name: string, fn: (...args: never[]) => unknown) => env.addFilter(name, fn);
  add('count', ((v: unknown) => (v == null ? 0 : typeof v === 'object' ? (Array.isArray(v) ? v.length : Object.keys(v as object).length) : String(v).length)) as never);
  add('bool', truthy as never);
  add('ternary', ((v: unknown, a: unknown, b: unknown) => (v ? a : b)) as never);
  add('mandatory', ((v: unknown) => {
    if (v === undefined) throw new Error('Mandatory variable not defined.');
    return v;
  }) as never);
  add('comment', ((v: unknown) => `#\n# ${pythonStr(v).split('\n').join('\n# ')}\n#`) as never);
  add('regex_replace', ((v: unknown, re: string, by = '') => pythonStr(v).replace(new RegExp(re, 'g'), by.replace(/\\(\d)/g, '$$$1'))) as never);
  add('to_json', ((v: unknown) => JSON.stringify(v)) as never);
  add('tojson', ((v: unknown) => JSON.stringify(v)) as never);
  add('unique', ((v: unknown[]) => [...new Set(v)]) as never);
  env.addTest('none', ((v: unknown) => v === null) as never);
  env.addTest('boolean', ((v: unknown) => typeof v === 'boolean') as never);
  undefinedSafeFilters(env as unknown as { filters?: Record<string, (...args: unknown[]) => unknown> });
}

/** Template offsets of the places that get a marker. */
function markerOffsets(src: string): number[] {
  const { tokens } = jinja2.tokenize(src, {});
  // Literal text as written (before whitespace control): everything outside tags.
  const tags = tokens.filter((t) => t.kind !== 'text');
  const inTag = (p: number) => tags.some((t) => p >= t.start && p < t.end);
  const out: number[] = [];
  const leftTrims = (p: number) => /^\{[{%#]-/.test(src.slice(p, p + 3));
  for (let lineStart = 0; lineStart < src.length; ) {
    const nl = src.indexOf('\n', lineStart);
    const end = nl === -1 ? src.length : nl;
    let p = lineStart;
    while (p < end && (src[p] === ' ' || src[p] === '\t')) p++;
    if (p < end && src[p] !== '\r' && !inTag(p) && !(src[p] === '{' && leftTrims(p)) && !(src[p] === '{' && /[%#]/.test(src[p + 1] ?? ''))) out.push(p);
    lineStart = end + 1;
  }
  for (const t of tags) {
    const after = src[t.end];
    const rightTrims = src[t.end - 3] === '-';
    if (after !== undefined && !/\s/.test(after) && !rightTrims && !(after === '{' && /[{%#]/.test(src[t.end + 1] ?? '')) && !inTag(t.end)) out.push(t.end);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

export function makeVarsRenderer(n: NunjucksModule, vars: Record<string, unknown>): VarsRenderer {
  install(n);
  const env = new n.Environment(null, { autoescape: false, trimBlocks: true, lstripBlocks: false, throwOnUndefined: false });
  addJinjaAndAnsibleFilters(env);
  const renderString = (src: string, ctx: object, lineOf: (offset: number) => number): string => {
    try {
      return env.renderString(src, ctx);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const m = /\[Line (\d+), Column \d+\]/.exec(msg);
      throw new TemplateRenderError(m ? lineOf(Number(m[1])) : null, msg.replace(/^\(unknown path\)\s*/, '').replace(/\s+/g, ' ').trim());
    }
  };
  // Ansible resolves variables that refer to other variables ("{{ other }}") when used: do so a few times.
  const ctx = resolveNested(vars, (s) => renderString(s, vars, () => 0));
  return {
    render(text: string, path: string): FrontEndResult {
      const offsets = markerOffsets(text);
      let marked = '';
      let pos = 0;
      // Marked-text line -> template line (markers add no newlines, so lines agree).
      for (const o of offsets) {
        marked += text.slice(pos, o) + `\x01${o}\x02`;
        pos = o;
      }
      marked += text.slice(pos);
      // trim_blocks in Jinja2 also drops the line break after a comment and after {% endraw %}; nunjucks keeps it.
      const dropped: number[] = []; // lines (of the text nunjucks gets) after which a line break was dropped
      let droppedSoFar = 0;
      marked = marked.replace(/(\{#(?:(?!#\})[\s\S])*[^-+]#\}|\{%[-+]?\s*endraw\s*%\})\r?\n/g, (_m, tag: string, offset: number, whole: string) => {
        const line = whole.slice(0, offset + tag.length).split('\n').length - droppedSoFar;
        dropped.push(line);
        droppedSoFar++;
        return tag;
      });
      const out = renderString(marked, ctx, (line) => line + dropped.filter((d) => d < line).length);
      return { renderings: [{ main: piecesOf(out, text, path), choices: new Map() }], chains: [], problems: [] };
    },
  };
}

function resolveNested(vars: Record<string, unknown>, render: (s: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...vars };
  for (let pass = 0; pass < 5; pass++) {
    let changed = false;
    for (const [k, v] of Object.entries(out)) {
      if (typeof v === 'string' && /\{[{%]/.test(v)) {
        const r = render(v);
        if (r !== v) {
          out[k] = r;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return out;
}

/** Output with markers -> pieces: from each marker on, the bytes equal to the template are literal, the rest generated. */
function piecesOf(out: string, template: string, file: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let at = 0; // template offset of the last marker
  const generated = (text: string) => {
    if (text) pieces.push({ kind: 'text', text, src: { file, start: at, end: at }, literal: false, path: [] });
  };
  const chunk = (text: string, from: number | null) => {
    if (from === null) {
      generated(text);
      return;
    }
    let k = 0;
    while (k < text.length && template[from + k] === text[k] && !(template[from + k] === '{' && /[{%#]/.test(template[from + k + 1] ?? ''))) k++;
    if (k > 0) pieces.push({ kind: 'text', text: text.slice(0, k), src: { file, start: from, end: from + k }, literal: true, path: [] });
    at = from + k;
    generated(text.slice(k));
  };
  let from: number | null = null;
  for (const m of out.matchAll(MARK)) {
    chunk(out.slice(pos, m.index), from);
    from = Number(m[1]);
    at = from;
    pos = m.index! + m[0].length;
  }
  chunk(out.slice(pos), from);
  return pieces;
}
