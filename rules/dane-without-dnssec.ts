import { defineRule } from '../src/engine/types.js';
import { clientLevel, type ClientPrefix } from '../src/model/client-tls.js';
import { outboundRouting } from '../src/model/routing.js';
import { asciiLower, isDaneLevel, parseBoolean } from '../src/model/values/index.js';
import { describeSetting } from '../src/engine/helpers.js';
import { setParam } from '../src/fixer/edits.js';

const PREFIXES: readonly ClientPrefix[] = ['smtp', 'lmtp'];

export default defineRule({
  meta: {
    id: 'dane-without-dnssec',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'The dane and dane-only levels need DNSSEC lookups (smtp_dns_support_level = dnssec) and DNS host lookups.',
    why: 'DANE trusts TLSA records only when they come from DNSSEC-validated answers. Without smtp_dns_support_level = dnssec (or with smtp_host_lookup lacking "dns") the SMTP client logs "dane configured with dnssec lookups disabled" for each destination: "dane" silently degrades to opportunistic TLS, so the configuration looks hardened but authenticates nobody, and "dane-only" defers every message.',
    parameters: [
      'smtp_tls_security_level', 'smtp_dns_support_level', 'smtp_host_lookup', 'disable_dns_lookups',
      'lmtp_tls_security_level', 'lmtp_dns_support_level', 'lmtp_host_lookup',
    ],
    fixable: true,
    summaries: {
      noDnssec: 'level {{level}} without DNSSEC lookups: no destination is authenticated',
      dnsDisabled: 'level {{level}} with DNS lookups turned off: DANE cannot work',
      noDnsHostLookup: 'level {{level}} but {{hostLookup}} does not include "dns"',
    },
    messages: {
      noDnssec:
        '{{prefix}}_tls_security_level = {{level}} but {{dnsSetting}}: {{consequence}}. Set {{prefix}}_dns_support_level = dnssec (this needs a DNSSEC-validating resolver, e.g. a local unbound, in /etc/resolv.conf)',
      dnsDisabled:
        '{{prefix}}_tls_security_level = {{level}} but DNS lookups are turned off ({{dnsSetting}}): {{consequence}}. DANE needs DNS: enable DNSSEC lookups ({{prefix}}_dns_support_level = dnssec) or use another level',
      noDnsHostLookup:
        '{{prefix}}_tls_security_level = {{level}} but {{hostLookup}} does not include "dns": {{consequence}}. Add "dns" to {{prefix}}_host_lookup',
    },
    references: [
      { title: 'postconf(5): smtp_dns_support_level', url: 'https://www.postfix.org/postconf.5.html#smtp_dns_support_level' },
      { title: 'TLS_README: DANE TLS authentication', url: 'https://www.postfix.org/TLS_README.html#client_tls_dane' },
      { title: 'RFC 7672: SMTP Security via Opportunistic DANE TLS, section 2.2 (DNSSEC validation)', url: 'https://www.rfc-editor.org/rfc/rfc7672#section-2.2' },
      { title: 'Postfix source src/smtp/smtp_tls_policy.c dane_init(): "configured with dnssec lookups disabled"' },
    ],
  },
  check({ model, report }) {
    const routing = outboundRouting(model);
    for (const prefix of PREFIXES) {
      if (prefix === 'smtp' && routing.kind === 'no-outbound') continue;
      const { level, source } = clientLevel(model, prefix);
      if (level === null || !isDaneLevel(level)) continue;
      const consequence =
        level === 'dane'
          ? `the ${prefix} client logs "<destination>: dane configured with dnssec lookups disabled" and silently falls back to opportunistic TLS ("may") for every destination, so nobody is authenticated`
          : `the ${prefix} client logs "<destination>: dane-only configured with dnssec lookups disabled" and defers every message with 4.7.5 "client TLS configuration problem"`;
      const severity = level === 'dane-only' ? 'error' : 'warning';
      const dnsParam = `${prefix}_dns_support_level`;
      const dnsValue = asciiLower(model.value(dnsParam).trim());
      const base = { parameter: `${prefix}_tls_security_level`, node: source.node, severity } as const;
      if (dnsValue === 'dnssec') {
        const hostLookupParam = `${prefix}_host_lookup`;
        const methods = asciiLower(model.value(hostLookupParam)).split(/[\s,]+/);
        if (methods.includes('dns')) continue;
        const hl = model.definition(hostLookupParam);
        report({
          ...base,
          messageId: 'noDnsHostLookup',
          data: { prefix, level, hostLookup: describeSetting(model, hostLookupParam), consequence },
          related: hl ? [{ node: hl, message: 'no "dns" here: DANE is disabled' }] : [],
        });
        continue;
      }
      // An invalid value is fatal for smtp(8) and is another rule's finding.
      if (dnsValue !== '' && dnsValue !== 'enabled' && dnsValue !== 'disabled') continue;
      const dnsNode = model.definition(dnsParam);
      // disable_dns_lookups decides only while the support level is empty; smtp(8) reads it in LMTP mode too.
      const legacyOff = dnsValue === '' && parseBoolean(model.value('disable_dns_lookups')).value === true;
      if (dnsValue === 'disabled' || legacyOff) {
        const why = legacyOff ? model.definition('disable_dns_lookups') : dnsNode;
        report({
          ...base,
          messageId: 'dnsDisabled',
          data: { prefix, level, dnsSetting: legacyOff ? 'disable_dns_lookups = yes' : `${dnsParam} = disabled`, consequence },
          related: why ? [{ node: why, message: 'DNS lookups are turned off here' }] : [],
        });
        continue;
      }
      report({
        ...base,
        messageId: 'noDnssec',
        data: { prefix, level, dnsSetting: describeSetting(model, dnsParam), consequence },
        related: dnsNode ? [{ node: dnsNode, message: 'DNSSEC lookups are needed here' }] : [],
        fix: {
          kind: 'safe',
          description: `set ${dnsParam} = dnssec (needs a DNSSEC-validating resolver)`,
          edits: [setParam(model.file, dnsParam, 'dnssec', dnsNode, [`${prefix}_tls_security_level`])],
        },
      });
    }
  },
});
