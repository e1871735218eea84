import { defineRule } from '../src/engine/types.js';
import { predictHandshakeCached } from '../src/interop/predict-memo.js';
import { outboundRouting } from '../src/model/routing.js';
import { clientTlsPolicy } from '../src/model/client-tls.js';
import type { ConfigModel } from '../src/model/config.js';
import type { ParamNode } from '../src/parser/main-cf.js';
import type { PeerProfile, Prediction } from '../src/interop/types.js';
import { effectivePolicy, restoringEntry } from '../src/interop/remedy.js';
import { describeSetting } from '../src/engine/helpers.js';

/**
 * The setting most responsible for a failed prediction, to anchor the finding on: a main.cf definition,
 * or a parameter a master.cf -o or a policy attribute sets (the whole-config linter moves it there).
 */
function culprit(model: ConfigModel, p: Prediction): { name: string; node?: ParamNode } | undefined {
  const policy = effectivePolicy(model);
  const reason = p.reason;
  const pick = (...names: string[]) => {
    const name = names.find((n) => n !== '' && model.isSet(n));
    return name === undefined ? undefined : { name, node: model.definition(name) };
  };
  if (/no common protocol|enables no protocol|rejects smtp_tls_(mandatory_)?protocols/.test(reason)) return pick(policy.protocolsParam);
  if (/cipher|exclusion|grade/.test(reason)) {
    return pick(...policy.exclusions.filter((e) => e.tokens.length > 0).map((e) => e.param), policy.gradeParam, policy.cipherlistParam ?? '');
  }
  if (/legacy sigalg|security level|SECLEVEL/i.test(reason)) return pick('smtp_tls_security_level', policy.cipherlistParam ?? '');
  return pick('smtp_tls_security_level', 'smtp_enforce_tls', 'smtp_use_tls');
}

/** Failures whose cause is an invalid setting another rule reports (one root cause, one finding). */
const CONFIG_ERROR = /^(?:level dane without usable TLSA records for this peer \(assumed\) acts as may\. )?(?:Postfix rejects|invalid cipher grade|"invalid unary|OpenSSL rejects the cipher list|Postfix enables no protocol|no session:)/;

/** Where to send the admin for peers that get no TLS: a per-destination entry the predictor checked, or why there is none. */
function remedyFor(model: ConfigModel, peers: readonly PeerProfile[]): string {
  const level = clientTlsPolicy(model, 'smtp').level;
  const entry = level ? restoringEntry(model, level, peers) : null;
  if (!entry) {
    return 'No per-destination protocols=, exclude= or ciphers= setting restores TLS with such a server (see `postfix-tls-lint handshake` for the reasons).';
  }
  return `For a destination whose MX is such a server, the policy entry "DESTINATION ${entry.value}" in smtp_tls_policy_maps restores TLS (checked with the same prediction); \`postfix-tls-lint handshake PATH --destination DESTINATION --diff\` writes it.`;
}

export default defineRule({
  meta: {
    id: 'peer-handshake-failure',
    category: 'interop',
    defaultSeverity: 'warning',
    description: 'The SMTP client should complete a TLS handshake with the common mail servers of the default peer set.',
    why: 'Each finding is a prediction from the offline handshake model: the protocols and cipher suites the configured Postfix client offers (built the way Postfix builds them) against a profile of a real server (Exchange on its Windows versions, Exchange Online, Gmail, Java MTAs). When they share no protocol or cipher, mail to such servers is deferred, and at level may it then goes out in plaintext. Peers that fail for the same setting are one finding. `postfix-tls-lint handshake PATH` shows the full table; the confirm command checks the prediction against a live server.',
    parameters: [
      'smtp_tls_security_level',
      'smtp_tls_protocols',
      'smtp_tls_mandatory_protocols',
      'smtp_tls_ciphers',
      'smtp_tls_mandatory_ciphers',
      'smtp_tls_exclude_ciphers',
      'smtp_tls_mandatory_exclude_ciphers',
      'tls_medium_cipherlist',
      'tls_high_cipherlist',
    ],
    fixable: false,
    summaries: {
      failsPlaintext: 'no TLS with {{peers}} (plaintext after a failed handshake): {{cause}}',
      failsDeferred: 'no TLS with {{peers}} (mail stays deferred): {{cause}}',
    },
    messages: {
      failsPlaintext:
        'No TLS with {{peers}} ({{count}} of the {{total}} peer profiles checked) because of {{cause}}: {{details}} {{remedy}}',
      failsDeferred:
        'No TLS with {{peers}} ({{count}} of the {{total}} peer profiles checked) because of {{cause}}: {{details}} Such mail stays deferred and eventually bounces. {{remedy}}',
    },
    references: [
      { title: 'TLS_README: Opportunistic TLS (plaintext retry after a failed handshake)', url: 'https://www.postfix.org/TLS_README.html#client_tls_may' },
      { title: 'postconf(5): smtp_tls_protocols, smtp_tls_exclude_ciphers', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_protocols' },
      { title: 'Microsoft: TLS 1.2 support for Exchange Server (Exchange Server TLS guidance)', url: 'https://learn.microsoft.com/en-us/exchange/exchange-tls-configuration' },
      { title: 'Peer profiles shipped in data/peers/ (sources listed per profile)' },
      { title: 'docs/predictions.md: predictions per profile' },
    ],
  },
  check({ model, facts, report }) {
    const peers = facts.peers ?? [];
    if (peers.length === 0) return;
    // Mail to one smarthost never meets these peers; the internet does.
    if (outboundRouting(model).kind !== 'internet') return;
    const groups = new Map<string, { cause?: { name: string; node?: ParamNode }; deferred: boolean; failed: { peer: PeerProfile; p: Prediction }[] }>();
    for (const peer of peers) {
      const p = predictHandshakeCached(model, peer);
      if (p.outcome !== 'handshake-failure' && p.outcome !== 'verification-failure') continue;
      if (CONFIG_ERROR.test(p.reason)) continue;
      const deferred = p.delivery === 'deferred';
      const cause = culprit(model, p);
      const key = `${cause?.name ?? ''}\0${deferred}`;
      const g = groups.get(key) ?? { cause, deferred, failed: [] };
      g.failed.push({ peer, p });
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const ids = g.failed.map((f) => f.peer.id);
      const details = g.failed.map((f, i) => `${g.failed.length > 1 ? `(${i + 1}) ` : ''}${f.peer.id} (${f.peer.description}): ${f.p.outcome}; ${f.p.reason}${f.p.uncertain ? ` (${f.p.uncertain}.)` : ''}`).join(' ');
      report({
        messageId: g.deferred ? 'failsDeferred' : 'failsPlaintext',
        data: {
          peers: ids.join(', '),
          peerIds: ids.join(', '),
          count: ids.length,
          total: peers.length,
          cause: describeSetting(model, g.cause?.name ?? 'smtp_tls_security_level'),
          details,
          remedy: remedyFor(model, g.failed.map((f) => f.peer)),
        },
        parameter: g.cause?.name ?? 'smtp_tls_security_level',
        node: g.cause?.node,
        severity: g.deferred ? 'error' : 'warning',
        confirm: g.failed[0].p.confirm,
      });
    }
  },
});
