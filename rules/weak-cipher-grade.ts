import { defineRule } from '../src/engine/types.js';
import { gradeKnobsInForce } from '../src/model/cipher-grades.js';
import { describeSetting } from '../src/engine/helpers.js';
import { setParam } from '../src/fixer/edits.js';
import { parseCipherGrade } from '../src/model/values/index.js';

type Prefix = 'smtp' | 'lmtp' | 'smtpd';
const PREFIXES: readonly Prefix[] = ['smtp', 'lmtp', 'smtpd'];
const SIDE: Record<Prefix, string> = { smtp: 'the SMTP client', lmtp: 'the LMTP client', smtpd: 'the SMTP server' };


export default defineRule({
  meta: {
    id: 'weak-cipher-grade',
    category: 'security',
    defaultSeverity: 'error',
    description: 'Cipher grade parameters should not select the "export", "low" or "null" grades.',
    why: 'The export and low grades let Postfix offer and accept ciphers with 40- to 64-bit keys wherever the TLS library still has them, and the null grade negotiates TLS 1.2 suites that do not encrypt at all. Since Postfix 3.8 export and low quietly behave as medium, so there the setting only misleads whoever reads it. "medium" is the default and the right grade almost everywhere.',
    parameters: [
      'smtp_tls_ciphers', 'smtp_tls_mandatory_ciphers', 'lmtp_tls_ciphers', 'lmtp_tls_mandatory_ciphers',
      'smtpd_tls_ciphers', 'smtpd_tls_mandatory_ciphers', 'smtp_tls_security_level', 'lmtp_tls_security_level', 'smtpd_tls_security_level',
    ],
    fixable: true,
    summaries: {
      weak: '{{setting}} selects the weak "{{grade}}" grade',
      asMedium: '{{setting}}: since Postfix 3.8 "{{grade}}" behaves exactly like medium',
      null: '{{setting}}: the "null" grade does not encrypt',
      nullLmtp: '{{setting}}: the "null" grade does not encrypt LMTP sessions',
    },
    messages: {
      weak: '{{setting}}: the "{{grade}}" grade makes {{side}} use tls_{{grade}}_cipherlist, which admits {{strength}} ciphers wherever the OpenSSL library still provides them; set {{param}} = medium',
      asMedium: '{{setting}}: since Postfix 3.8 the "{{grade}}" grade behaves exactly like "medium" (tls_{{grade}}_cipherlist is ignored), so the setting is misleading rather than weak; write {{param}} = medium to say what Postfix does',
      null: '{{setting}}: the "null" grade makes {{side}} negotiate TLS 1.2 and older sessions with cipher suites that do not encrypt at all (integrity only); set {{param}} = medium',
      nullLmtp: '{{setting}}: the "null" grade means LMTP sessions up to TLS 1.2 are not encrypted; that is only reasonable when LMTP runs over a UNIX-domain socket on this host, otherwise set {{param}} = medium',
    },
    references: [
      { title: 'postconf(5): smtp_tls_ciphers', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_ciphers' },
      { title: 'postconf(5): smtp_tls_mandatory_ciphers ("null" is only sensible for LMTP over UNIX sockets)', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_mandatory_ciphers' },
      { title: 'postconf(5): smtpd_tls_ciphers', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_ciphers' },
      { title: 'Postfix 3.0 RELEASE_NOTES: "Incompatible change with Postfix 3.0.2" (opportunistic grade export → medium)' },
      { title: 'Postfix 3.8 RELEASE_NOTES: "export" and "low" grades are treated as "medium"' },
      { title: 'RFC 7525 §4.1: do not negotiate NULL, export or anonymous cipher suites', url: 'https://www.rfc-editor.org/rfc/rfc7525#section-4.1' },
    ],
  },
  check({ model, report }) {
    const modern = parseCipherGrade('low', model.version).effectiveGrade === 'medium';
    for (const prefix of PREFIXES) {
      const inForce = gradeKnobsInForce(model, prefix);
      for (const param of [`${prefix}_tls_ciphers`, `${prefix}_tls_mandatory_ciphers`]) {
        const resolved = model.resolve(param);
        if (!resolved) continue;
        // A grade only matters where the daemon reads it: an unread one is cipher-grade-wrong-knob's finding,
        // and where a service or policy entry reads it, it is reported there.
        if (!inForce.includes(param)) continue;
        const parsed = parseCipherGrade(model.value(param), model.version);
        const grade = parsed.grade;
        if (!parsed.ok || (grade !== 'export' && grade !== 'low' && grade !== 'null')) continue;
        const node = model.definition(param);
        const fix = {
          kind: 'safe' as const,
          description: `set ${param} = medium`,
          edits: [setParam(model.file, param, 'medium', node)],
        };
        const data = { setting: describeSetting(model, param), grade, param, side: SIDE[prefix] };
        if (grade === 'null') {
          const lmtp = prefix === 'lmtp';
          report({ messageId: lmtp ? 'nullLmtp' : 'null', data, parameter: param, node, fix, ...(lmtp ? { severity: 'warning' as const } : {}) });
        } else if (modern) {
          report({ messageId: 'asMedium', data, parameter: param, node, fix, severity: 'warning' });
        } else {
          const strength = grade === 'export' ? 'EXPORT (40/56-bit) and LOW (single DES)' : 'LOW (single DES, 56-bit)';
          report({ messageId: 'weak', data: { ...data, strength }, parameter: param, node, fix });
        }
      }
    }
  },
});
