import { defineRule } from '../src/engine/types.js';
import { predictHandshakeCached } from '../src/interop/predict-memo.js';
import { outboundRouting } from '../src/model/routing.js';
import { clientTlsPolicy } from '../src/model/client-tls.js';
import type { ConfigModel } from '../src/model/config.js';
import type { ParamNode } from '../src/parser/main-cf.js';
import type { Prediction } from '../src/interop/types.js';

/** The definition most responsible for a failed prediction, to anchor the finding on. */
function culprit(model: ConfigModel, p: Prediction): ParamNode | undefined {
  const policy = clientTlsPolicy(model, 'smtp');
  const reason = p.reason;
  const pick = (...names: string[]) => names.map((n) => model.definition(n)).find(Boolean);
  if (/no common protocol|enables no protocol|rejects smtp_tls_(mandatory_)?protocols/.test(reason)) return pick(policy.protocolsParam);
  if (/cipher|exclusion|grade/.test(reason)) {
    return pick(...policy.exclusions.map((e) => e.param), policy.gradeParam, policy.cipherlistParam ?? '');
  }
  if (/legacy sigalg|security level|SECLEVEL/i.test(reason)) return pick('smtp_tls_security_level', policy.cipherlistParam ?? '');
  return pick('smtp_tls_security_level', 'smtp_enforce_tls', 'smtp_use_tls');
}

export default defineRule({
  meta: {
    id: 'peer-handshake-failure',
    category: 'interop',
    defaultSeverity: 'warning',
    description: 'The SMTP client should complete a TLS handshake with the common mail servers of the default peer set.',
    why: 'Each finding is a prediction from the offline handshake model: the protocols and cipher suites the configured Postfix client offers (built the way Postfix builds them) against a profile of a real server (Exchange on its Windows versions, Exchange Online, Gmail, Java MTAs). When they share no protocol or cipher, mail to such servers is deferred, and at level may it then goes out in plaintext. `postfix-tls-lint handshake PATH` shows the full table; the confirm command checks the prediction against a live server.',
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
    messages: {
      failsPlaintext:
        '{{peer}} ({{description}}): {{outcome}}; mail to such servers is deferred, then sent in plaintext on a later attempt. {{reason}}',
      failsDeferred: '{{peer}} ({{description}}): {{outcome}}; mail to such servers stays deferred and eventually bounces. {{reason}}',
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
    for (const peer of peers) {
      const p = predictHandshakeCached(model, peer);
      if (p.outcome !== 'handshake-failure' && p.outcome !== 'verification-failure') continue;
      const deferred = p.delivery === 'deferred';
      const node = culprit(model, p);
      report({
        messageId: deferred ? 'failsDeferred' : 'failsPlaintext',
        data: { peer: peer.id, description: peer.description, outcome: p.outcome, reason: p.reason },
        parameter: node?.name ?? 'smtp_tls_security_level',
        node,
        severity: deferred ? 'error' : 'warning',
        confirm: p.confirm,
      });
    }
  },
});
