/**
 * Where outbound mail goes, as far as main.cf tells: to one smarthost
 * (relayhost, or a default_transport with a fixed next hop) or to whatever MX
 * the recipient domain has on the internet.
 */
import type { ConfigModel } from './config.js';
import type { ParamNode } from '../parser/main-cf.js';

export type Routing =
  | { readonly kind: 'smarthost'; readonly nexthop: string; readonly param: string; readonly node?: ParamNode }
  | { readonly kind: 'internet' }
  | { readonly kind: 'no-outbound'; readonly param: string; readonly node?: ParamNode };

export function outboundRouting(model: ConfigModel): Routing {
  const relayhost = model.value('relayhost').trim();
  if (relayhost) return { kind: 'smarthost', nexthop: relayhost, param: 'relayhost', node: model.definition('relayhost') };
  const transport = model.value('default_transport').trim();
  const colon = transport.indexOf(':');
  const service = colon === -1 ? transport : transport.slice(0, colon);
  const nexthop = colon === -1 ? '' : transport.slice(colon + 1);
  if (service === 'error' || service === 'discard') {
    return { kind: 'no-outbound', param: 'default_transport', node: model.definition('default_transport') };
  }
  if (nexthop) return { kind: 'smarthost', nexthop, param: 'default_transport', node: model.definition('default_transport') };
  return { kind: 'internet' };
}

/** A `[host]` or `[host]:port` nexthop as posttls-finger takes it. */
export function fingerTarget(nexthop: string): string {
  return nexthop.split(/[\s,]+/)[0] || '[mx.example.net]';
}
