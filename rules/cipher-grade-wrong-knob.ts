import { defineRule } from '../src/engine/types.js';
import { describeSetting } from '../src/engine/helpers.js';
import { insertParam } from '../src/fixer/edits.js';
import { gradeKnobsInForce, hardeningOnUnreadGrade, levelFor, stricterGrade, type GradePrefix } from '../src/model/cipher-grades.js';
import { parseCipherGrade } from '../src/model/values/index.js';

const PREFIXES: readonly GradePrefix[] = ['smtp', 'lmtp', 'smtpd'];

export default defineRule({
  meta: {
    id: 'cipher-grade-wrong-knob',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'A cipher grade setting should be the one the configured security level actually reads.',
    why: 'Postfix keeps two cipher grades per daemon: *_tls_ciphers for opportunistic TLS (level may) and *_tls_mandatory_ciphers for encrypt and stronger levels. Setting the grade the level does not read changes nothing: a "high" that was meant to harden a mandatory-TLS transport leaves it at the default "medium", and a master.cf -o override of the unread grade is dead configuration.',
    parameters: [
      'smtp_tls_ciphers', 'smtp_tls_mandatory_ciphers', 'lmtp_tls_ciphers', 'lmtp_tls_mandatory_ciphers', 'smtpd_tls_ciphers', 'smtpd_tls_mandatory_ciphers',
      'smtp_tls_security_level', 'lmtp_tls_security_level', 'smtpd_tls_security_level', 'smtp_tls_policy_maps', 'lmtp_tls_policy_maps',
    ],
    fixable: true,
    summaries: {
      unread: '{{param}} = {{value}} has no effect: at level {{level}} {{side}} reads {{inForce}}',
      'override-unread': '{{param}} = {{value}} has no effect here: at level {{level}} {{side}} reads {{inForceSetting}}',
    },
    messages: {
      unread:
        '{{param}} = {{value}} has no effect: at level {{level}} {{side}} reads {{inForceSetting}} instead, so the grade it negotiates with is still {{inForceValue}}; set {{inForce}} = {{value}} if that is what you meant',
      'override-unread':
        '{{param}} = {{value}} has no effect here: at level {{level}} {{side}} reads {{inForceSetting}} instead, so this override changes nothing; {{advice}}',
    },
    references: [
      { title: 'postconf(5): smtp_tls_ciphers (opportunistic grade)', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_ciphers' },
      { title: 'postconf(5): smtp_tls_mandatory_ciphers (grade at encrypt and stronger levels)', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_mandatory_ciphers' },
      { title: 'postconf(5): smtpd_tls_ciphers, smtpd_tls_mandatory_ciphers', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_mandatory_ciphers' },
      { title: 'TLS_README: Client-side cipher controls', url: 'https://www.postfix.org/TLS_README.html#client_cipher' },
    ],
  },
  check({ model, report }) {
    for (const prefix of PREFIXES) {
      const inForce = gradeKnobsInForce(model, prefix);
      // Both grades are read (dane), or neither (TLS off); a policy table may select either level per destination.
      if (inForce.length !== 1) continue;
      if (prefix !== 'smtpd' && model.value(`${prefix}_tls_policy_maps`).trim() !== '') continue;
      const read = inForce[0];
      const unread = read === `${prefix}_tls_ciphers` ? `${prefix}_tls_mandatory_ciphers` : `${prefix}_tls_ciphers`;
      const resolved = model.resolve(unread);
      if (!resolved || resolved.source === 'default') continue;
      const value = model.value(unread);
      const grade = parseCipherGrade(value, model.version).grade;
      const data = {
        param: unread,
        value: value === '' ? '(empty)' : value,
        level: levelFor(model, prefix) ?? '',
        side: prefix === 'smtpd' ? 'smtpd' : `the ${prefix} client`,
        inForce: read,
        inForceSetting: describeSetting(model, read),
        inForceValue: model.value(read) || '(empty)',
      };
      const stricter = stricterGrade(model, value, model.value(read));
      if (resolved.source === 'override') {
        // Raising the opportunistic grade instead would be opportunistic-high-grade's finding: then only "remove".
        const advice = stricter && read.includes('_mandatory_') ? `to require it, override ${read} instead (-o ${read}=${grade})` : 'remove the override';
        report({ messageId: 'override-unread', data: { ...data, advice }, parameter: unread });
        continue;
      }
      // main.cf: a stricter opportunistic grade at a mandatory level, beside the default mandatory one, is a
      // hardening set on the wrong knob. (A stricter mandatory grade at level may is a template for mandatory
      // transports and policy entries; copying it to the opportunistic grade is what opportunistic-high-grade
      // advises against.)
      const node = resolved.node;
      if (!node || !grade || !hardeningOnUnreadGrade(model, prefix)) continue;
      report({
        messageId: 'unread',
        data,
        parameter: unread,
        node,
        fix: { kind: 'safe', description: `set ${read} = ${grade} (the grade the level reads)`, edits: [insertParam(model.file, read, grade, node)] },
      });
    }
  },
});
