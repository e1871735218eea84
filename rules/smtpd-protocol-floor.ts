import { probeHost } from '../src/model/describe.js';
import { defineRule } from '../src/engine/types.js';
import { scopedSetting, serverScope, serviceLabel } from '../src/engine/server-scope.js';
import { describeSetting } from '../src/engine/helpers.js';
import { clientsLosingTls, describeLostClients, serviceWithSettings } from '../src/interop/predict-inbound.js';
import { blameInbound, describeBlame, type InboundBlame } from '../src/interop/inbound-blame.js';
import type { ServerService } from '../src/model/server-services.js';
import type { ClientProfile, InboundPrediction } from '../src/interop/client-types.js';
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
      const clients = facts.clients ?? [];
      const blame = blameInbound([svc], () => new Map([['smtpd_tls_protocols', p.protocolsValue]]), (s) => serviceWithSettings(s, new Map([['smtpd_tls_protocols', suggested]])), clients);
      // Clients the floor refuses together with a grade or an exclusion: the floor carries them (the cipher rules
      // name them as refused by other settings too), and its remedy changes those settings as well when the
      // predictor says that together gives them TLS back.
      const joint = jointRemedy(svc, suggested, blame, clients);
      const affected = describeFloorBlame(blame, joint)
        ?? `None of the ${facts.clients?.length ? 'client profiles checked' : 'client profiles (none loaded)'} is affected, but TLS 1.0-only senders such as Exchange 2010 on Windows Server 2008 R2 are`;
      const changes = [['smtpd_tls_protocols', suggested] as const, ...joint.changes];
      const edits = changes.map(([name, value]) => scopedSetting(model, scope, svc, name, value));
      const set = edits.every((e) => e !== null) ? { file: edits[0]?.file, edits: edits.flatMap((e) => e?.edits ?? []) } : null;
      const also = joint.changes.map(([name, value]) => ` and ${name} = ${value === '' ? '(empty)' : value}`).join('');
      const restores = joint.restored.length > 0 ? `: gives ${joint.restored.map((x) => x.client).join(', ')} TLS again (predicted)` : '';
      const confirmFor = blame.own[0] ?? joint.restored[0] ?? blame.lost[0];
      report({
        messageId: 'floor',
        data: { setting: describeSetting(svc.model, 'smtpd_tls_protocols'), floor: p.protocols.min, services: serviceLabel(svc), affected, suggested },
        parameter: 'smtpd_tls_protocols',
        node: model.definition('smtpd_tls_protocols'),
        severity: blame.lost.length > 0 && blame.own.length === 0 && joint.restored.length === 0 ? 'info' : 'warning',
        fix: set ? { kind: 'interop', description: `set smtpd_tls_protocols = ${suggested}${also} (keep the floor on smtpd_tls_mandatory_protocols)${restores}`, ...(set.file ? { file: set.file } : {}), edits: set.edits } : null,
        confirm: confirmFor?.confirm ?? `openssl s_client -connect ${probeHost(svc.model)}:25 -starttls smtp -tls1 -cipher 'DEFAULT:@SECLEVEL=0'`,
      });
      return; // one finding per run: the services share the setting
    }
  },
});

/** Settings at level may that also narrow what a sender can negotiate, with the value the remedy gives them. */
function coSettings(svc: ServerService): [string, string][] {
  const out: [string, string][] = [];
  const grade = svc.model.value('smtpd_tls_ciphers').trim().toLowerCase();
  if (grade !== '' && grade !== 'medium' && grade !== 'low' && grade !== 'export') out.push(['smtpd_tls_ciphers', 'medium']);
  const tokens = svc.model.value('smtpd_tls_exclude_ciphers').split(/[\s,:]+/).filter((t) => t !== '');
  for (const t of tokens) out.push(['smtpd_tls_exclude_ciphers', tokens.filter((x) => x !== t).join(', ')]);
  return out;
}

/**
 * The other settings to change with the floor so that the clients it shares with them get TLS back: added
 * greedily, each kept only when the predictor says it restores one more client (exclusion tokens accumulate).
 */
function jointRemedy(svc: ServerService, suggested: string, blame: InboundBlame, clients: readonly ClientProfile[]): { changes: [string, string][]; restored: InboundPrediction[] } {
  if (blame.shared.length === 0) return { changes: [], restored: [] };
  const settings = new Map([['smtpd_tls_protocols', suggested]]);
  const wanted = new Set(blame.shared.map((x) => x.client));
  const restoredBy = (m: ReadonlyMap<string, string>) => clientsLosingTls(svc, serviceWithSettings(svc, m), clients).filter((x) => wanted.has(x.client));
  let best = restoredBy(settings);
  const kept: string[] = [];
  let droppedTokens: string[] = [];
  for (const [name, value] of coSettings(svc)) {
    const trial = new Map(settings);
    if (name === 'smtpd_tls_exclude_ciphers') {
      const dropped = [...droppedTokens, ...svc.model.value(name).split(/[\s,:]+/).filter((t) => t !== '' && !value.split(', ').includes(t))];
      trial.set(name, svc.model.value(name).split(/[\s,:]+/).filter((t) => t !== '' && !dropped.includes(t)).join(', '));
      const got = restoredBy(trial);
      if (got.length > best.length) { best = got; droppedTokens = dropped; settings.set(name, trial.get(name) as string); if (!kept.includes(name)) kept.push(name); }
      continue;
    }
    trial.set(name, value);
    const got = restoredBy(trial);
    if (got.length > best.length) { best = got; settings.set(name, value); kept.push(name); }
  }
  return { changes: kept.map((n) => [n, settings.get(n) as string]), restored: best };
}

/** The floor's own clients, the ones it restores only together with other settings, and any it cannot restore. */
function describeFloorBlame(blame: InboundBlame, joint: { changes: [string, string][]; restored: InboundPrediction[] }): string | null {
  if (blame.lost.length === 0) return null;
  const parts: string[] = [];
  if (blame.own.length > 0) parts.push(`Client profiles that lose TLS: ${describeLostClients(blame.own)}`);
  if (joint.restored.length > 0) {
    const with_ = joint.changes.map(([n, v]) => `${n} = ${v === '' ? '(empty)' : v}`).join(' and ');
    parts.push(`${blame.own.length > 0 ? 'Also refused' : 'Client profiles refused'} by ${joint.changes.map(([n]) => n).join(' and ')} too, so they get TLS back only with ${with_} as well: ${describeLostClients(joint.restored)}`);
  }
  const rest = blame.shared.filter((x) => !joint.restored.some((y) => y.client === x.client));
  if (rest.length > 0) {
    const rest_ = describeBlame({ lost: rest, own: [], shared: rest }, 'lowering the floor');
    if (rest_) parts.push(rest_);
  }
  return parts.join('. ');
}
