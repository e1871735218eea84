/**
 * The certificate, key, CA and trust-anchor files the effective
 * configuration makes Postfix open, per daemon that opens them: every smtpd
 * service that offers TLS (after its -o overrides), tlsproxy's server role,
 * every SMTP/LMTP client service that starts TLS, the tafile= attribute of
 * each TLS policy entry, and each tls_server_sni_maps entry. Uses with the
 * same files named at the same places are merged (one finding for all the
 * services that share main.cf's certificate). Paths are the expanded values
 * (model.value), relative ones resolved against queue_directory, where the
 * daemons run. Pure: the CLI reads what tlsFilesNeeded lists.
 */
import { posix } from 'node:path';
import type { Range } from '../parser/types.js';
import { LineIndex } from '../parser/main-cf.js';
import type { ConfigModel } from './config.js';
import type { ServiceModel } from './services.js';
import type { ServerService } from './server-services.js';
import { clientLevel } from './client-tls.js';
import { entryPolicy, mainHolder, overrideHolder, type TableHolder, type TableSourceText, type WholeConfig } from './whole-config.js';
import { parseSourceTable, type TableEntry } from '../policy/source-table.js';
import { parseInlineTable, tableRefs, type TableRef } from '../policy/table-ref.js';
import { COMMA_SP, splitBraced } from '../policy/tokens.js';
import type { ClientSecurityLevel, ServerSecurityLevel } from './values/index.js';
import { loadAll, type CredentialSource, type ReadFile } from '../certs/load.js';

/** Where a file is named: a main.cf line, a master.cf -o option, a policy-table attribute, an SNI table entry. */
export interface FileSite {
  readonly file: string;
  /** The setting, or the file's name inside a list value when it can be located exactly. */
  readonly range: Range;
  /** The parameter ("tafile" for a policy attribute, tls_server_sni_maps for an SNI entry). */
  readonly param: string;
}

export interface ServerSide {
  readonly side: 'server';
  readonly daemon: 'smtpd' | 'tlsproxy';
  /** The smtpd services that load these files (none for tlsproxy). */
  readonly services: readonly ServerService[];
  readonly levels: readonly ServerSecurityLevel[];
}

export interface ClientSide {
  readonly side: 'client';
  readonly daemon: 'smtp' | 'lmtp' | 'tlsproxy';
  /** "smtp(8)", "master.cf service relay/unix", 'policy for "example.com"'. */
  readonly labels: readonly string[];
  /** Security levels the client works at with these files (main.cf or -o, and the policy entries). */
  readonly levels: readonly ClientSecurityLevel[];
}

export type Daemon = ServerSide | ClientSide;

export interface CredentialsUse {
  readonly kind: 'credentials';
  readonly id: string;
  readonly daemon: Daemon;
  /** In Postfix's load order; each path with the place that names it. */
  readonly sources: readonly CredentialSource[];
  readonly sites: ReadonlyMap<string, FileSite>;
  /** The daemon's CAfile (OpenSSL completes a server chain from it). */
  readonly caFile: string | null;
  /** A tls_server_sni_maps entry: the name clients ask for. */
  readonly sni?: { readonly key: string; readonly table: string };
}

export interface TrustUse {
  readonly kind: 'CAfile' | 'CApath' | 'trust-anchors';
  readonly id: string;
  readonly daemon: Daemon;
  readonly path: string;
  readonly site: FileSite;
}

export type TlsFileUse = CredentialsUse | TrustUse;

export interface TlsFileUses {
  readonly uses: readonly TlsFileUse[];
  /** Texts of SNI tables read (shown path -> text), for locating findings. */
  readonly texts: ReadonlyMap<string, string>;
}

const PAIRS = [
  ['RSA', 'cert_file', 'key_file'],
  ['DSA', 'dcert_file', 'dkey_file'],
  ['ECDSA', 'eccert_file', 'eckey_file'],
] as const;

