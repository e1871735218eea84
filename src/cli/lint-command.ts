import { relative, resolve, sep } from 'node:path';
import type { CliIo } from './io.js';
import { collectInputs, type LintInput } from './inputs.js';
import { choosePostfixVersion } from './postfix-version.js';
import type { InputLintContext, InputOutcome } from './lint-input.js';
import { loadFormatter, type FormatName } from '../formatters/index.js';
import type { FileReport } from '../formatters/types.js';
import { EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import type { Severity } from '../parser/types.js';
import type { FixKind } from '../engine/types.js';
import { releaseLine } from '../model/version.js';
import { TOOL_VERSION } from '../version.js';
import { useColor } from './color.js';
import type { FileDiff } from './diff-paths.js';
import { hostnameProblem } from './environment.js';
import { pushAll } from '../util/push-all.js';

export interface LintCommandOptions {
  /** Comma-separated peer ids for the interop rules (wins over the config file). */
  peers?: string;
  format: FormatName;
  postfixVersion?: string;
  opensslVersion?: string;
  failOn: Severity;
  quiet?: boolean;
  verbose?: boolean;
  color: boolean;
  stdinFilename?: string;
  fix?: boolean;
  diff?: boolean;
  fixDryRun?: boolean;
  fixType?: string;
  interactive?: boolean;
  /** Host name for myhostname and friends (default: this machine's). */
  hostname?: string;
  // CI and team use (cli/ci-support.ts):
  output?: string;
  config?: string;
  printConfig?: string;
  maxWarnings?: string;
  reportUnusedDisables?: boolean;
  // Certificate, key and CA files (cli/file-options.ts):
  files?: string;
  root?: string;
  now?: string;
  certExpiryDays?: string;
  // Templates and scripts (cli/template-input.ts):
  template?: string;
  vars?: string;
}

const FIX_KINDS: readonly FixKind[] = ['safe', 'interop'];

function parseFixTypes(value: string | undefined): FixKind[] | string {
  if (!value) return ['safe'];
  const kinds = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const k of kinds) if (!(FIX_KINDS as readonly string[]).includes(k)) return `unknown --fix-type "${k}" (allowed: ${FIX_KINDS.join(', ')})`;
  return kinds as FixKind[];
}

