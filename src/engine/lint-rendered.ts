/**
 * Lints what a template or postconf script stands for (see src/template and
 * src/script): every rendering (one per choice of if/else branches), each in
 * rounds that give every placeholder one of the values it can take. A finding
 * survives only when every round of a rendering has it, so a verdict that
 * depends on an unknown value is dropped; the rules themselves know nothing
 * about templates. Findings are mapped back to source lines, named with the
 * branch condition they sit in, and keep their fix only when every edit lands
 * on literal source text in the same branch.
 */
import { LineIndex } from '../parser/main-cf.js';
import type { ChainInfo, FrontEndResult, PathStep, Piece, Rendering } from '../template/types.js';
import { mapLiteralRange, mapOffset, prepareMainCf, prepareMasterCf, prepareTable, renderPrepared, samePath, shownLabel, type OffsetMap, type PreparedFile, type SlotRole } from '../template/postfix-view.js';
import { possibleValues } from '../model/unknown-values.js';
import { lintConfig, type LintConfigOptions } from './lint-config.js';
import { tableSourcesNeeded, type TableSourceText } from '../model/whole-config.js';
import type { Edit, Finding, Fix, Range, RelatedLocation } from './types.js';
import { interpolate } from './interpolate.js';
import { summarize } from './summary.js';
import templateExpansionRule from '../../rules/template-expansion.js';

export interface RenderedSources {
  /** Source texts by shown path: the template or script, and any file its pieces come from. */
  readonly texts: ReadonlyMap<string, string>;
  /** Shown path the rendered main.cf is linted under (findings there are mapped back to the sources). */
  readonly mainPath: string;
  /** Shown path of the rendered master.cf, when the renderings have one. */
  readonly masterPath?: string;
  readonly front: FrontEndResult;
  /** Findings mapped into these files are dropped (they are reported when that file is linted itself). */
  readonly reportedElsewhere?: ReadonlySet<string>;
  /** A piece of main.cf (a template included by another): what it leaves unset is set elsewhere. */
  readonly fragment?: boolean;
}

export interface RenderedLintResult {
  readonly findings: Finding[];
  /** Files findings may point at. */
  readonly files: string[];
}

type Slot = Extract<Piece, { kind: 'slot' }>;

interface Mapped {
  readonly key: string;
  readonly finding: Finding;
  readonly path: readonly PathStep[];
  /** Branch path of the first related location (the setting that makes the finding apply). */
  readonly relatedPath: readonly PathStep[];
  readonly notes: readonly string[];
  readonly messageId: string;
}

const NOT_FIXABLE = ' (no automatic fix: it would have to change template syntax or a placeholder)';

function candidatesFor(slot: Slot, role: SlotRole | undefined, version: string): readonly string[] {
  if (slot.info.fallback !== undefined) return [slot.info.fallback];
  if (slot.info.choices && slot.info.choices.length > 0) return slot.info.choices;
  if (role?.kind === 'whole') return possibleValues(role.param, version);
  if (role?.kind === 'item') return [''];
  return [shownLabel(slot.info.label)];
}

function slotsOf(p: PreparedFile | null): { slot: Slot; role: SlotRole | undefined }[] {
  if (!p) return [];
  return p.segments.flatMap((s) => (s.piece.kind === 'slot' ? [{ slot: s.piece, role: p.roles.get(s.piece.id) }] : []));
}

/** Rendered offset of a line/column (1-based). */
function offsetOf(index: LineIndex, line: number, column: number): number {
  return index.lineStart(line) + column - 1;
}

