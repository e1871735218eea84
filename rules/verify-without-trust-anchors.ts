import { defineRule } from '../src/engine/types.js';
import type { ParamNode } from '../src/parser/main-cf.js';
import { clientLevel, type ClientPrefix } from '../src/model/client-tls.js';
import { outboundRouting } from '../src/model/routing.js';
import { parseBoolean, usesPkix } from '../src/model/values/index.js';
import { fingerCommand } from '../src/engine/helpers.js';

const PREFIXES: readonly ClientPrefix[] = ['smtp', 'lmtp'];

export default defineRule({
  meta: {
    id: 'verify-without-trust-anchors',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'The verify and secure levels need trusted CA certificates or trust anchors, and none are configured.',
    why: 'When *_tls_CAfile and *_tls_CApath are both empty, Postfix loads no CA certificates into the client at all: it does not fall back to the OpenSSL system store, and tls_append_default_CA only adds that store when a CAfile or CApath is set. With no trust anchor file either, no server certificate can be trusted, so at "verify" or "secure" every delivery is deferred with "Server certificate not verified".',
    parameters: [
      'smtp_tls_security_level', 'smtp_enforce_tls', 'smtp_tls_CAfile', 'smtp_tls_CApath', 'smtp_tls_trust_anchor_file',
      'lmtp_tls_security_level', 'lmtp_enforce_tls', 'lmtp_tls_CAfile', 'lmtp_tls_CApath', 'lmtp_tls_trust_anchor_file',
      'tls_append_default_CA',
    ],
    fixable: false,
    summaries: {
      noTrustAnchors: '{{setting}} requires a trusted CA, but no CA file, directory or trust anchor is configured',
    },
    messages: {
      noTrustAnchors:
        '{{setting}} requires a server certificate that chains to a trusted CA, but {{prefix}}_tls_CAfile, {{prefix}}_tls_CApath and {{prefix}}_tls_trust_anchor_file are all empty: Postfix then trusts no CA at all (it does not use the OpenSSL system store{{appendNote}}), so every TLS session is untrusted and each delivery is deferred with 4.7.5 "Server certificate not verified"{{lmtpNote}}. Set {{prefix}}_tls_CAfile (e.g. /etc/ssl/certs/ca-certificates.crt, or the private CA of the relay) or {{prefix}}_tls_trust_anchor_file',
    },
    references: [
      { title: 'postconf(5): smtp_tls_CAfile', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_CAfile' },
      { title: 'postconf(5): tls_append_default_CA', url: 'https://www.postfix.org/postconf.5.html#tls_append_default_CA' },
      { title: 'TLS_README: Mandatory server certificate verification', url: 'https://www.postfix.org/TLS_README.html#client_tls_verify' },
      { title: 'Postfix source src/tls/tls_certkey.c tls_set_ca_certificate_info(): no CA locations are loaded when CAfile and CApath are both empty' },
    ],
  },
  check({ model, report }) {
    const routing = outboundRouting(model);
    for (const prefix of PREFIXES) {
      if (prefix === 'smtp' && routing.kind === 'no-outbound') continue;
      const { level, source } = clientLevel(model, prefix);
      if (level === null || !usesPkix(level)) continue;
      const trustParams = [`${prefix}_tls_CAfile`, `${prefix}_tls_CApath`, `${prefix}_tls_trust_anchor_file`];
      if (trustParams.some((p) => model.value(p).trim() !== '')) continue;
      const setting =
        source.kind === 'legacy'
          ? `${source.param} = ${model.value(source.param)} (level ${level}, as ${prefix}_tls_security_level is empty)`
          : `${prefix}_tls_security_level = ${level}`;
      const appendDefault = parseBoolean(model.value('tls_append_default_CA')).value === true;
      // lmtp_tls_CAfile does not default to $smtp_tls_CAfile: a common surprise.
      const smtpHasCa = prefix === 'lmtp' && ['smtp_tls_CAfile', 'smtp_tls_CApath'].some((p) => model.value(p).trim() !== '');
      const related: { node: ParamNode; message: string }[] = [];
      for (const p of [...trustParams, 'tls_append_default_CA']) {
        const d = model.definition(p);
        if (d && (p !== 'tls_append_default_CA' || appendDefault)) {
          related.push({ node: d, message: p === 'tls_append_default_CA' ? 'has no effect while CAfile and CApath are both empty' : `${p} is empty` });
        }
      }
      report({
        messageId: 'noTrustAnchors',
        data: {
          setting,
          prefix,
          appendNote: appendDefault ? ', and tls_append_default_CA = yes has no effect while both are empty' : '',
          lmtpNote: smtpHasCa ? ' (the lmtp_ CA parameters do not inherit the smtp_ ones)' : '',
        },
        parameter: source.param,
        node: source.node,
        related,
        ...(prefix === 'smtp' ? { confirm: fingerCommand({ level }) } : {}),
      });
    }
  },
});
