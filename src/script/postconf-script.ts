/**
 * postconf commands in shell scripts and Dockerfiles as a configuration
 * source: `postconf -e 'name = value'`, `postconf name=value`, `postconf -X
 * name`, `postconf -M name/type='entry'`, `postconf -P service/type/name=value`,
 * applied in order on top of a main.cf (the one beside the script, else the
 * release's defaults). The result is a rendering like a template's: pieces of
 * script text (settings map back to the script line) and slots for shell
 * expansions. Pure.
 */
import { parseMainCf } from '../parser/main-cf.js';
import type { Expansion, FrontEndResult, Piece, PlaceholderInfo, SourceSpan } from '../template/types.js';
import { isKnownParameterName } from '../model/catalogue/index.js';
import { NEWEST_VERSION } from '../model/version.js';
import { shellCommands, sliceParts, wordSource, wordText, type Word, type WordPart } from './shell-words.js';

export interface PostconfOp {
  readonly kind: 'set' | 'unset' | 'master' | 'master-param' | 'master-unset';
  /** main.cf parameter (set/unset), or service/type (master), or service/type with `param` (master-param). */
  readonly name: string;
  readonly param?: string;
  /** The value (set, master-param) or the whole entry (master), with source offsets. */
  readonly value: readonly WordPart[];
  readonly nameParts: readonly WordPart[];
  readonly word: { readonly start: number; readonly end: number };
}