/** Parameter names of one daemon's TLS files: "smtpd_tls_", "smtp_tls_", "tlsproxy_tls_", "tlsproxy_client_". */
function names(prefix: string) {
  return {
    chain: `${prefix}chain_files`,
    pairs: PAIRS.map(([alg, c, k]) => ({ algorithm: alg, cert: `${prefix}${c}`, key: `${prefix}${k}` })),
    caFile: `${prefix}CAfile`,
    caPath: `${prefix}CApath`,
    trustAnchors: `${prefix}trust_anchor_file`,
  };
}

/** The path Postfix opens: relative names are relative to queue_directory, the daemons' working directory. */
export function resolveTlsPath(model: ConfigModel, p: string): string {
  if (p.startsWith('/')) return posix.normalize(p);
  return posix.normalize(posix.join(model.value('queue_directory') || '/var/spool/postfix', p));
}

function splitFiles(value: string): string[] {
  return splitBraced(value, COMMA_SP).map((s) => value.slice(s.start, s.end));
}

interface Instance {
  readonly model: ConfigModel;
  readonly service?: ServiceModel;
}

class SiteFinder {
  private readonly index: LineIndex;
  constructor(private readonly config: WholeConfig) {
    this.index = new LineIndex(config.main.text);
  }
  /** Where `param` gets its value for this instance: its -o option, else main.cf; null for a default. */
  holder(inst: Instance, param: string, fallbackParam?: string): TableHolder | null {
    const o = inst.service?.overrides.find((x) => x.name === param && x.effective && !x.ignoredBecause);
    if (o && this.config.master) return overrideHolder(this.config.master.path, o, inst.model.value(param));
    if (inst.model.definition(param)) return mainHolder(this.config.main, inst.model, param, this.index);
    // key_file defaults to $cert_file: the certificate's setting names both.
    return fallbackParam ? this.holder(inst, fallbackParam) : null;
  }
  site(inst: Instance, param: string, fallbackParam?: string): FileSite | null {
    const h = this.holder(inst, param, fallbackParam);
    return h ? { file: h.file, range: h.range, param: h.param } : null;
  }
}

function siteKey(s: Pick<FileSite, 'file' | 'range'> | null): string {
  return s ? `${s.file}:${s.range[0]}-${s.range[1]}` : '-';
}

/** Each file of a list value with the site narrowed to its name. */
function listSites(value: string, holder: TableHolder, param: string): { text: string; site: FileSite }[] {
  return splitBraced(value, COMMA_SP).map((sp) => ({ text: value.slice(sp.start, sp.end), site: { file: holder.file, range: holder.locate(sp.start, sp.end), param } }));
}

interface Plan {
  readonly sources: CredentialSource[];
  readonly sites: Map<string, FileSite>;
  readonly caFile: { path: string; site: FileSite } | null;
  readonly caPath: { path: string; site: FileSite } | null;
  readonly trustAnchors: { path: string; site: FileSite }[];
  /** Identity of the plan: values and where they are written. */
  readonly key: string;
}

