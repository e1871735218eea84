/** Pure orchestration: text in, findings out. No I/O here. */
import { parseMainCf, LineIndex, type MainCfFile } from './parser/main-cf.js';
import { ConfigModel } from './model/config.js';
import { runRules, type RuleSettings } from './engine/run-rules.js';
import type { LintFacts, MasterCfFacts } from './engine/facts.js';
import type { Finding, Rule } from './engine/types.js';
import { allRules } from '../rules/index.js';
import type { PeerProfile } from './interop/types.js';
import type { ClientProfile } from './interop/client-types.js';
import type { PostfixEnvironment } from './model/environment.js';
import type { FileCheckSettings } from './engine/file-rules.js';

export interface LintOptions {
  readonly postfixVersion: string;
  readonly opensslVersion?: number;
  readonly masterCf?: MasterCfFacts | null;
  /** Peer profiles for the interop rules (loaded at the edge; none = those rules stay silent). */
  readonly peers?: readonly PeerProfile[];
  /** Client profiles for the inbound rules (loaded at the edge; none = those rules name no clients). */
  readonly clients?: readonly ClientProfile[];
  readonly rules?: readonly Rule[];
  readonly settings?: RuleSettings;
  /** The machine: config directory, host name, interfaces (default: a reproducible stand-in, see model/environment.ts). */
  readonly environment?: PostfixEnvironment;
  /** How the whole-configuration lint checks the files the configuration names (see engine/file-rules.ts). */
  readonly files?: FileCheckSettings;
}

export interface LintResult {
  readonly file: MainCfFile;
  readonly model: ConfigModel;
  readonly findings: readonly Finding[];
}

export function lintText(text: string, path: string, options: LintOptions): LintResult {
  const file = parseMainCf(text, path);
  const model = new ConfigModel(file, options.postfixVersion, undefined, options.environment);
  const facts: LintFacts = {
    postfixVersion: options.postfixVersion,
    opensslVersion: options.opensslVersion ?? 3,
    masterCf: options.masterCf ?? null,
    peers: options.peers ?? [],
    ...(options.clients ? { clients: options.clients } : {}),
  };
  const findings = runRules(model, facts, options.rules ?? allRules, options.settings, new LineIndex(text));
  return { file, model, findings };
}
