import { defineRule } from '../src/engine/types.js';
import { scopedSetting, serverScope, serviceLabel } from '../src/engine/server-scope.js';
import { describeSetting } from '../src/engine/helpers.js';
import { hardeningOnUnreadGrade } from '../src/model/cipher-grades.js';
import { serviceWithSettings } from '../src/interop/predict-inbound.js';
import { blameInbound, blameSeverity, describeBlame } from '../src/interop/inbound-blame.js';

const PARAMS = ['smtpd_tls_ciphers', 'smtpd_tls_mandatory_ciphers', 'smtpd_tls_security_level', 'smtpd_use_tls', 'smtpd_enforce_tls', 'smtpd_tls_wrappermode'];

export default defineRule({
  meta: {
    id: 'smtpd-cipher-grade',
    category: 'interop',
    defaultSeverity: 'warning',
    description: 'The public MX should keep the opportunistic server grade at medium, and a server grade should be set on the knob smtpd reads.',
    why: 'The mirror of the client grade rules for smtpd. At level may smtpd reads smtpd_tls_ciphers; "high" there removes the medium-strength suites that some senders need, and those senders then deliver in plaintext or keep the mail queued, which is weaker than the suite that was refused (postconf(5) calls insisting on "high" counter-productive). smtpd reads smtpd_tls_mandatory_ciphers only where TLS is required (encrypt, wrapper mode), so a grade set on the knob no smtpd service reads changes nothing and misleads readers.',
    parameters: PARAMS,
    fixable: true,
    messages: {
      high:
        'smtpd_tls_ciphers = high narrows the suites of the public MX {{services}}, where TLS is opportunistic. {{affected}}. Keep smtpd_tls_ciphers = medium; require "high" with smtpd_tls_mandatory_ciphers where TLS is mandatory (submission)',
      notRead:
        '{{setting}} has no effect: no smtpd service reads it ({{why}}). Set the grade on {{other}} instead, or remove the line',
    },
    references: [
      { title: 'postconf(5): smtpd_tls_ciphers and smtpd_tls_mandatory_ciphers ("insisting on high is generally counter-productive")', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_mandatory_ciphers' },
      { title: 'TLS_README: Server-side cipher controls', url: 'https://www.postfix.org/TLS_README.html#server_cipher' },
      { title: 'RFC 7435: Opportunistic Security', url: 'https://www.rfc-editor.org/rfc/rfc7435' },
      { title: 'Client profiles shipped in data/clients/ (sources listed per profile); `postfix-tls-lint clients`' },
    ],
  },
  check({ model, facts, report }) {
    const scope = serverScope(model, facts, ['smtpd_tls_ciphers', 'smtpd_tls_mandatory_ciphers']);
    for (const svc of scope.services) {
      const p = svc.policy;
      if (svc.role !== 'public-mx' || p.level !== 'may' || p.grade.grade !== 'high') continue;
      // Blamed only for the clients that medium gives TLS back on the service as configured (not those the
      // protocol floor or an exclusion refuses too: smtpd-protocol-floor and smtpd-cipher-exclusion name those).
      const blame = blameInbound([svc], () => new Map([['smtpd_tls_ciphers', 'high']]), (s) => serviceWithSettings(s, new Map([['smtpd_tls_ciphers', 'medium']])), facts.clients ?? []);
      const affected = describeBlame(blame, 'smtpd_tls_ciphers = medium')
        ?? 'None of the client profiles checked is affected today (OpenSSL 3 has no medium-only suite left that they need), but any sender with only medium-strength suites would fall back to plaintext';
      const set = scopedSetting(model, scope, svc, 'smtpd_tls_ciphers', 'medium');
      report({
        messageId: 'high',
        data: { services: serviceLabel(svc), affected },
        parameter: 'smtpd_tls_ciphers',
        node: model.definition('smtpd_tls_ciphers'),
        severity: blameSeverity(blame),
        ...(blame.own[0] ? { confirm: blame.own[0].confirm } : {}),
        fix: set ? { kind: 'interop', description: 'set smtpd_tls_ciphers = medium', ...set } : null,
      });
      break;
    }
    // A grade on the knob no service reads: judged over all services, from main.cf only.
    // Without a master.cf the submission entries are unknown: the other knob may well be read there.
    if (scope.perService || scope.server.masterCf === 'assumed') return;
    const all = scope.server.services;
    if (all.length === 0) return;
    const enforced = all.filter((s) => s.policy.enforced).length;
    for (const [param, other, unread, why] of [
      ['smtpd_tls_mandatory_ciphers', 'smtpd_tls_ciphers', enforced === 0, 'every smtpd runs at level may or none, where smtpd_tls_ciphers applies'],
      ['smtpd_tls_ciphers', 'smtpd_tls_mandatory_ciphers', enforced === all.length, 'every smtpd requires TLS (level encrypt or wrapper mode), where smtpd_tls_mandatory_ciphers applies'],
    ] as const) {
      const node = model.definition(param);
      if (!node || !unread || model.value(param).toLowerCase() === model.value(other).toLowerCase()) continue;
      // One root cause, one finding: a stricter opportunistic grade where every smtpd requires TLS is
      // cipher-grade-wrong-knob's (a warning with a fix, at the service whose level makes it unread; corpus 040).
      if (param === 'smtpd_tls_ciphers' && all.every((s) => hardeningOnUnreadGrade(s.model, 'smtpd'))) continue;
      report({ messageId: 'notRead', data: { setting: describeSetting(model, param), why, other }, parameter: param, node, severity: 'info' });
    }
  },
});
