/**
 * Expansion of main.cf parameter values, following the behaviour of Postfix's
 * mac_parse()/mac_expand() as used by `postconf -x` (recursive expansion), in
 * the Postfix 3.7 dialect:
 *
 *   $name ${name} $(name)         value of name, expanded again
 *   $$                            a literal $
 *   ${name?text} ${name?{text}}   text when name is non-empty
 *   ${name:text} ${name:{text}}   text when name is empty or undefined
 *   ${name?{t1}:{t2}} / :t2       either branch
 *   ${{l} OP {r} ...}             relational test: == != < <= >= >, plus the
 *                                 compatibility-level forms ==level, <level, ...
 *
 * Unlike Postfix, the work is bounded: output size, number of expansion steps
 * and total nesting are capped, so hostile input cannot exhaust memory, time or
 * the JS stack. Values are binary strings (one char per byte) and are never
 * decoded. Pure: no I/O.
 */

export interface ExpandDiagnostic {
  code: 'undefined' | 'syntax' | 'nesting' | 'loop' | 'too-large';
  message: string;
  name?: string;
}

export interface ExpandOptions {
  /** Cap on bytes produced on top of the input's own length. Default 1 MiB. */
  maxOutputBytes?: number;
  /** Cap on expansion steps (macro and literal callbacks). Default 1,000,000. */
  maxSteps?: number;
  /** Postfix's per-expansion nesting limit. Default 100, as in mac_expand.c. */
  maxDepth?: number;
  /**
   * Results of `$name` expansions to reuse across calls that share one lookup (see
   * ExpansionMemo). Must only be shared by calls whose lookup answers alike.
   */
  memo?: ExpansionMemo;
}

/** undefined = the parameter has no value at all (not set and no default). */
export type Lookup = (name: string) => string | undefined;

export interface ExpandResult {
  value: string;
  ok: boolean;
  diagnostics: ExpandDiagnostic[];
}

const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
const DEFAULT_MAX_STEPS = 1_000_000;
const DEFAULT_MAX_DEPTH = 100;
/**
 * Relational operands are expanded by a fresh mac_expand() call in Postfix,
 * which restarts the nesting counter; a self-reference through an operand then
 * recurses until Postfix crashes. This cap on the overall depth keeps us finite.
 */
const TOTAL_DEPTH_LIMIT = 1000;
/** Bound on the names one scan records with repeats (a hostile value can repeat a name without end). */
const MAX_SCAN_OCCURRENCES = 10_000;
/** Keep the diagnostics list small even for configs with many undefined names. */
const MAX_UNDEFINED_DIAGNOSTICS = 100;

const TRUE_VALUE = 'true';
const FALSE_VALUE = '';

const CH_DOLLAR = 0x24;
const CH_LBRACE = 0x7b;
const CH_RBRACE = 0x7d;
const CH_LPAREN = 0x28;
const CH_RPAREN = 0x29;
const CH_QUESTION = 0x3f;
const CH_COLON = 0x3a;

/** mac_expand's whitespace set: space, tab, CR, LF (not \f or \v). */
function isExpandSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** Postfix ISALNUM: ASCII letters and digits only. */
function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isNameChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 0x5f;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Characters mac_expand gathers as a relational operator (for better errors). */
const OPERATOR_CHARS = '<>!=?+-*/~&|%';
const RELATIONAL_OPERATORS = new Set(['==', '!=', '<', '<=', '>=', '>']);

/** What expanding one name's value cost and produced, so a later `$name` can replay it. */
interface MemoEntry {
  readonly value: string;
  readonly steps: number;
  /** Highest nesting counter seen on entry to a callback, above the level the value's parse started at. */
  readonly levelRise: number;
  /** Highest total depth reached, above the total depth the value's parse started at. */
  readonly depthRise: number;
  /** Undefined names met, in first-met order (replayed for the "undefined" diagnostics). */
  readonly undefinedNames: readonly string[];
}

interface UndefinedTrail {
  names: Set<string>;
  /** More than MEMO_MAX_UNDEFINED names: the expansion is not memoized. */
  overflow: boolean;
}

