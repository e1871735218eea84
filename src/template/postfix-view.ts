/**
 * A rendering's pieces as Postfix text. Placeholders are first rendered as
 * markers and the text parsed, to learn what each one stands for: a whole
 * value (probed with the values the parameter can take), a list item or part
 * of a word (read as nothing / shown as {{name}}), or a parameter name or
 * whole line (the line cannot be judged and is left out). Then each "round"
 * renders every placeholder with one of its values; offsets map back to the
 * pieces. Pure.
 */
import { parseMainCf } from '../parser/main-cf.js';
import type { Piece, PathStep, SourceSpan } from './types.js';

export type SlotRole =
  /** The whole value of `param` (probed, or read as the template default). */
  | { readonly kind: 'whole'; readonly param: string }
  /** One item of a list value of `param`: read as adding nothing. */
  | { readonly kind: 'item'; readonly param: string }
  /** Part of a word or a comment: shown as {{name}}. */
  | { readonly kind: 'shown'; readonly param: string | null };

/** A piece as kept in the rendering (text pieces may be cut when a line is left out). */
export interface Segment {
  readonly piece: Piece;
  /** For text pieces: the part kept, and its offset into the piece's text. */
  readonly text: string;
  readonly offset: number;
}

export interface PreparedFile {
  readonly segments: readonly Segment[];
  readonly roles: ReadonlyMap<number, SlotRole>;
  /** Parameters left out because a placeholder stands in their name (or stands for whole lines). */
  readonly dropped: number;
  /** Of those, lines written whole by a placeholder outside a loop (a macro call, an include): they may set anything. */
  readonly opaque: number;
}

const MARK_OPEN = '\x01';
const MARK_CLOSE = '\x02';
const marker = (id: number) => `${MARK_OPEN}${id}${MARK_CLOSE}`;
const MARKER_RE = /\x01(\d+)\x02/g;

/** {{name}} as shown in a value: no blanks, commas or $ (which Postfix would read). */
export function shownLabel(label: string): string {
  let clean = label.replace(/[^A-Za-z0-9_.\/:@-]+/g, '_');
  let a = 0;
  let b = clean.length;
  while (a < b && clean[a] === '_') a++;
  while (b > a && clean[b - 1] === '_') b--;
  clean = clean.slice(a, b);
  return `{{${clean || 'value'}}}`;
}

function isListSeparator(c: string | undefined): boolean {
  return c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',';
}

function markerText(segments: readonly Segment[]): { text: string; starts: number[] } {
  let text = '';
  const starts: number[] = [];
  for (const s of segments) {
    starts.push(text.length);
    text += s.piece.kind === 'slot' ? marker(s.piece.id) : s.text;
  }
  return { text, starts };
}

/** The segments with the rendered ranges [a, b) cut out. */
function cut(segments: readonly Segment[], starts: readonly number[], ranges: readonly (readonly [number, number])[]): Segment[] {
  if (ranges.length === 0) return [...segments];
  const out: Segment[] = [];
  segments.forEach((s, i) => {
    const a = starts[i];
    const len = s.piece.kind === 'slot' ? marker(s.piece.id).length : s.text.length;
    const b = a + len;
    if (s.piece.kind === 'slot') {
      if (!ranges.some(([x, y]) => a < y && b > x)) out.push(s);
      return;
    }
    let keepFrom = a;
    for (const [x, y] of ranges) {
      if (y <= keepFrom || x >= b) continue;
      if (x > keepFrom) out.push({ piece: s.piece, text: s.text.slice(keepFrom - a, x - a), offset: s.offset + (keepFrom - a) });
      keepFrom = Math.max(keepFrom, y);
    }
    if (keepFrom < b) out.push({ piece: s.piece, text: s.text.slice(keepFrom - a), offset: s.offset + (keepFrom - a) });
  });
  return out;
}

