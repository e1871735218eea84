/** A main.cf template and the master.cf template beside it, rendered together. Pure. */
import type { FrontEndResult, Rendering } from './types.js';

/** Rendering i of main.cf goes with rendering i of master.cf (or its last); master.cf chains are renumbered after main.cf's. */
export function combineFrontEnds(main: FrontEndResult, master: FrontEndResult): FrontEndResult {
  const offset = main.chains.reduce((m, c) => Math.max(m, c.id + 1), 0);
  const shift = <T extends { chain: number }>(s: T): T => ({ ...s, chain: s.chain + offset });
  const masterRenderings = master.renderings.map((r) => ({
    main: r.main.map((p) => ({ ...p, path: p.path.map(shift) })),
    choices: new Map([...r.choices].map(([k, v]) => [k + offset, v])),
  }));
  const count = Math.max(main.renderings.length, masterRenderings.length);
  const renderings: Rendering[] = [];
  for (let i = 0; i < count; i++) {
    const a = main.renderings[Math.min(i, main.renderings.length - 1)];
    const b = masterRenderings[Math.min(i, masterRenderings.length - 1)];
    renderings.push({ main: a.main, master: b.main, choices: new Map([...a.choices, ...b.choices]) });
  }
  return { renderings, chains: [...main.chains, ...master.chains.map((c) => ({ ...c, id: c.id + offset }))], problems: [...main.problems, ...master.problems] };
}
