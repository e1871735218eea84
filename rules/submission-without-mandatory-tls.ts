import { defineRule } from '../src/engine/types.js';
import { serverScope, serviceLabel, smtpProbeCommand } from '../src/engine/server-scope.js';
import { setServiceOverride } from '../src/fixer/master-edits.js';

const PARAMS = ['smtpd_tls_security_level', 'smtpd_use_tls', 'smtpd_enforce_tls', 'smtpd_tls_wrappermode', 'smtpd_sasl_auth_enable'];

export default defineRule({
  meta: {
    id: 'submission-without-mandatory-tls',
    category: 'security',
    defaultSeverity: 'warning',
    description: 'A submission service (port 587) that offers AUTH should require TLS (-o smtpd_tls_security_level=encrypt in master.cf).',
    why: 'Submission is where your own users and devices log in. At level may a client that does not start TLS, or whose STARTTLS an attacker strips, submits (and with smtpd_tls_auth_only = no authenticates) in plaintext. Postfix\'s stock master.cf, RFC 8314 and TLS_README require TLS on submission: unlike port 25, every client there is yours and can be configured for TLS. Requiring it on submission is also what makes opportunistic TLS on the public MX acceptable.',
    parameters: PARAMS,
    fixable: true,
    messages: {
      optional:
        'The submission service {{services}} offers AUTH without requiring TLS, so clients can submit and log in over plaintext. It runs at {{level}} with smtpd_sasl_auth_enable = yes; add -o smtpd_tls_security_level=encrypt to it in master.cf, as the stock master.cf does (this also implies smtpd_tls_auth_only = yes)',
    },
    references: [
      { title: 'Postfix stock master.cf: submission with -o smtpd_tls_security_level=encrypt and -o smtpd_sasl_auth_enable=yes', url: 'https://www.postfix.org/master.5.html' },
      { title: 'TLS_README: Server-side TLS activity and enforcement', url: 'https://www.postfix.org/TLS_README.html#server_enable' },
      { title: 'RFC 8314 section 3: TLS for email submission', url: 'https://www.rfc-editor.org/rfc/rfc8314#section-3' },
      { title: 'RFC 6409: Message Submission for Mail (port 587)', url: 'https://www.rfc-editor.org/rfc/rfc6409' },
    ],
  },
  check({ model, facts, report }) {
    const scope = serverScope(model, facts, PARAMS);
    const master = scope.server.master;
    const hits = scope.services.filter((s) => s.role === 'submission' && s.policy.saslEnabled && !s.policy.enforced);
    if (hits.length === 0) return;
    const edits = master ? hits.filter((s) => s.service).map((s) => setServiceOverride(master, s.service!.node, 'smtpd_tls_security_level', 'encrypt')) : [];
    // Without a certificate, encrypt would refuse every client: certificate first (smtpd-tls-without-certificate).
    const certified = hits.every((s) => s.policy.certificates.configured);
    report({
      messageId: 'optional',
      data: { services: hits.map(serviceLabel).join(', '), level: `level ${hits[0].policy.level}` },
      parameter: 'smtpd_tls_security_level',
      node: model.definition('smtpd_tls_security_level'),
      fix: master && edits.length > 0 && certified
        ? { kind: 'safe', description: `set -o smtpd_tls_security_level=encrypt on ${hits.map((s) => s.name).join(', ')} in master.cf`, file: master.path, edits }
        : null,
      confirm: smtpProbeCommand(model, { ...hits[0], port: hits[0].port ?? 587 }),
    });
  },
});
