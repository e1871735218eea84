/**
 * Incidents explained by the configuration (`diagnose --config`): the
 * master.cf service behind the syslog name, the next hop and the TLS policy
 * entry for it, the effective client settings, the parameter responsible and
 * where it is set, the handshake predictor's view of a server shaped after the
 * log evidence, and the smallest fix (a per-destination policy entry where
 * one helps). Pure: the CLI reads the files.
 */
import { LineIndex } from '../parser/main-cf.js';
import { entryModel, policyForDestination, type PolicyTable, type WholeConfig } from '../model/whole-config.js';
import type { ConfigModel } from '../model/config.js';
import type { ServiceModel } from '../model/services.js';
import { clientLevel, clientTlsPolicy, type ClientPrefix } from '../model/client-tls.js';
import { outboundRouting } from '../model/routing.js';
import { parseBoolean, verifiesPeer } from '../model/values/index.js';
import { nexthopHost } from '../policy/lookup.js';
import type { TableEntry } from '../policy/source-table.js';
import { suggestPolicyEntry } from '../policy/suggest.js';
import type { IncidentRecord } from './incidents.js';
import { explainFromLog, fingerTarget, guessDestination, LOST_UNEXPLAINED, type Explained } from './explain.js';
import { agreeingPeer, type Agreement } from './evidence-peer.js';
import type { TransportTables } from './transport.js';
import type { ConfigExplainer } from './report.js';
import type { Delivery } from './types.js';
import { smtpdTlsPolicy } from '../model/server-tls.js';
import { inboundHandshakeSetting } from './inbound-setting.js';

export interface ConfigContext {
  readonly config: WholeConfig;
  /** $config_directory (for MAIL_CONFIG in posttls-finger commands); undefined for /etc/postfix or stdin. */
  readonly configDir?: string;
  readonly transport?: TransportTables;
  /** Shown path of a tls_policy table a fix would create beside main.cf. */
  readonly newTablePath: string;
}

interface Where {
  readonly file: string | null;
  readonly line: number | null;
  /** "main.cf", "master.cf -o on service c16", "the TLS policy entry for [x]:25" */
  readonly how: string;
}

/** How the outcome of the explanation with the configuration is reported (tests look at `agreement`). */
export interface ConfigExplanation {
  readonly explained: Explained | null;
  readonly agreement: Agreement | null;
  readonly destination: string | null;
  readonly serviceName: string | null;
}

/** The syslog name a master.cf service logs under ("postfix/submission/smtpd"). */
export function syslogNameOf(service: ServiceModel): string {
  const model = service.model.withOverrides(new Map([['service_name', service.service]]));
  const name = model.value('syslog_name') || 'postfix';
  const command = service.command.slice(service.command.lastIndexOf('/') + 1);
  return `${name}/${command}`;
}

/** The master.cf service behind a syslog name; the service named like the daemon wins ties (smtp, smtpd). */
export function serviceForProgram(config: WholeConfig, program: string, role: 'client' | 'server'): ServiceModel | null {
  const matches = config.services.filter((s) => (role === 'server' ? s.role === 'server' : s.role !== 'server') && syslogNameOf(s) === program);
  if (matches.length <= 1) return matches[0] ?? null;
  const daemon = program.slice(program.lastIndexOf('/') + 1);
  return matches.find((s) => s.service === daemon) ?? matches.find((s) => s.type === 'inet') ?? matches[0];
}

/** The inet port a server service listens on, when its name says so. */
function servicePort(service: ServiceModel | null): number | null {
  if (!service || service.type !== 'inet') return null;
  const name = service.service;
  const known: Record<string, number> = { smtp: 25, submission: 587, submissions: 465, smtps: 465 };
  if (known[name] !== undefined) return known[name];
  const m = /(?:^|:)(\d+)$/.exec(name);
  return m ? Number(m[1]) : null;
}

function describeService(s: ServiceModel | null): string {
  return s ? `master.cf service "${s.service}" (${s.type}, ${s.command})` : 'main.cf (no master.cf service logs under this name)';
}

class Locator {
  private readonly mainIndex: LineIndex;

  constructor(private readonly config: WholeConfig, private readonly service: ServiceModel | null,
    private readonly hit: { table: PolicyTable; entry: TableEntry; origins: ReadonlyMap<string, unknown> } | null) {
    this.mainIndex = new LineIndex(config.main.text);
  }

