import { defineRule } from '../src/engine/types.js';
import { defaultFor } from '../src/model/catalogue/index.js';
import { parseCipherGrade, q } from '../src/model/values/index.js';

const CIPHERLISTS = ['tls_high_cipherlist', 'tls_medium_cipherlist', 'tls_low_cipherlist', 'tls_export_cipherlist', 'tls_null_cipherlist'];
/** Pre-2.3 per-daemon lists; only checked when the modelled version still knows them. */
const LEGACY_CIPHERLISTS = ['smtp_tls_cipherlist', 'lmtp_tls_cipherlist', 'smtpd_tls_cipherlist'];

/** The security level the string ends up setting (the last valid @SECLEVEL wins), or null. */
function secLevel(list: string): number | null {
  let level: number | null = null;
  for (const m of list.matchAll(/@SECLEVEL=(\d+)/g)) {
    const n = Number(m[1]);
    if (n <= 5) level = n;
  }
  return level;
}

export default defineRule({
  meta: {
    id: 'cipherlist-seclevel',
    category: 'interop',
    defaultSeverity: 'warning',
    description: 'Postfix cipher lists should not raise the OpenSSL security level with @SECLEVEL, and tls_*_cipherlist should keep its default.',
    why: 'Postfix deliberately runs opportunistic TLS at OpenSSL security level 0 so that old peers still get encryption instead of plaintext. "@SECLEVEL=2" in a cipher list overrides that: OpenSSL then refuses SHA-1 signatures, RSA and DH keys below 2048 bits, and (with OpenSSL 3) TLS 1.0/1.1, so legacy servers and clients fail the handshake. Changing tls_*_cipherlist at all is something the Postfix documentation strongly advises against.',
    parameters: [...CIPHERLISTS, ...LEGACY_CIPHERLISTS],
    fixable: false,
    summaries: {
      seclevel: '{{param}} sets @SECLEVEL={{level}}, which refuses legacy peers',
      changed: '{{param}} differs from the Postfix {{version}} default',
    },
    messages: {
      seclevel: '{{param}} sets @SECLEVEL={{level}}: OpenSSL then {{effect}}, although Postfix uses security level 0 for opportunistic TLS on purpose; legacy peers (TLS 1.0/1.1-only Exchange 2010 on Windows Server 2008 R2, servers with 1024-bit DH or old certificates) fail the handshake{{grade}}. Remove the @SECLEVEL item; restrict protocols with *_tls_protocols or per destination in smtp_tls_policy_maps instead',
      changed: '{{param}} differs from the Postfix {{version}} default {{default}}; the Postfix documentation strongly advises against changing it, because a custom list is not updated with Postfix and OpenSSL and easily removes ciphers peers need{{note}}',
    },
    references: [
      { title: 'postconf(5): tls_high_cipherlist, tls_medium_cipherlist', url: 'https://www.postfix.org/postconf.5.html#tls_medium_cipherlist' },
      { title: 'OpenSSL SSL_CTX_set_security_level(3)', url: 'https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/' },
      { title: 'OpenSSL 3.0 NEWS: SSL 3, TLS 1.0, TLS 1.1 only work at security level 0', url: 'https://www.openssl.org/news/openssl-3.0-notes.html' },
      { title: 'Postfix src/tls/tls_client.c: security level 0 as a base for opportunistic TLS' },
    ],
  },
  check({ model, facts, report }) {
    const version = model.version;
    const names = [...CIPHERLISTS, ...LEGACY_CIPHERLISTS.filter((n) => model.isKnown(n))];
    const ignoredFrom38 = parseCipherGrade('low', version).effectiveGrade === 'medium';
    for (const param of names) {
      const node = model.definition(param);
      if (!node) continue;
      const value = model.value(param);
      const level = secLevel(value);
      const ignored = ignoredFrom38 && (param === 'tls_low_cipherlist' || param === 'tls_export_cipherlist');
      if (level !== null && level >= 2 || level === 1 && facts.opensslVersion >= 3) {
        const effect =
          level === 1
            ? 'refuses TLS 1.0/1.1 with (EC)DHE key exchange ("legacy sigalg disallowed") and keys below 1024 bits'
            : `refuses SHA-1 signatures${facts.opensslVersion >= 3 ? ', TLS 1.0/1.1' : ''} and RSA/DH keys below ${level === 2 ? 2048 : level === 3 ? 3072 : level === 4 ? 7680 : 15360} bits`;
        const grade = param.startsWith('tls_') ? ` wherever the "${param.slice(4, -'_cipherlist'.length)}" grade is used` : '';
        report({ messageId: 'seclevel', data: { param, level, effect, grade }, parameter: param, node, severity: ignored ? 'info' : 'warning' });
        continue;
      }
      const def = defaultFor(param, version);
      if (def === undefined || model.raw(param) === def) continue;
      const note = ignored ? `; since Postfix 3.8 ${param} is ignored anyway ("${param.slice(4, -'_cipherlist'.length)}" behaves as "medium"), so the line can go` : '';
      report({ messageId: 'changed', data: { param, version, default: def === '' ? '(empty)' : q(def), note }, parameter: param, node, severity: 'info' });
    }
  },
});