/** Bound on the bytes an ExpansionMemo keeps, so a hostile file cannot grow memory without end. */
const MEMO_MAX_BYTES = 16 * 1024 * 1024;
/** A name whose expansion meets more undefined names than this is not memoized. */
const MEMO_MAX_UNDEFINED = 1000;

/**
 * Expansions of `$name` that completed, for one lookup (one configuration). A doubling chain
 * (a2 = $a1 $a1, a3 = $a2 $a2, ...) costs 2^n steps to expand by hand; with the memo each name
 * is expanded once and replayed after, and a replay is exact: it is used only when the same
 * bounds (steps, bytes, nesting) would also have let the full expansion through, otherwise the
 * value is expanded for real (so errors and partial values are the same as without the memo).
 */
export class ExpansionMemo {
  readonly entries = new Map<string, MemoEntry>();
  bytes = 0;
  /** Replays done (for tests that count work instead of timing it). */
  hits = 0;
  /** Name values parsed for real. */
  misses = 0;
}

/** Thrown internally to unwind once the first fatal problem was recorded. */
class Abort {
  private readonly brand = 'abort';
}

/**
 * For one string, the position of the bracket that closes each opening
 * bracket, counting only brackets of the same kind (as mac_parse does), or -1
 * when unmatched. Precomputing this keeps deep nesting linear instead of
 * rescanning the tail at every level.
 */
class BracketIndex {
  private curly: Int32Array | undefined;
  private paren: Int32Array | undefined;

  constructor(private readonly text: string) {}

  /** Position of the close bracket for the open bracket at `open`, if before `end`. */
  closeOf(open: number, end: number): number {
    const isCurly = this.text.charCodeAt(open) === CH_LBRACE;
    let table = isCurly ? this.curly : this.paren;
    if (!table) {
      table = this.build(isCurly ? CH_LBRACE : CH_LPAREN, isCurly ? CH_RBRACE : CH_RPAREN);
      if (isCurly) this.curly = table;
      else this.paren = table;
    }
    const close = table[open];
    return close >= 0 && close < end ? close : -1;
  }

  private build(openCh: number, closeCh: number): Int32Array {
    const text = this.text;
    const table = new Int32Array(text.length).fill(-1);
    const stack: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === openCh) stack.push(i);
      else if (c === closeCh && stack.length > 0) table[stack.pop() as number] = i;
    }
    return table;
  }
}

/** One mac_expand() invocation: its own output buffer and nesting counter. */
interface Frame {
  out: string[];
  level: number;
}

interface Engine {
  scan: boolean;
  lookup: Lookup;
  maxSteps: number;
  maxDepth: number;
  byteBudget: number;
  bytes: number;
  steps: number;
  totalDepth: number;
  /** Names whose values are being expanded, outermost first (for loop reports). */
  nameStack: string[];
  diagnostics: ExpandDiagnostic[];
  undefinedSeen: Set<string>;
  referenced: Set<string>;
  /** Every name the scan met, in order, repeats included. */
  occurrences: string[];
  indexes: Map<string, BracketIndex>;
  memo: ExpansionMemo | undefined;
  /** Highest frame level seen on callback entry, and highest total depth (for memo entries). */
  peakLevel: number;
  peakDepth: number;
  /** Fresh (relational operand) frames opened so far: an expansion that opens one is not memoized. */
  freshFrames: number;
  /** Undefined names met by the innermost name being memoized (undefined when none is). */
  undefinedTrail: UndefinedTrail | undefined;
}

function createEngine(lookup: Lookup, scan: boolean, inputLength: number, opts: ExpandOptions): Engine {
  return {
    scan,
    lookup,
    maxSteps: opts.maxSteps ?? DEFAULT_MAX_STEPS,
    maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
    byteBudget: (opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES) + inputLength,
    bytes: 0,
    steps: 0,
    totalDepth: 0,
    nameStack: [],
    diagnostics: [],
    undefinedSeen: new Set(),
    referenced: new Set(),
    occurrences: [],
    indexes: new Map(),
    memo: scan ? undefined : opts.memo,
    peakLevel: 0,
    peakDepth: 0,
    freshFrames: 0,
    undefinedTrail: undefined,
  };
}

function fail(engine: Engine, diagnostic: ExpandDiagnostic): never {
  engine.diagnostics.push(diagnostic);
  throw new Abort();
}