  /** Where the value in force for a parameter comes from. */
  where(param: string): Where {
    if (this.hit && this.hit.origins.has(param)) {
      return { file: this.hit.table.entryFile ?? this.hit.table.ref.spec, line: this.hit.entry.line, how: `the TLS policy entry "${this.hit.entry.key} ${this.hit.entry.value}"` };
    }
    const o = this.service?.overrides.find((x) => x.name === param && x.effective);
    if (o && this.config.master) return { file: this.config.master.path, line: o.line, how: `-o ${param}=${o.value} on master.cf service "${this.service?.service}"` };
    const node = this.config.model.definition(param);
    if (node) return { file: this.config.main.path, line: this.mainIndex.locate(node.range[0]).line, how: `main.cf` };
    return { file: null, line: null, how: 'its default' };
  }

  policyTable(prefix: ClientPrefix): Where {
    const param = `${prefix}_tls_policy_maps`;
    const t = this.config.tables.find((x) => x.prefix === prefix && x.service === (this.service ?? undefined)) ?? this.config.tables.find((x) => x.prefix === prefix && !x.service);
    if (t) return { file: t.holder.file, line: t.holder.line, how: t.holder.file === this.config.main.path ? 'main.cf' : 'master.cf' };
    return this.where(param);
  }
}

/** Candidate next hops for a policy lookup, most specific first. */
function destinations(ctx: ConfigContext, rec: IncidentRecord, model: ConfigModel): string[] {
  const out: string[] = [];
  const add = (d: string | undefined | null) => {
    if (d && !out.includes(d)) out.push(d);
  };
  add(rec.facts.policyDestination);
  const domain = rec.facts.recipientDomain;
  if (domain && ctx.transport) {
    const route = ctx.transport.route(domain);
    if (route) add(route.nexthop || domain);
  }
  const routing = outboundRouting(model);
  if (routing.kind === 'smarthost') add(routing.nexthop.split(/[\s,]+/)[0]);
  const host = rec.hostname ?? rec.address;
  if (host) {
    if (rec.port !== null && rec.port !== 25) add(`[${host}]:${rec.port}`);
    add(`[${host}]`);
  }
  add(domain);
  return out;
}

/** Causes a per-destination entry (protocols=, exclude=, ciphers=) may fix. */
const ENTRY_FIXABLE = new Set(['no-shared-protocol', 'no-shared-cipher', 'legacy-signature', 'dh-key-too-small']);

const CLIENT_CAUSES_WITH_PREDICTION = new Set(['no-shared-protocol', 'no-shared-cipher', 'legacy-signature', 'dh-key-too-small', 'certificate-untrusted', 'certificate-name-mismatch', 'certificate-expired', 'starttls-not-offered', 'policy-lookup-error', 'tls-library-error']);

function knob(model: ConfigModel, param: string): string {
  const v = model.value(param);
  return `${param} = ${v === '' ? '(empty)' : v}`;
}

