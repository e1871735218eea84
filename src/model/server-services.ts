/**
 * The receiving half of the configuration: every smtpd(8) that master.cf
 * runs, the TLS policy it applies after its -o overrides, and the role it
 * plays for the clients that connect to it: the public MX (port 25 reachable
 * from other hosts, possibly behind postscreen), submission (587),
 * submissions / smtps (465, wrapper mode), local-only (loopback), or some
 * other port. Pure.
 *
 * Without a master.cf (a lone main.cf) the stock master.cf is assumed:
 * Postfix ships it with "smtp inet ... smtpd" active and the submission and
 * submissions entries commented out. The one service this yields is marked
 * `assumed`, so rules can say so and speak less firmly.
 */
import type { ConfigModel } from './config.js';
import type { MasterCfFile } from '../parser/master-cf.js';
import type { ServiceModel } from './services.js';
import { smtpdTlsPolicy, type SmtpdTlsPolicy } from './server-tls.js';
import { COMMA_SPACE, parseServerSecurityLevel, splitTokens, type ServerSecurityLevel } from './values/index.js';

export type ServerRole = 'public-mx' | 'submission' | 'submissions' | 'local-only' | 'other';

export interface ServerService {
  /** The master.cf name of the smtpd entry whose settings apply ("smtp", "submission", "smtpd" behind postscreen, "127.0.0.1:10025"). */
  readonly name: string;
  /** Field 2 of that entry: "inet", or "pass" behind postscreen. */
  readonly type: string;
  /** The inet service clients connect to (postscreen's entry for a pass service behind it). */
  readonly listener: string;
  /** Host part of the listener ("127.0.0.1:10025" -> "127.0.0.1"), null when it listens on inet_interfaces. */
  readonly host: string | null;
  /** TCP port, when the listener's name or number says which (known_tcp_ports names included). */
  readonly port: number | null;
  readonly role: ServerRole;
  /** Other hosts can connect: not bound to loopback, and inet_interfaces is not loopback-only. */
  readonly exposed: boolean;
  /** True for the stock "smtp inet" entry assumed when there is no master.cf. */
  readonly assumed: boolean;
  /** postscreen(8) answers the connection first and hands it to this smtpd. */
  readonly behindPostscreen: boolean;
  /** The master.cf entry (absent when assumed). */
  readonly service?: ServiceModel;
  /** The model smtpd sees: main.cf plus the entry's -o overrides. */
  readonly model: ConfigModel;
  readonly policy: SmtpdTlsPolicy;
}

export interface PostscreenFacts {
  /** postscreen's inet service name. */
  readonly listener: string;
  /** postscreen_tls_security_level: what postscreen offers when its after-220 tests talk SMTP itself (through tlsproxy). */
  readonly tlsLevel: ServerSecurityLevel | null;
}

export interface ServerTls {
  /** Whether master.cf was read, or the stock one assumed. */
  readonly masterCf: 'present' | 'assumed';
  /** The parsed master.cf (for edits at -o options), null when assumed. */
  readonly master: MasterCfFile | null;
  /** inet_interfaces allows connections from other hosts. */
  readonly reachable: boolean;
  /** Every smtpd that listens on TCP (directly or behind postscreen), in master.cf order. */
  readonly services: readonly ServerService[];
  readonly postscreen: readonly PostscreenFacts[];
  /** tlsproxy(8) runs as a master.cf service; its server role serves postscreen's STARTTLS with tlsproxy_tls_* (default: the smtpd_tls_* values). */
  readonly tlsproxy: { readonly active: boolean; readonly level: ServerSecurityLevel | null };
}

/** Postfix's default known_tcp_ports, used when main.cf does not set it. */
const DEFAULT_KNOWN_PORTS = 'lmtp=24, smtp=25, smtps=submissions=465, submission=587';

function knownPorts(model: ConfigModel): Map<string, number> {
  const value = model.resolve('known_tcp_ports') ? model.value('known_tcp_ports') : DEFAULT_KNOWN_PORTS;
  const out = new Map<string, number>();
  for (const t of splitTokens(value, COMMA_SPACE)) {
    const parts = t.text.split('=');
    const port = Number(parts[parts.length - 1]);
    if (!Number.isInteger(port)) continue;
    for (const name of parts.slice(0, -1)) out.set(name.toLowerCase(), port);
  }
  return out;
}

