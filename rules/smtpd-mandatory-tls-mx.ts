import { defineRule, type Edit } from '../src/engine/types.js';
import { serverScope, serviceLabel, smtpProbeCommand } from '../src/engine/server-scope.js';
import { setParam } from '../src/fixer/edits.js';
import { setServiceOverride } from '../src/fixer/master-edits.js';
import type { ServerService } from '../src/model/server-services.js';

const PARAMS = ['smtpd_tls_security_level', 'smtpd_enforce_tls', 'smtpd_use_tls', 'smtpd_tls_wrappermode'];

function settingText(s: ServerService): string {
  const p = s.policy;
  if (p.wrappermode) return 'smtpd_tls_wrappermode = yes';
  if (p.levelSource.param === 'smtpd_enforce_tls') return 'smtpd_enforce_tls = yes (smtpd_tls_security_level empty)';
  return `smtpd_tls_security_level = ${s.model.value('smtpd_tls_security_level')}`;
}

export default defineRule({
  meta: {
    id: 'smtpd-mandatory-tls-mx',
    category: 'interop',
    defaultSeverity: 'error',
    description: 'The public MX (smtpd on port 25 reachable from other hosts) must not require TLS.',
    why: 'A public MX receives mail from every server on the internet, and many of them do not use STARTTLS or fail the handshake. With TLS required, smtpd answers their MAIL FROM with "530 5.7.0 Must issue a STARTTLS command first", a permanent error, so their mail bounces, and senders that retry in plaintext after a failed handshake cannot. RFC 3207 and postconf(5) say a publicly-referenced SMTP server must not require TLS; require it on submission (587) instead, where your own users log in.',
    parameters: PARAMS,
    fixable: true,
    messages: {
      required:
        'smtpd requires TLS on the public MX {{services}}, so senders without STARTTLS are refused with 530 and bounce their mail. {{setting}} makes TLS mandatory there; RFC 3207 (section 4) and postconf(5) say a publicly-referenced SMTP server must not require TLS, and a sender whose handshake fails can no longer fall back to plaintext either. Keep level may on port 25 and require TLS only where clients authenticate (submission, 587, with "-o smtpd_tls_security_level=encrypt" in master.cf){{assumption}}',
    },
    references: [
      { title: 'RFC 3207 section 4: a publicly-referenced SMTP server must not require the STARTTLS extension', url: 'https://www.rfc-editor.org/rfc/rfc3207#section-4' },
      { title: 'postconf(5): smtpd_tls_security_level ("According to RFC 2487 this MUST NOT be applied in case of a publicly-referenced SMTP server")', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_security_level' },
      { title: 'TLS_README: Server-side TLS activity and enforcement (smtpd_tls_security_level = encrypt, "530 Must issue a STARTTLS command first")', url: 'https://www.postfix.org/TLS_README.html#server_enable' },
      { title: 'master(5) and the stock master.cf: submission with -o smtpd_tls_security_level=encrypt', url: 'https://www.postfix.org/master.5.html' },
    ],
  },
  check({ model, facts, report }) {
    const scope = serverScope(model, facts, PARAMS);
    const hits = scope.services.filter((s) => s.role === 'public-mx' && s.policy.enforced);
    if (hits.length === 0) return;
    const assumed = hits.every((s) => s.assumed);
    const first = hits[0];
    const param = first.policy.levelSource.param;
    const master = scope.server.master;
    let fix = null;
    if (!first.policy.wrappermode) {
      // With a master.cf, only the port-25 entries change: main.cf keeps its level for every other smtpd.
      const edits: Edit[] = master
        ? hits.filter((s) => s.service).map((s) => setServiceOverride(master, s.service!.node, 'smtpd_tls_security_level', 'may'))
        : [setParam(model.file, 'smtpd_tls_security_level', 'may', model.definition('smtpd_tls_security_level'))];
      if (edits.length > 0) {
        fix = {
          kind: 'interop' as const,
          description: master
            ? `set -o smtpd_tls_security_level=may on ${hits.map((s) => s.name).join(', ')} in master.cf (other services keep their level)`
            : 'set smtpd_tls_security_level = may (require TLS on submission in master.cf)',
          edits,
          ...(master ? { file: master.path } : {}),
        };
      }
    }
    report({
      messageId: 'required',
      data: {
        services: hits.map(serviceLabel).join(', '),
        setting: settingText(first),
        assumption: assumed ? '. Without a master.cf beside main.cf the stock one is assumed, whose smtp service on port 25 takes these main.cf settings' : '',
      },
      parameter: param,
      node: model.definition(param),
      severity: assumed ? 'warning' : 'error',
      fix,
      confirm: smtpProbeCommand(model, first),
    });
  },
});