/** The parameter that decides this cause for the SMTP client, given the effective settings. */
function clientParameter(rec: IncidentRecord, model: ConfigModel, prefix: ClientPrefix, agreement: Agreement | null): string | null {
  const policy = clientTlsPolicy(model, prefix);
  const level = clientLevel(model, prefix);
  const levelParam = level.source.param;
  const reason = agreement?.prediction.reason ?? '';
  const seclevelInList = /@SECLEVEL=/i.test(policy.cipherString ?? '');
  switch (rec.cause) {
    case 'no-shared-protocol':
      return /which disallows/.test(reason) && policy.cipherlistParam ? policy.cipherlistParam : policy.protocolsParam;
    case 'no-shared-cipher': {
      if (/key-exchange group|ECDHE curve/.test(reason)) return 'tls_eecdh_auto_curves';
      const excl = policy.exclusions.find((e) => e.tokens.length > 0);
      if (excl) return excl.param;
      if (policy.grade.effectiveGrade && policy.grade.effectiveGrade !== 'medium') return policy.gradeParam;
      return policy.cipherlistParam;
    }
    case 'legacy-signature':
    case 'dh-key-too-small':
      return seclevelInList && !(level.level && verifiesPeer(level.level)) && policy.cipherlistParam ? policy.cipherlistParam : levelParam;
    case 'certificate-untrusted':
      if (/too weak|too small/.test(rec.facts.verifyReason ?? '')) return levelParam;
      if (model.value(`${prefix}_tls_CAfile`) === '' && model.value(`${prefix}_tls_CApath`) !== '') return `${prefix}_tls_CApath`;
      return `${prefix}_tls_CAfile`;
    case 'certificate-name-mismatch': {
      const matchParam = level.level === 'secure' ? `${prefix}_tls_secure_cert_match` : `${prefix}_tls_verify_cert_match`;
      return model.isSet(matchParam) ? matchParam : levelParam;
    }
    case 'certificate-expired':
    case 'starttls-not-offered':
    case 'starttls-rejected':
      return levelParam;
    case 'tlsproxy-unavailable':
      return `${prefix}_tls_connection_reuse`;
    case 'policy-lookup-error':
      if (rec.facts.policyProblem === 'table' || rec.facts.policyProblem === 'entry') return `${prefix}_tls_policy_maps`;
      return levelParam;
    case 'tls-library-error':
      switch (rec.facts.configProblem) {
        case 'protocols': return policy.protocolsParam;
        case 'cipherlist': return policy.cipherlistParam;
        case 'grade': return policy.gradeParam;
        case 'exclusion': return policy.exclusions.find((e) => e.tokens.some((t) => '!+-@'.includes(t.text[0])))?.param ?? policy.exclusions[0]?.param ?? null;
        case 'client-engine': return [`${prefix}_tls_chain_files`, `${prefix}_tls_cert_file`].find((p) => model.value(p) !== '') ?? null;
        default: return null;
      }
    default:
      return null;
  }
}

/** A fix from the policy-entry suggester for the evidence peer, or null when no entry helps. */
function policyEntryFix(ctx: ConfigContext, model: ConfigModel, destination: string, agreement: Agreement, extra: string[][] | undefined): string | null {
  const view: WholeConfig = { ...ctx.config, model };
  const s = suggestPolicyEntry(view, destination, [agreement.peer.peer], { newTablePath: ctx.newTablePath, ...(extra ? { candidates: extra } : {}) });
  if (!s) return null;
  const sentence = (t: string) => (t ? t.charAt(0).toUpperCase() + t.slice(1).replace(/\.?$/, '.') : '');
  const where = s.fixes.map((f) => sentence(/^create /.test(f.description) ? f.description : `${f.description} (${f.file ?? ctx.config.main.path})`)).join(' ');
  const notes = s.notes.map((n) => `Note: ${n}.`).join(' ');
  return `${where || sentence(`add "${destination} ${s.value}" to the smtp_tls_policy_maps table by hand`)}${notes ? ` ${notes}` : ''} The predictor then expects TLS with ${agreement.peer.shape}.`;
}

const SERVER_SIDE_FIRST: Readonly<Record<string, string>> = {
  'certificate-expired': "Ask the server's admin to renew the certificate.",
  'certificate-untrusted': "Point the CA setting at a bundle that holds the server's CA, or ask the server's admin for a certificate from a public CA.",
  'certificate-name-mismatch': "Ask the server's admin for a certificate with the right name (or, once you have checked it is the right server, accept the name it carries with match= in its policy entry).",
};

/** Verification failures: the lever is the level of this destination, until the server is fixed. */
function lowerLevelFix(cause: string, destination: string, hit: { entry: TableEntry; table: PolicyTable } | null): string {
  const first = SERVER_SIDE_FIRST[cause] ?? '';
  if (hit) {
    return `${first} Until then, change the TLS policy entry "${hit.entry.key} ${hit.entry.value}" (${hit.table.entryFile ?? hit.table.ref.spec}:${hit.entry.line}) to level encrypt: still encrypted, not authenticated.`;
  }
  return `${first} Until then, a TLS policy entry "${destination} encrypt" (smtp_tls_policy_maps) delivers it encrypted but not authenticated.`;
}

