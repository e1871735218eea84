import { defineRule } from '../src/engine/types.js';
import { describeSetting, fingerCommand } from '../src/engine/helpers.js';
import { supportsProtocolRanges } from '../src/model/values/index.js';
import { joinNames, protocolLists, rangeReason, rangeWords } from '../src/model/protocol-lists.js';

export default defineRule({
  meta: {
    id: 'mandatory-protocols-allow-tls1',
    category: 'security',
    defaultSeverity: 'info',
    description: 'Where TLS is mandatory (client encrypt/fingerprint/verify/secure, smtpd encrypt), consider dropping TLS 1.0 and 1.1, which RFC 8996 deprecates.',
    why: 'With mandatory TLS there is no plaintext fallback to protect against, so the protocol floor is the real floor. TLS 1.0 and 1.1 rely on SHA-1/MD5 in the handshake and CBC constructions with known weaknesses; RFC 8996 forbids them. Raising the floor trades reachability of very old peers for strength, so this is advice, not an error.',
    parameters: ['smtp_tls_mandatory_protocols', 'lmtp_tls_mandatory_protocols', 'smtpd_tls_mandatory_protocols', 'smtp_tls_security_level', 'lmtp_tls_security_level', 'smtpd_tls_security_level'],
    fixable: false,
    summaries: {
      client: '{{setting}} allows {{old}} where TLS is mandatory ({{prefix}} client, level {{level}})',
      server: '{{setting}} allows {{old}} where smtpd requires TLS',
    },
    messages: {
      client:
        '{{setting}} allows {{range}}{{reason}} for the {{prefix}} client at level {{level}}, where TLS is mandatory; that includes {{old}}, which RFC 8996 deprecates. If your mandatory-TLS peers all speak TLS 1.2 (check with the command below), set {{param}} = {{suggested}}',
      server:
        '{{setting}} allows {{range}}{{reason}} while smtpd requires TLS (level encrypt); that includes {{old}}, which RFC 8996 deprecates. Unless old mail clients or devices must still submit here, set {{param}} = {{suggested}}',
    },
    references: [
      { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
      { title: 'postconf(5): smtp_tls_mandatory_protocols (keep TLSv1 for dane/dane-only)', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_mandatory_protocols' },
      { title: 'postconf(5): smtpd_tls_mandatory_protocols', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_mandatory_protocols' },
    ],
  },
  check({ model, report }) {
    const suggested = supportsProtocolRanges(model.version) ? '>=TLSv1.2' : '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1';
    for (const list of protocolLists(model)) {
      if (!list.mandatory || !list.inForce || list.level === null || !list.parsed.ok) continue;
      // The docs advise keeping TLSv1 for DANE: some DANE servers still speak only TLS 1.0.
      if (list.level === 'dane' || list.level === 'dane-only') continue;
      const old = list.parsed.enabled.filter((p) => p === 'TLSv1' || p === 'TLSv1.1');
      if (old.length === 0) continue;
      const data = { setting: describeSetting(model, list.param), range: rangeWords(list.parsed), reason: rangeReason(list.parsed), old: joinNames(old), prefix: list.prefix, level: list.level ?? '', param: list.param, suggested };
      const related = list.levelNode ? [{ node: list.levelNode, message: `${list.levelParam} selects ${list.param}` }] : [];
      if (list.role === 'server') {
        report({ messageId: 'server', data, parameter: list.param, node: list.node, related });
      } else {
        report({
          messageId: 'client',
          data,
          parameter: list.param,
          node: list.node,
          related,
          confirm: fingerCommand({ level: list.level ?? 'encrypt', protocols: suggested }),
        });
      }
    }
  },
});
