import { defineRule, type Edit } from '../src/engine/types.js';
import { serverScope } from '../src/engine/server-scope.js';
import { removeParam } from '../src/fixer/edits.js';
import { removeServiceOverride } from '../src/fixer/master-edits.js';
import { catalogueNames, getParameter } from '../src/model/catalogue/index.js';
import { versionAtLeast } from '../src/model/version.js';

/** Parameters a release ignores (postconf(5) and RELEASE_NOTES via the catalogue): dh512, eecdh grade and curves, low/export lists. */
const IGNORED = catalogueNames().filter((n) => getParameter(n)?.ignoredSince !== undefined);
const DH_FILES = ['smtpd_tls_dh1024_param_file', 'tlsproxy_tls_dh1024_param_file'];
const PARAMS = [...IGNORED, ...DH_FILES];

const WHY_IGNORED: Readonly<Record<string, string>> = {
  smtpd_tls_dh512_param_file: 'export-grade 512-bit DH is gone; there is nothing to use it for',
  tlsproxy_tls_dh512_param_file: 'export-grade 512-bit DH is gone; there is nothing to use it for',
  smtpd_tls_eecdh_grade: 'smtpd always behaves as with "auto" and negotiates the groups of tls_eecdh_auto_curves',
  tlsproxy_tls_eecdh_grade: 'tlsproxy always behaves as with "auto" and negotiates the groups of tls_eecdh_auto_curves',
  tls_eecdh_strong_curve: 'it only served smtpd_tls_eecdh_grade = strong; the groups come from tls_eecdh_auto_curves',
  tls_eecdh_ultra_curve: 'it only served smtpd_tls_eecdh_grade = ultra; the groups come from tls_eecdh_auto_curves',
  tls_low_cipherlist: 'the "low" grade uses the medium cipher list',
  tls_export_cipherlist: 'the "export" grade uses the medium cipher list',
};

/** Bits of a DH parameter file as its name tells ("dh4096.pem" -> 4096), or null. */
function bitsFromName(path: string): number | null {
  const m = /(?:^|[^0-9])(1024|2048|3072|4096|6144|8192)(?:[^0-9]|$)/.exec(path.slice(path.lastIndexOf('/') + 1));
  return m ? Number(m[1]) : null;
}

export default defineRule({
  meta: {
    id: 'obsolete-tls-settings',
    category: 'deprecation',
    defaultSeverity: 'warning',
    description: 'TLS settings the chosen Postfix release ignores (dh512, eecdh grade and curves, low/export cipher lists) should go, and DH parameter files should follow postconf(5).',
    why: 'Postfix 3.6 stopped reading smtpd_tls_dh512_param_file, smtpd_tls_eecdh_grade and the tls_eecdh_strong/ultra curves, and 3.8 the low and export cipher lists: the lines do nothing but suggest a hardening that is not there. With Postfix 3.7 and OpenSSL 3, an empty (or "auto") smtpd_tls_dh1024_param_file lets OpenSSL choose DH groups, which postconf(5) calls the most interoperable choice; from 3.9 postconf warns about the parameter. DH groups much larger than 2048 bits cost CPU on every handshake and some mainstream clients reject them.',
    parameters: PARAMS,
    fixable: true,
    messages: {
      ignored: '{{name}} = {{value}} has no effect with Postfix {{version}}: it is ignored from Postfix {{since}} ({{why}}). Remove the line',
      dhOpenssl3:
        '{{name}} = {{value}} overrides the DH parameters OpenSSL 3 would choose; with Postfix 3.7 and later built on OpenSSL 3, postconf(5) recommends leaving it empty (or "auto") as the most interoperable choice{{warns}}. Remove the line unless a client is known to need these parameters',
      dhLarge:
        '{{name}} = {{value}} names a {{bits}}-bit DH group, larger than the 2048 bits postconf(5) calls best practice: every DHE handshake gets slower and some mainstream SMTP clients stop interoperating. Use a 2048-bit group, or leave the parameter empty with OpenSSL 3',
    },
    references: [
      { title: 'postconf(5): smtpd_tls_dh1024_param_file ("do not be tempted to use much larger values"; empty or "auto" with OpenSSL 3)', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_dh1024_param_file' },
      { title: 'postconf(5): smtpd_tls_eecdh_grade ("As of Postfix 3.6, the value of this parameter is always ignored")', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_eecdh_grade' },
      { title: 'postconf(5): smtpd_tls_dh512_param_file (ignored as of Postfix 3.6)', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_dh512_param_file' },
      { title: 'Postfix 3.8 RELEASE_NOTES: "export" and "low" grades use the medium cipher list', url: 'https://www.postfix.org/announcements/postfix-3.8.0.html' },
      { title: 'DEPRECATION_README: smtpd_tls_dh1024_param_file and smtpd_tls_eecdh_grade (postconf warns from 3.9)', url: 'https://www.postfix.org/DEPRECATION_README.html' },
      { title: 'FORWARD_SECRECY_README: Server-side forward secrecy (DH parameters)', url: 'https://www.postfix.org/FORWARD_SECRECY_README.html#server_fs' },
    ],
  },
  check({ model, facts, report }) {
    const scope = serverScope(model, facts, PARAMS);
    const perService = scope.perService ? scope.services[0] : undefined;
    if (scope.perService && !perService) return;
    const master = scope.server.master;
    /** Where the setting is written: the service's -o in a per-service run, else main.cf. */
    const written = (name: string) => {
      if (perService) {
        const o = perService.service?.overrides.find((x) => x.name === name && x.effective);
        return o ? { value: o.value, remove: master ? ({ file: master.path, edits: [removeServiceOverride(master, o.range)] } as { file?: string; edits: Edit[] }) : null } : null;
      }
      const defs = model.definitions.get(name);
      if (!defs) return null;
      return { value: defs[defs.length - 1].value, remove: { edits: defs.map(removeParam) } as { file?: string; edits: Edit[] } };
    };
    for (const name of IGNORED) {
      const w = written(name);
      const since = getParameter(name)?.ignoredSince;
      if (!w || !since || !versionAtLeast(model.version, since)) continue;
      report({
        messageId: 'ignored',
        data: { name, value: w.value === '' ? '(empty)' : w.value, version: model.version, since, why: WHY_IGNORED[name] ?? 'see postconf(5)' },
        parameter: name,
        node: model.definition(name),
        fix: w.remove ? { kind: 'safe', description: `remove the ignored ${name} setting`, ...w.remove } : null,
      });
    }
    for (const name of DH_FILES) {
      const w = written(name);
      const value = w?.value.trim() ?? '';
      if (!w || value === '' || value.toLowerCase() === 'auto') continue;
      const bits = bitsFromName(value);
      if (bits !== null && bits > 2048) {
        report({ messageId: 'dhLarge', data: { name, value, bits }, parameter: name, node: model.definition(name), severity: 'info' });
      } else if (versionAtLeast(model.version, '3.7') && facts.opensslVersion >= 3) {
        const warns = versionAtLeast(model.version, '3.9') ? '; postconf warns about it from Postfix 3.9' : '';
        report({ messageId: 'dhOpenssl3', data: { name, value, warns }, parameter: name, node: model.definition(name), severity: warns ? 'warning' : 'info' });
      }
    }
  },
});