function outboundWithConfig(ctx: ConfigContext, rec: IncidentRecord, delivery: Delivery): ConfigExplanation {
  const base = explainFromLog(rec, delivery);
  const { config } = ctx;
  const service = rec.service === 'posttls-finger' ? null : serviceForProgram(config, rec.service, 'client');
  const prefix: ClientPrefix = service?.role === 'client-lmtp' || rec.service.endsWith('/lmtp') ? 'lmtp' : 'smtp';
  const baseModel = service?.model ?? config.model;
  let destination: string | null = null;
  let hit: ReturnType<typeof policyForDestination> = null;
  for (const d of destinations(ctx, rec, baseModel)) {
    const h = policyForDestination(config, d, prefix, service ?? undefined);
    if (h) {
      destination = d;
      hit = h;
      break;
    }
  }
  destination ??= destinations(ctx, rec, baseModel).find((d) => d === rec.facts.policyDestination) ?? (ctx.transport && rec.facts.recipientDomain ? ctx.transport.route(rec.facts.recipientDomain)?.nexthop || null : null) ?? guessDestination(rec);
  const origins = hit && hit.policy.valid ? entryModel(hit.table, hit.entry, hit.policy, baseModel).origins : new Map();
  const model = hit ? hit.model : baseModel;
  const locator = new Locator(config, service, hit ? { table: hit.table, entry: hit.entry, origins } : null);
  const host = rec.hostname ?? rec.address ?? nexthopHost(destination);
  const agreement = CLIENT_CAUSES_WITH_PREDICTION.has(rec.cause)
    ? agreeingPeer(model, rec.cause, rec.facts, host, nexthopHost(destination), { prefix, configDir: ctx.configDir })
    : null;
  const parameter = clientParameter(rec, model, prefix, agreement);
  const where = parameter === `${prefix}_tls_policy_maps` ? locator.policyTable(prefix) : parameter ? locator.where(parameter) : null;
  const level = clientLevel(model, prefix).level;

  const context = [
    `Configuration: ${describeService(service)}, next hop "${destination}"`,
    hit ? `TLS policy entry "${hit.entry.key} ${hit.entry.value}" (${hit.table.entryFile ?? hit.table.ref.spec}, line ${hit.entry.line})` : 'no TLS policy entry matches (the main.cf/master.cf settings apply)',
    `level ${level ?? '(invalid)'}.`,
  ].join('; ');
  const responsible = parameter && where ? ` Setting responsible: ${knob(model, parameter)}, from ${where.how}${where.file ? ` (${where.file}${where.line ? `:${where.line}` : ''})` : ''}.` : '';
  let verdict: string;
  if (agreement) {
    verdict = ` The handshake predictor agrees: with ${agreement.peer.shape} it predicts ${agreement.prediction.outcome} — ${agreement.prediction.reason}`;
  } else if (rec.cause === 'connection-lost' || rec.cause === 'starttls-rejected') {
    verdict = '';
  } else if (rec.cause === 'tlsproxy-unavailable') {
    verdict = config.tlsproxyActive ? ` master.cf does have an active tlsproxy service; it was not reachable at the time (was it added later, or is it chrooted without its socket?).` : ` master.cf has no active "${model.value('tlsproxy_service_name') || 'tlsproxy'}" unix service running tlsproxy(8).`;
  } else if (rec.cause === 'policy-lookup-error' && rec.facts.policyProblem === 'table') {
    verdict = ' The table named there could not be read when the message was delivered.';
  } else {
    verdict = ` Nothing in this configuration explains it: the handshake predictor expects no such failure for this destination with these settings. The log may come from another configuration, or the server (or a middlebox) is the cause; check it live.`;
  }

  let fix = base.fix;
  if (agreement && destination && ENTRY_FIXABLE.has(rec.cause)) {
    const extra = rec.cause === 'legacy-signature' ? [['exclude=kEECDH:kEDH']] : rec.cause === 'dh-key-too-small' ? [['exclude=kEDH']] : undefined;
    const viaEntry = policyEntryFix(ctx, baseModel, destination, agreement, extra);
    if (viaEntry) fix = viaEntry;
    else if (parameter && where) {
      const seclevel = parameter.endsWith('_cipherlist') && /@SECLEVEL/i.test(model.value(parameter)) ? ' (remove its @SECLEVEL)' : '';
      fix = `No TLS policy entry restores TLS with ${agreement.peer.shape} (the predictor tried protocols=, exclude= and ciphers=; an entry cannot change ${parameter}): change ${knob(model, parameter)}${seclevel} where it is set, ${where.how}${where.file ? ` (${where.file}${where.line ? `:${where.line}` : ''})` : ''}.`;
    }
  }
  if (destination && (rec.cause === 'certificate-expired' || rec.cause === 'certificate-untrusted' || rec.cause === 'certificate-name-mismatch') && agreement) {
    fix = lowerLevelFix(rec.cause, destination, hit ? { entry: hit.entry, table: hit.table } : null);
  }
  if (rec.cause === 'tlsproxy-unavailable' && config.master) fix = `Add "tlsproxy  unix  -  -  n  -  0  tlsproxy" to ${config.master.path} and run postfix reload, or remove ${parameter} = yes (${where?.how ?? 'main.cf'}).`;
  if (rec.cause === 'policy-lookup-error' && rec.facts.policyProblem === 'table') {
    const t = config.tables.find((x) => x.service === (service ?? undefined)) ?? config.tables[0];
    if (t) fix = t.ref.indexed ? `Build the table: postmap ${t.ref.spec} (${t.readError ? `its source ${t.ref.sourcePath ?? ''} is missing too` : 'from its source file'}), then postfix reload.` : `Create ${t.ref.sourcePath ?? t.ref.spec} (or correct ${t.ref.param}), then postfix reload.`;
  }

  const confirm = agreement ? exactTarget(agreement.prediction.confirm, rec, destination) : base.confirm;
  return {
    explained: {
      explanation: `${base.explanation} ${context}${responsible}${verdict}`.trim(),
      parameter: parameter && where ? parameter : null,
      file: where?.file ?? null,
      line: where?.line ?? null,
      fix,
      confirm,
    },
    agreement,
    destination,
    serviceName: service?.service ?? null,
  };
}

