/**
 * Which smtpd services a server rule judges in one run. The main.cf run
 * judges the services that take the rule's parameters from main.cf; a
 * service that sets one of them with -o is judged in its own run (see
 * lint-server.ts), so each finding is made once, where its cause is written.
 */
import { probeHost } from '../model/describe.js';
import type { ConfigModel } from '../model/config.js';
import { serverTls, type ServerService, type ServerTls } from '../model/server-services.js';
import type { LintFacts } from './facts.js';
import type { Edit } from './types.js';
import { setParam } from '../fixer/edits.js';
import { setServiceOverride } from '../fixer/master-edits.js';

export interface ServerScope {
  readonly server: ServerTls;
  readonly services: readonly ServerService[];
  /** The run is one service's (findings move to its master.cf entry). */
  readonly perService: boolean;
}

function overridesAny(s: ServerService, params: readonly string[]): boolean {
  return (s.service?.overrides ?? []).some((o) => o.effective && !o.ignoredBecause && params.includes(o.name));
}

// A lone model (no whole config) gets the assumed stock master.cf once, however many rules ask.
const assumedByModel = new WeakMap<ConfigModel, ServerTls>();

export function serverScope(model: ConfigModel, facts: LintFacts, params: readonly string[]): ServerScope {
  let server = facts.server ?? assumedByModel.get(model);
  if (!server) {
    server = serverTls(model, null, []);
    assumedByModel.set(model, server);
  }
  const one = facts.serverService;
  if (one) return { server, services: overridesAny(one, params) ? [one] : [], perService: true };
  return { server, services: server.services.filter((s) => !overridesAny(s, params)), perService: false };
}

/** "smtp (port 25)", "smtpd behind postscreen on smtp (port 25)", "smtp (port 25; no master.cf, the stock one assumed)". */
export function serviceLabel(s: ServerService): string {
  const port = s.port !== null ? ` (port ${s.port})` : '';
  if (s.assumed) return `smtp (port 25; no master.cf, the stock one assumed)`;
  if (s.behindPostscreen) return `${s.name} behind postscreen on ${s.listener}${port}`;
  return `${s.name}${port}`;
}

/**
 * A fix that gives `name` the value `value` where the run's settings live:
 * the service's master.cf entry in a per-service run, else main.cf.
 */
export function scopedSetting(model: ConfigModel, scope: ServerScope, service: ServerService | undefined, name: string, value: string, relatedNames: readonly string[] = []): { readonly file?: string; readonly edits: Edit[] } | null {
  if (scope.perService) {
    const master = scope.server.master;
    if (!master || !service?.service) return null;
    return { file: master.path, edits: [setServiceOverride(master, service.service.node, name, value)] };
  }
  return { edits: [setParam(model.file, name, value, model.definition(name), relatedNames)] };
}

/** A live check of what smtpd answers without TLS: the EHLO reply (STARTTLS, AUTH) and MAIL FROM (530 when TLS is required). */
export function smtpProbeCommand(model: ConfigModel, service: ServerService | undefined): string {
  const host = service?.host ?? probeHost(model);
  const port = service?.port ?? 25;
  return `(printf 'EHLO probe.invalid\\r\\n'; sleep 1; printf 'MAIL FROM:<>\\r\\n'; sleep 1; printf 'QUIT\\r\\n') | nc ${host} ${port}`;
}