/** A Dockerfile's RUN instructions (shell form) as shell text at the same offsets; everything else blanked. */
export function dockerfileShellText(src: string): string {
  const out = src.split('');
  const lines = src.split('\n');
  let pos = 0;
  let inInstruction: 'run' | 'other' | null = null;
  for (const line of lines) {
    const end = pos + line.length;
    const trimmed = line.replace(/\r$/, '');
    const comment = /^\s*#/.test(trimmed);
    if (inInstruction === null && !comment && trimmed.trim() !== '') {
      const m = /^(\s*)([A-Za-z]+)(\s|$)/.exec(trimmed);
      const keyword = m ? m[2].toUpperCase() : '';
      const rest = m ? trimmed.slice(m[0].length) : '';
      inInstruction = keyword === 'RUN' && !/^\s*\[/.test(rest) && !/<</.test(rest) ? 'run' : 'other';
      if (inInstruction === 'run') for (let i = pos; i < pos + m![1].length + m![2].length; i++) out[i] = ' ';
    }
    if (inInstruction === 'other' || (comment && inInstruction === null)) for (let i = pos; i < end; i++) if (out[i] !== '\r') out[i] = ' ';
    if (inInstruction !== null && !comment && !/\\\r?$/.test(line)) inInstruction = null;
    pos = end + 1;
  }
  return out.join('');
}

function isPostconf(w: Word): boolean {
  const t = wordText(w);
  return t !== null && /(^|\/)postconf$/.test(t);
}

/** Options postconf takes with an argument. */
const WITH_ARGUMENT = new Set(['c', 'b', 't', 'o']);

export function postconfOps(shellText: string): PostconfOp[] {
  const ops: PostconfOp[] = [];
  for (const cmd of shellCommands(shellText)) {
    let i = 0;
    // Skip environment assignments, sudo/exec/command and the like.
    while (i < cmd.length && !isPostconf(cmd[i])) {
      const t = wordText(cmd[i]);
      if (t === null || !(/^[A-Za-z_]\w*=/.test(t) || /^(sudo|exec|command|env|RUN|-\S+)$/.test(t))) break;
      i++;
    }
    if (i >= cmd.length || !isPostconf(cmd[i])) continue;
    const flags = new Set<string>();
    const args: Word[] = [];
    for (let j = i + 1; j < cmd.length; j++) {
      const t = wordText(cmd[j]);
      if (t !== null && /^-[A-Za-z#]+$/.test(t) && args.length === 0) {
        for (const f of t.slice(1)) flags.add(f);
        if ([...t.slice(1)].some((f) => WITH_ARGUMENT.has(f))) j++;
        continue;
      }
      if (t === '--') continue;
      args.push(cmd[j]);
    }
    // Queries (-n, -d, -h, -x without editing) change nothing.
    const remove = flags.has('X') || flags.has('#');
    for (const w of args) {
      const text = wordSource(w);
      if (flags.has('M')) {
        const eq = text.indexOf('=');
        const name = (eq === -1 ? text : text.slice(0, eq)).trim();
        if (remove || eq === -1) {
          if (remove) ops.push({ kind: 'master-unset', name, value: [], nameParts: sliceParts(w.parts, 0, eq === -1 ? text.length : eq), word: w });
          continue;
        }
        ops.push({ kind: 'master', name, value: trimParts(sliceParts(w.parts, eq + 1)), nameParts: sliceParts(w.parts, 0, eq), word: w });
        continue;
      }
      if (flags.has('P')) {
        const eq = text.indexOf('=');
        const key = (eq === -1 ? text : text.slice(0, eq)).trim();
        const m = /^([^/]+\/[^/]+)\/(.+)$/.exec(key);
        if (!m) continue;
        if (remove || eq === -1) {
          if (remove) ops.push({ kind: 'master-unset', name: m[1], param: m[2], value: [], nameParts: sliceParts(w.parts, 0, key.length), word: w });
          continue;
        }
        ops.push({ kind: 'master-param', name: m[1], param: m[2], value: trimParts(sliceParts(w.parts, eq + 1)), nameParts: sliceParts(w.parts, text.indexOf(m[2]), eq), word: w });
        continue;
      }
      if (remove) {
        ops.push({ kind: 'unset', name: text.trim(), value: [], nameParts: w.parts, word: w });
        continue;
      }
      const eq = text.indexOf('=');
      // Without "=" postconf prints the parameter: no change.
      if (eq <= 0) continue;
      const nameParts = trimParts(sliceParts(w.parts, 0, eq));
      const name = wordSource(nameParts);
      if (!/^[A-Za-z0-9_.-]+$/.test(name)) continue;
      ops.push({ kind: 'set', name, value: trimParts(sliceParts(w.parts, eq + 1)), nameParts, word: w });
    }
  }
  return ops;
}

/** Parts without the blanks around them (postconf trims name and value). */
function trimParts(parts: readonly WordPart[]): WordPart[] {
  const out = [...parts];
  const trimText = (p: WordPart, side: 'start' | 'end'): WordPart | null => {
    if (p.kind !== 'text') return p;
    const text = side === 'start' ? p.text.trimStart() : p.text.trimEnd();
    if (text === '') return null;
    if (!p.literal) return { ...p, text };
    const cut = p.text.length - text.length;
    return side === 'start' ? { ...p, text, start: p.start + cut } : { ...p, text, end: p.end - cut };
  };
  while (out.length > 0) {
    const t = trimText(out[0], 'start');
    if (t === null) out.shift();
    else {
      out[0] = t;
      break;
    }
  }
  while (out.length > 0) {
    const t = trimText(out[out.length - 1], 'end');
    if (t === null) out.pop();
    else {
      out[out.length - 1] = t;
      break;
    }
  }
  return out;
}

function expansionInfo(p: Extract<WordPart, { kind: 'expansion' }>): PlaceholderInfo {
  return { label: p.name ?? p.source, expr: p.source, ...(p.fallback !== undefined ? { fallback: p.fallback } : {}) };
}

/** Default master.cf entries of services a script may change without defining them (Postfix's stock master.cf). */
const STOCK_SERVICES: Readonly<Record<string, string>> = {
  'smtp/inet': 'smtp      inet  n       -       y       -       -       smtpd',
  'submission/inet': 'submission inet n       -       y       -       -       smtpd',
  'smtps/inet': 'smtps     inet  n       -       y       -       -       smtpd',
  'submissions/inet': 'submissions inet n      -       y       -       -       smtpd',
  'smtp/unix': 'smtp      unix  -       -       y       -       -       smtp',
  'relay/unix': 'relay     unix  -       -       y       -       -       smtp',
  'lmtp/unix': 'lmtp      unix  -       -       y       -       -       lmtp',
};

export interface ScriptSources {
  /** Shown path and text of the script. */
  readonly script: { readonly path: string; readonly text: string };
  readonly kind: 'shell' | 'dockerfile';
  /** The main.cf the script edits, when there is one beside it. */
  readonly base?: { readonly path: string; readonly text: string } | null;
  /** Postfix version whose parameter names count as Postfix references (default: the newest modelled). */
  readonly postfixVersion?: string;
}

/** Shell variables the script assigns: NAME=... at the start of a command, after export/local/readonly/declare, or as a for variable. */
function assignedVariables(shell: string): Set<string> {
  const names = new Set<string>();
  for (const cmd of shellCommands(shell)) {
    const words = cmd.map(wordSource);
    let i = 0;
    if (/^(export|local|readonly|declare|typeset)$/.test(words[0] ?? '')) i = 1;
    for (; i < words.length; i++) {
      const m = /^([A-Za-z_]\w*)=/.exec(words[i]);
      if (!m) break;
      names.add(m[1]);
    }
    if (words[0] === 'for' && words[1]) names.add(words[1]);
    if (words[0] === 'read') for (const w of words.slice(1)) if (/^[A-Za-z_]\w*$/.test(w)) names.add(w);
  }
  return names;
}

/** $name of a Postfix parameter in a postconf value that the shell expands first (unless the script sets such a variable). */
function shellExpansions(ops: readonly PostconfOp[], file: string, shell: string, version: string): Expansion[] {
  const out: Expansion[] = [];
  const assigned = assignedVariables(shell);
  for (const op of ops) {
    if (op.kind !== 'set' && op.kind !== 'master-param') continue;
    for (const p of op.value) {
      if (p.kind !== 'expansion' || p.name === null || !isKnownParameterName(p.name, version)) continue;
      if (assigned.has(p.name)) continue;
      out.push({ by: 'shell', src: { file, start: p.start, end: p.end }, ref: p.source, name: p.name, param: op.param ?? op.name, quoting: p.quoted ? 'double-quoted' : 'unquoted' });
    }
  }
  return out;
}

/** The configuration the script leaves behind, as one rendering. Null when it runs no postconf that changes anything. */
export function scriptFrontEnd(sources: ScriptSources): (FrontEndResult & { readonly ops: readonly PostconfOp[] }) | null {
  const file = sources.script.path;
  const shell = sources.kind === 'dockerfile' ? dockerfileShellText(sources.script.text) : sources.script.text;
  const ops = postconfOps(shell);
  if (ops.length === 0) return null;
  let slotId = 0;
  const glue = (text: string, at: SourceSpan): Piece => ({ kind: 'text', text, src: at, literal: false, path: [] });
  const partsToPieces = (parts: readonly WordPart[], at: SourceSpan): Piece[] =>
    parts.map((p): Piece => {
      const src = { file, start: p.start, end: p.end };
      if (p.kind === 'text') return { kind: 'text', text: p.text, src, literal: p.literal, path: [] };
      return { kind: 'slot', id: slotId++, key: 'sh:' + p.source, info: expansionInfo(p), src, path: [] };
    }).concat(parts.length === 0 ? [glue('', at)] : []);
  // main.cf: the base with the lines the script replaces left out, then the script's settings in order.
  const touched = new Set(ops.filter((o) => o.kind === 'set' || o.kind === 'unset').map((o) => o.name));
  const main: Piece[] = [];
  if (sources.base) {
    const base = parseMainCf(sources.base.text, sources.base.path);
    let pos = 0;
    const keep = (a: number, b: number) => {
      if (b > a) main.push({ kind: 'text', text: sources.base!.text.slice(a, b), src: { file: sources.base!.path, start: a, end: b }, literal: true, path: [] });
    };
    for (const p of base.params) {
      if (!touched.has(p.name)) continue;
      keep(pos, p.range[0]);
      pos = p.range[1];
    }
    keep(pos, base.text.length);
    if (base.text.length > 0 && !base.text.endsWith('\n')) main.push(glue('\n', { file: sources.base.path, start: base.text.length, end: base.text.length }));
  }
  const settings: { name: string; pieces: Piece[] }[] = [];
  const services = new Map<string, { entry: Piece[]; params: { name: string; pieces: Piece[] }[] }>();
  const service = (name: string, at: SourceSpan) => {
    let s = services.get(name);
    if (!s) {
      const stock = STOCK_SERVICES[name];
      s = { entry: [glue(stock ?? `${name.replace('/', ' ')} n - y - - smtpd`, at)], params: [] };
      services.set(name, s);
    }
    return s;
  };
  for (const op of ops) {
    const at = { file, start: op.word.start, end: op.word.end };
    if (op.kind === 'set') {
      settings.push({ name: op.name, pieces: [...partsToPieces(op.nameParts, at), glue(' = ', at), ...partsToPieces(op.value, at), glue('\n', at)] });
    } else if (op.kind === 'unset') {
      for (let k = settings.length - 1; k >= 0; k--) if (settings[k].name === op.name) settings.splice(k, 1);
    } else if (op.kind === 'master') {
      const s = service(op.name, at);
      s.entry = partsToPieces(op.value, at);
    } else if (op.kind === 'master-param') {
      const s = service(op.name, at);
      s.params = s.params.filter((p) => p.name !== op.param);
      s.params.push({ name: op.param!, pieces: [glue('  -o ', at), ...partsToPieces(op.nameParts, at), glue('=', at), ...partsToPieces(op.value, at), glue('\n', at)] });
    } else if (op.param) {
      const s = services.get(op.name);
      if (s) s.params = s.params.filter((p) => p.name !== op.param);
    } else services.delete(op.name);
  }
  for (const s of settings) main.push(...s.pieces);
  let master: Piece[] | null = null;
  if (services.size > 0) {
    master = [];
    for (const s of services.values()) {
      master.push(...s.entry, glue('\n', s.entry[0].src));
      for (const p of s.params) master.push(...p.pieces);
    }
  }
  const expansions = shellExpansions(ops, file, shell, sources.postfixVersion ?? NEWEST_VERSION);
  return { renderings: [{ main, master, choices: new Map() }], chains: [], problems: [], expansions, ops };
}
