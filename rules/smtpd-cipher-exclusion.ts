import { defineRule } from '../src/engine/types.js';
import { serverScope, serviceLabel } from '../src/engine/server-scope.js';
import { describeLostClients, referenceService, servableLegacySuites, serviceWithSettings } from '../src/interop/predict-inbound.js';
import { blameInbound, blameSeverity } from '../src/interop/inbound-blame.js';
import type { ServerService } from '../src/model/server-services.js';

const EXCLUSIONS = ['smtpd_tls_exclude_ciphers', 'smtpd_tls_mandatory_exclude_ciphers'];
const PARAMS = [...EXCLUSIONS, 'smtpd_tls_security_level', 'smtpd_enforce_tls', 'smtpd_tls_wrappermode', 'smtpd_tls_ciphers', 'smtpd_tls_mandatory_ciphers'];

/** What an exclusion token removes, for the classes mail clients and servers depend on. */
const CLASSES: ReadonlyMap<string, string> = new Map([
  ['SHA1', 'every suite with a SHA-1 MAC, which is every suite TLS 1.0 and 1.1 can use'],
  ['SHA', 'every suite with a SHA-1 MAC, which is every suite TLS 1.0 and 1.1 can use'],
  ['CBC', 'every CBC-mode suite, which is every suite TLS 1.0 and 1.1 can use'],
  ['kRSA', 'every suite with RSA key exchange (what old printers and TLS_RSA-only devices have)'],
  ['RSA', 'every suite with RSA key exchange or RSA authentication'],
  ['aRSA', 'every suite authenticated by an RSA certificate'],
  ['aECDSA', 'every suite authenticated by an ECDSA certificate'],
  ['ECDHE', 'every suite with ECDHE key exchange'],
  ['kECDHE', 'every suite with ECDHE key exchange'],
  ['EECDH', 'every suite with ECDHE key exchange'],
  ['kEECDH', 'every suite with ECDHE key exchange'],
  ['TLSv1', 'every suite usable with TLS 1.0 (cipher aliases select suites, not protocol versions)'],
  ['TLSv1.0', 'every suite usable with TLS 1.0 (cipher aliases select suites, not protocol versions)'],
]);

