import { defineRule, type Edit } from '../src/engine/types.js';
import type { ConfigModel } from '../src/model/config.js';
import type { ParamNode } from '../src/parser/main-cf.js';
import { clientLevel } from '../src/model/client-tls.js';
import { outboundRouting } from '../src/model/routing.js';
import { isMandatoryLevel, parseBoolean, type ClientSecurityLevel } from '../src/model/values/index.js';
import { removeParam, replaceValue, setParam } from '../src/fixer/edits.js';
import { fingerCommand } from '../src/engine/helpers.js';

/** What each mandatory level additionally rejects, beyond servers without STARTTLS. */
const EXTRA_FAILURES: Partial<Record<ClientSecurityLevel, string>> = {
  encrypt: 'servers whose TLS handshake fails (e.g. Exchange on Windows Server 2003 with only RC4/3DES, which OpenSSL 3 no longer has) are deferred too',
  verify:
    'every server whose certificate is self-signed, privately issued or does not match its MX name is deferred as well ("Server certificate not verified"), and MX names come from unauthenticated DNS anyway',
  secure:
    'every server whose certificate does not chain to a trusted CA and match the recipient domain (smtp_tls_secure_cert_match) is deferred as well, which is most MX hosts of other providers',
  fingerprint: 'only servers whose certificate fingerprint is listed in smtp_tls_fingerprint_cert_match get mail; no other internet host can match',
  'dane-only': 'only domains that publish DNSSEC-signed TLSA records for their MX hosts get mail; most domains publish none',
};

const LEGACY_SWITCHES = ['smtp_use_tls', 'smtp_enforce_tls', 'smtp_tls_enforce_peername'];

/**
 * Set the level to may. Without a level line, the first obsolete switch line becomes the level
 * line and the other switches go (they are dead once a level is set): the same edit
 * legacy-tls-parameters makes, so the two fixes overlap instead of adding two level lines.
 */
function levelEdits(model: ConfigModel, existing: ParamNode | undefined): { edits: Edit[]; replaced: string[] } {
  if (existing) return { edits: [setParam(model.file, 'smtp_tls_security_level', 'may', existing)], replaced: [] };
  const switches = LEGACY_SWITCHES.flatMap((n) => model.definitions.get(n) ?? []).sort((a, b) => a.range[0] - b.range[0]);
  if (switches.length === 0) return { edits: [setParam(model.file, 'smtp_tls_security_level', 'may')], replaced: [] };
  const [first, ...rest] = switches;
  return {
    edits: [{ range: first.nameRange, text: 'smtp_tls_security_level' }, replaceValue(model.file, first, 'may'), ...rest.map(removeParam)],
    replaced: [...new Set(switches.map((s) => s.name))],
  };
}

export default defineRule({
  meta: {
    id: 'global-mandatory-tls',
    category: 'interop',
    defaultSeverity: 'warning',
    description: 'A mandatory TLS level (encrypt or stricter) should not be the global default when mail goes straight to the internet.',
    why: 'A mandatory level applies to every destination that has no policy entry. Internet MX hosts without STARTTLS, with self-signed or mismatched certificates, or behind a firewall that strips STARTTLS (Cisco ASA ESMTP inspection removes it by default) then never receive mail: each message is deferred and finally bounced after maximal_queue_lifetime. Opportunistic TLS globally plus mandatory TLS for named peers in smtp_tls_policy_maps keeps encryption where it is required without losing mail elsewhere.',
    parameters: ['smtp_tls_security_level', 'smtp_enforce_tls', 'smtp_tls_enforce_peername', 'relayhost', 'default_transport', 'smtp_tls_wrappermode'],
    fixable: true,
    messages: {
      explicit:
        'smtp_tls_security_level = {{level}} makes TLS mandatory for every internet destination: a server that does not offer STARTTLS, or whose STARTTLS a middlebox strips (Cisco ASA ESMTP inspection does by default), gets "TLS is required, but was not offered" and the mail is deferred, then bounced; {{extra}}. Use "may" globally and list the peers that must be encrypted in smtp_tls_policy_maps',
      legacy:
        '{{setting}} (smtp_tls_security_level empty) means level "{{level}}" for every internet destination: a server that does not offer STARTTLS, or whose STARTTLS a middlebox strips (Cisco ASA ESMTP inspection does by default), gets "TLS is required, but was not offered" and the mail is deferred, then bounced; {{extra}}. Set smtp_tls_security_level = may and list the peers that must be encrypted in smtp_tls_policy_maps',
    },
    references: [
      { title: 'postconf(5): smtp_tls_security_level', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_security_level' },
      { title: 'TLS_README: Mandatory TLS encryption', url: 'https://www.postfix.org/TLS_README.html#client_tls_encrypt' },
      { title: 'TLS_README: TLS policy table', url: 'https://www.postfix.org/TLS_README.html#client_tls_policy' },
      { title: 'RFC 3207 section 4: a publicly-referenced SMTP server must not require STARTTLS', url: 'https://www.rfc-editor.org/rfc/rfc3207#section-4' },
      { title: 'Cisco ASA Series Firewall CLI Configuration Guide: Defaults for ESMTP Inspection (no allow-tls)' },
    ],
  },
  check({ model, report }) {
    // With a smarthost, mandatory TLS to that one relay is normal and wanted.
    if (outboundRouting(model).kind !== 'internet') return;
    const { level, source } = clientLevel(model, 'smtp');
    if (level === null || !isMandatoryLevel(level)) return;
    const severity = level === 'encrypt' ? 'warning' : 'error';
    const extra = EXTRA_FAILURES[level] ?? '';
    const existing = model.definition('smtp_tls_security_level');
    // Wrapper mode refuses to run below encrypt: lowering the level would stop all delivery instead.
    const wrapper = parseBoolean(model.value('smtp_tls_wrappermode')).value === true;
    const made = levelEdits(model, existing);
    const replacing = made.replaced.length > 0 ? ` (replacing the obsolete ${made.replaced.join(', ')})` : '';
    const fix = wrapper
      ? null
      : {
          kind: 'interop' as const,
          description: `lower the global smtp_tls_security_level from ${level} to may${replacing}; keep "${level}" for the peers that need it with per-destination entries in smtp_tls_policy_maps`,
          edits: made.edits,
        };
    const confirm = fingerCommand({ level });
    if (source.kind === 'legacy') {
      const peername = model.definition('smtp_tls_enforce_peername');
      report({
        messageId: 'legacy',
        data: { level, setting: `${source.param} = ${model.value(source.param)}`, extra },
        parameter: source.param,
        node: source.node,
        related: peername ? [{ node: peername, message: `smtp_tls_enforce_peername = ${peername.value} selects ${level}` }] : [],
        fix,
        confirm,
        severity,
      });
      return;
    }
    report({
      messageId: 'explicit',
      data: { level, extra },
      parameter: 'smtp_tls_security_level',
      node: source.node,
      fix,
      confirm,
      severity,
    });
  },
});
