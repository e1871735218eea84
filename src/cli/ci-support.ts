/**
 * The lint command's team and CI features, kept out of lint-command.ts:
 * config files per input, inline suppressions, --output, --max-warnings and
 * --print-config.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliIo } from './io.js';
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import { choosePostfixVersion } from './postfix-version.js';
import { ConfigResolver, isIgnored, mergeSettings } from '../config/resolve-config.js';
import type { LinterConfig } from '../config/load-config.js';
import type { Finding, Severity } from '../engine/types.js';
import type { SuppressedReport } from '../formatters/types.js';
import type { PeerProfile } from '../interop/types.js';

async function peerProfiles(ids: readonly string[]): Promise<PeerProfile[]> {
  const { findBuiltinPeer } = await import('../interop/peers.js');
  // Ids were validated when the config was loaded.
  return ids.map((id) => findBuiltinPeer(id)).filter((p): p is PeerProfile => p !== undefined);
}

export interface CiOptions {
  readonly config?: string;
  readonly printConfig?: string;
  readonly output?: string;
  readonly maxWarnings?: string;
  readonly reportUnusedDisables?: boolean;
  readonly postfixVersion?: string;
  readonly opensslVersion?: string;
  /** commander's value source: 'default' when --openssl-version was not given. */
  readonly opensslVersionSource?: string;
  readonly stdinFilename?: string;
}

/** --openssl-version only when given on the command line (a config file may set it otherwise). */
function explicitOpenssl(opts: CiOptions): string | undefined {
  return opts.opensslVersionSource === 'default' ? undefined : opts.opensslVersion;
}

/** Print a config error the same way everywhere (exit status 2 follows). */
export function reportConfigError(e: { problems: readonly string[]; file: string }, io: CliIo): void {
  io.stderr(`postfix-tls-lint: invalid configuration\n${e.problems.map((p) => `  ${e.file}: ${p}\n`).join('')}`);
}

export function isConfigError(e: unknown): e is Error & { problems: readonly string[]; file: string } {
  return e instanceof Error && e.name === 'ConfigError';
}

/** --max-warnings: a non-negative integer, or a usage message. */
export function parseMaxWarnings(value: string | undefined): number | undefined | string {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) return `--max-warnings needs a non-negative whole number, not "${value}"`;
  return Number(value.trim());
}

export function newResolver(opts: CiOptions, io: CliIo): ConfigResolver {
  return new ConfigResolver(opts.config ? resolve(io.cwd, opts.config) : null);
}

/** Where config lookup starts for an input: its own path, or for stdin the --stdin-filename (relative to cwd). */
export function lookupPath(absPath: string, io: CliIo, stdinFilename: string | undefined): string {
  if (absPath !== '-') return absPath;
  return resolve(io.cwd, stdinFilename ?? 'stdin');
}

export interface InputSettings {
  readonly config: LinterConfig | null;
  readonly ignored: boolean;
  readonly postfixVersion: string;
  readonly opensslVersion: 1 | 3;
  /** Severity overrides from the config file (rules not listed keep their own severities). */
  readonly severities: Readonly<Record<string, Severity | 'off'>>;
  /** The config file's peers (validated ids), or undefined for the default set. */
  readonly peers?: readonly PeerProfile[];
}

/** Settings for one input: command line over config file over defaults. Throws ConfigError. */
export async function settingsFor(
  absPath: string,
  resolver: ConfigResolver,
  opts: CiOptions,
  io: CliIo,
  /** --postfix-version, else the installed or newest modelled version. */
  runVersion: string,
): Promise<InputSettings> {
  const path = lookupPath(absPath, io, opts.stdinFilename);
  const config = await resolver.forFile(path);
  const postfixVersion = opts.postfixVersion ?? config?.postfixVersion ?? runVersion;
  const cliOpenssl = explicitOpenssl(opts);
  const opensslVersion: 1 | 3 = cliOpenssl ? (cliOpenssl.startsWith('1') ? 1 : 3) : (config?.opensslVersion ?? 3);
  return {
    config,
    ignored: absPath !== '-' && isIgnored(config, path),
    postfixVersion,
    opensslVersion,
    severities: config?.rules ?? {},
    ...(config?.peers ? { peers: await peerProfiles(config.peers) } : {}),
  };
}

