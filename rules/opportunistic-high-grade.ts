import { defineRule } from '../src/engine/types.js';
import { clientTlsPolicy } from '../src/model/client-tls.js';
import { outboundRouting, fingerTarget } from '../src/model/routing.js';
import { replaceValue } from '../src/fixer/edits.js';
import { fingerCommand } from '../src/engine/helpers.js';
import { evaluateCipherString } from '../src/ciphers/evaluate.js';
import type { ConfigModel } from '../src/model/config.js';

/** What the medium grade adds over high with this configuration's cipher lists, in words. */
function mediumOnlySuites(model: ConfigModel, opensslVersion: number): string {
  if (opensslVersion < 3) {
    return 'medium adds the MEDIUM-strength suites (3DES, SEED, IDEA, RC4 where OpenSSL 1.1.1 still has them)';
  }
  const high = evaluateCipherString(model.value('tls_high_cipherlist'), { securityLevel: 0 });
  const medium = evaluateCipherString(model.value('tls_medium_cipherlist'), { securityLevel: 0 });
  if (!high.ok || !medium.ok) return 'medium adds the MEDIUM-strength suites';
  const inHigh = new Set(high.suites.map((s) => s.name));
  const extra = medium.suites.filter((s) => !inHigh.has(s.name)).map((s) => s.name);
  if (extra.length === 0) {
    return 'with OpenSSL 3 the medium list adds no suite today (3DES, RC4, SEED and IDEA are not built in), so the cost appears with another TLS library or changed cipher lists';
  }
  return `medium adds ${extra.length} suite${extra.length === 1 ? '' : 's'} (${extra.slice(0, 4).join(', ')}${extra.length > 4 ? ', ...' : ''})`;
}

export default defineRule({
  meta: {
    id: 'opportunistic-high-grade',
    category: 'interop',
    defaultSeverity: 'info',
    description: 'The opportunistic client grade (smtp_tls_ciphers) should stay "medium"; choose "high" per destination in the TLS policy table.',
    why: 'At level may a failed handshake is retried in plaintext, so demanding "high" ciphers from every server on the internet does not add security: peers that only have medium-strength ciphers (Exchange 2003-era servers with 3DES or RC4) end up receiving mail unencrypted. Postfix documentation recommends the "high" grade only for specific destinations, through smtp_tls_policy_maps.',
    parameters: ['smtp_tls_ciphers', 'smtp_tls_security_level', 'tls_high_cipherlist', 'tls_medium_cipherlist'],
    fixable: true,
    messages: {
      high: 'smtp_tls_ciphers = high at level {{level}}: servers that only offer medium-strength ciphers (Exchange 2003-era peers with 3DES or RC4 only) cannot negotiate TLS, and opportunistic delivery retries them in plaintext; {{extra}}. Keep smtp_tls_ciphers = medium and require "high" per destination with a policy entry such as "example.com encrypt ciphers=high"',
    },
    references: [
      { title: 'FORWARD_SECRECY_README: Getting started (client): choose "high" per destination', url: 'https://www.postfix.org/FORWARD_SECRECY_README.html#client_fs' },
      { title: 'postconf(5): smtp_tls_ciphers', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_ciphers' },
      { title: 'postconf(5): smtp_tls_policy_maps', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_policy_maps' },
      { title: 'RFC 7435: Opportunistic Security', url: 'https://www.rfc-editor.org/rfc/rfc7435' },
    ],
  },
  check({ model, facts, report }) {
    const routing = outboundRouting(model);
    if (routing.kind === 'no-outbound') return;
    const policy = clientTlsPolicy(model, 'smtp');
    // dane falls back to may (and its opportunistic knobs) for servers without TLSA records.
    if (policy.level !== 'may' && policy.level !== 'dane') return;
    const node = model.definition('smtp_tls_ciphers');
    if (!node) return;
    const grade = policy.level === 'may' ? policy.grade.grade : null;
    if ((grade ?? model.value('smtp_tls_ciphers').toLowerCase()) !== 'high') return;
    report({
      messageId: 'high',
      data: { level: policy.level, extra: mediumOnlySuites(model, facts.opensslVersion) },
      parameter: 'smtp_tls_ciphers',
      node,
      fix: { kind: 'interop', description: 'set smtp_tls_ciphers = medium', edits: [replaceValue(model.file, node, 'medium')] },
      confirm: fingerCommand({ level: 'may', grade: 'high', target: routing.kind === 'smarthost' ? fingerTarget(routing.nexthop) : undefined }),
    });
  },
});
