/** A main.cf template and the master.cf template beside it, rendered together. Pure. */
import type { FrontEndResult, Rendering } from './types.js';

/** Another file's renderings with chain ids moved past `offset`, so branch paths of the two files never mix. */
function shifted(other: FrontEndResult, offset: number): { renderings: Rendering[]; chains: FrontEndResult['chains'] } {
  const shift = <T extends { chain: number }>(s: T): T => ({ ...s, chain: s.chain + offset });
  return {
    renderings: other.renderings.map((r) => ({ main: r.main.map((p) => ({ ...p, path: p.path.map(shift) })), choices: new Map([...r.choices].map(([k, v]) => [k + offset, v])) })),
    chains: other.chains.map((c) => ({ ...c, id: c.id + offset })),
  };
}

function nextChainId(front: FrontEndResult): number {
  return front.chains.reduce((m, c) => Math.max(m, c.id + 1), 0);
}

/** Rendering i goes with rendering i of the other file (or its last); `attach` puts its pieces into the rendering. */
function pair(main: FrontEndResult, other: FrontEndResult, attach: (r: Rendering, pieces: Rendering['main']) => Rendering): FrontEndResult {
  const o = shifted(other, nextChainId(main));
  const count = Math.max(main.renderings.length, o.renderings.length);
  const renderings: Rendering[] = [];
  for (let i = 0; i < count; i++) {
    const a = main.renderings[Math.min(i, main.renderings.length - 1)];
    const b = o.renderings[Math.min(i, o.renderings.length - 1)];
    renderings.push(attach({ ...a, choices: new Map([...a.choices, ...b.choices]) }, b.main));
  }
  return { ...main, renderings, chains: [...main.chains, ...o.chains], problems: [...main.problems, ...other.problems] };
}

/** A main.cf template and the master.cf template beside it. */
export function combineFrontEnds(main: FrontEndResult, master: FrontEndResult): FrontEndResult {
  return pair(main, master, (r, pieces) => ({ ...r, master: pieces }));
}

/** A main.cf template and a policy table template beside it, deployed under the file name `name`. */
export function addTableFrontEnd(main: FrontEndResult, table: FrontEndResult, path: string, name: string): FrontEndResult {
  return pair(main, table, (r, pieces) => ({ ...r, tables: [...(r.tables ?? []), { path, name, pieces }] }));
}
