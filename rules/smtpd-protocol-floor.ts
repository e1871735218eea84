import { probeHost } from '../src/model/describe.js';
import { defineRule } from '../src/engine/types.js';
import { scopedSetting, serverScope, serviceLabel } from '../src/engine/server-scope.js';
import { describeSetting } from '../src/engine/helpers.js';
import { clientsLostBy, describeLostClients } from '../src/interop/predict-inbound.js';
import { PROTOCOL_WIRE_VERSION, supportsProtocolRanges } from '../src/model/values/index.js';

const PARAMS = ['smtpd_tls_protocols', 'smtpd_tls_security_level', 'smtpd_use_tls', 'smtpd_enforce_tls', 'smtpd_tls_wrappermode'];

export default defineRule({
  meta: {
    id: 'smtpd-protocol-floor',
    category: 'interop',
    defaultSeverity: 'warning',
    description: 'The public MX should not refuse TLS 1.0 and 1.1 for opportunistic TLS (smtpd_tls_protocols at level may).',
    why: 'At level may smtpd reads smtpd_tls_protocols. Senders that cannot reach the raised floor (Exchange 2010 on Windows Server 2008 R2 speaks only TLS 1.0; older appliances and MTAs) fail the handshake: some retry in plaintext, so the hardening makes their mail less private, and others keep the mail queued and finally bounce it, so mail is lost. RFC 8996 deprecates TLS 1.0/1.1 where TLS is required; on an opportunistic MX the alternative to TLS 1.0 is plaintext or no mail. Raise smtpd_tls_mandatory_protocols instead, which applies where TLS is required (submission with encrypt).',
    parameters: PARAMS,
    fixable: true,
    messages: {
      floor:
        '{{setting}} refuses senders below {{floor}} on the public MX {{services}}, where TLS is opportunistic. {{affected}}. A failed STARTTLS does not make their mail safer: it arrives in plaintext or not at all. Set smtpd_tls_protocols = {{suggested}} and put the floor on smtpd_tls_mandatory_protocols, which applies where TLS is required (submission)',
    },
    references: [
      { title: 'postconf(5): smtpd_tls_protocols (used when TLS is not enforced) and smtpd_tls_mandatory_protocols', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_protocols' },
      { title: 'Microsoft: Protocols in TLS/SSL (Schannel SSP): TLS 1.1/1.2 disabled by default on Windows Server 2008 R2', url: 'https://learn.microsoft.com/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-' },
      { title: 'Microsoft: "Can\'t send or receive email when using TLS 1.1 or TLS 1.0" (Exchange keeps such mail queued: 421 4.4.2)', url: 'https://learn.microsoft.com/exchange/troubleshoot/email-delivery/send-receive-emails-socketerror' },
      { title: 'RFC 7435: Opportunistic Security', url: 'https://www.rfc-editor.org/rfc/rfc7435' },
      { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
      { title: 'Client profiles shipped in data/clients/ (sources listed per profile); `postfix-tls-lint clients`' },
    ],
  },
  check({ model, facts, report }) {
    const scope = serverScope(model, facts, ['smtpd_tls_protocols']);
    const suggested = supportsProtocolRanges(model.version) ? '>=TLSv1' : '!SSLv2, !SSLv3';
    for (const svc of scope.services) {
      const p = svc.policy;
      if (svc.role !== 'public-mx' || p.level !== 'may' || p.wrappermode || !p.protocols.ok) continue;
      const source = svc.model.resolve('smtpd_tls_protocols')?.source;
      if (source === 'default' || !p.protocols.min || PROTOCOL_WIRE_VERSION[p.protocols.min] <= PROTOCOL_WIRE_VERSION.TLSv1) continue;
      const lost = clientsLostBy(svc, new Map([['smtpd_tls_protocols', p.protocolsValue]]), facts.clients ?? []);
      const affected = lost.length > 0
        ? `Client profiles that lose TLS: ${describeLostClients(lost)}`
        : `None of the ${facts.clients?.length ? 'client profiles checked' : 'client profiles (none loaded)'} is affected, but TLS 1.0-only senders such as Exchange 2010 on Windows Server 2008 R2 are`;
      const set = scopedSetting(model, scope, svc, 'smtpd_tls_protocols', suggested);
      report({
        messageId: 'floor',
        data: { setting: describeSetting(svc.model, 'smtpd_tls_protocols'), floor: p.protocols.min, services: serviceLabel(svc), affected, suggested },
        parameter: 'smtpd_tls_protocols',
        node: model.definition('smtpd_tls_protocols'),
        fix: set ? { kind: 'interop', description: `set smtpd_tls_protocols = ${suggested} (keep the floor on smtpd_tls_mandatory_protocols)`, ...set } : null,
        confirm: lost[0]?.confirm ?? `openssl s_client -connect ${probeHost(svc.model)}:25 -starttls smtp -tls1 -cipher 'DEFAULT:@SECLEVEL=0'`,
      });
      return; // one finding per run: the services share the setting
    }
  },
});
