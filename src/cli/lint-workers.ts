/**
 * Large lint runs on several cores: the inputs are cut into chunks, which
 * worker threads (cli/lint-worker.ts) and the main thread take from one queue;
 * outcomes are put back in input order, so the report is byte-identical to a
 * single-threaded run. Opt-in (see workerCount). Only plain linting goes here (no --fix, --diff,
 * --interactive). A worker that fails hands its chunk back to the main thread.
 */
import { Worker } from 'node:worker_threads';
import type { CliIo } from './io.js';
import type { LintInput } from './inputs.js';
import type { FixKind } from '../engine/types.js';
import type { EntryKind } from '../util/dir-listing.js';
import { lintInput, type InputLintContext, type InputOutcome } from './lint-input.js';
import type { LintCommandOptions } from './lint-command.js';

/** Below this many inputs, starting workers (~30-50 ms each) costs more than it saves. */
export const WORKER_THRESHOLD = 200;
const CHUNK_SIZE = 50;

/** One input's outcome and what it wrote to stderr (written by the main thread, in input order). */
export interface CapturedOutcome {
  readonly outcome: InputOutcome;
  readonly stderr: string;
}

export interface WorkerSetup {
  readonly opts: LintCommandOptions;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  readonly peerIds: readonly string[];
  readonly cliPeers: boolean;
  readonly kinds: readonly FixKind[];
  readonly listings: ReadonlyMap<string, ReadonlyMap<string, EntryKind>>;
}

export interface ChunkRequest {
  readonly chunk: number;
  readonly inputs: readonly LintInput[];
}

export type ChunkResult = { readonly chunk: number; readonly results: CapturedOutcome[] } | { readonly chunk: number; readonly error: string };

/**
 * How many worker threads to start (0: lint on the main thread only): off unless
 * POSTFIX_TLS_LINT_WORKERS=N asks for N, and then only for runs of more than
 * WORKER_THRESHOLD inputs. On the 2-vCPU reference machine a 10,000-file run was
 * slower with a worker (docs/performance.md): V8's GC helper threads already use
 * the second core, and a worker starts with cold JIT and caches.
 */
export function workerCount(inputCount: number, env: Readonly<Record<string, string | undefined>>): number {
  const asked = /^\s*(\d+)\s*$/.exec(env.POSTFIX_TLS_LINT_WORKERS ?? '');
  if (!asked || inputCount <= WORKER_THRESHOLD) return 0;
  return Math.min(Number(asked[1]), 64);
}

/** Lints inputs in order, each with its own captured stderr. */
export async function lintInputsCaptured(inputs: readonly LintInput[], ctx: InputLintContext): Promise<CapturedOutcome[]> {
  let stderr = '';
  const io: CliIo = { ...ctx.io, stderr: (t) => void (stderr += t) };
  const captured = { ...ctx, io };
  const out: CapturedOutcome[] = [];
  for (const input of inputs) {
    stderr = '';
    const outcome = await lintInput(input, captured);
    out.push({ outcome, stderr });
  }
  return out;
}

function workerUrl(): URL {
  // tsc output: dist/src/cli/lint-worker.js; the bundle: dist/bundle/lint-worker.mjs beside this chunk.
  const ext = import.meta.url.endsWith('.mjs') ? '.mjs' : '.js';
  return new URL(`./lint-worker${ext}`, import.meta.url);
}

/** Lints every input with `workers` worker threads plus the main thread; outcomes in input order. */
export async function lintInputsInParallel(inputs: readonly LintInput[], ctx: InputLintContext, setup: WorkerSetup, workers: number): Promise<CapturedOutcome[]> {
  const chunkCount = Math.ceil(inputs.length / CHUNK_SIZE);
  const chunkInputs = (c: number) => inputs.slice(c * CHUNK_SIZE, (c + 1) * CHUNK_SIZE);
  const results: (CapturedOutcome[] | undefined)[] = new Array(chunkCount);
  const handedBack: number[] = [];
  let next = 0;
  let done = 0;
  const take = (): number => (handedBack.length > 0 ? handedBack.pop()! : next < chunkCount ? next++ : -1);

  let finish!: () => void;
  const allDone = new Promise<void>((r) => (finish = r));
  const store = (c: number, r: CapturedOutcome[]) => {
    results[c] = r;
    if (++done === chunkCount) finish();
  };

  let wake: () => void = () => {};
  const pool: Worker[] = [];
  for (let i = 0; i < workers && chunkCount > 0; i++) {
    const worker = new Worker(workerUrl(), { workerData: setup });
    let current = -1;
    let alive = true;
    const dispatch = () => {
      current = take();
      if (current >= 0) worker.postMessage({ chunk: current, inputs: chunkInputs(current) } satisfies ChunkRequest);
    };
    // A failed worker hands its chunk back; the main thread's loop picks it up.
    const fail = () => {
      if (!alive) return;
      alive = false;
      if (current >= 0 && results[current] === undefined) handedBack.push(current);
      current = -1;
      void worker.terminate();
      wake();
    };
    worker.on('message', (m: ChunkResult | { ready: true }) => {
      if ('ready' in m) return;
      if ('error' in m) return fail();
      store(m.chunk, m.results);
      dispatch();
    });
    worker.on('error', fail);
    worker.on('exit', fail);
    pool.push(worker);
    dispatch();
  }

  // The main thread works the same queue, yielding between chunks so worker results are taken in.
  for (;;) {
    const c = take();
    if (c >= 0) {
      store(c, await lintInputsCaptured(chunkInputs(c), ctx));
      await new Promise((r) => setImmediate(r));
      continue;
    }
    if (done === chunkCount) break;
    // Wait for the workers, or for a failed worker's chunk to come back.
    await Promise.race([allDone, new Promise<void>((r) => (wake = r))]);
  }
  for (const w of pool) {
    w.removeAllListeners('exit');
    void w.terminate();
  }
  return results.flat() as CapturedOutcome[];
}
