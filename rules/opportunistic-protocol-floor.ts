import { defineRule } from '../src/engine/types.js';
import { describeSetting, fingerCommand } from '../src/engine/helpers.js';
import { setParam } from '../src/fixer/edits.js';
import { fingerTarget, outboundRouting } from '../src/model/routing.js';
import { PROTOCOL_WIRE_VERSION, supportsProtocolRanges } from '../src/model/values/index.js';
import { protocolLists } from '../src/model/protocol-lists.js';
import { changeWords, restoringMainChange } from '../src/interop/remedy.js';
import { remedyEdits } from '../src/interop/remedy-fix.js';

// peer-profiles.md §0, §1, §2.2, §3: who cannot go above TLS 1.0 / has no TLS 1.3.
const TLS10_ONLY_PEERS =
  'Exchange 2010 on Windows Server 2008 R2 (TLS 1.1 and 1.2 are off by default there, so it speaks only TLS 1.0), Exchange 2010 before SP3 RU9 and Exchange 2013 before CU8 (SMTP fixed at TLS 1.0), Exchange 2007 and 2003, and older appliances and embedded MTAs';
const NO_TLS13_PEERS =
  'every Exchange 2013/2016/2019 server (SChannel has TLS 1.3 only from Windows Server 2022, and Exchange does not use it for SMTP), Exchange Online, and MTAs built on OpenSSL 1.0.2 such as RHEL/CentOS 7';

export default defineRule({
  meta: {
    id: 'opportunistic-protocol-floor',
    category: 'interop',
    defaultSeverity: 'warning',
    description: 'Opportunistic client TLS (level may, or dane without TLSA records) should not refuse TLS 1.0 and 1.1 globally.',
    why: 'At level may a failed handshake does not stop the mail: Postfix defers it and, once it has waited minimal_backoff_time, sends it again without TLS. Raising the opportunistic floor to TLS 1.2 or 1.3 therefore turns "TLS 1.0" into "plaintext" for every peer that cannot go higher, which is strictly worse. Require newer protocols per destination in smtp_tls_policy_maps instead.',
    parameters: ['smtp_tls_protocols', 'smtp_tls_security_level', 'relayhost', 'default_transport'],
    fixable: true,
    summaries: {
      floor: '{{setting}} refuses everything below {{floor}} for opportunistic TLS: TLS 1.0-only servers get plaintext',
      smarthost: '{{setting}} refuses everything below {{floor}} for opportunistic TLS to the relay {{nexthop}}',
    },
    messages: {
      floor:
        '{{setting}} refuses everything below {{floor}} for opportunistic TLS{{daneNote}}: handshakes fail with {{peers}}. Postfix defers such mail and, after minimal_backoff_time, sends it in PLAINTEXT, which is weaker than any TLS version it refused. Set smtp_tls_protocols = {{suggested}}{{also}} and require {{floor}} only for the destinations that need it, with per-destination entries in smtp_tls_policy_maps (e.g. "example.com encrypt protocols={{policyProtocols}}")',
      smarthost:
        '{{setting}} refuses everything below {{floor}} for opportunistic TLS to the relay {{nexthop}}: if the relay cannot negotiate {{floor}}, the handshake fails and mail to it goes out in PLAINTEXT after minimal_backoff_time. Check the relay with the command below; to insist on {{floor}} for it, make TLS mandatory for that relay (smtp_tls_security_level = encrypt and smtp_tls_mandatory_protocols) instead',
    },
    references: [
      { title: 'TLS_README: Opportunistic TLS (plaintext retry after a failed handshake)', url: 'https://www.postfix.org/TLS_README.html#client_tls_may' },
      { title: 'postconf(5): smtp_tls_protocols', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_protocols' },
      { title: 'Microsoft: Protocols in TLS/SSL (Schannel SSP) — TLS 1.1/1.2 disabled by default on Windows Server 2008 R2', url: 'https://learn.microsoft.com/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-' },
      { title: 'Microsoft KB3029667: SMTP is not transported over TLS 1.1 or TLS 1.2 in Exchange Server 2010' },
      { title: 'RFC 7435: Opportunistic Security', url: 'https://www.rfc-editor.org/rfc/rfc7435' },
    ],
  },
  check({ model, facts, report }) {
    const routing = outboundRouting(model);
    if (routing.kind === 'no-outbound') return;
    const list = protocolLists(model).find((l) => l.param === 'smtp_tls_protocols');
    if (!list || !list.inForce || list.source === 'default') return;
    const { parsed } = list;
    if (!parsed.ok || !parsed.min || PROTOCOL_WIRE_VERSION[parsed.min] <= PROTOCOL_WIRE_VERSION.TLSv1) return;
    const floor = parsed.min;
    const suggested = supportsProtocolRanges(model.version) ? '>=TLSv1' : '!SSLv2, !SSLv3';
    // The interop fix is offered only when the predictor says it gives TLS back to the peers this floor
    // blocks, with every other cause those peers hit changed too (e.g. an exclusion of SHA1).
    const remedy = restoringMainChange(model, facts.peers ?? [], (c) => c.param === 'smtp_tls_protocols');
    const also = remedy ? remedy.changes.filter((c) => c.param !== 'smtp_tls_protocols') : [];
    let fix = null;
    if (remedy) {
      // An override (master.cf -o, policy attribute) has no main.cf line: the whole-config linter moves a one-setting fix there.
      const edits = list.source === 'override' && also.length === 0 ? [setParam(model.file, 'smtp_tls_protocols', suggested, list.node)] : remedyEdits(model, remedy.changes);
      if (edits) {
        fix = {
          kind: 'interop' as const,
          description: `${changeWords(remedy.changes)}: gives ${remedy.restored.map((p) => p.id).join(', ')} TLS again (predicted); require ${floor} per destination in smtp_tls_policy_maps`,
          edits,
        };
      }
    }
    const setting = describeSetting(model, 'smtp_tls_protocols');
    if (routing.kind === 'smarthost') {
      report({
        messageId: 'smarthost',
        data: { setting, floor, nexthop: routing.nexthop },
        parameter: 'smtp_tls_protocols',
        node: list.node,
        severity: 'info',
        confirm: fingerCommand({ level: 'may', protocols: list.value, target: fingerTarget(routing.nexthop) }),
      });
      return;
    }
    const peers = floor === 'TLSv1.3' ? `${TLS10_ONLY_PEERS}, and also ${NO_TLS13_PEERS}` : TLS10_ONLY_PEERS;
    report({
      messageId: 'floor',
      data: {
        setting,
        floor,
        daneNote: list.level === 'dane' ? ' (level dane uses it for destinations without usable TLSA records)' : '',
        peers,
        suggested,
        also: also.length > 0 ? ` (and ${changeWords(also)}: that setting blocks the same peers)` : '',
        peerIds: remedy ? remedy.restored.map((p) => p.id).join(', ') : '',
        policyProtocols: supportsProtocolRanges(model.version) ? `>=${floor}` : ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'].filter((p) => PROTOCOL_WIRE_VERSION[p as 'TLSv1'] < PROTOCOL_WIRE_VERSION[floor]).map((p) => '!' + p).join(':'),
      },
      parameter: 'smtp_tls_protocols',
      node: list.node,
      related: list.levelNode ? [{ node: list.levelNode, message: `level ${list.level} reads smtp_tls_protocols` }] : [],
      fix,
      confirm: fingerCommand({ level: 'may', protocols: list.value }),
    });
  },
});
