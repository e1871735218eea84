import { defineRule } from '../src/engine/types.js';
import type { ParamNode } from '../src/parser/main-cf.js';
import { editDistance } from '../src/engine/helpers.js';
import { catalogueNames, existsIn, getParameter, isPrintedByPostconfN, parameterNames } from '../src/model/catalogue/index.js';
import { compareVersions } from '../src/model/version.js';
import { boundedMemo } from '../src/util/memo.js';
import { isWeaker, securityPosture } from '../src/model/security-posture.js';

/** Queue-manager names that a master.cf service named "<something tls>" would make valid; main.cf alone cannot tell. */
const SERVICE_SUFFIX =
  /_(recipient_limit|extra_recipient_limit|recipient_refill_limit|recipient_refill_delay|delivery_slot_cost|delivery_slot_loan|delivery_slot_discount|minimum_delivery_slots|initial_destination_concurrency|destination_concurrency_limit|destination_recipient_limit|destination_concurrency_positive_feedback|destination_concurrency_negative_feedback|destination_concurrency_failed_cohort_limit|destination_rate_delay|transport_rate_delay|time_limit)$/;

/** Known names at the smallest edit distance (at most 3); more than one means the suggestion is ambiguous. */
// The names that exist in a release (all of them, not only TLS ones): the same list for every file of a run.
const candidatesByVersion = new Map<string, readonly string[]>();
function candidatesFor(version: string): readonly string[] {
  let names = candidatesByVersion.get(version);
  if (!names) {
    const all = parameterNames(version);
    // Before the oldest release of the parameter table, only the TLS catalogue knows what exists.
    names = all.length > 0 ? all : catalogueNames().filter((n) => existsIn(n, version));
    if (candidatesByVersion.size >= 32) candidatesByVersion.clear();
    candidatesByVersion.set(version, names);
  }
  return names;
}

function nearestUncached(name: string, candidates: readonly string[]): readonly string[] {
  let best: string[] = [];
  let bestD = 4;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    // The distance is at least the length difference: skip names that cannot tie or win.
    if (Math.abs(c.length - lower.length) > bestD) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) [best, bestD] = [[c], d];
    else if (d === bestD) best.push(c);
  }
  return Object.freeze(best);
}

// A fleet repeats the same misspellings in thousands of files; the candidate
// list is one per version, so (version, name) is the whole input.
const nearestCached = boundedMemo(
  (name: string, candidates: readonly string[], _version: string) => nearestUncached(name, candidates),
  (name, _candidates, version) => `${version}\0${name}`,
);

export default defineRule({
  meta: {
    id: 'unknown-tls-parameter',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'TLS parameter names in main.cf must be names this Postfix version knows.',
    why: 'Postfix silently ignores a main.cf name it does not know; only postconf prints an "unused parameter" warning that few people read. A misspelt TLS setting therefore leaves the default in force (often no TLS at all), and a parameter from a newer Postfix release does nothing on an older one.',
    parameters: [],
    fixable: true,
    messages: {
      unknown: '{{name}} is not a Postfix {{version}} parameter: Postfix ignores it (postconf: "unused parameter"){{suggestion}}',
      notInVersion: '{{name}} does not exist in Postfix {{version}} (it exists from {{since}}): Postfix ignores the setting (postconf: "unused parameter"){{note}}',
      removed: '{{name}} no longer exists in Postfix {{version}} (removed in {{until}}): Postfix ignores the setting (postconf: "unused parameter"); remove the line',
    },
    references: [
      { title: 'postconf(1): "unused parameter" warnings for unknown main.cf names', url: 'https://www.postfix.org/postconf.1.html' },
      { title: 'postconf(5): parameter index', url: 'https://www.postfix.org/postconf.5.html' },
      { title: 'Postfix RELEASE_NOTES (version that introduced each parameter)' },
    ],
  },
  check({ model, report }) {
    const version = model.version;
    const fileParams = new Map<string, string>();
    for (const [name, defs] of model.definitions) fileParams.set(name, defs[defs.length - 1].value);
    for (const [name, defs] of model.definitions) {
      if (isPrintedByPostconfN(name, fileParams, version)) continue;
      const node = defs[defs.length - 1];
      const related = defs.slice(0, -1).map((d: ParamNode) => ({ node: d, message: `earlier definition of ${name}` }));
      const spec = getParameter(name);
      if (spec?.until !== undefined && compareVersions(version, spec.until) >= 0) {
        report({ messageId: 'removed', data: { name, version, until: spec.until }, parameter: name, node, related, severity: 'error' });
        continue;
      }
      if (spec) {
        const first = spec.defaults[0]?.from ?? spec.since;
        const since = compareVersions(spec.since, first) > 0 ? `${spec.since}, backported to ${first}` : first;
        const note = compareVersions(version, first) < 0 ? '; upgrade Postfix or remove the line' : '';
        report({ messageId: 'notInVersion', data: { name, version, since, note }, parameter: name, node, related, severity: 'error' });
        continue;
      }
      if (!/tls|ssl/i.test(name) || SERVICE_SUFFIX.test(name)) continue;
      const candidates = candidatesFor(version);
      const matches = nearestCached(name, candidates, version);
      let suggestion = '';
      let fix;
      if (name === 'tlsproxy_enable') {
        suggestion = '; tlsproxy(8) is enabled by its master.cf entry ("tlsproxy unix - - n - 0 tlsproxy"), not by a parameter';
      } else if (matches.length === 1) {
        const target = matches[0];
        suggestion = `; did you mean ${target}?`;
        if (!model.definitions.has(target)) {
          // Renaming switches on a value Postfix ignored so far: that is only "safe" when it weakens nothing.
          const renamed = model.withOverrides(new Map([[target, node.rawValue]]));
          const weaker = isWeaker(securityPosture(model), securityPosture(renamed));
          fix = {
            kind: weaker ? ('interop' as const) : ('safe' as const),
            description: weaker
              ? `rename ${name} to ${target} (this switches on ${target} = ${node.rawValue}, which is weaker than what is in force now)`
              : `rename ${name} to ${target}`,
            edits: defs.map((d) => ({ range: d.nameRange, text: target })),
          };
        }
      } else {
        // A truncated name ("smtpd_tls_cert") is better served by the one name it starts.
        const extended = candidates.filter((c) => c.startsWith(`${name}_`));
        if (extended.length === 1) suggestion = `; did you mean ${extended[0]}?`;
        else if (matches.length > 1) suggestion = `; did you mean one of ${matches.slice(0, 4).join(', ')}?`;
      }
      report({ messageId: 'unknown', data: { name, version, suggestion }, parameter: name, node, related, ...(fix ? { fix } : {}) });
    }
  },
});
