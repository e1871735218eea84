/**
 * Lints one input as the lint command does (config lookup, whole-config lint,
 * inline suppressions, --quiet), shared by the main thread and the lint
 * workers (cli/lint-workers.ts) so both produce the same reports.
 */
import type { CliIo } from './io.js';
import { resolve } from 'node:path';
import type { LintInput } from './inputs.js';
import type { LintOptions } from '../lint.js';
import type { FileReport } from '../formatters/types.js';
import type { Finding, FixKind } from '../engine/types.js';
import type { PeerProfile } from '../interop/types.js';
import type { ConfigResolver } from '../config/resolve-config.js';
import type { LintCommandOptions } from './lint-command.js';
import type { Suppressor } from './ci-support.js';
import { lintConfigSet, type ConfigSetRun } from './lint-config-set.js';
import { sourceKindOf, type TemplateChoice } from './source-kind.js';
import { defaultClients } from '../interop/clients.js';
import { fileOptions } from './file-options.js';
import type { FileDiff } from './diff-paths.js';
import { cliEnvironment } from './environment.js';

export interface InputLintContext {
  readonly opts: LintCommandOptions;
  readonly io: CliIo;
  /** The run's Postfix version (--postfix-version, else installed or newest). */
  readonly version: string;
  readonly peers: readonly PeerProfile[];
  /** --peers was given: it wins over a config file's peers. */
  readonly cliPeers: boolean;
  readonly kinds: readonly FixKind[];
  readonly showDiff: boolean;
  readonly resolver: ConfigResolver;
  readonly suppress: Suppressor;
  readonly ci: typeof import('./ci-support.js');
  /** Interactive fixing asks before each fix (main thread only). */
  readonly accept?: (input: LintInput) => Promise<((f: Finding, text: string) => boolean) | undefined>;
}

/** What one input gave; plain data, so a worker can post it to the main thread. */
export type InputOutcome =
  | { readonly kind: 'ignored' }
  | { readonly kind: 'configError'; readonly error: { readonly problems: readonly string[]; readonly file: string } }
  | { readonly kind: 'linted'; readonly reports: FileReport[]; readonly diffs: FileDiff[]; readonly writeProblems: number };

const ALL_FIX_KINDS: readonly FixKind[] = ['safe', 'interop'];

export async function lintInput(input: LintInput, ctx: InputLintContext): Promise<InputOutcome> {
  const { opts, ci } = ctx;
  let settings;
  try {
    settings = await ci.settingsFor(input.absPath, ctx.resolver, opts, ctx.io, ctx.version);
  } catch (e) {
    if (!ci.isConfigError(e)) throw e;
    return { kind: 'configError', error: { problems: [...e.problems], file: e.file } };
  }
  if (settings.ignored) return { kind: 'ignored' }; // an ignore glob of the config file covers it
  let suppressed: NonNullable<FileReport['suppressed']> = [];
  const accept = ctx.accept ? await ctx.accept(input) : undefined;
  // Validated by the lint command before any input is linted.
  const files = fileOptions(opts, ctx.io);
  if (typeof files === 'string') throw new Error(files);
  const options: LintOptions = {
    postfixVersion: settings.postfixVersion,
    opensslVersion: settings.opensslVersion,
    peers: settings.peers && !ctx.cliPeers ? settings.peers : ctx.peers,
    clients: defaultClients(),
    settings: { severities: settings.severities },
    environment: cliEnvironment(opts.hostname),
    files: files.settings,
  };
  const run: ConfigSetRun = {
    kinds: opts.interactive ? ALL_FIX_KINDS : ctx.kinds,
    fix: Boolean(opts.fix),
    showDiff: ctx.showDiff,
    files: files.reading,
    ...(accept ? { accept } : {}),
    postProcess: (findings, texts) => {
      const r = ctx.suppress(findings, texts);
      suppressed = r.suppressed; // the last pass is the final state
      return r.findings;
    },
  };
  // A template or postconf script stands for the configurations it can make; else the whole
  // configuration: main.cf, the master.cf beside it, and the policy tables they name.
  const kind = sourceKindOf(input, opts.template as TemplateChoice);
  const outcome = kind
    ? (await import('./template-input.js')).lintSourceSet(input, kind, options, run, ctx.io, opts.vars ? { vars: (await import('./vars-file.js')).varsRendererFor(resolve(ctx.io.cwd, opts.vars)) } : {})
    : lintConfigSet(input, options, run, ctx.io);
  const reports: FileReport[] = [];
  for (const r of outcome.reports) {
    const own = suppressed.filter((s) => s.finding.file === r.file);
    const findings = opts.quiet ? r.findings.filter((f) => f.severity === 'error') : r.findings;
    reports.push({ ...r, findings, ...(own.length ? { suppressed: own } : {}) });
  }
  return { kind: 'linted', reports, diffs: outcome.diffs, writeProblems: outcome.writeProblems };
}