/** The predictor names the peer's host; put back the exact next hop (with its port) the log shows. */
function exactTarget(confirm: string, rec: IncidentRecord, destination: string): string {
  return confirm.replace(/"([^"]*)"/, (_all, quoted: string) => {
    if (!quoted.startsWith('[')) return `"${destination}"`;
    return `"${destination.startsWith('[') ? destination : fingerTarget(rec)}"`;
  });
}

function yes(model: ConfigModel, name: string): boolean {
  return parseBoolean(model.value(name)).value === true;
}

function restrictionWith(model: ConfigModel, word: string): string | null {
  for (const p of ['smtpd_client_restrictions', 'smtpd_helo_restrictions', 'smtpd_sender_restrictions', 'smtpd_relay_restrictions', 'smtpd_recipient_restrictions', 'smtpd_data_restrictions', 'smtpd_end_of_data_restrictions']) {
    if (model.value(p).split(/[\s,]+/).includes(word)) return p;
  }
  return null;
}

/** The smtpd files that hold the server's certificates and keys, in the order blamed when the log names none. */
const SERVER_FILE_PARAMS = ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_key_file', 'smtpd_tls_eccert_file', 'smtpd_tls_eckey_file', 'smtpd_tls_dcert_file', 'smtpd_tls_dkey_file'];

/** The parameter naming a file the log says failed to load ("a.key,b.crt" for chain files), else the first one set. */
function serverFileParameter(model: ConfigModel, logged: string | undefined): string {
  const files = logged ? logged.split(',').map((f) => f.trim()).filter((f) => f !== '') : [];
  const names = (n: string) => model.value(n).split(/[\s,]+/);
  const byFile = files.map((f) => SERVER_FILE_PARAMS.find((n) => names(n).includes(f))).find((n) => n !== undefined);
  return byFile ?? SERVER_FILE_PARAMS.find((n) => model.value(n) !== '') ?? 'smtpd_tls_chain_files';
}

