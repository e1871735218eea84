/** Small helpers rules share: anchoring findings, naming where a value comes from, confirm commands. */
import type { ConfigModel } from '../model/config.js';

export { describeSetting } from '../model/describe.js';
import type { ParamNode } from '../parser/main-cf.js';

/** The definition to point at: the winning one, else none (the finding anchors at line 1). */
export function anchor(model: ConfigModel, ...names: string[]): ParamNode | undefined {
  for (const n of names) {
    const d = model.definition(n);
    if (d) return d;
  }
  return undefined;
}

/** posttls-finger command that checks the client side of a handshake against a live server. */
/**
 * The posttls-finger target when the configuration names no next hop (no relayhost): a shell form the admin can
 * run as is (NEXTHOP=example.com sh -c ...) and that says what to put there when NEXTHOP is not set.
 */
export function unknownNexthop(what = 'a destination this server sends mail to: a domain, or [host]:port'): string {
  return `\${NEXTHOP:?set NEXTHOP to ${what}}`;
}

export function fingerCommand(opts: { level?: string; protocols?: string; grade?: string; target?: string; nexthopHint?: string }): string {
  const parts = ['posttls-finger', '-c'];
  if (opts.level) parts.push('-l', opts.level);
  if (opts.protocols) parts.push('-p', `'${opts.protocols}'`);
  if (opts.grade) parts.push('-g', opts.grade);
  parts.push(`"${opts.target ?? unknownNexthop(opts.nexthopHint)}"`);
  return parts.join(' ');
}

/** Levenshtein distance, for did-you-mean suggestions (inputs are short names). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length);
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/**
 * editDistance(a, b) when it is at most `max`, else some number above `max`: only the diagonal
 * band of width 2·max+1 is computed, and the work stops once every cell of a row exceeds `max`.
 */
/** editDistanceWithin's row, reused: it runs for every unknown word against hundreds of names. */
let bandRow = new Int32Array(64);

export function editDistanceWithin(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const big = max + 1;
  if (bandRow.length < b.length + 1) bandRow = new Int32Array(2 * (b.length + 1));
  const prev = bandRow;
  for (let j = 0; j <= b.length; j++) prev[j] = j <= max ? j : big;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    let diag = prev[from - 1];
    prev[from - 1] = from === 1 && i <= max ? i : big;
    let rowMin = prev[from - 1];
    for (let j = from; j <= to; j++) {
      const tmp = prev[j];
      const cell = Math.min(tmp + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev[j] = cell > big ? big : cell;
      diag = tmp;
      if (prev[j] < rowMin) rowMin = prev[j];
    }
    if (to < b.length) prev[to + 1] = big;
    if (rowMin > max) return big;
  }
  return prev[b.length] > max ? big : prev[b.length];
}

export function closest(word: string, candidates: Iterable<string>, maxDistance = 3): string | undefined {
  let best: string | undefined;
  let bestD = maxDistance + 1;
  const lw = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lw, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}