class Locator {
  private readonly indexes = new Map<string, LineIndex>();
  constructor(private readonly texts: ReadonlyMap<string, string>) {}
  index(file: string, text?: string): LineIndex {
    let idx = this.indexes.get(file);
    if (!idx) {
      idx = new LineIndex(text ?? this.texts.get(file) ?? '');
      this.indexes.set(file, idx);
    }
    return idx;
  }
  locate(file: string, range: Range) {
    const idx = this.index(file);
    const s = idx.locate(range[0]);
    const e = idx.locate(Math.max(range[0], range[1]));
    return { file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }
}

function notesFor(f: Finding, slots: readonly { slot: Slot; role: SlotRole | undefined }[]): string[] {
  if (f.parameter === null) return [];
  const notes: string[] = [];
  for (const { slot, role } of slots) {
    if (!role || role.kind === 'shown' || role.param !== f.parameter) continue;
    if (slot.info.fallback !== undefined) notes.push(`${shownLabel(slot.info.label)} read as its template default "${slot.info.fallback}"`);
    else if (role.kind === 'item') notes.push(`${shownLabel(slot.info.label)} read as adding nothing`);
  }
  return [...new Set(notes)];
}

/** The fix in source offsets, when every edit lands on literal text of `target` (the file the finding is reported in) in the finding's branch. */
function mapFix(fix: Fix, findingFile: string, maps: ReadonlyMap<string, OffsetMap>, path: readonly PathStep[], target: string): Fix | null {
  const map = maps.get(fix.file ?? findingFile);
  if (!map) return null;
  const edits: Edit[] = [];
  let file: string | null = null;
  for (const e of fix.edits) {
    const m = mapLiteralRange(map, e.range[0], e.range[1]);
    if (!m || !samePath(m.path, path) || m.file !== target) return null;
    file = m.file;
    edits.push({ range: m.range, text: e.text });
  }
  if (file === null) return null;
  return { ...fix, edits, file };
}

interface RoundResult {
  readonly mapped: Map<string, Mapped>;
  /** Parameter -> branch paths of its definitions (from this round's main.cf). */
  readonly definitionPaths: Map<string, (readonly PathStep[])[]>;
}

interface PreparedTable {
  readonly prepared: PreparedFile;
  /** Shown path of the table template, and the file name main.cf refers to it by. */
  readonly path: string;
  readonly name: string;
}

function lintRound(
  sources: RenderedSources,
  main: PreparedFile,
  master: PreparedFile | null,
  tables: readonly PreparedTable[],
  slotText: (slot: Slot, role: SlotRole | undefined) => string,
  slots: readonly { slot: Slot; role: SlotRole | undefined }[],
  options: LintConfigOptions,
  locator: Locator,
): RoundResult {
  const mainR = renderPrepared(main, slotText);
  const masterR = master ? renderPrepared(master, slotText) : null;
  const maps = new Map<string, OffsetMap>([[sources.mainPath, mainR.map]]);
  const rendered = new Map<string, LineIndex>([[sources.mainPath, new LineIndex(mainR.text)]]);
  const renderedText = new Map<string, string>([[sources.mainPath, mainR.text]]);
  if (masterR && sources.masterPath) {
    maps.set(sources.masterPath, masterR.map);
    rendered.set(sources.masterPath, new LineIndex(masterR.text));
    renderedText.set(sources.masterPath, masterR.text);
  }
  const base = { main: { path: sources.mainPath, text: mainR.text }, master: masterR && sources.masterPath ? { path: sources.masterPath, text: masterR.text } : null, configDir: null };
  // A table template stands for the table main.cf names by its file name; other tables are unknown.
  const tableTexts = new Map<string, TableSourceText>();
  if (tables.length > 0) {
    for (const abs of tableSourcesNeeded(base, options)) {
      const t = tables.find((x) => abs.slice(abs.lastIndexOf('/') + 1) === x.name);
      if (!t) continue;
      const shown = `${t.path} (rendered)`;
      const r = renderPrepared(t.prepared, () => '');
      tableTexts.set(abs, { path: shown, text: r.text });
      maps.set(shown, r.map);
      rendered.set(shown, new LineIndex(r.text));
      renderedText.set(shown, r.text);
    }
  }
  const result = lintConfig({ ...base, tables: tableTexts, tablesUnknown: true }, options);
  const definitionPaths = new Map<string, (readonly PathStep[])[]>();
  for (const p of result.config.main.params) {
    const at = mapOffset(mainR.map, p.range[0], false);
    if (!at) continue;
    const list = definitionPaths.get(p.name) ?? [];
    list.push(at.path);
    definitionPaths.set(p.name, list);
  }
  // A fix that edits a setting whose value holds a placeholder was computed without knowing it: not offered.
  const slotLines = new Map<string, [number, number][]>();
  const addSlotRanges = (file: string, r: ReturnType<typeof renderPrepared>, nodes: readonly { range: Range }[]) => {
    const ranges: [number, number][] = [];
    r.map.segments.forEach((seg, i) => {
      if (seg.piece.kind !== 'slot') return;
      const at = r.map.starts[i];
      const node = nodes.find((n) => n.range[0] <= at && at <= n.range[1]);
      ranges.push(node ? [node.range[0], node.range[1]] : [at, at + r.texts[i].length]);
    });
    slotLines.set(file, ranges);
  };
  addSlotRanges(sources.mainPath, mainR, result.config.main.nodes);
  if (masterR && sources.masterPath) addSlotRanges(sources.masterPath, masterR, result.config.master?.nodes ?? []);
  const touchesSlot = (fix: Fix, findingFile: string): boolean => {
    const ranges = slotLines.get(fix.file ?? findingFile) ?? [];
    return fix.edits.some((e) => ranges.some(([a, b]) => e.range[0] < b && e.range[1] > a));
  };
  const mapped = new Map<string, Mapped>();
  const defined = new Set(result.config.main.params.map((p) => p.name));
  for (const f of result.findings) {
    const map = maps.get(f.file);
    if (!map) continue; // a file that is not rendered (none today): leave it
    // Lines a placeholder writes whole (a macro call, an include) may set any parameter: a verdict about one left unset is not safe.
    if ((main.opaque > 0 || sources.fragment) && (f.parameter === null ? f.range[0] === 0 && f.range[1] === 0 : !defined.has(f.parameter))) continue;
    const fileLevel = f.range[0] === 0 && f.range[1] === 0;
    const start = fileLevel ? null : mapOffset(map, f.range[0], false);
    const end = fileLevel ? null : mapOffset(map, f.range[1], true);
    const file = start ? start.file : sources.texts.has(sources.mainPath) ? sources.mainPath : [...sources.texts.keys()][0];
    if (sources.reportedElsewhere?.has(file)) continue;
    const range: Range = start ? [start.offset, end && end.file === start.file ? Math.max(start.offset, end.offset) : start.offset] : [0, 0];
    const path = start ? start.path : [];
    const related: RelatedLocation[] = [];
    let relatedPath: readonly PathStep[] = [];
    for (const r of f.related) {
      const rmap = maps.get(r.file);
      const ridx = rendered.get(r.file);
      if (!rmap || !ridx) {
        related.push(r);
        continue;
      }
      const a = mapOffset(rmap, offsetOf(ridx, r.line, r.column), false);
      const b = mapOffset(rmap, offsetOf(ridx, r.endLine, r.endColumn), true);
      if (!a) continue;
      if (relatedPath.length === 0) relatedPath = a.path;
      const message = mapLineNumbers(r.message, renderedText.get(r.file)!, ridx, rmap, locator);
      related.push({ ...locator.locate(a.file, [a.offset, b && b.file === a.file ? Math.max(a.offset, b.offset) : a.offset]), message });
    }
    let fix: Fix | undefined;
    let message = mapLineNumbers(f.message, renderedText.get(f.file)!, rendered.get(f.file)!, map, locator);
    if (f.fix) {
      const m = touchesSlot(f.fix, f.file) ? null : mapFix(f.fix, f.file, maps, path, file);
      if (m) fix = m;
      else message += NOT_FIXABLE;
    }
    const { fix: _dropped, ...rest } = f;
    const summary = mapLineNumbers(f.summary, renderedText.get(f.file)!, rendered.get(f.file)!, map, locator);
    const finding: Finding = { ...rest, message, summary, range, ...locator.locate(file, range), related, ...(fix ? { fix } : {}) };
    const key = `${f.ruleId}\0${f.parameter}\0${file}\0${range[0]}`;
    if (!mapped.has(key)) mapped.set(key, { key, finding, path, relatedPath, notes: notesFor(f, slots), messageId: f.messageId });
  }
  return { mapped, definitionPaths };
}

/** Rules name other lines of main.cf in their messages ("line 14"): those are lines of the rendering; name the source lines. */
function mapLineNumbers(message: string, text: string, index: LineIndex, map: OffsetMap, locator: Locator): string {
  return message.replace(/\b(lines?) (\d+(?:(?:, | and )\d+)*)/g, (whole, word: string, list: string) =>
    word +
    ' ' +
    list.replace(/\d+/g, (n) => {
      const line = Number(n);
      if (line < 1 || line > index.lineCount) return n;
      let at = index.lineStart(line);
      while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
      const m = mapOffset(map, at, false);
      return m ? String(locator.locate(m.file, [m.offset, m.offset]).line) : n;
    }),
  );
}

/** template-expansion findings: Postfix references the shell or envsubst replaces (made here, like lint-config's table findings). */
function expansionFindings(front: FrontEndResult, options: LintConfigOptions, locator: Locator): Finding[] {
  const rule = templateExpansionRule;
  const configured = options.settings?.severities?.[rule.meta.id];
  if (configured === 'off' || (options.rules && !options.rules.includes(rule))) return [];
  return (front.expansions ?? []).map((e) => {
    const data = { ref: e.ref, name: e.name, param: e.param ?? '', quoting: e.quoting ?? '' };
    const range: Range = [e.src.start, e.src.end];
    const message = interpolate(rule.meta.messages[e.by], data);
    return {
      ruleId: rule.meta.id,
      severity: configured ?? (e.by === 'envsubst' ? 'info' : rule.meta.defaultSeverity),
      category: rule.meta.category,
      messageId: e.by,
      data,
      message,
      summary: summarize(rule.meta, e.by, data, message),
      parameter: e.param ?? null,
      range,
      ...locator.locate(e.src.file, range),
      related: [],
    };
  });
}

function describePath(path: readonly PathStep[]): string {
  return path.map((s) => s.when).join(' and ');
}

/** Why a finding outside any branch shows only in some renderings: the branches that set (or leave out) its parameter. */
function conditionFromChains(
  parameter: string | null,
  seenIn: ReadonlySet<number>,
  renderings: readonly Rendering[],
  definitionPaths: ReadonlyMap<string, (readonly PathStep[])[]>,
  chains: readonly ChainInfo[],
): string {
  const unseen = renderings.map((_, i) => i).filter((i) => !seenIn.has(i));
  const decisive = (chainId: number) => {
    const alts = new Set([...seenIn].map((i) => renderings[i].choices.get(chainId)));
    return alts.size === 1 && [...alts][0] !== undefined && unseen.some((i) => renderings[i].choices.get(chainId) !== [...alts][0]);
  };
  let relevant = new Set<number>();
  if (parameter !== null) for (const p of definitionPaths.get(parameter) ?? []) for (const s of p) relevant.add(s.chain);
  if (relevant.size === 0) {
    // Nothing sets the parameter in a branch: name the branches that decide, when they are few.
    const all = chains.map((c) => c.id).filter(decisive);
    if (all.length > 2) return 'some template conditions hold';
    relevant = new Set(all);
  }
  const parts: string[] = [];
  for (const chainId of relevant) {
    const alts = new Set([...seenIn].map((i) => renderings[i].choices.get(chainId)));
    const others = new Set(renderings.map((_, i) => i).filter((i) => !seenIn.has(i)).map((i) => renderings[i].choices.get(chainId)));
    if (alts.size !== 1) continue;
    const alt = [...alts][0];
    if (alt === undefined || !([...others].some((o) => o !== alt))) continue;
    const info = chains.find((c) => c.id === chainId);
    const when = info?.alternatives[alt]?.when;
    if (when) parts.push(when);
  }
  return parts.join(' and ');
}

export function lintRendered(sources: RenderedSources, options: LintConfigOptions): RenderedLintResult {
  const locator = new Locator(sources.texts);
  const renderings = sources.front.renderings;
  const merged = new Map<string, { m: Mapped; seenIn: Set<number> }>();
  const definitionPaths = new Map<string, (readonly PathStep[])[]>();
  const seenRenderings = new Set<string>();
  renderings.forEach((r, index) => {
    const main = prepareMainCf(r.main);
    const master = r.master ? prepareMasterCf(r.master) : null;
    const tables = (r.tables ?? []).map((t) => ({ prepared: prepareTable(t.pieces), path: t.path, name: t.name }));
    const slots = [...slotsOf(main), ...slotsOf(master)];
    // The same expression keeps the same value in a round: candidates by key, from its first use.
    const byKey = new Map<string, readonly string[]>();
    for (const { slot, role } of slots) if (!byKey.has(slot.key)) byKey.set(slot.key, candidatesFor(slot, role, options.postfixVersion));
    const rounds = Math.max(1, ...[...byKey.values()].map((c) => c.length));
    const labelled = slots.some(({ slot, role }) => role?.kind === 'whole' && slot.info.fallback === undefined && !slot.info.choices);
    const results: RoundResult[] = [];
    // Round 0 shows whole placeholders as {{name}}: its messages read best; it does not decide what survives.
    const first = labelled ? 0 : 1;
    const shape = (pieces: readonly Piece[]) => pieces.map((p) => (p.kind === 'slot' ? p.key : `${p.src.file}:${p.src.start}`));
    const signature = JSON.stringify([first, shape(r.main), shape(r.master ?? []), ...(r.tables ?? []).map((t) => shape(t.pieces))]);
    if (seenRenderings.has(signature)) return;
    seenRenderings.add(signature);
    for (let round = first; round <= rounds; round++) {
      const slotText = (slot: Slot, role: SlotRole | undefined): string => {
        if (round === 0 && role?.kind === 'whole' && slot.info.fallback === undefined && !slot.info.choices) return shownLabel(slot.info.label);
        const c = byKey.get(slot.key)!;
        return c[(Math.max(round, 1) - 1) % c.length];
      };
      results.push(lintRound(sources, main, master, tables, slotText, slots, options, locator));
    }
    const deciding = results.slice(first === 0 ? 1 : 0);
    for (const [name, paths] of results[0].definitionPaths) definitionPaths.set(name, [...(definitionPaths.get(name) ?? []), ...paths]);
    for (const [key, found] of first === 0 ? new Map([...deciding[0].mapped, ...results[0].mapped]) : deciding[0].mapped) {
      if (!deciding.every((d) => d.mapped.has(key))) continue;
      // The same finding with another message in some round: its details depend on a placeholder's value.
      const varies = deciding.some((d) => d.mapped.get(key)!.messageId !== found.messageId);
      const m = varies ? { ...found, notes: [...found.notes, 'its details depend on template values'] } : found;
      const entry = merged.get(key);
      if (entry) entry.seenIn.add(index);
      else merged.set(key, { m, seenIn: new Set([index]) });
    }
  });
  const findings: Finding[] = [];
  for (const { m, seenIn } of merged.values()) {
    let when = describePath(m.path) || (seenIn.size < renderings.length ? describePath(m.relatedPath) : '');
    if (!when && seenIn.size < renderings.length) when = conditionFromChains(m.finding.parameter, seenIn, renderings, definitionPaths, sources.front.chains);
    const prefix = when ? `when ${when}: ` : '';
    const suffix = m.notes.length > 0 ? ` [template: ${m.notes.join('; ')}]` : '';
    let finding = m.finding;
    // A fix outside the branch the finding depends on would apply to every rendering: not offered.
    if (finding.fix && seenIn.size < renderings.length && m.path.length === 0) {
      const { fix: _dropped, ...rest } = finding;
      finding = { ...rest, message: rest.message + NOT_FIXABLE };
    }
    findings.push({ ...finding, message: prefix + finding.message + suffix, summary: prefix + finding.summary });
  }
  findings.push(...expansionFindings(sources.front, options, locator));
  const files = [...sources.texts.keys()];
  const order = (f: Finding) => {
    const i = files.indexOf(f.file);
    return i === -1 ? files.length : i;
  };
  findings.sort((a, b) => order(a) - order(b) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  return { findings, files };
}
