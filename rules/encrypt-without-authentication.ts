import { defineRule } from '../src/engine/types.js';
import { clientLevel, type ClientPrefix } from '../src/model/client-tls.js';
import { fingerTarget, outboundRouting } from '../src/model/routing.js';
import { fingerCommand } from '../src/engine/helpers.js';

const PREFIXES: readonly ClientPrefix[] = ['smtp', 'lmtp'];

export default defineRule({
  meta: {
    id: 'encrypt-without-authentication',
    category: 'security',
    defaultSeverity: 'info',
    description: 'The encrypt level only protects against passive eavesdropping: the server is never authenticated.',
    why: 'At "encrypt" the client insists on TLS but accepts any certificate (even anonymous cipher suites), so an active attacker who can redirect the connection, or spoof the MX lookup, completes the handshake with its own key and reads the mail. It is a deliberate trade-off, often the right one, but it should not be mistaken for authenticated delivery; "secure" or "verify" (CA-based), "fingerprint" (pinned) or "dane" (DNSSEC TLSA) also check who is on the other end.',
    parameters: ['smtp_tls_security_level', 'smtp_enforce_tls', 'smtp_tls_enforce_peername', 'lmtp_tls_security_level', 'lmtp_enforce_tls', 'lmtp_tls_enforce_peername', 'relayhost'],
    fixable: false,
    summaries: {
      relay: '{{setting}} encrypts the connection to the relay {{nexthop}} but never checks its certificate',
      direct: '{{setting}} requires TLS but never checks the server certificate',
    },
    messages: {
      relay:
        '{{setting}} encrypts the connection to the relay {{nexthop}} but never checks its certificate: anyone who can intercept or redirect that connection can pose as the relay and read or alter the mail. To authenticate the relay use "secure" with its CA in {{prefix}}_tls_CAfile, or "fingerprint" with its certificate fingerprint in {{prefix}}_tls_fingerprint_cert_match',
      direct:
        '{{setting}} requires TLS but never checks the server certificate: it stops passive eavesdropping only, and an active attacker (or a forged MX record) can take over the session. For peers that must be authenticated use "dane" (with {{prefix}}_dns_support_level = dnssec), or "secure"/"verify"/"fingerprint" entries in {{prefix}}_tls_policy_maps',
    },
    references: [
      { title: 'postconf(5): smtp_tls_security_level', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_security_level' },
      { title: 'TLS_README: Mandatory TLS encryption', url: 'https://www.postfix.org/TLS_README.html#client_tls_encrypt' },
      { title: 'TLS_README: Mandatory server certificate verification', url: 'https://www.postfix.org/TLS_README.html#client_tls_verify' },
      { title: 'RFC 7672: SMTP Security via Opportunistic DANE TLS', url: 'https://www.rfc-editor.org/rfc/rfc7672' },
    ],
  },
  check({ model, report }) {
    const routing = outboundRouting(model);
    for (const prefix of PREFIXES) {
      if (prefix === 'smtp' && routing.kind === 'no-outbound') continue;
      const { level, source } = clientLevel(model, prefix);
      if (level !== 'encrypt') continue;
      const setting =
        source.kind === 'legacy'
          ? `${prefix}_enforce_tls = yes with ${prefix}_tls_enforce_peername = no (level encrypt)`
          : `${prefix}_tls_security_level = encrypt`;
      const node = source.kind === 'legacy' ? model.definition(`${prefix}_tls_enforce_peername`) ?? source.node : source.node;
      const param = source.kind === 'legacy' ? `${prefix}_tls_enforce_peername` : `${prefix}_tls_security_level`;
      if (prefix === 'smtp' && routing.kind === 'smarthost') {
        report({
          messageId: 'relay',
          data: { setting, nexthop: routing.nexthop, prefix },
          parameter: param,
          node,
          confirm: fingerCommand({ level: 'secure', target: fingerTarget(routing.nexthop) }),
        });
        continue;
      }
      report({ messageId: 'direct', data: { setting, prefix }, parameter: param, node });
    }
  },
});