function syntaxError(engine: Engine, message: string): never {
  return fail(engine, { code: 'syntax', message });
}

/** Short, printable excerpt of the input for messages. */
function excerpt(text: string, start: number, end: number, max = 40): string {
  const slice = text.slice(start, Math.min(end, start + max));
  return end - start > max ? `${slice}...` : slice;
}

function indexFor(engine: Engine, text: string): BracketIndex {
  let index = engine.indexes.get(text);
  if (!index) {
    index = new BracketIndex(text);
    engine.indexes.set(text, index);
  }
  return index;
}

function append(engine: Engine, frame: Frame, text: string): void {
  if (engine.scan || text.length === 0) return;
  engine.bytes += text.length;
  if (engine.bytes > engine.byteBudget) {
    fail(engine, {
      code: 'too-large',
      message: `expansion exceeds ${engine.byteBudget} bytes; stopped`,
    });
  }
  frame.out.push(text);
}

function skipSpace(text: string, pos: number, end: number): number {
  while (pos < end && isExpandSpace(text.charCodeAt(pos))) pos++;
  return pos;
}

/**
 * mac_parse(): split text[start, end) into literal runs and macro expressions,
 * handing each to `visit`. `$$` becomes `$` inside the literal run.
 */
function parse(engine: Engine, frame: Frame, text: string, start: number, end: number): void {
  let literal = '';
  let pos = start;
  while (pos < end) {
    const dollar = text.indexOf('$', pos);
    if (dollar < 0 || dollar >= end) {
      literal += text.slice(pos, end);
      break;
    }
    literal += text.slice(pos, dollar);
    if (dollar + 1 < end && text.charCodeAt(dollar + 1) === CH_DOLLAR) {
      literal += '$';
      pos = dollar + 2;
      continue;
    }
    if (literal.length > 0) {
      visitLiteral(engine, frame, literal);
      literal = '';
    }
    let exprStart = dollar + 1;
    let exprEnd: number;
    const next = exprStart < end ? text.charCodeAt(exprStart) : -1;
    if (next === CH_LBRACE || next === CH_LPAREN) {
      const close = indexFor(engine, text).closeOf(exprStart, end);
      if (close < 0) {
        syntaxError(engine, `truncated macro reference: "${excerpt(text, start, end)}"`);
      }
      exprStart += 1;
      exprEnd = close;
      pos = close + 1;
    } else {
      exprEnd = exprStart;
      while (exprEnd < end && isNameChar(text.charCodeAt(exprEnd))) exprEnd++;
      pos = exprEnd;
    }
    if (exprEnd === exprStart) {
      syntaxError(engine, `empty macro name: "${excerpt(text, start, end)}"`);
    }
    visitExpression(engine, frame, text, exprStart, exprEnd);
  }
  if (literal.length > 0) visitLiteral(engine, frame, literal);
}

/** The bookkeeping mac_expand_callback does on entry, plus our own bounds. */
function enterCallback(engine: Engine, frame: Frame, what: string): void {
  if (++engine.steps > engine.maxSteps) {
    fail(engine, {
      code: 'too-large',
      message: `expansion takes more than ${engine.maxSteps} steps; stopped`,
    });
  }
  // Postfix errors when the counter was already above the limit on entry.
  if (frame.level > engine.peakLevel) engine.peakLevel = frame.level;
  if (frame.level++ > engine.maxDepth || ++engine.totalDepth > TOTAL_DEPTH_LIMIT) {
    nestingError(engine, what);
  }
  if (engine.totalDepth > engine.peakDepth) engine.peakDepth = engine.totalDepth;
}

function leaveCallback(engine: Engine, frame: Frame): void {
  frame.level--;
  engine.totalDepth--;
}

function nestingError(engine: Engine, what: string): never {
  const stack = engine.nameStack;
  // Find the innermost name that is already being expanded further out.
  for (let i = stack.length - 1; i >= 0; i--) {
    const previous = i > 0 ? stack.lastIndexOf(stack[i], i - 1) : -1;
    if (previous >= 0) {
      const cycle = stack.slice(previous, i + 1);
      fail(engine, {
        code: 'loop',
        name: stack[i],
        message: `parameter expansion loop: ${cycle.map((n) => `$${n}`).join(' -> ')}`,
      });
    }
  }
  fail(engine, {
    code: 'nesting',
    ...(stack.length > 0 ? { name: stack[stack.length - 1] } : {}),
    message: `unreasonable macro call nesting: "${excerpt(what, 0, what.length)}"`,
  });
}

