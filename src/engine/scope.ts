/**
 * What a finding means depends on whose setting it is (issue 13, classes 7, 12 and 13):
 * - strictness chosen for one transport or destination is reported as a warning at most;
 * - the same finding for many entries of one table is one finding;
 * - a main.cf finding about peers that a policy entry already serves says so (info).
 */
import type { Finding, RelatedLocation, Severity } from './types.js';
import type { WholeConfig } from '../model/whole-config.js';
import { entryModel, entryPolicy } from '../model/whole-config.js';
import type { PeerProfile } from '../interop/types.js';
import { peerForDestination, tlsFor } from '../interop/remedy.js';

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** The finding at `max` severity at most. */
export function capSeverity(f: Finding, max: Severity): Finding {
  return RANK[f.severity] > RANK[max] ? { ...f, severity: max } : f;
}

/**
 * Severity of a finding about a service that is not the default transport, or about a policy entry: interop
 * findings there are about a choice made for one transport or destination, so a warning at most; handshake
 * predictions for an entry are about servers the destination may not even run, so information.
 */
export function capForScope(f: Finding, scope: 'service' | 'entry'): Finding {
  if (f.category !== 'interop') return f;
  if (scope === 'entry' && f.ruleId === 'peer-handshake-failure') return capSeverity(f, 'info');
  return capSeverity(f, 'warning');
}

export interface EntryFinding {
  readonly finding: Finding;
  /** The prefix relocate() put before the message ('policy for "x": '). */
  readonly prefix: string;
  readonly key: string;
  readonly table: string;
}

/** One finding for the entries of a table that drew the same finding (same rule, text and severity, no fix). */
export function mergeEntryFindings(items: readonly EntryFinding[]): Finding[] {
  const groups = new Map<string, EntryFinding[]>();
  const out: (Finding | string)[] = [];
  for (const it of items) {
    const f = it.finding;
    if (f.fix) {
      out.push(f);
      continue;
    }
    // The confirm command names each entry's destination: the merged finding keeps the first one's.
    const k = [it.table, f.ruleId, f.messageId, f.severity, f.message.slice(it.prefix.length)].join('\0');
    const g = groups.get(k);
    if (g) g.push(it);
    else {
      groups.set(k, [it]);
      out.push(k);
    }
  }
  return out.map((x) => {
    if (typeof x !== 'string') return x;
    const g = groups.get(x)!;
    const first = g[0];
    if (g.length === 1) return first.finding;
    const keys = g.map((e) => `"${e.key}"`);
    const shown = keys.length <= 4 ? `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}` : `${keys.slice(0, 3).join(', ')} and ${keys.length - 3} more`;
    const prefix = `policies for ${shown}: `;
    const related: RelatedLocation[] = [
      ...first.finding.related,
      ...g.slice(1).map((e) => ({ file: e.finding.file, line: e.finding.line, column: e.finding.column, endLine: e.finding.endLine, endColumn: e.finding.endColumn, message: `the same for "${e.key}"` })),
    ];
    return {
      ...first.finding,
      message: prefix + first.finding.message.slice(first.prefix.length),
      summary: prefix + first.finding.summary.slice(first.prefix.length),
      related,
    };
  });
}

/** Rules whose main.cf findings name the peers they are about (data.peerIds). */
const PEER_RULES: ReadonlySet<string> = new Set(['peer-handshake-failure', 'opportunistic-protocol-floor', 'costly-cipher-exclusion']);

/**
 * A main.cf finding about peers (data.peerIds) that a policy entry gives TLS: the admin already made the
 * per-destination exception, so the finding says which entry and becomes information.
 */
export function resolvedByEntries(findings: readonly Finding[], config: WholeConfig, peers: readonly PeerProfile[]): Finding[] {
  const entries = config.tables
    .filter((t) => t.prefix === 'smtp' && !t.service)
    .flatMap((t) =>
      t.entries.flatMap((entry) => {
        if (!entry.effective || entry.matchesAll) return [];
        const policy = entryPolicy(t, entry);
        if (!policy.valid || policy.level === 'none') return [];
        return [{ entry, model: entryModel(t, entry, policy).model, file: t.entryFile ?? t.ref.spec }];
      }),
    );
  if (entries.length === 0) return [...findings];
  return findings.map((f) => {
    if (!PEER_RULES.has(f.ruleId) || f.file !== config.main.path) return f;
    const ids = String(f.data.peerIds ?? '').split(', ').filter(Boolean);
    const named = peers.filter((p) => ids.includes(p.id));
    if (named.length === 0) return f;
    for (const e of entries) {
      const served = named.map((p) => peerForDestination(p, e.entry.key));
      if (!tlsFor(e.model, served).every((p) => p.delivery === 'tls')) continue;
      const note = ` The policy entry for "${e.entry.key}" (${e.file}, line ${e.entry.line}) gives ${named.map((p) => p.id).join(', ')} TLS (predicted), so for that destination this is handled; only other destinations with such servers are still affected.`;
      return { ...f, severity: 'info' as const, message: f.message + note, summary: `${f.summary} (handled for "${e.entry.key}" by its policy entry)` };
    }
    return f;
  });
}
