import { defineRule } from '../src/engine/types.js';
import { clientTlsPolicy } from '../src/model/client-tls.js';
import { outboundRouting, fingerTarget } from '../src/model/routing.js';
import { fingerCommand } from '../src/engine/helpers.js';
import { evaluateCipherString, usableSuites, type Suite } from '../src/ciphers/evaluate.js';
import { isMandatoryLevel } from '../src/model/values/index.js';
import { changeWords, restoringMainChange } from '../src/interop/remedy.js';
import { remedyEdits } from '../src/interop/remedy-fix.js';

interface CostlyClass {
  /** What the token removes, in words. */
  readonly removes: string;
  /** Suites that the affected peers need; zero left means no common cipher. */
  readonly needed: (s: Suite) => boolean;
  readonly neededWords: string;
  readonly peers: string;
}

const usableAtTls10 = (s: Suite): boolean => s.minVersion === 'SSLv3' || s.minVersion === 'TLSv1';

const TLS10: CostlyClass = {
  removes: 'every suite with a SHA-1 MAC, that is every suite TLS 1.0 and 1.1 can use',
  needed: usableAtTls10,
  neededWords: 'suite usable with TLS 1.0/1.1',
  peers: 'TLS 1.0-only servers (Exchange 2010 on Windows Server 2008 R2, where TLS 1.1/1.2 are off by default; Exchange 2007 on Windows Server 2008)',
};
const BY_MIN_VERSION = (version: string): CostlyClass => ({
  removes: `every suite whose minimum protocol is ${version} (cipher aliases select suites, not protocol versions; protocols are set with the *_tls_protocols parameters)`,
  needed: usableAtTls10,
  neededWords: 'suite usable with TLS 1.0/1.1',
  peers: 'TLS 1.0-only servers (Exchange 2010 on Windows Server 2008 R2 by default)',
});
const STATIC_RSA: CostlyClass = {
  removes: 'every suite with RSA key exchange',
  needed: (s) => s.kx === 'kRSA' && usableAtTls10(s),
  neededWords: 'static-RSA suite usable with TLS 1.0',
  peers: 'Servers whose TLS stack only has RSA key exchange (Exchange 2003/2007 on Windows Server 2003 with the AES update)',
};
const CBC: CostlyClass = {
  removes: 'every CBC-mode suite',
  needed: usableAtTls10,
  neededWords: 'suite usable with TLS 1.0/1.1 (all of them are CBC)',
  peers: 'TLS 1.0/1.1 servers (Exchange 2010 on Windows Server 2008 R2 by default; Windows Server 2012 R2 peers, which lack ECDHE-RSA with AES-GCM, are left with DHE-RSA or RSA key exchange only)',
};
const RSA_AUTH: CostlyClass = {
  removes: 'every suite authenticated with an RSA certificate',
  needed: (s) => s.au === 'aRSA',
  neededWords: 'RSA-authenticated TLS 1.2 (or older) suite',
  peers: 'Servers with an RSA certificate and no TLS 1.3 (every on-premises Exchange Server version and Exchange Online)',
};
const ECDHE: CostlyClass = {
  removes: 'every suite with ECDHE key exchange',
  needed: (s) => s.kx === 'kECDHE' && s.au === 'aRSA',
  neededWords: 'ECDHE-RSA suite',
  peers: 'Servers hardened to ECDHE-only suites (Exchange 2016/2019 configured after Microsoft\'s TLS guidance)',
};

const COSTLY: ReadonlyMap<string, CostlyClass> = new Map([
  ['SHA1', TLS10], ['SHA', TLS10],
  ['TLSv1', BY_MIN_VERSION('TLS 1.0')], ['TLSv1.0', BY_MIN_VERSION('TLS 1.0')], ['SSLv3', BY_MIN_VERSION('SSLv3')],
  ['kRSA', STATIC_RSA], ['RSA', STATIC_RSA],
  ['CBC', CBC],
  ['aRSA', RSA_AUTH],
  ['ECDHE', ECDHE], ['kECDHE', ECDHE], ['EECDH', ECDHE], ['kEECDH', ECDHE], ['ECDH', ECDHE],
]);