/** The files one daemon instance loads, with where each is named. `explicitOnly`: skip values that are only defaults. */
function planFor(inst: Instance, prefix: string, finder: SiteFinder, opts: { explicitOnly: boolean; noneMeansNoCert: boolean; trustAnchors: boolean }): Plan {
  const n = names(prefix);
  const m = inst.model;
  const sources: CredentialSource[] = [];
  const sites = new Map<string, FileSite>();
  const keyParts: string[] = [];
  const explicit = (param: string) => !opts.explicitOnly || m.resolve(param)?.source !== 'default';
  const add = (path: string, site: FileSite | null) => {
    if (site && !sites.has(path)) sites.set(path, site);
  };
  const chainValue = m.isKnown(n.chain) && explicit(n.chain) ? m.value(n.chain) : '';
  if (chainValue.trim() !== '') {
    const holder = finder.holder(inst, n.chain);
    const files: string[] = [];
    for (const t of holder ? listSites(chainValue, holder, n.chain) : splitFiles(chainValue).map((text) => ({ text, site: null }))) {
      const path = resolveTlsPath(m, t.text);
      files.push(path);
      add(path, t.site);
    }
    sources.push({ kind: 'chain-files', files, origin: chainValue.trim() });
    keyParts.push(n.chain, chainValue, siteKey(holder));
  } else {
    for (const pair of n.pairs) {
      if (!m.isKnown(pair.cert) || !explicit(pair.cert)) continue;
      const cert = m.value(pair.cert).trim();
      if (cert === '' || (opts.noneMeansNoCert && pair.algorithm === 'RSA' && cert.toLowerCase() === 'none')) continue;
      const key = m.value(pair.key).trim();
      const certPath = resolveTlsPath(m, cert);
      const keyPath = key === '' ? '' : resolveTlsPath(m, key);
      const certSite = finder.site(inst, pair.cert);
      const keySite = finder.site(inst, pair.key, pair.cert);
      add(certPath, certSite);
      add(keyPath, keySite);
      sources.push({ kind: 'pair', algorithm: pair.algorithm, certFile: certPath, keyFile: keyPath });
      keyParts.push(pair.cert, cert, siteKey(certSite), key, siteKey(keySite));
    }
  }
  const trust = (param: string) => {
    if (!m.isKnown(param) || !explicit(param)) return null;
    const v = m.value(param).trim();
    const site = v === '' ? null : finder.site(inst, param);
    if (!site) return null;
    keyParts.push(param, v, siteKey(site));
    return { path: resolveTlsPath(m, v), site };
  };
  const caFile = trust(n.caFile);
  const caPath = trust(n.caPath);
  const trustAnchors: { path: string; site: FileSite }[] = [];
  if (opts.trustAnchors && m.isKnown(n.trustAnchors) && explicit(n.trustAnchors)) {
    const v = m.value(n.trustAnchors);
    const holder = v.trim() === '' ? null : finder.holder(inst, n.trustAnchors);
    if (holder) {
      keyParts.push(n.trustAnchors, v, siteKey(holder));
      for (const t of listSites(v, holder, n.trustAnchors)) trustAnchors.push({ path: resolveTlsPath(m, t.text), site: t.site });
    }
  }
  return { sources, sites, caFile, caPath, trustAnchors, key: keyParts.join('\0') };
}

function usesOf(plan: Plan, daemon: Daemon, idBase: string): TlsFileUse[] {
  const out: TlsFileUse[] = [];
  if (plan.sources.length > 0) out.push({ kind: 'credentials', id: `${idBase}:credentials`, daemon, sources: plan.sources, sites: plan.sites, caFile: plan.caFile?.path ?? null });
  if (plan.caFile) out.push({ kind: 'CAfile', id: `${idBase}:CAfile`, daemon, path: plan.caFile.path, site: plan.caFile.site });
  if (plan.caPath) out.push({ kind: 'CApath', id: `${idBase}:CApath`, daemon, path: plan.caPath.path, site: plan.caPath.site });
  plan.trustAnchors.forEach((t, i) => out.push({ kind: 'trust-anchors', id: `${idBase}:ta${i}`, daemon, path: t.path, site: t.site }));
  return out;
}

function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

function serverUses(config: WholeConfig, finder: SiteFinder): TlsFileUse[] {
  const groups = new Map<string, { plan: Plan; services: ServerService[] }>();
  for (const svc of config.server.services) {
    if (!svc.policy.offersTls || svc.policy.level === null) continue;
    const plan = planFor({ model: svc.model, service: svc.service }, 'smtpd_tls_', finder, { explicitOnly: false, noneMeansNoCert: true, trustAnchors: false });
    const g = groups.get(plan.key);
    if (g) g.services.push(svc);
    else groups.set(plan.key, { plan, services: [svc] });
  }
  const out: TlsFileUse[] = [];
  let i = 0;
  for (const { plan, services } of groups.values()) {
    const daemon: ServerSide = { side: 'server', daemon: 'smtpd', services, levels: uniq(services.map((s) => s.policy.level as ServerSecurityLevel)) };
    out.push(...usesOf(plan, daemon, `smtpd${i++}`));
  }
  // tlsproxy's server role (postscreen's STARTTLS): only settings of its own, the defaults are smtpd's.
  if (config.server.tlsproxy.active && (config.server.tlsproxy.level === 'may' || config.server.tlsproxy.level === 'encrypt')) {
    const plan = planFor({ model: config.model }, 'tlsproxy_tls_', finder, { explicitOnly: true, noneMeansNoCert: true, trustAnchors: false });
    out.push(...usesOf(plan, { side: 'server', daemon: 'tlsproxy', services: [], levels: [config.server.tlsproxy.level] }, 'tlsproxy-server'));
  }
  return out;
}