export function prepareMainCf(pieces: readonly Piece[]): PreparedFile {
  const segments: Segment[] = pieces.map((p) => ({ piece: p, text: p.kind === 'text' ? p.text : '', offset: 0 }));
  const { text, starts } = markerText(segments);
  if (!text.includes(MARK_OPEN)) return { segments, roles: new Map(), dropped: 0, opaque: 0 };
  const roles = new Map<number, SlotRole>();
  const drop: [number, number][] = [];
  let opaque = 0;
  const slotById = new Map(pieces.flatMap((p) => (p.kind === 'slot' ? [[p.id, p] as const] : [])));
  const file = parseMainCf(text, 'template');
  for (const node of file.nodes) {
    const body = text.slice(node.range[0], node.range[1]);
    if (!body.includes(MARK_OPEN)) continue;
    if (node.kind === 'comment') {
      for (const m of body.matchAll(MARKER_RE)) roles.set(Number(m[1]), { kind: 'shown', param: null });
      continue;
    }
    if (node.kind !== 'param' || text.slice(node.nameRange[0], node.nameRange[1]).includes(MARK_OPEN)) {
      drop.push([node.range[0], node.range[1]]);
      const lead = /^\s*\x01(\d+)\x02/.exec(body);
      if (lead && !slotById.get(Number(lead[1]))?.inLoop) opaque++;
      continue;
    }
    const value = node.value;
    const rest = value.replace(MARKER_RE, '').trim();
    let first = true;
    for (const m of value.matchAll(MARKER_RE)) {
      const id = Number(m[1]);
      if (rest === '') {
        // Only placeholders: the first stands for the value, the others for nothing.
        roles.set(id, first ? { kind: 'whole', param: node.name } : { kind: 'item', param: node.name });
        first = false;
        continue;
      }
      const before = value[m.index! - 1];
      const after = value[m.index! + m[0].length];
      roles.set(id, isListSeparator(before) && isListSeparator(after) ? { kind: 'item', param: node.name } : { kind: 'shown', param: node.name });
    }
  }
  return { segments: cut(segments, starts, drop), roles, dropped: drop.length, opaque };
}

/** master.cf: a placeholder that is the whole value of "-o name=..." stands for that parameter; others are shown. */
export function prepareMasterCf(pieces: readonly Piece[]): PreparedFile {
  const segments: Segment[] = pieces.map((p) => ({ piece: p, text: p.kind === 'text' ? p.text : '', offset: 0 }));
  const { text } = markerText(segments);
  const roles = new Map<number, SlotRole>();
  for (const m of text.matchAll(/(?:^|[\s{])-o\s+([A-Za-z_][\w]*)\s*=\s*\x01(\d+)\x02(?=[\s}]|$)/g)) roles.set(Number(m[2]), { kind: 'whole', param: m[1] });
  for (const m of text.matchAll(MARKER_RE)) if (!roles.has(Number(m[1]))) roles.set(Number(m[1]), { kind: 'shown', param: null });
  return { segments, roles, dropped: 0, opaque: 0 };
}

/** A policy table: an entry with a placeholder cannot be judged and is left out; the others are linted as written. */
export function prepareTable(pieces: readonly Piece[]): PreparedFile {
  const segments: Segment[] = pieces.map((p) => ({ piece: p, text: p.kind === 'text' ? p.text : '', offset: 0 }));
  const { text, starts } = markerText(segments);
  const drop: [number, number][] = [];
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl + 1;
    if (text.slice(at, end).includes(MARK_OPEN)) drop.push([at, end]);
    at = end;
  }
  return { segments: cut(segments, starts, drop), roles: new Map(), dropped: drop.length, opaque: 0 };
}

/** Where a rendered offset comes from. */
export interface OffsetMap {
  /** Rendered start offset of each segment. */
  readonly starts: readonly number[];
  readonly segments: readonly Segment[];
  readonly length: number;
}

