#!/usr/bin/env node
/**
 * Build step (after tsc): bundle the CLI into dist/bundle/cli.mjs so a run
 * loads a handful of files instead of ~95 ES modules (Node 20 has no compile
 * cache; each module costs resolve + stat + read + compile). The lazy
 * import() boundaries (subcommands, formatters, fixer, interactive mode)
 * stay separate chunks, so a lint run still loads only what it needs.
 * esbuild is a devDependency: build time only, never loaded at run time.
 * bin/postfix-tls-lint uses the bundle when it is at least as new as the tsc
 * output, else falls back to dist/src/cli/main.js.
 *
 * Usage: node scripts/bundle.mjs [--external]   (--external: keep commander and kleur out of the bundle)
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // The lint worker (cli/lint-workers.ts) is its own entry, found beside the chunk that starts it.
  entryPoints: { cli: 'dist/src/cli/main.js', 'lint-worker': 'dist/src/cli/lint-worker.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  // ajv, diff, nunjucks and yaml are required lazily through createRequire (not bundled either way).
  external: process.argv.includes('--external') ? ['commander', 'kleur', 'ajv', 'diff', 'nunjucks', 'yaml'] : ['ajv', 'diff', 'nunjucks', 'yaml'],
  logLevel: 'warning',
  legalComments: 'inline',
  minify: process.argv.includes('--minify'),
  // commander is CommonJS and requires node: built-ins; give the ESM output a real require.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
});