/** The client instances: each smtp/lmtp service of master.cf (or main.cf's smtp when there is none) that starts TLS. */
function clientInstances(config: WholeConfig): { inst: Instance; prefix: 'smtp' | 'lmtp'; label: string }[] {
  const list: { inst: Instance; prefix: 'smtp' | 'lmtp'; label: string }[] = [];
  if (!config.master) list.push({ inst: { model: config.model }, prefix: 'smtp', label: 'smtp(8)' });
  else {
    for (const s of config.services) {
      if (s.role === 'server') continue;
      const prefix = s.role === 'client-smtp' ? 'smtp' : 'lmtp';
      list.push({ inst: { model: s.model, service: s }, prefix, label: `${prefix}(8) (master.cf service ${s.service}/${s.type})` });
    }
  }
  return list.filter(({ inst, prefix }) => {
    const level = clientLevel(inst.model, prefix).level;
    const maps = inst.model.value(`${prefix}_tls_policy_maps`).trim() !== '' || (inst.model.isKnown(`${prefix}_tls_per_site`) && inst.model.value(`${prefix}_tls_per_site`).trim() !== '');
    return (level !== null && level !== 'none') || maps;
  });
}

function clientUses(config: WholeConfig, finder: SiteFinder): TlsFileUse[] {
  const groups = new Map<string, { plan: Plan; prefix: 'smtp' | 'lmtp'; labels: string[]; levels: ClientSecurityLevel[] }>();
  for (const { inst, prefix, label } of clientInstances(config)) {
    const plan = planFor(inst, `${prefix}_tls_`, finder, { explicitOnly: false, noneMeansNoCert: false, trustAnchors: true });
    const key = `${prefix}\0${plan.key}`;
    const own = config.tables.filter((t) => t.prefix === prefix && (t.service === inst.service || (!t.service && !config.tables.some((x) => x.service === inst.service && x.prefix === prefix))));
    const entryLevels = own.flatMap((t) => t.entries.filter((e) => e.effective).map((e) => entryPolicy(t, e).level).filter((l): l is ClientSecurityLevel => l !== null));
    const level = clientLevel(inst.model, prefix).level;
    const levels = [...(level ? [level] : []), ...entryLevels];
    const g = groups.get(key);
    if (g) {
      g.labels.push(label);
      g.levels.push(...levels);
    } else groups.set(key, { plan, prefix, labels: [label], levels });
  }
  const out: TlsFileUse[] = [];
  let i = 0;
  for (const { plan, prefix, labels, levels } of groups.values()) {
    out.push(...usesOf(plan, { side: 'client', daemon: prefix, labels, levels: uniq(levels) }, `${prefix}${i++}`));
  }
  // tlsproxy's client role (smtp connection reuse): only settings of its own, the defaults are smtp's.
  if (config.tlsproxyActive) {
    const plan = planFor({ model: config.model }, 'tlsproxy_client_', finder, { explicitOnly: true, noneMeansNoCert: false, trustAnchors: false });
    const level = clientLevel(config.model, 'smtp').level;
    out.push(...usesOf(plan, { side: 'client', daemon: 'tlsproxy', labels: ['tlsproxy(8) (the client side of smtp connection reuse)'], levels: level ? [level] : [] }, 'tlsproxy-client'));
  }
  // tafile= in policy entries: loaded for that destination at verify and secure.
  for (const t of config.tables) {
    if (!t.entryFile) continue;
    for (const entry of t.entries) {
      if (!entry.effective) continue;
      const policy = entryPolicy(t, entry);
      if (!policy.valid || !policy.level) continue;
      policy.attributes.forEach((a, k) => {
        if (a.name !== 'tafile' || a.value === '') return;
        const range = entry.valueSpan(a.span.start, a.span.end);
        const daemon: ClientSide = { side: 'client', daemon: t.prefix, labels: [`policy for "${entry.key}"`], levels: [policy.level as ClientSecurityLevel] };
        for (const f of splitFiles(a.value)) {
          out.push({ kind: 'trust-anchors', id: `${t.entryFile}:${entry.line}:${k}:${f}`, daemon, path: resolveTlsPath(t.model, f), site: { file: t.entryFile as string, range, param: 'tafile' } });
        }
      });
    }
  }
  return out;
}