function visitLiteral(engine: Engine, frame: Frame, literal: string): void {
  enterCallback(engine, frame, literal);
  append(engine, frame, literal);
  leaveCallback(engine, frame);
}

/** Expand text[start, end) in a fresh mac_expand() context, as relational operands are. */
function expandFresh(engine: Engine, text: string, start: number, end: number): string {
  engine.freshFrames++;
  const frame: Frame = { out: [], level: 0 };
  parse(engine, frame, text, start, end);
  return frame.out.join('');
}

/** mac_exp_extract_curly_payload: text[open] is '{'. Returns payload range and the position after trailing space. */
function curlyPayload(engine: Engine, text: string, open: number, end: number): { start: number; end: number; next: number } {
  const close = indexFor(engine, text).closeOf(open, end);
  if (close < 0) {
    syntaxError(engine, `unbalanced {} in attribute expression: "${excerpt(text, open, end)}"`);
  }
  return { start: open + 1, end: close, next: skipSpace(text, close + 1, end) };
}

/** A macro expression: text[start, end) is what sat between the brackets (or the bare name). */
function visitExpression(engine: Engine, frame: Frame, text: string, start: number, end: number): void {
  enterCallback(engine, frame, text.slice(start, Math.min(end, start + 40)));

  // `value` plays the role of Postfix's lookup result; undefined = null pointer.
  let value: string | undefined;
  let cp = skipSpace(text, start, end);
  let operator = 0; // 0 (none), '?' or ':'
  let name: string | undefined;

  if (cp < end && text.charCodeAt(cp) === CH_LBRACE) {
    const outcome = relational(engine, text, cp, end);
    value = outcome.value;
    cp = outcome.next;
    if (cp < end) {
      const c = text.charCodeAt(cp);
      if (c !== CH_QUESTION && c !== CH_COLON) {
        syntaxError(engine, `"?" or ":" expected at: "...}>>>${excerpt(text, cp, end, 20)}"`);
      }
      operator = c;
      cp++;
    }
  } else {
    const nameStart = cp;
    for (;;) {
      const afterSpace = skipSpace(text, cp, end);
      if (afterSpace >= end) {
        name = text.slice(nameStart, cp);
        break;
      }
      const c = text.charCodeAt(afterSpace);
      if (c === CH_QUESTION || c === CH_COLON) {
        name = text.slice(nameStart, cp);
        operator = c;
        cp = afterSpace + 1;
        break;
      }
      if (!isNameChar(text.charCodeAt(cp))) {
        syntaxError(
          engine,
          `attribute name syntax error at: "...${excerpt(text, start, cp)}>>>${excerpt(text, cp, end, 20)}"`,
        );
      }
      cp++;
    }
    value = lookupName(engine, name);
  }

  const nonEmpty = value !== undefined && value.length > 0;
  if (operator === 0) {
    if (!engine.scan && nonEmpty) {
      if (name !== undefined) engine.nameStack.push(name);
      if (name !== undefined && engine.memo) expandName(engine, engine.memo, frame, name, value as string);
      else parse(engine, frame, value as string, 0, (value as string).length);
      if (name !== undefined) engine.nameStack.pop();
    }
    leaveCallback(engine, frame);
    return;
  }

  if (operator === CH_QUESTION) {
    const branch = resultOperand(engine, text, cp, end);
    if (nonEmpty || engine.scan) parse(engine, frame, text, branch.start, branch.end);
    cp = branch.next;
    if (cp >= end) {
      leaveCallback(engine, frame);
      return;
    }
    if (text.charCodeAt(cp) !== CH_COLON) {
      syntaxError(engine, `":" expected at: "...${excerpt(text, branch.start, branch.end)}}>>>${excerpt(text, cp, end, 20)}"`);
    }
    cp++;
  }
  // The ':' operand, either alone or as the else-branch of '?'.
  const branch = resultOperand(engine, text, cp, end);
  if (!nonEmpty || engine.scan) parse(engine, frame, text, branch.start, branch.end);
  if (branch.next < end) {
    syntaxError(
      engine,
      `unexpected input at: "...${excerpt(text, branch.start, branch.end)}}>>>${excerpt(text, branch.next, end, 20)}"`,
    );
  }
  leaveCallback(engine, frame);
}

