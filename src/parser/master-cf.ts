/**
 * Lossless master.cf parser that follows how Postfix reads master.cf:
 * readllines() logical lines, fields split on " \t\r\n" with "{...}" kept
 * together (mystrtokq), the 8 service fields, then daemon options up to the
 * first non-option argument, with "-o name=value" and the 3.0+ long form
 * "-o { name = value }" (extpar + split_nameval).
 *
 * Every byte of the input belongs to exactly one node, so printing the nodes in
 * order reproduces the input. Offsets are byte offsets into a binary string
 * (see util/text.ts). Problems become diagnostics, never exceptions.
 */
import { isPostfixSpace } from '../util/text.js';
import type { BlankNode, CommentNode } from './main-cf.js';
import { BOM, detectEol, firstNonSpace, isSkippable, LogicalLine, preview, splitPhysicalLines, type Eol, type PhysicalLine } from './lines.js';
import type { Diagnostic, Range } from './types.js';

export type { Eol, PhysicalLine } from './main-cf.js';

/** One whitespace-separated token of a logical line ("{...}" keeps blanks inside). */
export interface MasterToken {
  /** The token as it appears in the logical line (continuation lines joined, comment lines dropped). */
  readonly text: string;
  /** From the first to the last byte of the token in the file (may span lines). */
  readonly range: Range;
  /** 1-based line of the token start. */
  readonly line: number;
}

export type MasterOverrideForm =
  /** `-o name=value` */
  | 'short'
  /** `-o { name = value }` (Postfix 3.0+) */
  | 'long'
  /** `-oname=value`, or `-o` bundled after other flags as in `-vo name=value` */
  | 'attached';

/** A `-o name=value` daemon option that a Postfix daemon applies on top of main.cf. */
export interface MasterOverride {
  readonly name: string;
  /** Value as the daemon sees it: outer blanks trimmed, inner whitespace kept (postconf -P folds it). */
  readonly value: string;
  readonly form: MasterOverrideForm;
  readonly nameRange: Range;
  /** From the first to the last byte of the value; empty range right after '=' for an empty value. */
  readonly valueRange: Range;
  /**
   * The whole option: from the `-` of `-o` (or from the `o` of a bundle such as
   * `-vo`, so deleting the range leaves `-v`) to the end of the value token.
   */
  readonly range: Range;
  /** 1-based line where the option starts. */
  readonly line: number;
}

export interface MasterFields {
  readonly service: MasterToken;
  readonly type: MasterToken;
  readonly private: MasterToken;
  readonly unprivileged: MasterToken;
  readonly chroot: MasterToken;
  readonly wakeup: MasterToken;
  readonly maxproc: MasterToken;
  readonly command: MasterToken;
}

interface NodeBase {
  readonly range: Range;
  /** 1-based number of the first physical line. */
  readonly line: number;
  readonly endLine: number;
}

export interface ServiceNode extends NodeBase {
  readonly kind: 'service';
  readonly name: string;
  readonly type: string;
  readonly command: string;
  readonly fields: MasterFields;
  /** Tokens after the command, in order. */
  readonly args: readonly MasterToken[];
  /** Index into args of the first argument that ends daemon option processing (args.length if none). */
  readonly optionsEnd: number;
  /** Well-formed `-o name=value` options, in order (a later one for the same name wins). */
  readonly overrides: readonly MasterOverride[];
  /** False when a field value makes postconf and master(8) stop with a fatal error. */
  readonly valid: boolean;
  /**
   * False when a later entry has the same name and type: master(8) keeps only
   * the last one.
   */
  readonly active: boolean;
  /** The logical line as Postfix sees it (joined, comments dropped, cut at NUL). */
  readonly logicalText: string;
  readonly physicalLines: readonly PhysicalLine[];
  /** Indices into physicalLines of comment or blank lines skipped inside the entry. */
  readonly innerSkippedLines: readonly number[];
}

/** A logical line Postfix skips (leading whitespace) or rejects (too few fields). */
export interface InvalidMasterNode extends NodeBase {
  readonly kind: 'invalid';
  readonly reason: 'leading-whitespace' | 'bad-field-count';
  readonly text: string;
}

