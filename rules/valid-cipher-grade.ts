import { defineRule } from '../src/engine/types.js';
import { gradeKnobsInForce } from '../src/model/cipher-grades.js';
import { CIPHER_GRADES, q, parseCipherGrade } from '../src/model/values/index.js';

type Prefix = 'smtp' | 'lmtp' | 'smtpd';
const PREFIXES: readonly Prefix[] = ['smtp', 'lmtp', 'smtpd'];


function hintFor(value: string): string {
  if (/(^|\s)#/.test(value)) return ' ("#" after a value is not a comment; it became part of the value)';
  if (/[:!+@,]/.test(value) || /^[A-Z0-9-]+$/.test(value) && value.length > 4) {
    return ' (it looks like an OpenSSL cipher list: a grade is one word; a custom list would belong in tls_high_cipherlist or tls_medium_cipherlist, which the Postfix docs strongly advise against changing, and single ciphers are better removed with the *_exclude_ciphers parameters)';
  }
  return '';
}

function effectFor(prefix: Prefix, inForce: boolean): string {
  if (prefix === 'smtpd') {
    return inForce
      ? 'every STARTTLS session fails: the server logs "invalid cipher grade" and drops the connection after "220 Ready to start TLS"'
      : 'it is not read at the current smtpd_tls_security_level, but STARTTLS sessions will fail as soon as that level changes';
  }
  return inForce
    ? `every TLS handshake of the ${prefix.toUpperCase()} client fails ("invalid cipher grade"): mail is deferred, and at level may it goes out in plaintext on a later retry`
    : `it is not read at the current ${prefix}_tls_security_level, but every TLS session will fail as soon as a level (or a policy entry) uses it`;
}

export default defineRule({
  meta: {
    id: 'valid-cipher-grade',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'Cipher grade parameters must hold one of the grade words export, low, medium, high or null.',
    why: 'Postfix takes the whole value of *_tls_ciphers and *_tls_mandatory_ciphers as a grade name. Anything else, such as an OpenSSL cipher string or a trailing "# comment", is rejected at every TLS session: the client defers (or later sends in plaintext at level may) and the server drops the connection after STARTTLS. postconf does not check these values, so the mistake only shows in the mail log.',
    parameters: [
      'smtp_tls_ciphers', 'smtp_tls_mandatory_ciphers', 'lmtp_tls_ciphers', 'lmtp_tls_mandatory_ciphers',
      'smtpd_tls_ciphers', 'smtpd_tls_mandatory_ciphers', 'smtp_tls_security_level', 'lmtp_tls_security_level', 'smtpd_tls_security_level',
    ],
    fixable: false,
    summaries: {
      invalid: '{{param}} = {{value}} is not a cipher grade: every TLS session that uses it fails',
      idle: '{{param}} = {{value}} is not a cipher grade (not read at the current level)',
    },
    messages: {
      invalid: '{{param}} = {{value}} is not a cipher grade{{hint}}; {{effect}}. Use one of {{grades}} (normally medium)',
      idle: '{{param}} = {{value}} is not a cipher grade{{hint}}; {{effect}}. Use one of {{grades}} (normally medium)',
    },
    references: [
      { title: 'postconf(5): smtp_tls_mandatory_ciphers', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_mandatory_ciphers' },
      { title: 'postconf(5): tls_high_cipherlist ("strongly encouraged to not change this setting")', url: 'https://www.postfix.org/postconf.5.html#tls_high_cipherlist' },
      { title: 'postconf(5): smtpd_tls_mandatory_ciphers', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_mandatory_ciphers' },
      { title: 'TLS_README: Client-side cipher controls', url: 'https://www.postfix.org/TLS_README.html#client_cipher' },
    ],
  },
  check({ model, report }) {
    for (const prefix of PREFIXES) {
      const knob = gradeKnobsInForce(model, prefix);
      for (const param of [`${prefix}_tls_ciphers`, `${prefix}_tls_mandatory_ciphers`]) {
        const node = model.definition(param);
        if (!node) continue; // defaults are always valid grades
        const value = model.value(param);
        if (parseCipherGrade(value, model.version).ok) continue;
        const inForce = knob.includes(param);
        report({
          messageId: inForce ? 'invalid' : 'idle',
          data: {
            param,
            value: q(value),
            hint: hintFor(value),
            effect: effectFor(prefix, inForce),
            grades: CIPHER_GRADES.join(', '),
          },
          parameter: param,
          node,
          severity: inForce ? 'error' : 'warning',
        });
      }
    }
  },
});
