import { relative, sep } from 'node:path';
import type { CliIo } from './io.js';
import { collectInputs, type LintInput } from './inputs.js';
import { choosePostfixVersion } from './postfix-version.js';
import type { LintOptions } from '../lint.js';
import { hasActiveTlsproxy } from '../parser/master-cf-lite.js';
import { loadFormatter, type FormatName } from '../formatters/index.js';
import type { FileReport } from '../formatters/types.js';
import { EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import type { Severity } from '../parser/types.js';
import type { Finding, FixKind } from '../engine/types.js';
import { releaseLine } from '../model/version.js';
import { TOOL_VERSION } from '../version.js';
import { useColor } from './color.js';

export interface LintCommandOptions {
  /** Comma-separated peer ids for the interop rules (wins over the config file). */
  peers?: string;
  format: FormatName;
  postfixVersion?: string;
  opensslVersion?: string;
  failOn: Severity;
  quiet?: boolean;
  color: boolean;
  stdinFilename?: string;
  fix?: boolean;
  diff?: boolean;
  fixDryRun?: boolean;
  fixType?: string;
  interactive?: boolean;
  // CI and team use (cli/ci-support.ts):
  output?: string;
  config?: string;
  printConfig?: string;
  maxWarnings?: string;
  reportUnusedDisables?: boolean;
}

const FIX_KINDS: readonly FixKind[] = ['safe', 'interop'];

function parseFixTypes(value: string | undefined): FixKind[] | string {
  if (!value) return ['safe'];
  const kinds = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const k of kinds) if (!(FIX_KINDS as readonly string[]).includes(k)) return `unknown --fix-type "${k}" (allowed: ${FIX_KINDS.join(', ')})`;
  return kinds as FixKind[];
}

/** Path for diff headers: relative to cwd, "/" separators. */
function diffPath(path: string, cwd: string): string {
  const rel = relative(cwd, path) || path;
  return rel.split(sep).join('/');
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

  const lintOptionsFor = (input: LintInput): LintOptions => ({
    postfixVersion: version,
    opensslVersion: Number(opts.opensslVersion),
    peers,
    masterCf: input.masterCf ? { path: input.masterCf.path, tlsproxyActive: hasActiveTlsproxy(input.masterCf.text) } : null,
  });
  const resolver = ci.newResolver(opts, io).useListings(listings);
  const suppress = await ci.makeSuppressor(Boolean(opts.reportUnusedDisables));
  const filterQuiet = (findings: readonly Finding[]) => (opts.quiet ? findings.filter((f) => f.severity === 'error') : findings);

  const reports: FileReport[] = [];
  const diffs: string[] = [];
  let fixProblems = 0;
  const { lintConfigSet } = await import('./lint-config-set.js');
  for (const input of inputs) {
    let settings;
    try {
      settings = await ci.settingsFor(input.absPath, resolver, opts, io, version);
    } catch (e) {
      if (!ci.isConfigError(e)) throw e;
      ci.reportConfigError(e, io);
      return EXIT_USAGE;
    }
    if (settings.ignored) continue; // an ignore glob of the config file covers it
    let suppressed: NonNullable<FileReport['suppressed']> = [];
    // The whole configuration: main.cf, the master.cf beside it, and the policy tables they name.
    let accept: ((f: Finding, text: string) => boolean) | undefined;
    if (opts.interactive) {
      const { makeInteractiveAcceptor } = await import('./interactive.js');
      accept = makeInteractiveAcceptor(io, diffPath(input.absPath, io.cwd));
    }
    const outcome = lintConfigSet(
      input,
      {
        ...lintOptionsFor(input),
        postfixVersion: settings.postfixVersion,
        opensslVersion: settings.opensslVersion,
        settings: { severities: settings.severities },
        ...(settings.peers && !cliPeers ? { peers: settings.peers } : {}),
      },
      {
        kinds: opts.interactive ? FIX_KINDS : kinds,
        fix: Boolean(opts.fix),
        showDiff,
        ...(accept ? { accept } : {}),
        postProcess: (findings, texts) => {
          const r = suppress(findings, texts);
          suppressed = r.suppressed; // the last pass is the final state
          return r.findings;
        },
      },
      io,
    );
    for (const r of outcome.reports) {
      const own = suppressed.filter((s) => s.finding.file === r.file);
      reports.push({ ...r, findings: filterQuiet(r.findings), ...(own.length ? { suppressed: own } : {}) });
    }
    diffs.push(...outcome.diffs);
    fixProblems += outcome.writeProblems;
  }

  let written = true;
  if (showDiff) {
    written = ci.emitReport(Buffer.from(diffs.join(''), 'latin1'), opts, io);
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
      formatter(reports, { color: useColor(opts.color, io) && !opts.output, toolVersion: TOOL_VERSION, postfixVersion: version, cwd: io.cwd }),
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