export type MasterCfNode = BlankNode | CommentNode | ServiceNode | InvalidMasterNode;

export interface MasterCfFile {
  readonly path: string;
  readonly text: string;
  readonly nodes: readonly MasterCfNode[];
  readonly services: readonly ServiceNode[];
  readonly diagnostics: readonly Diagnostic[];
  readonly eol: Eol;
  readonly hasBom: boolean;
  readonly endsWithNewline: boolean;
  readonly lineCount: number;
}

/** postconf splits master.cf fields on these only (\f and \v are not field separators). */
export function isMasterBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

export const MASTER_SERVICE_TYPES: readonly string[] = ['inet', 'unix', 'unix-dgram', 'fifo', 'pass'];

const OPEN = 0x7b; /* { */
const CLOSE = 0x7d; /* } */

interface Span {
  readonly start: number;
  readonly end: number;
}

/** mystrtokq(): split on blanks, but not inside balanced "{...}"; an unbalanced "{" runs to the end. */
function tokenize(text: string): { spans: Span[]; unbalanced: Span[] } {
  const spans: Span[] = [];
  const unbalanced: Span[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isMasterBlank(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let level = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === OPEN) level++;
      else if (level > 0 && c === CLOSE) level--;
      else if (level === 0 && isMasterBlank(c)) break;
    }
    spans.push({ start, end: i });
    if (level > 0) unbalanced.push({ start, end: i });
  }
  return { spans, unbalanced };
}

export interface BraceExtraction {
  /** Inner text bounds (after stripping blanks) within the input, or the whole input without a leading '{'. */
  readonly start: number;
  readonly end: number;
  readonly braced: boolean;
  readonly error?: 'missing-close' | 'text-after-close';
}

/**
 * extpar(..., EXTPAR_FLAG_STRIP) on text[from, to): the text inside a leading
 * "{...}" with surrounding whitespace removed.
 */
export function extractBraces(text: string, from = 0, to = text.length): BraceExtraction {
  if (from >= to || text.charCodeAt(from) !== OPEN) return { start: from, end: to, braced: false };
  let level = 1;
  let close = -1;
  for (let i = from + 1; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === CLOSE) {
      if (--level === 0) {
        close = i;
        break;
      }
    } else if (c === OPEN) level++;
  }
  let s = from + 1;
  let e = close === -1 ? to : close;
  while (e > s && isPostfixSpace(text.charCodeAt(e - 1))) e--;
  while (s < e && isPostfixSpace(text.charCodeAt(s))) s++;
  const error = close === -1 ? 'missing-close' : close + 1 !== to ? 'text-after-close' : undefined;
  return error ? { start: s, end: e, braced: true, error } : { start: s, end: e, braced: true };
}

export interface NameValueSplit {
  readonly ok: boolean;
  readonly error?: 'missing-name' | 'missing-equals';
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** Offset of '=' (or -1). */
  readonly equals: number;
}

/** split_nameval() on text[from, to): name up to whitespace or '=', optional blanks, '=', trimmed value. */
export function splitNameValue(text: string, from = 0, to = text.length): NameValueSplit {
  let p = from;
  while (p < to && isPostfixSpace(text.charCodeAt(p))) p++;
  const nameStart = p;
  const fail = (error: 'missing-name' | 'missing-equals'): NameValueSplit => ({
    ok: false,
    error,
    nameStart,
    nameEnd: nameStart,
    valueStart: to,
    valueEnd: to,
    equals: -1,
  });
  if (p === to || text.charCodeAt(p) === 0x3d) return fail('missing-name');
  while (p < to && !isPostfixSpace(text.charCodeAt(p)) && text.charCodeAt(p) !== 0x3d) p++;
  const nameEnd = p;
  while (p < to && isPostfixSpace(text.charCodeAt(p))) p++;
  if (p === to || text.charCodeAt(p) !== 0x3d) return fail('missing-equals');
  const equals = p;
  p++;
  while (p < to && isPostfixSpace(text.charCodeAt(p))) p++;
  let valueEnd = to;
  while (valueEnd > p && isPostfixSpace(text.charCodeAt(valueEnd - 1))) valueEnd--;
  return { ok: true, nameStart, nameEnd, valueStart: p, valueEnd, equals };
}

