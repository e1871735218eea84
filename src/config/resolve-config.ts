/**
 * Which configuration applies to a linted file: the nearest
 * .postfix-tls-lint.json (or the one given with --config), merged with the
 * command line, which always wins. Config files are read and validated once
 * per run; ajv is loaded only when a config file is found.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { findConfigFile } from './find-config.js';
import type { LinterConfig, ConfigContext } from './load-config.js';
import { isIgnoredBy } from './glob.js';
import type { DirListings } from '../util/dir-listing.js';
import type { Severity } from '../parser/types.js';

export interface CommandLineSettings {
  readonly postfixVersion?: string;
  readonly opensslVersion?: string;
}

export class ConfigResolver {
  private readonly dirCache = new Map<string, string | null>();
  private readonly loaded = new Map<string, LinterConfig>();
  private context: ConfigContext | undefined;

  private listings: DirListings | undefined;

  /** `explicit`: the --config file (absolute), used for every input. */
  constructor(private readonly explicit: string | null) {}

  /** What this run's directory walk saw: spares a stat per file and directory. */
  useListings(listings: DirListings): this {
    this.listings = listings;
    return this;
  }

  /** The config for a file (absolute path), or null when there is none. Throws ConfigError. */
  async forFile(absPath: string): Promise<LinterConfig | null> {
    const path = this.explicit ?? findConfigFile(dirname(absPath), this.dirCache, this.listings);
    if (path === null) return null;
    const cached = this.loaded.get(path);
    if (cached) return cached;
    const { loadConfigFile } = await import('./load-config.js');
    const config = loadConfigFile(path, await this.ctx());
    this.loaded.set(path, config);
    return config;
  }

  private async ctx(): Promise<ConfigContext> {
    if (this.context) return this.context;
    const [{ allRules }, { SUPPRESSION_RULE_ID }, { listPeers }, { releaseLine }] = await Promise.all([
      import('../../rules/index.js'),
      import('../engine/suppressions.js'),
      import('../interop/peers.js'),
      import('../model/version.js'),
    ]);
    this.context = {
      knownRuleIds: new Set([...allRules.map((r) => r.meta.id), SUPPRESSION_RULE_ID]),
      ruleOptionNames: () => [],
      knownPeerIds: new Set(listPeers().map((p) => p.id)),
      isModelledPostfixVersion: (v) => releaseLine(v) !== null,
    };
    return this.context;
  }
}

/** Is the file excluded by the config's ignore globs (relative to the config's directory)? */
export function isIgnored(config: LinterConfig | null, absPath: string): boolean {
  if (!config || config.ignore.length === 0) return false;
  const rel = relative(config.dir, resolve(absPath)).split(sep).join('/');
  return isIgnoredBy(config.ignore, rel);
}

/** The resolved settings for one file, as --print-config shows them. */
export interface ResolvedConfig {
  readonly configFile: string | null;
  readonly ignored: boolean;
  readonly postfixVersion: string;
  readonly postfixVersionFrom: 'command line' | 'config file' | 'installed postconf' | 'newest modelled';
  readonly opensslVersion: 1 | 3;
  readonly peers: readonly string[] | null;
  /** Every rule id with its effective level. */
  readonly rules: Readonly<Record<string, Severity | 'off'>>;
  readonly ruleOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly ignore: readonly string[];
}

/** Command line over config file over defaults. Pure. */
export function mergeSettings(
  config: LinterConfig | null,
  cli: CommandLineSettings,
  defaults: { readonly postfixVersion: string; readonly postfixVersionFrom: 'installed postconf' | 'newest modelled' },
  ruleDefaults: readonly { readonly id: string; readonly defaultSeverity: Severity }[],
): Omit<ResolvedConfig, 'ignored'> {
  const postfixVersion = cli.postfixVersion ?? config?.postfixVersion ?? defaults.postfixVersion;
  const postfixVersionFrom = cli.postfixVersion ? 'command line' : config?.postfixVersion ? 'config file' : defaults.postfixVersionFrom;
  const opensslVersion: 1 | 3 = cli.opensslVersion ? (cli.opensslVersion.startsWith('1') ? 1 : 3) : (config?.opensslVersion ?? 3);
  const rules: Record<string, Severity | 'off'> = {};
  for (const r of ruleDefaults) rules[r.id] = config?.rules[r.id] ?? r.defaultSeverity;
  return {
    configFile: config?.path ?? null,
    postfixVersion,
    postfixVersionFrom,
    opensslVersion,
    peers: config?.peers ?? null,
    rules,
    ruleOptions: config?.ruleOptions ?? {},
    ignore: config?.ignore ?? [],
  };
}
