import { defineRule } from '../src/engine/types.js';
import { clientTlsPolicy } from '../src/model/client-tls.js';
import { outboundRouting, fingerTarget } from '../src/model/routing.js';
import { replaceValue } from '../src/fixer/edits.js';
import { fingerCommand } from '../src/engine/helpers.js';
import { evaluateCipherString, usableSuites, type Suite } from '../src/ciphers/evaluate.js';
import { predictHandshakeCached } from '../src/interop/predict-memo.js';
import type { ConfigModel } from '../src/model/config.js';

/** TLS 1.2-and-older suites the client offers at level may with this grade (exclusions included); null when a list is invalid. */
function offered(model: ConfigModel, grade: 'high' | 'medium'): Suite[] | null {
  const policy = clientTlsPolicy(model.withOverrides(new Map([['smtp_tls_ciphers', grade]])), 'smtp', 'may');
  if (!policy.cipherString) return null;
  const r = evaluateCipherString(policy.cipherString, { securityLevel: 0 });
  return r.ok ? usableSuites(r).filter((s) => !s.tls13) : null;
}

interface Comparison {
  /** Suites medium offers that high does not (anonymous ones last, as examples go). */
  readonly added: readonly Suite[];
  readonly removed: readonly Suite[];
}

/** The effective suite lists of the two grades, compared (custom tls_*_cipherlist and exclusions included). */
function compareGrades(model: ConfigModel): Comparison | null {
  const high = offered(model, 'high');
  const medium = offered(model, 'medium');
  if (!high || !medium) return null;
  const inHigh = new Set(high.map((s) => s.name));
  const inMedium = new Set(medium.map((s) => s.name));
  const added = medium.filter((s) => !inHigh.has(s.name)).sort((a, b) => Number(a.au === 'aNULL') - Number(b.au === 'aNULL'));
  return { added, removed: high.filter((s) => !inMedium.has(s.name)) };
}

function names(suites: readonly Suite[]): string {
  return `${suites.slice(0, 4).map((s) => s.name).join(', ')}${suites.length > 4 ? ', ...' : ''}`;
}

export default defineRule({
  meta: {
    id: 'opportunistic-high-grade',
    category: 'interop',
    defaultSeverity: 'info',
    description: 'The opportunistic client grade (smtp_tls_ciphers) should stay "medium"; choose "high" per destination in the TLS policy table.',
    why: 'At level may a failed handshake is retried in plaintext, so demanding "high" ciphers from every server on the internet does not add security: peers that only have medium-strength ciphers (Exchange 2003-era servers with 3DES or RC4) end up receiving mail unencrypted. Postfix documentation recommends the "high" grade only for specific destinations, through smtp_tls_policy_maps.',
    parameters: ['smtp_tls_ciphers', 'smtp_tls_security_level', 'tls_high_cipherlist', 'tls_medium_cipherlist', 'smtp_tls_exclude_ciphers'],
    fixable: true,
    summaries: {
      high: 'smtp_tls_ciphers = high at level {{level}} refuses suites the medium grade would offer',
    },
    messages: {
      high: 'smtp_tls_ciphers = high at level {{level}}: {{extra}}. Servers that need one of those suites cannot negotiate TLS with this client, and opportunistic delivery retries them in plaintext. Keep smtp_tls_ciphers = medium and require "high" per destination with a policy entry such as "example.com encrypt ciphers=high"',
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
    if (model.value('smtp_tls_ciphers').toLowerCase() !== 'high') return;
    let extra: string;
    const customLists = model.resolve('tls_medium_cipherlist')?.source !== 'default' || model.resolve('tls_high_cipherlist')?.source !== 'default';
    if (facts.opensslVersion < 3 && !customLists) {
      extra = 'with OpenSSL 1.1.1 medium adds the MEDIUM-strength suites (3DES, SEED, IDEA; RC4 where the build still has it), which Exchange 2003-era servers need';
    } else {
      // Advice only where the effective lists differ: medium must add a suite and lose none a peer needs.
      const cmp = compareGrades(model);
      if (!cmp || cmp.added.length === 0) return;
      extra = `medium adds ${cmp.added.length} suite${cmp.added.length === 1 ? '' : 's'} (${names(cmp.added)})${cmp.removed.length > 0 ? ` and drops ${cmp.removed.length} (${names(cmp.removed)})` : ''}`;
    }
    const peers = facts.peers ?? [];
    const asMedium = model.withOverrides(new Map([['smtp_tls_ciphers', 'medium']]));
    const lost = peers.filter((p) => predictHandshakeCached(model, p).delivery === 'tls' && predictHandshakeCached(asMedium, p).delivery !== 'tls');
    // Never advise what the predictor says loses a peer (a custom tls_medium_cipherlist may be narrower than high).
    if (lost.length > 0) return;
    const gained = peers.filter((p) => predictHandshakeCached(model, p).delivery !== 'tls' && predictHandshakeCached(asMedium, p).delivery === 'tls');
    const gains = gained.length > 0 ? `; with medium, ${gained.map((p) => p.id).join(', ')} would get TLS again (predicted)` : '';
    report({
      messageId: 'high',
      data: { level: policy.level, extra: extra + gains },
      parameter: 'smtp_tls_ciphers',
      node,
      fix: { kind: 'interop', description: 'set smtp_tls_ciphers = medium', edits: [replaceValue(model.file, node, 'medium')] },
      confirm: fingerCommand({ level: 'may', grade: 'high', target: routing.kind === 'smarthost' ? fingerTarget(routing.nexthop) : undefined }),
    });
  },
});
