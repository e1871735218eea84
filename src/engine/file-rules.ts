/**
 * What a rule sees when it checks the files the configuration names
 * (Rule.checkFiles, run by lint-files.ts): every file use of the whole
 * configuration (src/model/tls-files.ts), what the CLI read at each path,
 * Postfix's load of each key and certificate set, the run's settings
 * (--files, --now, --cert-expiry-days), and a report function that puts the
 * finding on the setting that names the file. Also the words for what
 * Postfix does when a daemon cannot load its files, shared by the rules.
 */
import type { WholeConfig } from '../model/whole-config.js';
import type { ClientSide, CredentialsUse, Daemon, FileSite, ServerSide, TlsFileUse } from '../model/tls-files.js';
import type { LoadedChain, LoadResult, ReadFile } from '../certs/load.js';
import type { PemBlock } from '../certs/pem.js';
import type { Fix, Severity } from './types.js';
import { serviceLabel } from './server-scope.js';

export type FilesMode = 'auto' | 'on' | 'off';

export interface FileCheckSettings {
  /** auto: check the files that exist, report missing ones only for a live configuration; on: report missing ones too; off: open nothing. */
  readonly mode: FilesMode;
  /** The configuration is the one this machine runs (the directory `postconf -h config_directory` names). */
  readonly live: boolean;
  /** The instant validity is judged at (--now). */
  readonly now: Date;
  /** Warn about certificates that expire within this many days (--cert-expiry-days). */
  readonly expiryDays: number;
}

export interface RelatedFile {
  /** The configured path (the finding shows where it was read). */
  readonly path: string;
  /** The PEM object concerned, when there is one. */
  readonly block?: PemBlock;
  readonly message: string;
}

export interface FileFindingDescriptor {
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
  readonly site: FileSite;
  readonly severity?: Severity;
  readonly related?: readonly RelatedFile[];
  readonly fix?: Fix;
}

export interface FileRuleContext {
  readonly config: WholeConfig;
  readonly uses: readonly TlsFileUse[];
  readonly settings: FileCheckSettings;
  readonly read: ReadFile;
  /** Postfix's load of a key and certificate set (computed once per run). */
  load(use: CredentialsUse): LoadResult;
  report(finding: FileFindingDescriptor): void;
}

/** A missing file is reported only when it would be missing where Postfix runs. */
export function reportsMissing(settings: FileCheckSettings): boolean {
  return settings.mode === 'on' || settings.live;
}

function join(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "smtp (port 25) and submission (port 587)", "tlsproxy", "smtp(8)". */
export function daemonLabel(d: Daemon): string {
  if (d.side === 'server') return d.daemon === 'tlsproxy' ? 'tlsproxy(8) (postscreen\'s STARTTLS)' : join(d.services.map(serviceLabel));
  return join(d.labels);
}

function serverUnavailable(d: ServerSide): string {
  if (d.daemon === 'tlsproxy') return 'postscreen answers STARTTLS with "454 4.7.0 TLS not available due to local problem" and mail arrives in plaintext';
  const wrapper = d.services.filter((s) => s.policy.wrappermode);
  const enforced = d.services.filter((s) => s.policy.enforced && !s.policy.wrappermode);
  const may = d.services.filter((s) => !s.policy.enforced);
  const parts: string[] = [];
  if (may.length > 0) {
    parts.push(`${join(may.map(serviceLabel))} still ${may.length === 1 ? 'announces' : 'announce'} STARTTLS but ${may.length === 1 ? 'answers' : 'answer'} it with "454 4.7.0 TLS not available due to local problem": senders continue in plaintext, and senders that require TLS cannot deliver`);
  }
  if (enforced.length > 0) {
    parts.push(`${join(enforced.map(serviceLabel))} ${enforced.length === 1 ? 'requires' : 'require'} TLS but ${enforced.length === 1 ? 'answers' : 'answer'} STARTTLS with "454 4.7.0 TLS not available due to local problem", so no client can send (MAIL FROM gets "530 5.7.0 Must issue a STARTTLS command first")`);
  }
  if (wrapper.length > 0) {
    parts.push(`${join(wrapper.map(serviceLabel))} (wrapper mode) ${wrapper.length === 1 ? 'drops' : 'drop'} every connection ("Wrapper-mode request dropped ... TLS context initialization failed")`);
  }
  return parts.join('; ');
}

function requiresTls(levels: readonly string[]): boolean {
  return levels.some((l) => l !== 'none' && l !== 'may' && l !== 'dane');
}

function clientUnavailable(d: ClientSide): string {
  const required = requiresTls(d.levels);
  const opportunistic = !required || d.levels.some((l) => l === 'may' || l === 'dane');
  const effects: string[] = [];
  if (opportunistic) effects.push('opportunistic deliveries go out in plaintext');
  if (required) effects.push('deliveries that require TLS (level encrypt and above) are deferred with 4.7.5 "TLS is required, but our TLS engine is unavailable"');
  return `${join(d.labels)} ${d.labels.length === 1 ? 'runs' : 'run'} without TLS: ${effects.join('; ')}`;
}

/** What happens when a daemon cannot load its key, certificate or CAfile ("disabling TLS support"). */
export function unavailableEffect(use: TlsFileUse): string {
  if (use.kind === 'credentials' && use.sni) {
    return `clients that ask for "${use.sni.key}" (TLS SNI) have their handshake aborted with an internal_error alert ("aborting TLS handshake")`;
  }
  return use.daemon.side === 'server' ? serverUnavailable(use.daemon) : clientUnavailable(use.daemon);
}

/** The first sentence's subject: "smtpd", "smtp(8)". */
export function daemonName(d: Daemon): string {
  if (d.side === 'server') return d.daemon === 'tlsproxy' ? 'tlsproxy' : 'smtpd';
  return `${d.daemon}(8)`;
}

/** "presented by smtpd", "presented by smtpd for SNI name "mail.example.com"", "presented by smtp(8) as its client certificate". */
export function presentedBy(use: CredentialsUse): string {
  if (use.sni) return `presented by smtpd for SNI name "${use.sni.key}"`;
  return use.daemon.side === 'server' ? `presented by ${daemonName(use.daemon)}` : `presented by ${daemonName(use.daemon)} as its client certificate`;
}

/**
 * The chains of every key and certificate set that loads (a set that does not
 * load is certificate-load-failure's), and of a set whose key this run could
 * not read (its certificates are still judged).
 */
export function loadedChains(ctx: FileRuleContext): { use: CredentialsUse; chain: LoadedChain }[] {
  const out: { use: CredentialsUse; chain: LoadedChain }[] = [];
  for (const use of ctx.uses) {
    if (use.kind !== 'credentials') continue;
    const r = ctx.load(use);
    if (r.ok || r.problem.code === 'unchecked') for (const chain of r.chains) out.push({ use, chain });
  }
  return out;
}

/** The place that names a chain's certificate file (narrowed to it in a list value). */
export function siteOf(use: CredentialsUse, file: string): FileSite {
  return use.sites.get(file) ?? [...use.sites.values()][0];
}

/** "2025-06-01" (UTC). */
export function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}