/** Text of a command argument after "{...}" extraction, as the daemon receives it. */
export function argumentValue(text: string): string {
  const x = extractBraces(text);
  return text.slice(x.start, x.end);
}

const FIELD_NAMES = ['service', 'type', 'private', 'unprivileged', 'chroot', 'wakeup', 'process_limit', 'command'] as const;

/** postconf's per-field checks (pcf_check_master_entry); returns an error message or undefined. */
function checkField(index: number, value: string): string | undefined {
  switch (index) {
    case 1:
      return MASTER_SERVICE_TYPES.includes(value) ? undefined : `invalid type field "${value}" (expected ${MASTER_SERVICE_TYPES.join(', ')})`;
    case 2:
    case 3:
    case 4:
      return value.length === 1 && 'yn-'.includes(value) ? undefined : `invalid ${FIELD_NAMES[index]} field "${value}" (expected y, n or -)`;
    case 5: {
      const digits = value.endsWith('?') ? value.slice(0, -1) : value;
      return value === '-' || /^[0-9]*$/.test(digits) ? undefined : `invalid wakeup field "${value}" (expected -, a number of seconds, optionally followed by ?)`;
    }
    case 6:
      return value === '-' || /^[0-9]*$/.test(value) ? undefined : `invalid process_limit field "${value}" (expected - or a number)`;
    default:
      return undefined;
  }
}

interface ParseContext {
  readonly text: string;
  readonly diagnostics: Diagnostic[];
}