/** A `$name` whose value is `value`: replay the memo when the bounds allow it, else parse it (and remember it). */
function expandName(engine: Engine, memo: ExpansionMemo, frame: Frame, name: string, value: string): void {
  const hit = memo.entries.get(name);
  if (
    hit &&
    engine.steps + hit.steps <= engine.maxSteps &&
    engine.bytes + hit.value.length <= engine.byteBudget &&
    frame.level + hit.levelRise <= engine.maxDepth &&
    engine.totalDepth + hit.depthRise <= TOTAL_DEPTH_LIMIT
  ) {
    memo.hits++;
    engine.steps += hit.steps;
    engine.peakLevel = Math.max(engine.peakLevel, frame.level + hit.levelRise);
    engine.peakDepth = Math.max(engine.peakDepth, engine.totalDepth + hit.depthRise);
    for (const n of hit.undefinedNames) noteUndefined(engine, n);
    append(engine, frame, hit.value);
    return;
  }
  memo.misses++;
  const start = { steps: engine.steps, level: frame.level, depth: engine.totalDepth, fresh: engine.freshFrames, out: frame.out.length };
  const outer = { peakLevel: engine.peakLevel, peakDepth: engine.peakDepth, trail: engine.undefinedTrail };
  engine.peakLevel = frame.level;
  engine.peakDepth = engine.totalDepth;
  const trail: UndefinedTrail = { names: new Set(), overflow: false };
  engine.undefinedTrail = trail;
  let completed = false;
  try {
    parse(engine, frame, value, 0, value.length);
    completed = true;
  } finally {
    const peakLevel = engine.peakLevel;
    const peakDepth = engine.peakDepth;
    engine.peakLevel = Math.max(outer.peakLevel, peakLevel);
    engine.peakDepth = Math.max(outer.peakDepth, peakDepth);
    engine.undefinedTrail = outer.trail;
    if (outer.trail && !outer.trail.overflow) {
      if (trail.overflow) outer.trail.overflow = true;
      else for (const n of trail.names) outer.trail.names.add(n);
      if (outer.trail.names.size > MEMO_MAX_UNDEFINED) outer.trail.overflow = true;
    }
    if (completed && !hit && engine.freshFrames === start.fresh && !trail.overflow) {
      const pieces = frame.out.splice(start.out);
      const expanded = pieces.length === 1 ? pieces[0] : pieces.join('');
      if (expanded.length > 0) frame.out.push(expanded);
      if (memo.bytes + expanded.length <= MEMO_MAX_BYTES) {
        memo.bytes += expanded.length;
        memo.entries.set(name, {
          value: expanded,
          steps: engine.steps - start.steps,
          levelRise: peakLevel - start.level,
          depthRise: peakDepth - start.depth,
          undefinedNames: [...trail.names],
        });
      }
    }
  }
}

/** Operand after '?' or ':': either {text} (whitespace around it ignored) or the rest of the expression verbatim. */
function resultOperand(engine: Engine, text: string, cp: number, end: number): { start: number; end: number; next: number } {
  const brace = skipSpace(text, cp, end);
  if (brace < end && text.charCodeAt(brace) === CH_LBRACE) return curlyPayload(engine, text, brace, end);
  return { start: cp, end, next: end };
}

function lookupName(engine: Engine, name: string): string | undefined {
  if (engine.scan) {
    if (name.length > 0) {
      engine.referenced.add(name);
      if (engine.occurrences.length < MAX_SCAN_OCCURRENCES) engine.occurrences.push(name);
    }
    return undefined;
  }
  const value = name.length > 0 ? engine.lookup(name) : undefined;
  if (value === undefined) noteUndefined(engine, name);
  return value;
}