/** "127.0.0.1:10025" -> host and port; "[::1]:25"; "smtp" -> no host. */
export function splitListener(name: string): { host: string | null; port: string } {
  const i = name.lastIndexOf(':');
  if (i < 0) return { host: null, port: name };
  const host = name.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? null : host, port: name.slice(i + 1) };
}

function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || h === 'loopback-only';
}

/** inet_interfaces lets other hosts connect (default "all"). */
export function interfacesReachable(model: ConfigModel): boolean {
  const value = model.value('inet_interfaces').trim() || 'all';
  const items = splitTokens(value, COMMA_SPACE).map((t) => t.text);
  return !items.every(isLoopback);
}

export function roleOf(port: number | null, exposed: boolean): ServerRole {
  if (!exposed) return 'local-only';
  if (port === 25) return 'public-mx';
  if (port === 587) return 'submission';
  if (port === 465) return 'submissions';
  return 'other';
}

function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

function listenerFacts(model: ConfigModel, listener: string, reachable: boolean) {
  const { host, port: portText } = splitListener(listener);
  const port = /^\d+$/.test(portText) ? Number(portText) : knownPorts(model).get(portText.toLowerCase()) ?? null;
  const exposed = host !== null ? !isLoopback(host) && reachable : reachable;
  return { host, port, exposed, role: roleOf(port, exposed) };
}

function levelOf(model: ConfigModel, param: string): ServerSecurityLevel | null {
  return parseServerSecurityLevel(model.value(param), model.version).level;
}

/** The smtpd services of a configuration with their TLS policies and roles. */
export function serverTls(mainModel: ConfigModel, master: MasterCfFile | null, services: readonly ServiceModel[]): ServerTls {
  const reachable = interfacesReachable(mainModel);
  if (!master) {
    const facts = listenerFacts(mainModel, 'smtp', reachable);
    return {
      masterCf: 'assumed',
      master: null,
      reachable,
      services: [{ name: 'smtp', type: 'inet', listener: 'smtp', ...facts, assumed: true, behindPostscreen: false, model: mainModel, policy: smtpdTlsPolicy(mainModel) }],
      postscreen: [],
      tlsproxy: { active: false, level: levelOf(mainModel, 'tlsproxy_tls_security_level') },
    };
  }
  const active = master.services.filter((s) => s.active && s.valid);
  const postscreens = active.filter((s) => s.type === 'inet' && basename(s.command) === 'postscreen');
  const out: ServerService[] = [];
  const postscreen: PostscreenFacts[] = [];
  for (const ps of postscreens) {
    const psModel = mainModel.withOverrides(new Map(ps.overrides.map((o) => [o.name, o.value])));
    postscreen.push({ listener: ps.name, tlsLevel: levelOf(psModel, 'postscreen_tls_security_level') });
  }
  for (const s of services) {
    if (s.role !== 'server') continue;
    if (s.type === 'inet') {
      out.push({ name: s.service, type: s.type, listener: s.service, ...listenerFacts(mainModel, s.service, reachable), assumed: false, behindPostscreen: false, service: s, model: s.model, policy: smtpdTlsPolicy(s.model) });
      continue;
    }
    if (s.type !== 'pass') continue;
    // postscreen hands connections to the pass service named by its smtpd_service_name.
    for (const ps of postscreens) {
      const handoff = ps.overrides.filter((o) => o.name === 'smtpd_service_name').pop()?.value ?? (mainModel.value('smtpd_service_name') || 'smtpd');
      if (handoff !== s.service) continue;
      out.push({ name: s.service, type: s.type, listener: ps.name, ...listenerFacts(mainModel, ps.name, reachable), assumed: false, behindPostscreen: true, service: s, model: s.model, policy: smtpdTlsPolicy(s.model) });
    }
  }
  const proxyName = mainModel.value('tlsproxy_service_name').trim() || 'tlsproxy';
  const proxy = active.find((s) => s.type === 'unix' && s.name === proxyName && basename(s.command) === 'tlsproxy');
  const proxyModel = proxy ? mainModel.withOverrides(new Map(proxy.overrides.map((o) => [o.name, o.value]))) : mainModel;
  return { masterCf: 'present', master, reachable, services: out, postscreen, tlsproxy: { active: proxy !== undefined, level: levelOf(proxyModel, 'tlsproxy_tls_security_level') } };
}

/** The services a client reaches under this name: the smtpd entry's own name or its listener's. */
export function findServerServices(server: ServerTls, name: string): ServerService[] {
  return server.services.filter((s) => s.name === name || s.listener === name);
}
