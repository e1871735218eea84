import { defineRule, type Edit } from '../src/engine/types.js';
import { serverScope } from '../src/engine/server-scope.js';
import { removeServiceOverride } from '../src/fixer/master-edits.js';
import { versionAtLeast } from '../src/model/version.js';

const LEGACY = ['smtpd_use_tls', 'smtpd_enforce_tls'];
const PARAMS = [...LEGACY, 'smtpd_tls_security_level'];

/**
 * The obsolete smtpd switches set with -o in master.cf. In main.cf they are
 * legacy-tls-parameters' findings; here the finding and its fix belong to the
 * -o option, so the rule speaks only in a service's own run (lint-server.ts).
 */
export default defineRule({
  meta: {
    id: 'legacy-tls-override',
    category: 'deprecation',
    defaultSeverity: 'warning',
    description: 'master.cf services should not set the obsolete smtpd_use_tls / smtpd_enforce_tls with -o; they should set smtpd_tls_security_level.',
    why: 'smtpd_use_tls and smtpd_enforce_tls predate TLS security levels. As -o overrides in master.cf (often copied from old submission examples: "-o smtpd_enforce_tls=yes") they count only while smtpd_tls_security_level is empty for that service; next to a level they are dead text, and alone they hide which level the service runs at. postconf warns about them from Postfix 3.9 and they are scheduled for removal.',
    parameters: PARAMS,
    fixable: true,
    messages: {
      replace:
        '-o {{name}}={{value}} is obsolete: with smtpd_tls_security_level empty it gives level "{{level}}". {{deprecation}} Write -o smtpd_tls_security_level={{level}} instead',
      ignored:
        '-o {{name}}={{value}} is obsolete and ignored: smtpd_tls_security_level = {{levelValue}} decides the level. {{deprecation}} Remove the option',
    },
    references: [
      { title: 'postconf(5): smtpd_use_tls, smtpd_enforce_tls (obsolete; smtpd_tls_security_level overrides them)', url: 'https://www.postfix.org/postconf.5.html#smtpd_enforce_tls' },
      { title: 'TLS_LEGACY_README: Postfix legacy TLS support', url: 'https://www.postfix.org/TLS_LEGACY_README.html' },
      { title: 'DEPRECATION_README: smtpd_use_tls, smtpd_enforce_tls (postconf warns from 3.9)', url: 'https://www.postfix.org/DEPRECATION_README.html' },
      { title: 'master(5): -o name=value overrides', url: 'https://www.postfix.org/master.5.html' },
    ],
  },
  check({ model, facts, report }) {
    const scope = serverScope(model, facts, PARAMS);
    if (!scope.perService) return;
    const svc = scope.services[0];
    const master = scope.server.master;
    if (!svc?.service || !master) return;
    const own = svc.service.overrides.filter((o) => o.effective && LEGACY.includes(o.name));
    if (own.length === 0) return;
    const deprecation = versionAtLeast(model.version, '3.9') ? 'postconf warns that it will be removed (Postfix 3.9 and later).' : 'Postfix 3.9 and later warn that it will be removed.';
    const levelValue = model.value('smtpd_tls_security_level');
    const name = `${svc.service.service}/${svc.service.type}`;
    if (levelValue !== '') {
      for (const o of own) {
        report({
          messageId: 'ignored',
          data: { name: o.name, value: o.value, service: name, levelValue, deprecation },
          parameter: o.name,
          fix: { kind: 'safe', description: `remove the ignored -o ${o.name} from master.cf service ${svc.service.service}`, file: master.path, edits: [removeServiceOverride(master, o.range)] },
        });
      }
      return;
    }
    const level = svc.policy.level ?? 'none';
    // The first legacy option becomes the level; the others go (they are dead once a level is set).
    const [first, ...rest] = [...own].sort((a, b) => a.range[0] - b.range[0]);
    const edits: Edit[] = [
      { range: first.nameRange, text: 'smtpd_tls_security_level' },
      { range: first.valueRange, text: level },
      ...rest.map((o) => removeServiceOverride(master, o.range)),
    ];
    for (const o of own) {
      report({
        messageId: 'replace',
        data: { name: o.name, value: o.value, service: name, level, deprecation },
        parameter: o.name,
        fix: o === first ? { kind: 'safe', description: `replace ${own.map((x) => `-o ${x.name}`).join(', ')} with -o smtpd_tls_security_level=${level} (same level)`, file: master.path, edits } : null,
      });
    }
  },
});
