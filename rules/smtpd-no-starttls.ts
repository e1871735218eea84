import { defineRule } from '../src/engine/types.js';
import { scopedSetting, serverScope, serviceLabel, smtpProbeCommand } from '../src/engine/server-scope.js';
import type { ServerService } from '../src/model/server-services.js';

const PARAMS = ['smtpd_tls_security_level', 'smtpd_use_tls', 'smtpd_enforce_tls', 'smtpd_tls_wrappermode', 'smtpd_tls_cert_file', 'smtpd_tls_chain_files', 'smtpd_tls_eccert_file'];

function internetFacing(s: ServerService): boolean {
  return s.role === 'public-mx' || s.role === 'submission' || s.role === 'other';
}

export default defineRule({
  meta: {
    id: 'smtpd-no-starttls',
    category: 'security',
    defaultSeverity: 'warning',
    description: 'An smtpd that other hosts connect to should offer STARTTLS (smtpd_tls_security_level = may or stronger).',
    why: 'At level none (smtpd_tls_security_level empty or none, and smtpd_use_tls = no, as in a main.cf without TLS settings) smtpd never announces STARTTLS. Every message, and every password on a service with AUTH, then crosses the network in plaintext, and senders that insist on TLS (MTA-STS or DANE policies of your domain, connectors that require TLS, mail clients set to STARTTLS) cannot deliver at all. Opportunistic TLS costs nothing for senders that cannot use it: they still deliver in plaintext.',
    parameters: PARAMS,
    fixable: true,
    messages: {
      none:
        'smtpd offers no STARTTLS on {{services}}, although other hosts connect there, so all mail arrives in plaintext. {{setting}}: senders and clients that insist on TLS cannot deliver, and everything else, passwords included, travels unencrypted. Set smtpd_tls_security_level = may{{certNote}}',
    },
    references: [
      { title: 'postconf(5): smtpd_tls_security_level', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_security_level' },
      { title: 'TLS_README: Getting started, quick and dirty (server side: smtpd_tls_security_level = may)', url: 'https://www.postfix.org/TLS_README.html#quick-start' },
      { title: 'RFC 3207: SMTP Service Extension for Secure SMTP over TLS', url: 'https://www.rfc-editor.org/rfc/rfc3207' },
      { title: 'RFC 8461 (MTA-STS) and RFC 7672 (SMTP DANE): senders that require STARTTLS', url: 'https://www.rfc-editor.org/rfc/rfc8461' },
    ],
  },
  check({ model, facts, report }) {
    const scope = serverScope(model, facts, PARAMS.slice(0, 4));
    const hits = scope.services.filter((s) => internetFacing(s) && s.policy.level === 'none');
    if (hits.length === 0) return;
    // A lone main.cf that leaves smtpd's TLS and SASL alone may well be a null client: without a
    // master.cf there is no evidence that smtpd receives mail, so say nothing.
    if (hits.every((s) => s.assumed) && ![...model.definitions.keys()].some((n) => /^smtpd_(tls_|use_tls|enforce_tls|sasl_)/.test(n))) return;
    const first = hits[0];
    const source = first.policy.levelSource;
    const setting = model.value('smtpd_tls_security_level') === ''
      ? `smtpd_tls_security_level is empty and smtpd_use_tls = no${model.definition('smtpd_use_tls') ? '' : ' (default)'}`
      : `smtpd_tls_security_level = ${model.value('smtpd_tls_security_level')}`;
    const hasCert = first.policy.certificates.configured;
    const set = hasCert ? scopedSetting(model, scope, first, 'smtpd_tls_security_level', 'may') : null;
    report({
      messageId: 'none',
      data: {
        services: hits.map(serviceLabel).join(', '),
        setting,
        certNote: hasCert ? '' : ' and give smtpd a certificate (smtpd_tls_chain_files, or smtpd_tls_cert_file and smtpd_tls_key_file)',
      },
      parameter: 'smtpd_tls_security_level',
      node: model.definition('smtpd_tls_security_level') ?? (source.node ? source.node : undefined),
      fix: set ? { kind: 'safe', description: 'set smtpd_tls_security_level = may (STARTTLS offered, not required)', ...set } : null,
      confirm: smtpProbeCommand(model, first),
    });
  },
});