function parseService(
  ctx: ParseContext,
  logical: LogicalLine,
  ltext: string,
  base: NodeBase & { physicalLines: readonly PhysicalLine[]; innerSkippedLines: readonly number[] },
): ServiceNode | InvalidMasterNode {
  const { diagnostics } = ctx;
  const { spans, unbalanced } = tokenize(ltext);
  const token = (s: Span): MasterToken => ({ text: ltext.slice(s.start, s.end), range: logical.range(s.start, s.end), line: logical.lineOf(s.start) });
  const diag = (code: string, severity: Diagnostic['severity'], message: string, range: Range, line: number): void => {
    diagnostics.push({ code, severity, message, range, line });
  };

  for (const u of unbalanced) {
    diag('unbalanced-brace', 'error', `unbalanced '{' in "${preview(ltext.slice(u.start, u.end))}": the argument runs to the end of the entry`, logical.range(u.start, u.end), logical.lineOf(u.start));
  }
  if (spans.length < 8) {
    diag(
      'bad-field-count',
      'error',
      `bad field count: a service entry needs 8 fields (service type private unpriv chroot wakeup maxproc command), found ${spans.length} in "${preview(ltext)}" (postconf and master(8) stop with a fatal error)`,
      [base.range[0], base.physicalLines[base.physicalLines.length - 1].contentEnd],
      base.line,
    );
    return { kind: 'invalid', reason: 'bad-field-count', text: ltext, ...base };
  }

  const f = spans.slice(0, 8).map(token);
  let valid = true;
  f.forEach((t, i) => {
    const problem = checkField(i, t.text);
    if (problem) {
      valid = false;
      diag('bad-field', 'error', `${problem} in service "${f[0].text}" (postconf and master(8) stop with a fatal error)`, t.range, t.line);
    }
  });
  const fields: MasterFields = {
    service: f[0],
    type: f[1],
    private: f[2],
    unprivileged: f[3],
    chroot: f[4],
    wakeup: f[5],
    maxproc: f[6],
    command: f[7],
  };

  const argSpans = spans.slice(8);
  const args = argSpans.map(token);
  const overrides: MasterOverride[] = [];

  // Daemon options, read the way getopt() does (Linux builds use "+" so
  // option processing stops at the first non-option argument).
  let k = 0;
  for (; k < argSpans.length; k++) {
    const sp = argSpans[k];
    const t = args[k].text;
    if (t.length < 2 || t.charCodeAt(0) !== 0x2d /* - */ || t === '--') break;
    const oAt = t.indexOf('o', 1);
    if (oAt === -1) continue; // flags without a value, e.g. -v or -D
    const optStart = oAt === 1 ? sp.start : sp.start + oAt;
    let vStart: number;
    let vEnd: number;
    let form: MasterOverrideForm;
    if (oAt + 1 < t.length) {
      vStart = sp.start + oAt + 1;
      vEnd = sp.end;
      form = 'attached';
    } else if (k + 1 < argSpans.length) {
      k++;
      vStart = argSpans[k].start;
      vEnd = argSpans[k].end;
      form = oAt === 1 ? 'short' : 'attached';
    } else {
      diag('option-without-value', 'error', `"${t}" at the end of service "${f[0].text}" has no name=value after it (the daemon exits with a fatal error)`, logical.range(optStart, sp.end), logical.lineOf(optStart));
      continue;
    }
    const x = extractBraces(ltext, vStart, vEnd);
    if (x.braced) form = 'long';
    const valueText = ltext.slice(vStart, vEnd);
    // A missing '}' was already reported as an unbalanced token.
    if (x.error === 'text-after-close') {
      diag('text-after-brace', 'error', `text after '}' in "-o ${preview(valueText)}" (postconf ignores it with a warning)`, logical.range(vStart, vEnd), logical.lineOf(vStart));
    }
    const nv = splitNameValue(ltext, x.start, x.end);
    if (!nv.ok) {
      const why = nv.error === 'missing-name' ? 'missing parameter name' : "missing '=' after the parameter name";
      diag('bad-override', 'error', `"-o ${preview(valueText)}" in service "${f[0].text}": ${why}; postconf ignores it and the daemon rejects it`, logical.range(optStart, vEnd), logical.lineOf(optStart));
      continue;
    }
    overrides.push({
      name: ltext.slice(nv.nameStart, nv.nameEnd),
      value: ltext.slice(nv.valueStart, nv.valueEnd),
      form,
      nameRange: logical.range(nv.nameStart, nv.nameEnd),
      valueRange: nv.valueEnd > nv.valueStart ? logical.range(nv.valueStart, nv.valueEnd) : logical.range(nv.equals + 1, nv.equals + 1),
      range: logical.range(optStart, vEnd),
      line: logical.lineOf(optStart),
    });
  }
  const optionsEnd = k;
  // An -o after the first non-option argument is passed to the daemon as a plain
  // argument. Arguments after pipe(8)/spawn(8) "argv=" belong to another program.
  for (let j = optionsEnd; j < args.length; j++) {
    if (args[j].text.startsWith('argv=')) break;
    const t = args[j].text;
    const next = args[j + 1]?.text ?? '';
    if ((t === '-o' && /^\{?\s*[A-Za-z0-9_]+\s*=/.test(next)) || /^-o[A-Za-z0-9_]+=/.test(t)) {
      diag('late-option', 'warning', `"${preview(args[j].text)}" in service "${f[0].text}" comes after the non-option argument "${preview(args[optionsEnd].text)}": the daemon does not treat it as an option`, args[j].range, args[j].line);
    }
  }

  return {
    kind: 'service',
    ...base,
    name: f[0].text,
    type: f[1].text,
    command: f[7].text,
    fields,
    args,
    optionsEnd,
    overrides,
    valid,
    active: true,
    logicalText: ltext,
  };
}

export function parseMasterCf(text: string, path = 'master.cf'): MasterCfFile {
  const lines = splitPhysicalLines(text);
  const nodes: MasterCfNode[] = [];
  const diagnostics: Diagnostic[] = [];
  const ctx: ParseContext = { text, diagnostics };

  let i = 0;
  while (i < lines.length) {
    const first = lines[i];
    if (isSkippable(text, first)) {
      const fns = firstNonSpace(text, first.start, first.contentEnd);
      if (fns === first.contentEnd) {
        nodes.push({ kind: 'blank', range: [first.start, first.end], line: first.line, endLine: first.line });
      } else {
        nodes.push({ kind: 'comment', range: [first.start, first.end], line: first.line, endLine: first.line, text: text.slice(fns + 1, first.contentEnd) });
      }
      i++;
      continue;
    }
    // readllines(): continuation lines start with whitespace; comment and blank
    // lines in between are skipped; trailing ones are not part of the entry.
    let last = i;
    for (let j = i + 1; j < lines.length; j++) {
      const pl = lines[j];
      if (isSkippable(text, pl)) continue;
      if (isPostfixSpace(text.charCodeAt(pl.start))) {
        last = j;
        continue;
      }
      break;
    }
    const physicalLines = lines.slice(i, last + 1);
    const logical = new LogicalLine();
    const innerSkippedLines: number[] = [];
    physicalLines.forEach((pl, k) => {
      if (k > 0 && isSkippable(text, pl)) innerSkippedLines.push(k);
      else logical.append(text, pl);
    });
    const base = { range: [first.start, lines[last].end] as Range, line: first.line, endLine: lines[last].line, physicalLines, innerSkippedLines };
    const nul = logical.text.indexOf('\0');
    const ltext = nul === -1 ? logical.text : logical.text.slice(0, nul);
    if (nul !== -1) {
      const at = logical.toFile(nul);
      diagnostics.push({ code: 'nul-byte', severity: 'warning', message: 'NUL byte in line: Postfix ignores the rest of this entry after it', range: [at, at + 1], line: logical.lineOf(nul) });
    }
    if (isPostfixSpace(text.charCodeAt(first.start))) {
      nodes.push({ kind: 'invalid', reason: 'leading-whitespace', text: ltext, range: base.range, line: base.line, endLine: base.endLine });
      diagnostics.push({
        code: 'leading-whitespace',
        severity: 'warning',
        message: `logical line must not start with whitespace: "${preview(ltext)}" (Postfix skips it)`,
        range: [first.start, lines[last].contentEnd],
        line: first.line,
      });
    } else {
      const node = parseService(ctx, logical, ltext, base);
      if (node.kind === 'invalid') nodes.push({ kind: 'invalid', reason: node.reason, text: node.text, range: node.range, line: node.line, endLine: node.endLine });
      else nodes.push(node);
    }
    i = last + 1;
  }

  // master(8) remembers only the last entry for a name/type pair.
  const lastIndex = new Map<string, number>();
  nodes.forEach((n, idx) => {
    if (n.kind === 'service') lastIndex.set(`${n.name}/${n.type}`, idx);
  });
  const finalNodes = nodes.map((n, idx): MasterCfNode => {
    if (n.kind !== 'service' || lastIndex.get(`${n.name}/${n.type}`) === idx) return n;
    const later = nodes[lastIndex.get(`${n.name}/${n.type}`) as number];
    diagnostics.push({
      code: 'duplicate-service',
      severity: 'warning',
      message: `service ${n.name}/${n.type} is defined again on line ${later.line}; master(8) uses only the last definition`,
      range: n.fields.service.range,
      line: n.line,
    });
    return { ...n, active: false };
  });
  diagnostics.sort((a, b) => a.range[0] - b.range[0]);

  return {
    path,
    text,
    nodes: finalNodes,
    services: finalNodes.filter((n): n is ServiceNode => n.kind === 'service'),
    diagnostics,
    eol: detectEol(text),
    hasBom: text.startsWith(BOM),
    endsWithNewline: text.length === 0 || text.endsWith('\n'),
    lineCount: lines.length,
  };
}

export function printMasterCf(file: Pick<MasterCfFile, 'text' | 'nodes'>): string {
  let out = '';
  for (const node of file.nodes) out += file.text.slice(node.range[0], node.range[1]);
  return out;
}

/** The last value per -o name in a service, as the daemon applies them. */
export function overrideMap(service: ServiceNode): Map<string, string> {
  const m = new Map<string, string>();
  for (const o of service.overrides) m.set(o.name, o.value);
  return m;
}