/** Render the prepared file with the given text per slot. */
export function renderPrepared(prepared: PreparedFile, slotText: (piece: Extract<Piece, { kind: 'slot' }>, role: SlotRole | undefined) => string): { text: string; map: OffsetMap; texts: string[] } {
  let text = '';
  const starts: number[] = [];
  const texts: string[] = [];
  for (const s of prepared.segments) {
    starts.push(text.length);
    const t = s.piece.kind === 'slot' ? slotText(s.piece, prepared.roles.get(s.piece.id)) : s.text;
    texts.push(t);
    text += t;
  }
  return { text, map: { starts, segments: prepared.segments, length: text.length }, texts };
}

function segmentAt(map: OffsetMap, offset: number, preferPrevious: boolean): number {
  const { starts } = map;
  let lo = 0;
  let hi = starts.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  // At a boundary, an end offset belongs to the segment before it.
  if (preferPrevious && lo > 0 && starts[lo] === offset) return lo - 1;
  return lo;
}

export interface MappedPoint {
  readonly file: string;
  readonly offset: number;
  /** The offset is inside literal source text (a fix may edit there). */
  readonly literal: boolean;
  readonly path: readonly PathStep[];
  readonly slot: Extract<Piece, { kind: 'slot' }> | null;
}

function segLength(map: OffsetMap, i: number): number {
  return (i + 1 < map.starts.length ? map.starts[i + 1] : map.length) - map.starts[i];
}

/** Map a rendered offset to its source. `end`: the offset ends a range (so it belongs to what precedes it). */
export function mapOffset(map: OffsetMap, offset: number, end: boolean): MappedPoint | null {
  const i = segmentAt(map, offset, end);
  if (i < 0) return null;
  const seg = map.segments[i];
  const piece = seg.piece;
  const delta = offset - map.starts[i];
  const src: SourceSpan = piece.src;
  if (piece.kind === 'slot') return { file: src.file, offset: end ? src.end : src.start, literal: false, path: piece.path, slot: piece };
  if (piece.literal && delta <= segLength(map, i)) return { file: src.file, offset: src.start + seg.offset + delta, literal: true, path: piece.path, slot: null };
  return { file: src.file, offset: end ? src.end : src.start, literal: false, path: piece.path, slot: null };
}

/**
 * A rendered range as one source range when it covers only literal text that is
 * contiguous in the source (what a fix may replace), else null.
 */
export function mapLiteralRange(map: OffsetMap, start: number, end: number): { file: string; range: [number, number]; path: readonly PathStep[] } | null {
  if (end < start) return null;
  if (end === start) {
    // An insertion: at a point inside or at the edge of literal text.
    for (const preferPrevious of [false, true]) {
      const i = segmentAt(map, start, preferPrevious);
      if (i < 0) continue;
      const seg = map.segments[i];
      const delta = start - map.starts[i];
      if (seg.piece.kind === 'text' && seg.piece.literal && delta >= 0 && delta <= segLength(map, i)) {
        const at = seg.piece.src.start + seg.offset + delta;
        return { file: seg.piece.src.file, range: [at, at], path: seg.piece.path };
      }
    }
    return null;
  }
  const first = segmentAt(map, start, false);
  const last = segmentAt(map, end, true);
  if (first < 0 || last < first) return null;
  let file = '';
  let from = -1;
  let expect = -1;
  let path: readonly PathStep[] = [];
  for (let i = first; i <= last; i++) {
    const seg = map.segments[i];
    const len = segLength(map, i);
    if (len === 0) continue;
    if (seg.piece.kind !== 'text' || !seg.piece.literal) return null;
    const a = seg.piece.src.start + seg.offset + Math.max(0, start - map.starts[i]);
    const b = seg.piece.src.start + seg.offset + Math.min(len, end - map.starts[i]);
    if (from === -1) {
      file = seg.piece.src.file;
      from = a;
      path = seg.piece.path;
    } else if (seg.piece.src.file !== file || a !== expect || !samePath(seg.piece.path, path)) return null;
    expect = b;
  }
  return from === -1 ? null : { file, range: [from, expect], path };
}

export function samePath(a: readonly PathStep[], b: readonly PathStep[]): boolean {
  return a.length === b.length && a.every((s, i) => s.chain === b[i].chain && s.alt === b[i].alt);
}