/** The tables tls_server_sni_maps names for main.cf and each smtpd service that sets it with -o. */
function sniRefs(config: WholeConfig, finder: SiteFinder, configDir: string | null): { ref: TableRef; site: TableHolder; model: ConfigModel; services: ServerService[] }[] {
  const byValue = new Map<string, { ref: TableRef; site: TableHolder; model: ConfigModel; services: ServerService[] }[]>();
  for (const svc of config.server.services) {
    if (!svc.policy.offersTls) continue;
    const m = svc.model;
    if (!m.isKnown('tls_server_sni_maps')) continue;
    const value = m.value('tls_server_sni_maps').trim();
    if (value === '') continue;
    const site = finder.holder({ model: m, service: svc.service }, 'tls_server_sni_maps');
    if (!site) continue;
    const key = `${value}\0${siteKey(site)}`;
    const known = byValue.get(key);
    if (known) {
      for (const k of known) k.services.push(svc);
      continue;
    }
    byValue.set(key, tableRefs(value, 'tls_server_sni_maps', configDir).map((ref) => ({ ref, site, model: m, services: [svc] })));
  }
  return [...byValue.values()].flat();
}

/** Source files of the SNI tables, absolute paths to try (the CLI reads them with the policy tables). */
export function sniTableSourcesNeeded(config: WholeConfig, configDir: string | null): string[] {
  const finder = new SiteFinder(config);
  const out: string[] = [];
  for (const svc of config.server.services) {
    const value = svc.model.isKnown('tls_server_sni_maps') ? svc.model.value('tls_server_sni_maps').trim() : '';
    if (!svc.policy.offersTls || value === '' || !finder.holder({ model: svc.model, service: svc.service }, 'tls_server_sni_maps')) continue;
    for (const ref of tableRefs(value, 'tls_server_sni_maps', configDir)) for (const c of ref.candidates ?? []) if (ref.cls === 'source-file' && !out.includes(c)) out.push(c);
  }
  return out;
}

function sniUses(config: WholeConfig, finder: SiteFinder, tables: ReadonlyMap<string, TableSourceText>, configDir: string | null, texts: Map<string, string>): TlsFileUse[] {
  const out: TlsFileUse[] = [];
  for (const { ref, site, model, services } of sniRefs(config, finder, configDir)) {
    let entries: readonly TableEntry[] = [];
    let file = '';
    if (ref.cls === 'source-file') {
      const found = (ref.candidates ?? []).map((c) => tables.get(c)).find((t) => t !== undefined);
      if (!found || 'error' in found) continue;
      texts.set(found.path, found.text);
      file = found.path;
      entries = parseSourceTable(found.text).entries;
    } else if (ref.cls === 'inline') {
      file = site.file;
      entries = parseInlineTable(ref, site.locate, site.line).entries;
    } else continue;
    const daemon: ServerSide = { side: 'server', daemon: 'smtpd', services, levels: uniq(services.map((s) => s.policy.level as ServerSecurityLevel)) };
    for (const e of entries) {
      if (!e.effective) continue;
      const holder: TableHolder = { file, param: 'tls_server_sni_maps', range: e.valueRange, locate: (s, en) => e.valueSpan(s, en), line: e.line };
      const listed = listSites(e.value, holder, 'tls_server_sni_maps');
      const files = listed.map((t) => resolveTlsPath(model, t.text));
      const sites = new Map(listed.map((t, i) => [files[i], t.site] as const));
      out.push({ kind: 'credentials', id: `sni:${file}:${e.line}`, daemon, sources: [{ kind: 'chain-files', files, origin: e.key }], sites, caFile: null, sni: { key: e.foldedKey, table: ref.spec } });
    }
  }
  return out;
}

