#!/usr/bin/env node
/**
 * Build step (after scripts/bundle.mjs): a V8 startup snapshot of the CLI, dist/snapshot/cli.blob,
 * made by the `node` that runs this script. A run from the blob skips loading, compiling and
 * evaluating the CLI's modules and the first, cold lint (scripts/snapshot-entry.mjs).
 *
 * bin/postfix-tls-lint, run as a command, starts `node --snapshot-blob dist/snapshot/cli.blob -- ARGS`
 * only when dist/snapshot/node-id matches the `node` it would run (the binary's device, inode, size
 * and change time, and this directory) and the blob is not older than the tsc output; otherwise, and
 * with `node bin/postfix-tls-lint`, it runs the ESM bundle as before. A blob only loads in the Node.js
 * build that made it, so the blob is not shipped in the package (see "files" in package.json).
 * A failed snapshot build is reported and leaves no blob: the CLI then runs from the bundle.
 *
 * Usage: node scripts/snapshot.mjs
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/snapshot`;
const script = `${outdir}/cli.cjs`;
const blob = `${outdir}/cli.blob`;
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

// import.meta.url of every bundled module: the ESM bundle's entry, so that the package root, the lint
// worker (dist/bundle/lint-worker.mjs) and the lazily required dependencies resolve as from the bundle.
const moduleUrl = pathToFileURL(`${root}dist/bundle/cli.mjs`).href;
await build({
  absWorkingDir: root,
  entryPoints: ['scripts/snapshot-entry.mjs'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: script,
  // Loaded through createRequire on first use, as from the ESM bundle.
  external: ['ajv', 'diff', 'nunjucks', 'yaml'],
  define: { 'import.meta.url': JSON.stringify(moduleUrl) },
  logLevel: 'warning',
  legalComments: 'inline',
});

const r = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', script], { cwd: outdir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
if (r.status !== 0) {
  rmSync(blob, { force: true });
  process.stderr.write(`snapshot.mjs: no startup snapshot (the CLI runs from the bundle): node --build-snapshot exited with ${r.status ?? r.signal}\n${r.stderr.split('\n').filter((l) => !/snapshot builder scripts|may still work|nodejs\/node\/issues|--trace-warnings/.test(l)).join('\n')}`);
  process.exit(0);
}
// What bin/postfix-tls-lint compares with `stat -L -c '%d %i %s %Z' node` and `cd -P dist/snapshot && pwd`.
const st = statSync(process.execPath);
const identity = `${st.dev} ${st.ino} ${st.size} ${Math.floor(st.ctimeMs / 1000)} ${realpathSync(outdir)}`;
writeFileSync(`${outdir}/node-id`, `${identity}\n# ${process.version} ${process.arch} ${process.execPath}\n`);
