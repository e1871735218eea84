/**
 * Which clients a server setting is to blame for. A setting is judged alone
 * against the defaults (clientsLostBy) to find the clients it refuses; its
 * remedy is then checked on the services as configured, so a client that
 * another setting (a raised protocol floor, an exclusion, a grade) refuses too
 * is not attributed to this one: changing this setting alone gives it nothing
 * back. Used by every server rule that names clients who lose TLS.
 */
import type { ServerService } from '../model/server-services.js';
import type { ClientProfile, InboundPrediction } from './client-types.js';
import { clientsLosingTls, clientsLostBy, describeLostClients } from './predict-inbound.js';

export interface InboundBlame {
  /** Clients the setting refuses when it alone departs from the defaults. */
  readonly lost: readonly InboundPrediction[];
  /** Of those, the clients the remedy gives TLS back on the services as configured: this setting's own cost. */
  readonly own: readonly InboundPrediction[];
  /** The others: refused by other settings too, so the remedy alone restores nothing for them. */
  readonly shared: readonly InboundPrediction[];
}

/**
 * `alone(svc)`: the setting's values to judge against the defaults; `remedy(svc)`: the service with the
 * setting changed as the rule advises. Clients are merged over the services (first prediction kept).
 */
export function blameInbound(
  services: readonly ServerService[],
  alone: (svc: ServerService) => ReadonlyMap<string, string>,
  remedy: (svc: ServerService) => ServerService,
  clients: readonly ClientProfile[],
): InboundBlame {
  const lost: InboundPrediction[] = [];
  const restored = new Set<string>();
  for (const svc of services) {
    for (const p of clientsLostBy(svc, alone(svc), clients)) if (!lost.some((x) => x.client === p.client)) lost.push(p);
    for (const p of clientsLosingTls(svc, remedy(svc), clients)) restored.add(p.client);
  }
  return { lost, own: lost.filter((p) => restored.has(p.client)), shared: lost.filter((p) => !restored.has(p.client)) };
}

/**
 * "Client profiles that lose TLS: ... ; refused by other settings too (changing X alone gives them nothing
 * back): ..." or null when the setting costs no client.
 */
export function describeBlame(blame: InboundBlame, change: string): string | null {
  if (blame.lost.length === 0) return null;
  const parts: string[] = [];
  if (blame.own.length > 0) parts.push(`Client profiles that lose TLS: ${describeLostClients(blame.own)}`);
  if (blame.shared.length > 0) {
    parts.push(`${blame.own.length > 0 ? 'Also refused' : 'Client profiles refused'} by other settings too, so ${change} alone gives them no TLS back: ${describeLostClients(blame.shared)}`);
  }
  return parts.join('. ');
}

/** Warn only for clients the setting alone costs; clients refused by other settings too are information here. */
export function blameSeverity(blame: InboundBlame): 'warning' | 'info' {
  return blame.own.length > 0 ? 'warning' : 'info';
}