function inboundWithConfig(ctx: ConfigContext, rec: IncidentRecord, delivery: Delivery): ConfigExplanation {
  const base = explainFromLog(rec, delivery);
  const { config } = ctx;
  const service = serviceForProgram(config, rec.service, 'server');
  const model = service?.model ?? config.model;
  const locator = new Locator(config, service, null);
  const server = config.server.services.find((s) => s.service === service) ?? (service ? undefined : config.server.services.find((s) => !s.service));
  const policy = server?.policy ?? smtpdTlsPolicy(model);
  // Wrapper mode requires TLS like level encrypt: the mandatory protocols and grade apply.
  const enforce = policy.enforced;
  const levelParam = policy.levelSource.param;
  let parameter: string | null = null;
  let note = '';
  let explanation = base.explanation;
  let fix = base.fix;
  switch (rec.cause) {
    case 'client-no-shared-protocol':
    case 'client-no-shared-cipher': {
      const found = server ? inboundHandshakeSetting(server, rec.cause, rec.facts.reasons) : null;
      if (found) {
        parameter = found.parameter;
        if (found.agreement) {
          const others = found.agreement.clients.length - 1;
          note = ` The handshake predictor agrees for the shipped client ${found.agreement.prediction.client}${others > 0 ? ` (and ${others} more)` : ''}: ${found.agreement.prediction.reason}`;
        }
      } else if (rec.cause === 'client-no-shared-protocol') parameter = policy.protocolsParam;
      else parameter = policy.exclusions.find((e) => e.tokens.length > 0)?.param ?? policy.gradeParam;
      break;
    }
    case 'client-lost-connection':
      if (policy.wrappermode) {
        parameter = 'smtpd_tls_wrappermode';
        explanation = explanation.replace(LOST_UNEXPLAINED, 'This service runs in wrapper mode (TLS from the first byte, port 465): a client that speaks plain SMTP or STARTTLS there waits for a greeting that never comes and gives up, which smtpd logs as a connection lost during SSL_accept (a port scanner looks the same).');
        fix = 'Configure the client for implicit TLS ("SSL/TLS", not STARTTLS) on this port, or point it at a STARTTLS port (submission, 587). Keep smtpd_tls_wrappermode = yes on port 465.';
      }
      break;
    case 'starttls-required': {
      const r = restrictionWith(model, 'reject_plaintext_session');
      if (enforce) parameter = levelParam;
      else if (r) parameter = r;
      else if (rec.tentative) return { explained: null, agreement: null, destination: null, serviceName: service?.service ?? null };
      else note = ' This configuration does not require STARTTLS on this service; the refusal came from elsewhere (a milter or policy service).';
      break;
    }
    case 'auth-without-tls': {
      const sasl = yes(model, 'smtpd_sasl_auth_enable');
      if (sasl && yes(model, 'smtpd_tls_auth_only')) parameter = 'smtpd_tls_auth_only';
      else if (sasl && enforce) parameter = levelParam;
      else if (rec.tentative) return { explained: null, agreement: null, destination: null, serviceName: service?.service ?? null };
      break;
    }
    case 'server-tls-unavailable':
      parameter = serverFileParameter(model, rec.facts.serverFile);
      break;
    default:
      parameter = null;
  }
  const where = parameter ? locator.where(parameter) : null;
  if (where && parameter && (rec.cause === 'client-no-shared-protocol' || rec.cause === 'client-no-shared-cipher')) {
    const plain = policy.level === 'may' ? ' (at level may the client can still deliver in plaintext)' : '';
    fix = `Nothing, if intended${plain}. To accept such clients over TLS, relax ${knob(model, parameter)} where it is set, ${where.how}${where.file ? ` (${where.file}${where.line ? `:${where.line}` : ''})` : ''}; on a public MX prefer the defaults for opportunistic TLS.`;
  }
  const port = servicePort(service);
  const context = ` Configuration: ${describeService(service)}; ${knob(model, 'smtpd_tls_security_level')}.`;
  const responsible = parameter && where ? ` Setting responsible: ${knob(model, parameter)}, from ${where.how}${where.file ? ` (${where.file}${where.line ? `:${where.line}` : ''})` : ''}.` : ' No setting on this server explains it.';
  const confirm = port !== null ? base.confirm.replace(/"\[127\.0\.0\.1\]:\d+"/, `"[127.0.0.1]:${port}"`) : base.confirm;
  return {
    explained: {
      explanation: `${explanation}${context}${responsible}${note}`,
      parameter: where ? parameter : null,
      file: where?.file ?? null,
      line: where?.line ?? null,
      fix,
      confirm,
    },
    agreement: null,
    destination: null,
    serviceName: service?.service ?? null,
  };
}

/** The explanation of one incident with the configuration. */
export function explainWithConfig(ctx: ConfigContext, rec: IncidentRecord, delivery: Delivery): ConfigExplanation {
  return rec.direction === 'outbound' ? outboundWithConfig(ctx, rec, delivery) : inboundWithConfig(ctx, rec, delivery);
}

export function configExplainer(ctx: ConfigContext): ConfigExplainer {
  return (rec, delivery) => explainWithConfig(ctx, rec, delivery).explained;
}