export default defineRule({
  meta: {
    id: 'costly-cipher-exclusion',
    category: 'interop',
    defaultSeverity: 'warning',
    description: 'The SMTP client\'s cipher exclusions should not remove whole cipher classes that real mail servers depend on.',
    why: 'Excluding a whole class such as SHA1, kRSA, CBC or aRSA from the client\'s list leaves some servers with no cipher in common. At level may the handshake fails and Postfix retries in plaintext, so a hardening step makes that mail less private; at mandatory levels the mail is deferred. Exclusions for one difficult destination belong in the TLS policy table, not in main.cf.',
    parameters: ['smtp_tls_exclude_ciphers', 'smtp_tls_mandatory_exclude_ciphers', 'smtp_tls_security_level', 'relayhost'],
    fixable: true,
    summaries: {
      costly: '{{param}} excludes {{token}}, which removes {{removes}}',
    },
    messages: {
      costly: '{{param}} excludes {{token}}, which removes {{removes}}: {{left}}. {{peers}} then share no cipher with this client; {{outcome}}. Smallest change: drop {{token}} from {{param}}{{also}}; if one destination needs the exclusion, put "exclude={{token}}" on that destination in smtp_tls_policy_maps',
    },
    references: [
      { title: 'postconf(5): smtp_tls_exclude_ciphers', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_exclude_ciphers' },
      { title: 'TLS_README: TLS policy table (exclude= per destination)', url: 'https://www.postfix.org/TLS_README.html#client_tls_policy' },
      { title: 'Microsoft: Protocols in TLS/SSL (Schannel SSP) — TLS 1.1/1.2 disabled by default on Windows Server 2008 R2', url: 'https://learn.microsoft.com/en-us/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-' },
      { title: 'Microsoft: TLS Cipher Suites in Windows 8.1 / Windows Server 2012 R2', url: 'https://learn.microsoft.com/en-us/windows/win32/secauthn/tls-cipher-suites-in-windows-8-1' },
      { title: 'openssl-ciphers(1): SHA1, kRSA, aRSA, CBC cipher strings', url: 'https://docs.openssl.org/3.0/man1/openssl-ciphers/' },
    ],
  },
  check({ model, facts, report }) {
    const routing = outboundRouting(model);
    if (routing.kind === 'no-outbound') return;
    const policy = clientTlsPolicy(model, 'smtp');
    if (policy.level === null || policy.level === 'none' || policy.cipherString === null) return;
    const level = policy.opensslSecurityLevel;
    /** TLS 1.2-and-older suites a handshake could use with this cipher string (PSK/SRP left out). */
    const legacySuites = (cipherString: string): Suite[] | null => {
      const r = evaluateCipherString(cipherString, { securityLevel: level });
      return r.ok ? usableSuites(r).filter((s) => !s.tls13) : null;
    };
    const combined = legacySuites(policy.cipherString);
    if (!combined) return;
    const automatic = policy.automaticExclusion ? `:!${policy.automaticExclusion}` : '';
    const mandatory = isMandatoryLevel(policy.level);
    const outcome = mandatory
      ? `at level ${policy.level} their mail is deferred`
      : `at level ${policy.level} the handshake fails and Postfix retries their mail in plaintext`;
    const severity = mandatory && routing.kind === 'smarthost' ? ('info' as const) : ('warning' as const);
    const seen = new Set<string>();
    for (const exclusion of policy.exclusions) {
      // Defaults are empty; an override (master.cf -o, policy exclude=) has no main.cf line but is reported there.
      if (!exclusion.node && model.resolve(exclusion.param)?.source !== 'override') continue;
      for (const t of exclusion.tokens) {
        const cls = COSTLY.get(t.text);
        if (!cls || seen.has(t.text)) continue;
        if (t.text === 'CBC' && facts.opensslVersion < 3) continue; // unknown alias before OpenSSL 3.0
        seen.add(t.text);
        // Judge the token on its own, so that a finding never blames it for another token's effect.
        const alone = legacySuites(`${policy.cipherlistValue}:!${t.text}${automatic}`);
        if (alone === null || alone.some(cls.needed)) continue;
        const total = combined.length;
        const left = `after the exclusions no ${cls.neededWords} remains (${total} TLS 1.2-or-older suite${total === 1 ? '' : 's'} left)`;
        // An interop fix only when the predictor says it gives the peers the token blocks TLS again, with
        // every other cause they hit (e.g. a raised protocol floor) changed in the same fix.
        const remedy = restoringMainChange(model, facts.peers ?? [], (c) => c.param === exclusion.param && c.token === t.text);
        const also = remedy ? remedy.changes.filter((c) => !(c.param === exclusion.param && c.token === t.text)) : [];
        const edits = remedy ? remedyEdits(model, remedy.changes) : null;
        const fix = remedy && edits
          ? { kind: 'interop' as const, description: `${changeWords(remedy.changes)}: gives ${remedy.restored.map((p) => p.id).join(', ')} TLS again (predicted)`, edits }
          : null;
        report({
          messageId: 'costly',
          data: {
            param: exclusion.param,
            token: t.text,
            removes: cls.removes,
            left,
            peers: cls.peers,
            outcome,
            also: also.length > 0 ? ` (and ${changeWords(also)}: only both together give these servers TLS)` : '',
            peerIds: remedy ? remedy.restored.map((p) => p.id).join(', ') : '',
          },
          fix,
          parameter: exclusion.param,
          node: exclusion.node,
          severity,
          confirm: fingerCommand({ level: policy.level, target: routing.kind === 'smarthost' ? fingerTarget(routing.nexthop) : undefined }),
        });
      }
    }
  },
});