export type Suppressor = (
  findings: readonly Finding[],
  texts: ReadonlyMap<string, string>,
) => { findings: Finding[]; suppressed: SuppressedReport[] };

/** Inline "# postfix-tls-lint disable…" directives, applied over every file of one lint run (sync, for the fix loop). */
export async function makeSuppressor(reportUnused: boolean): Promise<Suppressor> {
  const [{ allRules }, { applySuppressionsToFiles, SUPPRESSION_RULE_ID, DIRECTIVE_PREFIX }] = await Promise.all([
    import('../../rules/index.js'),
    import('../engine/suppressions.js'),
  ]);
  const knownRuleIds = new Set([...allRules.map((r) => r.meta.id), SUPPRESSION_RULE_ID]);
  return (findings, texts) => {
    let any = false;
    for (const t of texts.values()) if (t.includes(DIRECTIVE_PREFIX)) any = true;
    if (!any) return { findings: [...findings], suppressed: [] };
    const r = applySuppressionsToFiles(findings, texts, { knownRuleIds, reportUnused });
    return { findings: r.findings, suppressed: r.suppressed.map((x) => ({ finding: x.finding, reason: x.directive.reason })) };
  };
}

/** Print the report, or write it to --output FILE (stdout then stays empty). False when writing failed. */
export function emitReport(report: string | Uint8Array, opts: CiOptions, io: CliIo): boolean {
  if (!opts.output) {
    io.stdout(report);
    return true;
  }
  const path = resolve(io.cwd, opts.output);
  try {
    writeFileSync(path, report);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(`postfix-tls-lint: --output ${opts.output}: cannot write (${code === 'ENOENT' ? `no such directory ${dirname(opts.output)}` : code ?? String(e)})\n`);
    return false;
  }
}

/**
 * 1 when a finding is at or above --fail-on, or when there are more than
 * --max-warnings warnings. With --max-warnings, warnings count against that
 * limit instead of --fail-on (ESLint's behaviour); errors, and infos under
 * --fail-on info, still follow --fail-on.
 */
export function thresholdExitCode(severities: readonly Severity[], failOn: Severity, maxWarnings: number | undefined): number {
  if (maxWarnings === undefined) return exitCodeFor(severities, failOn);
  const warnings = severities.filter((s) => s === 'warning').length;
  if (warnings > maxWarnings) return EXIT_FINDINGS;
  return exitCodeFor(
    severities.filter((s) => s !== 'warning'),
    failOn,
  );
}

/** --print-config PATH: the resolved configuration for that file, as JSON. */
export async function printConfig(path: string, opts: CiOptions, io: CliIo): Promise<number> {
  const abs = path === '-' ? '-' : resolve(io.cwd, path);
  const resolver = newResolver(opts, io);
  let config: LinterConfig | null;
  try {
    config = await resolver.forFile(lookupPath(abs, io, opts.stdinFilename));
  } catch (e) {
    if (isConfigError(e)) {
      reportConfigError(e, io);
      return EXIT_USAGE;
    }
    throw e;
  }
  const { allRules } = await import('../../rules/index.js');
  const detected = choosePostfixVersion(undefined, io.env);
  const merged = mergeSettings(
    config,
    { postfixVersion: opts.postfixVersion, opensslVersion: explicitOpenssl(opts) },
    { postfixVersion: detected.version, postfixVersionFrom: detected.source === 'postconf' ? 'installed postconf' : 'newest modelled' },
    allRules.map((r) => ({ id: r.meta.id, defaultSeverity: r.meta.defaultSeverity })),
  );
  const out = { file: path, ...merged, ignored: abs !== '-' && isIgnored(config, abs) };
  io.stdout(JSON.stringify(out, null, 2) + '\n');
  return EXIT_CLEAN;
}
