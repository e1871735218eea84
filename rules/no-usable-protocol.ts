import { defineRule } from '../src/engine/types.js';
import { describeSetting } from '../src/engine/helpers.js';
import { PROTOCOL_WIRE_VERSION, type ProtocolName, type ProtocolsResult } from '../src/model/values/index.js';
import { handshakeFailureEffect, joinNames, protocolLists, usageNote } from '../src/model/protocol-lists.js';

function nameOf(wire: number): string {
  const p = (Object.keys(PROTOCOL_WIRE_VERSION) as ProtocolName[]).find((k) => PROTOCOL_WIRE_VERSION[k] === wire);
  return p ?? `0x${wire.toString(16).padStart(4, '0')}`;
}

/** Why nothing is left, in words. */
function reason(parsed: ProtocolsResult): string {
  if (parsed.requested.length > 0) {
    // Only versions OpenSSL no longer has (SSLv3) survive.
    return `only ${joinNames(parsed.requested)} would remain, and OpenSSL 1.1.0 and later builds leave SSLv3 out`;
  }
  const bounds: string[] = [];
  if (parsed.floor !== null) bounds.push(`at least ${nameOf(parsed.floor)}`);
  if (parsed.ceiling !== null) bounds.push(`at most ${nameOf(parsed.ceiling)}`);
  if (parsed.floor !== null && parsed.ceiling !== null && parsed.floor > parsed.ceiling) return `the floor ${nameOf(parsed.floor)} is above the ceiling ${nameOf(parsed.ceiling)}`;
  const excluded = parsed.excluded.filter((p) => p !== 'SSLv2');
  if (bounds.length > 0) return `the bounds (${bounds.join(', ')}) leave only versions the list also excludes (${joinNames(excluded)})`;
  return `it excludes every version (${joinNames(excluded)})`;
}

export default defineRule({
  meta: {
    id: 'no-usable-protocol',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'A TLS protocol list must leave at least one protocol version that OpenSSL can negotiate.',
    why: 'Postfix accepts a list whose bounds and exclusions leave nothing (">=TLSv1.3, !TLSv1.3", "<=TLSv1 >=TLSv1.2", every version excluded) without a warning; OpenSSL then fails every handshake with "no protocols available". On the client that means deferrals and, at level may, plaintext; on the server STARTTLS never succeeds.',
    parameters: ['smtp_tls_protocols', 'smtp_tls_mandatory_protocols', 'lmtp_tls_protocols', 'lmtp_tls_mandatory_protocols', 'smtpd_tls_protocols', 'smtpd_tls_mandatory_protocols'],
    fixable: false,
    summaries: {
      empty: '{{setting}} leaves no TLS version to negotiate',
    },
    messages: {
      empty: '{{setting}} leaves no TLS version to negotiate: {{reason}}. Every handshake fails with "no protocols available": {{effect}}{{usage}}',
    },
    references: [
      { title: 'postconf(5): smtp_tls_protocols (bounds, exclusions, contiguous ranges)', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_protocols' },
      { title: 'postconf(5): smtpd_tls_protocols', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_protocols' },
      { title: 'OpenSSL: SSL_CTX_set_min_proto_version(3)', url: 'https://docs.openssl.org/3.0/man3/SSL_CTX_set_min_proto_version/' },
    ],
  },
  check({ model, report }) {
    for (const list of protocolLists(model)) {
      if (list.source === 'default' || !list.parsed.ok || list.parsed.enabled.length > 0) continue;
      report({
        messageId: 'empty',
        data: {
          setting: describeSetting(model, list.param),
          reason: reason(list.parsed),
          effect: handshakeFailureEffect(list),
          usage: usageNote(list),
        },
        parameter: list.param,
        node: list.node,
      });
    }
  },
});