export async function lintCommand(paths: string[], opts: LintCommandOptions, io: CliIo): Promise<number> {
  const ci = await import('./ci-support.js');
  if (opts.printConfig !== undefined) return ci.printConfig(opts.printConfig, opts, io);
  const maxWarnings = ci.parseMaxWarnings(opts.maxWarnings);
  if (typeof maxWarnings === 'string') {
    io.stderr(`postfix-tls-lint: ${maxWarnings}\n`);
    return EXIT_USAGE;
  }
  if (paths.length === 0) {
    io.stderr('postfix-tls-lint: no input: give main.cf files, directories, or - for stdin (see --help)\n');
    return EXIT_USAGE;
  }
  const { version } = choosePostfixVersion(opts.postfixVersion, io.env);
  if (!releaseLine(version)) {
    io.stderr(`postfix-tls-lint: unsupported --postfix-version "${version}" (modelled: 2.11, 3.0 to 3.11)\n`);
    return EXIT_USAGE;
  }
  if (opts.vars !== undefined) {
    // Read and check the vars file once, up front: a broken one is a usage error.
    const { varsRendererFor } = await import('./vars-file.js');
    try {
      varsRendererFor(resolve(io.cwd, opts.vars));
    } catch (e) {
      io.stderr(`postfix-tls-lint: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_USAGE;
    }
  }
  const badHostname = opts.hostname !== undefined ? hostnameProblem(opts.hostname) : null;
  if (badHostname) {
    io.stderr(`postfix-tls-lint: ${badHostname}\n`);
    return EXIT_USAGE;
  }
  const kinds = parseFixTypes(opts.fixType);
  if (typeof kinds === 'string') {
    io.stderr(`postfix-tls-lint: ${kinds}\n`);
    return EXIT_USAGE;
  }
  const showDiff = Boolean(opts.diff || opts.fixDryRun);
  if (opts.fix && showDiff) {
    io.stderr('postfix-tls-lint: --fix writes files and --diff only shows changes: use one of them\n');
    return EXIT_USAGE;
  }
  if (opts.interactive && !opts.fix) {
    io.stderr('postfix-tls-lint: --interactive goes with --fix\n');
    return EXIT_USAGE;
  }
  if (opts.interactive && !io.stdinIsTty) {
    io.stderr('postfix-tls-lint: --fix --interactive needs a terminal to ask on; run it in a terminal, or use --diff to review and --fix to apply\n');
    return EXIT_USAGE;
  }
  const checked = (await import('./file-options.js')).fileOptions(opts, io);
  if (typeof checked === 'string') {
    io.stderr(`postfix-tls-lint: ${checked}\n`);
    return EXIT_USAGE;
  }
  if (opts.fix && paths.includes('-')) {
    io.stderr('postfix-tls-lint: --fix cannot write back to standard input; use --diff (with --stdin-filename) instead\n');
    return EXIT_USAGE;
  }

  // Interop rules predict handshakes with the default peer set (data files read here, at the edge).
  const { defaultPeers, findBuiltinPeer, listPeers } = await import('../interop/peers.js');
  let peers = defaultPeers();
  const cliPeers = opts.peers !== undefined;
  if (cliPeers) {
    const ids = opts.peers!.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = ids.filter((id) => !findBuiltinPeer(id));
    if (unknown.length > 0) {
      io.stderr(`postfix-tls-lint: unknown peer id ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${listPeers().map((p) => p.id).join(', ')}\n`);
      return EXIT_USAGE;
    }
    peers = ids.map((id) => findBuiltinPeer(id)!);
  }

  const { inputs, problems, listings } = collectInputs(paths, io, opts.stdinFilename);
  for (const p of problems) io.stderr(`postfix-tls-lint: ${p.message}\n`);

  const resolver = ci.newResolver(opts, io).useListings(listings);
  const suppress = await ci.makeSuppressor(Boolean(opts.reportUnusedDisables));
  const { lintInput } = await import('./lint-input.js');
  const ctx: InputLintContext = {
    opts,
    io,
    version,
    peers,
    cliPeers,
    kinds,
    showDiff,
    resolver,
    suppress,
    ci,
    ...(opts.interactive
      ? {
          accept: async (input: LintInput) => {
            const { makeInteractiveAcceptor } = await import('./interactive.js');
            // Shown paths are already relative to the working directory (or absolute).
            return makeInteractiveAcceptor(io, (file) => (file === '-' ? input.path : file));
          },
        }
      : {}),
  };

  const reports: FileReport[] = [];
  const diffs: FileDiff[] = [];
  let fixProblems = 0;
  const take = (outcome: InputOutcome): boolean => {
    if (outcome.kind === 'configError') {
      ci.reportConfigError(outcome.error, io);
      return false;
    }
    if (outcome.kind === 'ignored') return true;
    pushAll(reports, outcome.reports);
    pushAll(diffs, outcome.diffs);
    fixProblems += outcome.writeProblems;
    return true;
  };
  // Plain linting of many inputs uses worker threads; fixing and diffs stay on one thread.
  // (Opt-in, so the usual run does not even load the worker module.)
  const parallel = opts.fix || showDiff || opts.interactive || !io.env.POSTFIX_TLS_LINT_WORKERS ? 0 : (await import('./lint-workers.js')).workerCount(inputs.length, io.env);
  if (parallel > 0) {
    const { lintInputsInParallel } = await import('./lint-workers.js');
    const setup = {
      opts,
      cwd: io.cwd,
      env: { ...io.env },
      version,
      peerIds: peers.map((p) => p.id),
      cliPeers,
      kinds,
      listings: listings.snapshot(),
    };
    for (const { outcome, stderr } of await lintInputsInParallel(inputs, ctx, setup, parallel)) {
      if (stderr) io.stderr(stderr);
      if (!take(outcome)) return EXIT_USAGE;
    }
  } else {
    for (const input of inputs) if (!take(await lintInput(input, ctx))) return EXIT_USAGE;
  }

  let written = true;
  if (showDiff) {
    const { renderDiffs, applyHint } = await import('./diff-paths.js');
    const rendered = renderDiffs(diffs, io.cwd);
    if (rendered.base !== null) io.stderr(`postfix-tls-lint: ${applyHint(rendered.base)}\n`);
    written = ci.emitReport(Buffer.from(rendered.text, 'latin1'), opts, io);
    if (diffs.length === 0) {
      const total = reports.reduce((n, r) => n + r.findings.length, 0);
      io.stderr(
        total > 0
          ? `postfix-tls-lint: ${total} problem${total === 1 ? '' : 's'}, none auto-fixable with --fix-type ${kinds.join(',')}\n`
          : 'postfix-tls-lint: nothing to fix\n',
      );
    }
  } else {
    const formatter = await loadFormatter(opts.format);
    written = ci.emitReport(
      formatter(reports, { color: useColor(opts.color, io) && !opts.output, verbose: Boolean(opts.verbose), toolVersion: TOOL_VERSION, postfixVersion: version, cwd: io.cwd }),
      opts,
      io,
    );
  }
  if (problems.length > 0 || fixProblems > 0 || !written) return EXIT_USAGE;
  return ci.thresholdExitCode(
    reports.flatMap((r) => r.findings.map((f) => f.severity)),
    opts.failOn,
    maxWarnings,
  );
}