/** An undefined name was met: report it once per expansion (and tell the memo entry being built). */
function noteUndefined(engine: Engine, name: string): void {
  const trail = engine.undefinedTrail;
  if (trail && !trail.overflow) {
    trail.names.add(name);
    if (trail.names.size > MEMO_MAX_UNDEFINED) trail.overflow = true;
  }
  if (!engine.undefinedSeen.has(name)) {
    engine.undefinedSeen.add(name);
    if (engine.undefinedSeen.size <= MAX_UNDEFINED_DIAGNOSTICS) {
      engine.diagnostics.push({
        code: 'undefined',
        name,
        message: name.length > 0 ? `undefined parameter: ${name}` : 'undefined parameter with an empty name',
      });
    }
  }
}

/** ${{left} OP {right} ...}: text[cp] is the '{' of the left operand. */
function relational(engine: Engine, text: string, cp: number, end: number): { value: string | undefined; next: number } {
  const left = curlyPayload(engine, text, cp, end);
  cp = left.next;
  const opStart = cp;
  while (cp < end && OPERATOR_CHARS.includes(text[cp])) cp++;
  const op = text.slice(opStart, cp);
  if (!RELATIONAL_OPERATORS.has(op)) {
    syntaxError(
      engine,
      `"==" or "!=" or "<" or "<=" or ">=" or ">" expected at: "...${excerpt(text, left.start, left.end)}}>>>${excerpt(text, cp, end, 20)}"`,
    );
  }
  let compatLevel = false;
  if (cp < end && isAsciiAlnum(text.charCodeAt(cp))) {
    const suffixStart = cp;
    while (cp < end && isAsciiAlnum(text.charCodeAt(cp))) cp++;
    const suffix = text.slice(suffixStart, cp);
    if (suffix !== 'level') syntaxError(engine, `bad operator suffix at: "...${op}>>>${suffix}"`);
    compatLevel = true;
  }
  const brace = skipSpace(text, cp, end);
  if (brace >= end || text.charCodeAt(brace) !== CH_LBRACE) {
    syntaxError(
      engine,
      `"{expression}" expected at: "...{${excerpt(text, left.start, left.end)}} ${op}>>>${excerpt(text, brace, end, 20)}"`,
    );
  }
  const right = curlyPayload(engine, text, brace, end);
  const leftValue = expandFresh(engine, text, left.start, left.end);
  const rightValue = expandFresh(engine, text, right.start, right.end);
  if (engine.scan) return { value: undefined, next: right.next };
  const delta = compatLevel
    ? compareCompatLevels(engine, leftValue, rightValue)
    : compareOperands(engine, leftValue, rightValue);
  return { value: relationHolds(op, delta) ? TRUE_VALUE : FALSE_VALUE, next: right.next };
}

function relationHolds(op: string, delta: number): boolean {
  switch (op) {
    case '==':
      return delta === 0;
    case '!=':
      return delta !== 0;
    case '<':
      return delta < 0;
    case '<=':
      return delta <= 0;
    case '>=':
      return delta >= 0;
    default:
      return delta > 0;
  }
}

const LONG_MAX = (1n << 63n) - 1n;

function isAllDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** Decimal digits as a C long, or undefined when strtol would report ERANGE. */
function digitsToLong(digits: string): bigint | undefined {
  let first = 0;
  while (first < digits.length - 1 && digits.charCodeAt(first) === 0x30) first++;
  // Anything longer than 19 significant digits cannot fit; skip BigInt work on huge input.
  if (digits.length - first > 19) return undefined;
  const n = BigInt(digits.slice(first));
  return n > LONG_MAX ? undefined : n;
}

/** Numeric when both sides are all digits, else byte-wise (strcmp). */
function compareOperands(engine: Engine, left: string, right: string): number {
  if (isAllDigits(left) && isAllDigits(right)) {
    const l = digitsToLong(left);
    const r = digitsToLong(right);
    // Postfix dies here ("mac_exp_eval: bad conversion") rather than compare.
    if (l === undefined) syntaxError(engine, `number out of range in comparison: ${excerpt(left, 0, left.length)}`);
    if (r === undefined) syntaxError(engine, `number out of range in comparison: ${excerpt(right, 0, right.length)}`);
    return l === r ? 0 : l < r ? -1 : 1;
  }
  // Binary strings: code-unit order equals unsigned byte order, like strcmp().
  return left === right ? 0 : left < right ? -1 : 1;
}