export default defineRule({
  meta: {
    id: 'smtpd-cipher-exclusion',
    category: 'interop',
    defaultSeverity: 'warning',
    description: 'smtpd\'s cipher exclusions should not remove the suites of its own certificate\'s key type or whole suite classes that clients depend on.',
    why: 'smtpd_tls_exclude_ciphers (and smtpd_tls_mandatory_exclude_ciphers where TLS is required) is appended to the grade\'s cipher list as ":!token". Excluding the class of the server\'s own certificate (aRSA with an RSA certificate) leaves nothing but TLS 1.3; excluding SHA1 or CBC removes every suite TLS 1.0/1.1 clients can use; excluding kRSA removes the only suites of many printers and old devices. The clients affected fall back to plaintext or cannot deliver at all. postconf(5): "do not exclude ciphers unless it is essential".',
    parameters: PARAMS,
    fixable: false,
    messages: {
      keyType:
        '{{param}} excludes {{token}}, which removes every TLS 1.2-and-older suite smtpd could serve with its {{keyTypes}} certificate on {{services}}. Only TLS 1.3 clients can still use TLS there; {{affected}}. Remove {{token}} from {{param}}',
      costly:
        '{{param}} excludes {{token}}, which removes {{removes}} on {{services}}. {{affected}}. Remove {{token}} from {{param}} unless a client that needs it can be named and accepted as lost',
      alsoRefused:
        '{{param}} excludes {{token}}, which removes {{removes}} on {{services}}. {{affected}}, but removing {{token}} alone gives {{restored}} TLS back: {{others}} refused by other settings too (the protocol list or another exclusion), and only changing those as well would restore {{them}}',
    },
    references: [
      { title: 'postconf(5): smtpd_tls_exclude_ciphers ("do not exclude ciphers unless it is essential")', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_exclude_ciphers' },
      { title: 'TLS_README: Server-side cipher controls', url: 'https://www.postfix.org/TLS_README.html#server_cipher' },
      { title: 'openssl-ciphers(1): SHA1, CBC, kRSA, aRSA cipher strings', url: 'https://docs.openssl.org/3.0/man1/openssl-ciphers/' },
      { title: 'Microsoft: TLS Cipher Suites in Windows 7 / Server 2008 R2 (TLS 1.0 suites are all CBC with SHA-1)', url: 'https://learn.microsoft.com/windows/win32/secauthn/tls-cipher-suites-in-windows-7' },
      { title: 'Client profiles shipped in data/clients/ (sources listed per profile); `postfix-tls-lint clients`' },
    ],
  },
  check({ model, facts, report }) {
    const scope = serverScope(model, facts, EXCLUSIONS);
    const candidates = scope.services.filter((s) => s.role !== 'local-only' && s.policy.offersTls && s.policy.cipherString);
    const tokens: { param: string; token: string }[] = [];
    for (const svc of candidates) {
      for (const e of svc.policy.exclusions) for (const t of e.tokens) if (!tokens.some((x) => x.param === e.param && x.token === t.text)) tokens.push({ param: e.param, token: t.text });
    }
    for (const { param, token } of tokens) {
      const using = candidates.filter((s) => s.policy.exclusions.some((e) => e.param === param && e.tokens.some((t) => t.text === token)));
      let keyTypeGone = false;
      for (const svc of using) {
        // The token on its own, against the default cipher settings: never blamed for another setting's effect.
        const reference = referenceService(svc);
        const alone = serviceWithSettings(reference, new Map([[param, token]]));
        if ((servableLegacySuites(alone) ?? []).length === 0 && (servableLegacySuites(reference) ?? []).length > 0) keyTypeGone = true;
      }
      // The remedy "remove the token" is checked by the predictor on the services as configured: a client that
      // another setting (a raised protocol floor, a second exclusion) also refuses is not restored by it.
      const blame = blameInbound(using, () => new Map([[param, token]]), (svc) => withoutToken(svc, param, token), facts.clients ?? []);
      const lost = blame.lost;
      const removes = CLASSES.get(token);
      if (!keyTypeGone && !removes && lost.length === 0) continue;
      const affected = lost.length > 0 ? `Client profiles that lose TLS: ${describeLostClients(lost)}` : 'None of the client profiles checked is affected';
      const notRestored = blame.shared.map((p) => p.client);
      const partly = !keyTypeGone && notRestored.length > 0;
      const restoredIds = blame.own.map((p) => p.client);
      const confirmFor = keyTypeGone ? lost[0] : blame.own[0];
      report({
        messageId: keyTypeGone ? 'keyType' : partly ? 'alsoRefused' : 'costly',
        data: {
          param, token, removes: removes ?? `the suites matching ${token}`, services: using.map(serviceLabel).join(', '), affected, keyTypes: using[0].policy.certificates.keyTypes.join('/'),
          restored: restoredIds.length > 0 ? restoredIds.join(', ') : 'none of them',
          others: `${notRestored.join(', ')} ${notRestored.length === 1 ? 'is' : 'are'}`,
          them: notRestored.length === 1 ? 'it' : 'them',
        },
        parameter: param,
        node: model.definition(param),
        // One root cause, one warning: clients the token alone does not cost are warned about by the other setting.
        severity: keyTypeGone ? 'error' : blameSeverity(blame),
        // The confirm command checks a client the token alone refuses (not one the protocol list refuses anyway).
        ...(confirmFor ? { confirm: confirmFor.confirm } : {}),
      });
    }
  },
});

/** The service with `token` taken out of its exclusion list `param`. */
function withoutToken(service: ServerService, param: string, token: string): ServerService {
  const rest = service.model.value(param).split(/[\s,:]+/).filter((t) => t !== '' && t !== token);
  return serviceWithSettings(service, new Map([[param, rest.join(', ')]]));
}