/**
 * Every file use of the configuration. `tables`: the table sources the CLI
 * read (SNI tables among them); `configDir` as for policy tables.
 */
export function tlsFileUses(config: WholeConfig, tables: ReadonlyMap<string, TableSourceText> = new Map(), configDir: string | null = null): TlsFileUses {
  const finder = new SiteFinder(config);
  const texts = new Map<string, string>();
  const uses = [...serverUses(config, finder), ...clientUses(config, finder), ...sniUses(config, finder, tables, configDir, texts)];
  return { uses, texts };
}

/** The paths the CLI should read: files, and directories (CApath) whose entries it lists. */
export function tlsFilesNeeded(uses: readonly TlsFileUse[]): { readonly files: readonly string[]; readonly directories: readonly string[] } {
  const files = new Set<string>();
  const directories = new Set<string>();
  for (const u of uses) {
    if (u.kind === 'credentials') {
      for (const s of u.sources) {
        if (s.kind === 'chain-files') s.files.forEach((f) => files.add(f));
        else {
          files.add(s.certFile);
          if (s.keyFile !== '') files.add(s.keyFile);
        }
      }
      if (u.caFile) files.add(u.caFile);
    } else if (u.kind === 'CApath') directories.add(u.path);
    else files.add(u.path);
  }
  return { files: [...files], directories: [...directories] };
}

/** What the files tell about one smtpd service's certificates (for the inbound predictor). */
export interface ServiceCertificateStatus {
  /** smtpd cannot load its keys and certificates: why, and what it logs ("disabling TLS support"). */
  readonly loadFailure?: { readonly detail: string; readonly log: string };
  /** Key types of the certificates that loaded (the file names no longer matter). */
  readonly keyTypes?: readonly ('RSA' | 'ECDSA' | 'DSA')[];
  /** The leaf certificates that are not valid at the instant asked about. */
  readonly notValid?: readonly string[];
}

/**
 * The status of a service's certificates, when the files were read; undefined
 * when nothing is known. `countMissing`: a missing file counts (live
 * configuration or --files on), else it leaves the status unknown.
 */
export function serviceCertificateStatus(uses: readonly TlsFileUse[], service: ServerService, read: ReadFile, now: Date, countMissing: boolean): ServiceCertificateStatus | undefined {
  const use = uses.find((u): u is CredentialsUse => u.kind === 'credentials' && !u.sni && u.daemon.side === 'server' && u.daemon.daemon === 'smtpd' && u.daemon.services.includes(service));
  if (!use) return undefined;
  const r = loadAll(use.sources, read);
  if (!r.ok) {
    if (r.problem.code === 'unchecked' || (r.problem.code === 'missing' && !countMissing)) return undefined;
    return { loadFailure: { detail: r.problem.detail, log: r.problem.log } };
  }
  const kinds = { RSA: 'RSA', 'RSA-PSS': 'RSA', ECDSA: 'ECDSA', DSA: 'DSA' } as const;
  const keyTypes = [...new Set(r.chains.flatMap((c) => { const k = kinds[c.leaf.cert.key.algorithm as keyof typeof kinds]; return k ? [k] : []; }))];
  const notValid = r.chains
    .filter((c) => c.leaf.cert.notAfter.getTime() < now.getTime() || c.leaf.cert.notBefore.getTime() > now.getTime())
    .map((c) => (c.leaf.cert.notAfter.getTime() < now.getTime() ? `the certificate ${c.leaf.cert.subject} expired on ${c.leaf.cert.notAfter.toISOString().slice(0, 10)}` : `the certificate ${c.leaf.cert.subject} is not valid before ${c.leaf.cert.notBefore.toISOString().slice(0, 10)}`));
  return { keyTypes, ...(notValid.length > 0 ? { notValid } : {}) };
}
