import { defineRule } from '../src/engine/types.js';
import { scopedSetting, serverScope, serviceLabel, smtpProbeCommand } from '../src/engine/server-scope.js';

const PARAMS = ['smtpd_sasl_auth_enable', 'smtpd_tls_auth_only', 'smtpd_tls_security_level', 'smtpd_use_tls', 'smtpd_enforce_tls', 'smtpd_tls_wrappermode'];

export default defineRule({
  meta: {
    id: 'smtpd-auth-before-starttls',
    category: 'security',
    defaultSeverity: 'warning',
    description: 'smtpd should offer SASL AUTH only after STARTTLS (smtpd_tls_auth_only = yes), and never on a service without TLS.',
    why: 'With smtpd_sasl_auth_enable = yes and smtpd_tls_auth_only = no, smtpd announces AUTH before STARTTLS. A client that authenticates before starting TLS, or whose STARTTLS an active attacker strips from the EHLO reply, then sends its user name and password (PLAIN, LOGIN) in the clear. smtpd_tls_auth_only = yes hides AUTH until TLS is up; level encrypt and wrapper mode imply it. A service with AUTH but no TLS at all exposes every password.',
    parameters: PARAMS,
    fixable: true,
    messages: {
      beforeStarttls:
        'smtpd offers SMTP AUTH before STARTTLS on {{services}}, so passwords can travel in plaintext. smtpd_sasl_auth_enable = yes with smtpd_tls_auth_only = no announces AUTH in the plaintext EHLO reply: a client that authenticates first, or whose STARTTLS an attacker strips, sends its password (PLAIN, LOGIN) in the clear. Set smtpd_tls_auth_only = yes',
      noTls:
        'smtpd offers SMTP AUTH on {{services}} without any TLS, so every password crosses the network in plaintext. smtpd_sasl_auth_enable = yes while the service offers no STARTTLS ({{level}}). Enable TLS there (smtpd_tls_security_level = encrypt for a submission service, with a certificate) or turn AUTH off',
    },
    references: [
      { title: 'postconf(5): smtpd_tls_auth_only ("do not announce or accept SASL authentication over unencrypted connections")', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_auth_only' },
      { title: 'SASL_README: Enabling SASL authentication and authorization in the Postfix SMTP server', url: 'https://www.postfix.org/SASL_README.html#server_sasl_enable' },
      { title: 'TLS_README: Server-side TLS activity and enforcement', url: 'https://www.postfix.org/TLS_README.html#server_enable' },
      { title: 'RFC 4954 section 4 and RFC 8314 section 3: no plaintext passwords without TLS', url: 'https://www.rfc-editor.org/rfc/rfc8314#section-3' },
    ],
  },
  check({ model, facts, report }) {
    const scope = serverScope(model, facts, PARAMS);
    const hits = scope.services.filter((s) => s.role !== 'local-only' && s.policy.saslEnabled && !s.policy.authOnly.value);
    if (hits.length === 0) return;
    const withTls = hits.filter((s) => s.policy.offersTls);
    const without = hits.filter((s) => !s.policy.offersTls);
    const node = model.definition('smtpd_tls_auth_only') ?? model.definition('smtpd_sasl_auth_enable');
    if (without.length > 0) {
      report({
        messageId: 'noTls',
        data: { services: without.map(serviceLabel).join(', '), level: `level ${without[0].policy.level ?? 'invalid'}` },
        parameter: 'smtpd_sasl_auth_enable',
        node: model.definition('smtpd_sasl_auth_enable') ?? node,
        severity: 'error',
        confirm: smtpProbeCommand(model, without[0]),
      });
    }
    if (withTls.length > 0) {
      const set = scopedSetting(model, scope, withTls[0], 'smtpd_tls_auth_only', 'yes', ['smtpd_sasl_auth_enable']);
      report({
        messageId: 'beforeStarttls',
        data: { services: withTls.map(serviceLabel).join(', ') },
        parameter: 'smtpd_tls_auth_only',
        node,
        fix: set ? { kind: 'safe', description: 'set smtpd_tls_auth_only = yes (AUTH only after STARTTLS)', ...set } : null,
        confirm: smtpProbeCommand(model, withTls[0]),
      });
    }
  },
});