/** strtol() on text[pos...]: leading space and a sign allowed. */
function parseLong(text: string, pos: number): { value: bigint; next: number } | undefined {
  let p = pos;
  while (p < text.length && (text.charCodeAt(p) === 0x20 || (text.charCodeAt(p) >= 0x09 && text.charCodeAt(p) <= 0x0d))) p++;
  let negative = false;
  if (p < text.length && (text[p] === '+' || text[p] === '-')) {
    negative = text[p] === '-';
    p++;
  }
  const digitsStart = p;
  while (p < text.length && isDigit(text.charCodeAt(p))) p++;
  if (p === digitsStart) return undefined;
  const magnitude = digitsToLong(text.slice(digitsStart, p));
  // Out of range (ERANGE): every caller treats that as malformed.
  if (magnitude === undefined) return undefined;
  return { value: negative ? -magnitude : magnitude, next: p };
}

const COMPAT_MINOR_BITS = 10;
const COMPAT_PATCH_BITS = 10;
const COMPAT_MAJOR_MAX = LONG_MAX >> BigInt(COMPAT_MINOR_BITS + COMPAT_PATCH_BITS);
const COMPAT_PART_MAX = 1023n;

/** Postfix's compat_level_from_string: major[.minor[.patch]], each via strtol. */
export function parseCompatLevel(text: string): bigint | undefined {
  const limits = [COMPAT_MAJOR_MAX, COMPAT_PART_MAX, COMPAT_PART_MAX];
  const parts: bigint[] = [];
  let pos = 0;
  for (let i = 0; i < 3; i++) {
    const n = parseLong(text, pos);
    if (!n || n.value < 0n || n.value > limits[i]) return undefined;
    parts.push(n.value);
    if (n.next === text.length) break;
    // A '.' may follow major and minor only.
    if (i === 2 || text[n.next] !== '.') return undefined;
    pos = n.next + 1;
  }
  const [major, minor = 0n, patch = 0n] = parts;
  return (major << BigInt(COMPAT_MINOR_BITS + COMPAT_PATCH_BITS)) | (minor << BigInt(COMPAT_PATCH_BITS)) | patch;
}

function compareCompatLevels(engine: Engine, left: string, right: string): number {
  for (const side of [left, right]) {
    if (parseCompatLevel(side) === undefined) {
      syntaxError(engine, `malformed compatibility level syntax: "${excerpt(side, 0, side.length)}"`);
    }
  }
  const l = parseCompatLevel(left) as bigint;
  const r = parseCompatLevel(right) as bigint;
  return l === r ? 0 : l < r ? -1 : 1;
}

/**
 * Expand a parameter value the way `postconf -x` does: recursively, with
 * undefined names becoming empty. ok is false when Postfix would stop with
 * "macro processing error" (syntax errors, unreasonable nesting, loops) or when
 * a bound was hit; value then holds the text produced up to that point.
 */
export function expandValue(value: string, lookup: Lookup, opts: ExpandOptions = {}): ExpandResult {
  const engine = createEngine(lookup, false, value.length, opts);
  const frame: Frame = { out: [], level: 0 };
  let ok = true;
  try {
    parse(engine, frame, value, 0, value.length);
  } catch (e) {
    if (!(e instanceof Abort)) throw e;
    ok = false;
  }
  return { value: frame.out.join(''), ok, diagnostics: engine.diagnostics };
}

/**
 * Every parameter name the value refers to, in every branch of every
 * conditional and in relational operands, without looking anything up
 * (mac_expand's scan mode, which postconf uses to decide which user-defined
 * parameters are "used"). Like Postfix, scanning stops at the first syntax
 * error, so names after it are not reported.
 */
export function referencedNames(value: string): string[] {
  return [...scan(value).referenced];
}

/**
 * Like referencedNames(), but every occurrence in scan order, repeats included (postconf warns
 * once per occurrence of an undefined name). At most 10,000 occurrences per value.
 */
export function referenceOccurrences(value: string): string[] {
  return scan(value).occurrences;
}

function scan(value: string): Engine {
  const engine = createEngine(() => undefined, true, value.length, {});
  try {
    parse(engine, { out: [], level: 0 }, value, 0, value.length);
  } catch (e) {
    if (!(e instanceof Abort)) throw e;
  }
  return engine;
}
