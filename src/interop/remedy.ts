/**
 * Remedies the predictor has checked: a change is only proposed when the
 * same prediction that found the failure says the change restores TLS with
 * the peers it names. Pure.
 *
 * - peerForDestination: a peer profile as the server of one destination (a
 *   policy entry is judged against its own next hop and names, not the
 *   profile's example domain);
 * - restoringEntry: the smallest per-destination policy value that gives a set
 *   of peers TLS;
 * - restoringMainChange: the smallest set of main.cf changes (protocol floor,
 *   cipher exclusions, grade) that gives a set of peers TLS, all causes at once.
 */
import type { ConfigModel } from '../model/config.js';
import { clientLevel, clientTlsPolicy, type ClientTlsPolicy } from '../model/client-tls.js';
import { PROTOCOL_WIRE_VERSION, supportsProtocolRanges, type ClientSecurityLevel } from '../model/values/index.js';
import { parsePolicyValue, policyOverrides } from '../policy/entry.js';
import { destinationForm, nexthopHost } from '../policy/lookup.js';
import { predictHandshakeCached } from './predict-memo.js';
import type { PeerProfile, Prediction } from './types.js';

const variants = new Map<string, WeakMap<PeerProfile, PeerProfile>>();

/**
 * The peer as the server of `destination` (a policy table key): its MX host and certificate names are the
 * destination's, since the entry's name checks were written for that destination, not for the profile's
 * example domain. Protocols, suites, groups and trust stay the profile's.
 */
export function peerForDestination(peer: PeerProfile, destination: string): PeerProfile {
  let byPeer = variants.get(destination);
  if (!byPeer) {
    if (variants.size > 1000) variants.clear();
    variants.set(destination, (byPeer = new WeakMap()));
  }
  const known = byPeer.get(peer);
  if (known) return known;
  const form = destinationForm(destination);
  const host = nexthopHost(destination).toLowerCase();
  const domainLike = form === 'domain' || form === 'parent-domain';
  const hostname = domainLike ? `mx.${host}` : host;
  const variant: PeerProfile = {
    ...peer,
    hostname,
    nexthop: host,
    ...(peer.certificate ? { certificate: { ...peer.certificate, names: domainLike ? [hostname, host] : [host] } } : {}),
  };
  byPeer.set(peer, variant);
  return variant;
}

export const tlsFor = (model: ConfigModel, peers: readonly PeerProfile[]): Prediction[] => peers.map((p) => predictHandshakeCached(model, p));
const allTls = (ps: readonly Prediction[]) => ps.every((p) => p.delivery === 'tls');

export interface EntryRemedy {
  /** The policy value, e.g. "may protocols=>=TLSv1 exclude=". */
  readonly value: string;
  readonly predictions: readonly Prediction[];
}

/**
 * The smallest per-destination policy value at `level` that gives every peer TLS: protocols=>=TLSv1,
 * then an empty exclude=, then both, then also ciphers=medium. `kept` attributes (match=, tafile=) are
 * carried over. Null when none does.
 */
export function restoringEntry(
  base: ConfigModel,
  level: ClientSecurityLevel,
  peers: readonly PeerProfile[],
  kept: readonly string[] = [],
  /** Attribute sets to try after the level instead of the default ones. */
  tried?: readonly (readonly string[])[],
): EntryRemedy | null {
  if (level === 'none' || peers.length === 0) return null;
  const protocols = supportsProtocolRanges(base.version) ? 'protocols=>=TLSv1' : 'protocols=!SSLv2:!SSLv3';
  const candidates = tried ?? [[protocols], ['exclude='], [protocols, 'exclude='], [protocols, 'exclude=', 'ciphers=medium']];
  for (const attrs of candidates) {
    const value = [level, ...attrs, ...kept].join(' ');
    const parsed = parsePolicyValue(value, base.version);
    if (!parsed.valid) continue;
    const values = new Map<string, string>();
    for (const [k, v] of policyOverrides(parsed, 'smtp')) values.set(k, v.value);
    const predictions = tlsFor(base.withOverrides(values), peers);
    if (allTls(predictions)) return { value, predictions };
  }
  return null;
}

/** The client policy a handshake with a peer without TLSA records uses (dane acts as may). */
export function effectivePolicy(model: ConfigModel): ClientTlsPolicy {
  const level = clientLevel(model, 'smtp').level;
  return clientTlsPolicy(model, 'smtp', level === 'dane' ? 'may' : undefined);
}

/** One main.cf change a global remedy may make. */
export interface MainChange {
  readonly param: string;
  readonly value: string;
  /** What it does, in a few words ("lower smtp_tls_protocols to >=TLSv1"). */
  readonly words: string;
  /** The exclusion token it removes, for exclusion changes. */
  readonly token?: string;
  /** For exclusion changes: the list's tokens before any change. */
  readonly listTokens?: readonly string[];
}

