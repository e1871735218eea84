/**
 * Worker thread entry for large lint runs (cli/lint-workers.ts): lints the
 * chunks of inputs the main thread posts and answers with plain-data
 * outcomes, which the main thread formats in input order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CliIo } from './io.js';
import { DirListings } from '../util/dir-listing.js';
import { lintInputsCaptured, type WorkerSetup, type ChunkRequest, type ChunkResult } from './lint-workers.js';
import { findBuiltinPeer } from '../interop/peers.js';

async function main(): Promise<void> {
  const setup = workerData as WorkerSetup;
  const port = parentPort!;
  const ci = await import('./ci-support.js');
  const io: CliIo = {
    stdout: () => {
      throw new Error('a lint worker does not write to stdout');
    },
    stderr: () => {
      throw new Error('a lint worker captures stderr per input');
    },
    readStdin: () => {
      throw new Error('a lint worker does not read stdin');
    },
    stdoutIsTty: false,
    env: setup.env,
    cwd: setup.cwd,
  };
  const ctx = {
    opts: setup.opts,
    io,
    version: setup.version,
    peers: setup.peerIds.map((id) => findBuiltinPeer(id)!),
    cliPeers: setup.cliPeers,
    kinds: setup.kinds,
    showDiff: false,
    resolver: ci.newResolver(setup.opts, io).useListings(DirListings.fromSnapshot(setup.listings)),
    suppress: await ci.makeSuppressor(Boolean(setup.opts.reportUnusedDisables)),
    ci,
  };
  port.on('message', (req: ChunkRequest) => {
    lintInputsCaptured(req.inputs, ctx).then(
      (results) => port.postMessage({ chunk: req.chunk, results } satisfies ChunkResult),
      (e: unknown) => port.postMessage({ chunk: req.chunk, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies ChunkResult),
    );
  });
  port.postMessage({ ready: true });
}

void main();
