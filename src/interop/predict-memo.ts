/**
 * predictHandshake, memoized across the files of a run. A fleet holds
 * thousands of main.cf files but few distinct client TLS policies, and a
 * prediction depends only on the parameter values it reads. So each cached
 * prediction records what it read (value/isSet/raw of named parameters, the
 * version, the compatibility level); a later model reuses it when every
 * recorded read gives the same answer there. Reads that return objects are
 * compared by what a prediction can see of them: a prediction is plain text
 * and never shows where a definition sits, so `definition` compares by its
 * value and `resolve` by source and raw value. Any other use of the model
 * makes the prediction uncacheable. Bounded per peer, so hostile input cannot
 * grow it.
 */
import type { ConfigModel } from '../model/config.js';
import { predictHandshake } from './predict.js';
import type { PeerProfile, Prediction } from './types.js';

type Call = 'value' | 'isSet' | 'raw' | 'resolve' | 'definition';
type Read = readonly [kind: Call, name: string, result: unknown] | readonly [kind: 'version' | 'compatibilityLevel', result: unknown];
type ReadSpec = readonly [kind: Call, name: string] | readonly [kind: 'version' | 'compatibilityLevel'];

/**
 * The cache for one peer is a decision tree over reads: predictHandshake is
 * deterministic, so models that answer the same first k reads alike make the
 * same read k+1. A lookup costs one read per step, however many policies are
 * cached; a model's answers are kept (per model) for the other peers' walks.
 */
interface Step {
  /** The read the prediction made next (absent at a leaf), and its id. */
  read?: ReadSpec;
  id?: string;
  readonly next: Map<unknown, Step>;
  prediction?: Prediction;
}
interface PeerCache {
  readonly root: Step;
  leaves: number;
}

const LEAVES_PER_PEER = 4096;
const cache = new WeakMap<PeerProfile, PeerCache>();
const answersByModel = new WeakMap<ConfigModel, Map<string, unknown>>();

function cachedAnswer(model: ConfigModel, answers: Map<string, unknown>, id: string, read: ReadSpec): unknown {
  if (answers.has(id)) return answers.get(id);
  const a = replay(model, read);
  answers.set(id, a);
  return a;
}

const TRACKED_CALLS = new Set<string>(['value', 'isSet', 'raw', 'resolve', 'definition']);

/** The comparable part of one call's answer. */
function answer(model: ConfigModel, kind: Call, name: string): unknown {
  switch (kind) {
    case 'resolve': {
      const r = model.resolve(name);
      return r === undefined ? undefined : `${r.source}\0${r.raw}`;
    }
    case 'definition':
      return model.definition(name)?.value;
    default:
      return model[kind](name);
  }
}

function replay(model: ConfigModel, read: ReadSpec): unknown {
  switch (read[0]) {
    case 'version':
      return model.version;
    case 'compatibilityLevel':
      return model.compatibilityLevel;
    default:
      return answer(model, read[0], read[1]);
  }
}

/** A view of the model that logs comparable reads and notes any other use. */
function recording(model: ConfigModel): { view: ConfigModel; reads: Read[]; opaque: () => boolean } {
  const reads: Read[] = [];
  let opaque = false;
  const view = new Proxy(model, {
    get(target, prop) {
      if (prop === 'version' || prop === 'compatibilityLevel') {
        const result = target[prop];
        reads.push([prop, result]);
        return result;
      }
      if (typeof prop === 'string' && TRACKED_CALLS.has(prop)) {
        const kind = prop as Call;
        return (name: string) => {
          reads.push([kind, name, answer(target, kind, name)]);
          return target[kind](name);
        };
      }
      opaque = true;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { view, reads, opaque: () => opaque };
}

/** Same result as predictHandshake(model, peer) with default options. */
export function predictHandshakeCached(model: ConfigModel, peer: PeerProfile): Prediction {
  let peerCache = cache.get(peer);
  if (!peerCache || peerCache.leaves >= LEAVES_PER_PEER) cache.set(peer, (peerCache = { root: { next: new Map() }, leaves: 0 }));
  let answers = answersByModel.get(model);
  if (!answers) answersByModel.set(model, (answers = new Map()));
  for (let step: Step | undefined = peerCache.root; step; ) {
    if (step.prediction) return step.prediction;
    if (!step.read || !step.id) break;
    step = step.next.get(cachedAnswer(model, answers, step.id, step.read));
  }
  const { view, reads, opaque } = recording(model);
  const prediction = Object.freeze(predictHandshake(view, peer));
  if (opaque()) return prediction;
  let step = peerCache.root;
  for (const r of reads) {
    if (!step.read) {
      step.read = r.length === 3 ? [r[0], r[1]] : [r[0]];
      step.id = step.read.join('\0');
    }
    const result = r[r.length - 1];
    let child = step.next.get(result);
    if (!child) step.next.set(result, (child = { next: new Map() }));
    step = child;
  }
  step.prediction = prediction;
  peerCache.leaves++;
  return prediction;
}