/**
 * Bound on the changes besides the required ones that the search combines (a real list has a few
 * tokens; a hostile one with thousands would make the pair search quadratic in predictions).
 */
const MAX_SEARCHED_CHANGES = 64;

/** The single changes that can undo a configured cause of failure: the floor, each exclusion token, a "high" grade. */
export function candidateChanges(model: ConfigModel): MainChange[] {
  const policy = effectivePolicy(model);
  const out: MainChange[] = [];
  const floor = policy.protocols.ok ? policy.protocols.min : null;
  if (floor && PROTOCOL_WIRE_VERSION[floor] > PROTOCOL_WIRE_VERSION.TLSv1) {
    const value = supportsProtocolRanges(model.version) ? '>=TLSv1' : '!SSLv2, !SSLv3';
    out.push({ param: policy.protocolsParam, value, words: `lower ${policy.protocolsParam} to ${value}` });
  }
  for (const e of policy.exclusions) {
    // One change per distinct token, removing every copy of it (removing one of two copies changes nothing).
    const texts = e.tokens.map((t) => t.text);
    for (const text of new Set(texts)) {
      out.push({
        param: e.param,
        // Built only for the changes tried, so a list of n tokens costs n, not n².
        get value() {
          return texts.filter((x) => x !== text).join(', ');
        },
        token: text,
        words: `remove ${text} from ${e.param}`,
        listTokens: texts,
      });
    }
  }
  if (policy.grade.grade === 'high') out.push({ param: policy.gradeParam, value: 'medium', words: `set ${policy.gradeParam} = medium` });
  return out;
}

function apply(model: ConfigModel, changes: readonly MainChange[]): ConfigModel {
  const values = new Map<string, string>();
  const removed = new Map<string, { tokens: readonly string[]; texts: Set<string> }>();
  for (const c of changes) {
    if (c.token === undefined || c.listTokens === undefined) {
      values.set(c.param, c.value);
      continue;
    }
    // Several tokens of one exclusion list: remove them all, in one pass over the list.
    const r = removed.get(c.param);
    if (r) r.texts.add(c.token);
    else removed.set(c.param, { tokens: c.listTokens, texts: new Set([c.token]) });
  }
  for (const [param, r] of removed) values.set(param, r.tokens.filter((t) => !r.texts.has(t)).join(', '));
  return model.withOverrides(values);
}

export interface MainRemedy {
  readonly changes: readonly MainChange[];
  /** The peers the changes give TLS (all of the target peers). */
  readonly restored: readonly PeerProfile[];
}

function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  const out: T[][] = [];
  items.forEach((x, i) => {
    for (const rest of subsets(items.slice(i + 1), size - 1)) out.push([x, ...rest]);
  });
  return out;
}

/**
 * The smallest set of main.cf changes that includes `required` (a rule's own change) and gives TLS to
 * every failing peer whose failure `required` is part of: peers that all candidate changes together
 * restore, but not the candidates without `required`. Null when there is no such peer, or when no set of
 * at most three changes restores them all.
 */
export function restoringMainChange(model: ConfigModel, peers: readonly PeerProfile[], isRequired: (c: MainChange) => boolean): MainRemedy | null {
  const failing = peers.filter((p) => predictHandshakeCached(model, p).delivery !== 'tls');
  if (failing.length === 0) return null;
  const all = candidateChanges(model);
  const required = all.filter(isRequired);
  if (required.length === 0) return null;
  const others = all.filter((c) => !isRequired(c));
  const withAll = apply(model, all);
  const withoutRequired = apply(model, others);
  const target = failing.filter((p) => predictHandshakeCached(withAll, p).delivery === 'tls' && predictHandshakeCached(withoutRequired, p).delivery !== 'tls');
  if (target.length === 0) return null;
  const searched = others.slice(0, MAX_SEARCHED_CHANGES);
  for (let extra = 0; extra <= Math.min(2, searched.length); extra++) {
    for (const more of subsets(searched, extra)) {
      const changes = [...required, ...more];
      if (allTls(tlsFor(apply(model, changes), target))) return { changes, restored: target };
    }
  }
  return null;
}

/** "lower smtp_tls_protocols to >=TLSv1 and remove SHA1 from smtp_tls_exclude_ciphers". */
export function changeWords(changes: readonly MainChange[]): string {
  const w = changes.map((c) => c.words);
  return w.length <= 1 ? w.join('') : `${w.slice(0, -1).join(', ')} and ${w[w.length - 1]}`;
}
