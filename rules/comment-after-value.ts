import { defineRule } from '../src/engine/types.js';
import type { MainCfFile, ParamNode } from '../src/parser/main-cf.js';
import { getParameter, type ValueType } from '../src/model/catalogue/index.js';
import { insertCommentAbove } from '../src/fixer/edits.js';
import { versionAtLeast } from '../src/model/version.js';
import { isPostfixSpace } from '../src/util/text.js';
import { parseTime, q } from '../src/model/values/index.js';
import { FATAL_FOR_EVERY_PROGRAM } from '../src/model/startup-checks.js';

/** What Postfix does with "value # text" for parameters whose value it must parse (the comment breaks them). */
const BREAKS: Partial<Record<ValueType, string>> = {
  'client-security-level': 'the SMTP/LMTP client exits at start-up with "Invalid TLS level" and master(8) throttles it, so no mail leaves',
  'server-security-level': 'smtpd exits at start-up with "Invalid TLS level" and master(8) throttles it, so no mail comes in',
  protocols: 'every TLS session that uses it fails with "Invalid TLS protocol list" (the client defers, or sends in plaintext later at level may; the server answers STARTTLS with 454)',
  'cipher-grade': 'every TLS session that uses it fails with "invalid cipher grade"',
  'cipher-list': 'OpenSSL cannot parse "#", so every TLS session that uses the list fails',
  'exclusion-list': 'OpenSSL cannot parse "#", so every TLS session that uses the list fails',
  boolean: 'every daemon that reads it exits with "bad boolean configuration"',
  integer: 'every daemon that reads it exits with "bad numerical configuration"',
  time: 'every daemon that reads it exits with "bad time value or unit"',
  enum: 'Postfix rejects the value',
};


const FATAL_EVERYWHERE =
  'every Postfix program (postfix, sendmail, postqueue and every daemon) stops at start-up with a fatal error ("bad parameter value" or the like), so no mail is accepted or delivered';

/** Free-text parameters where "#" is ordinary text (banners, replies, shell commands). */
const FREE_TEXT = /(^|_)(banner|footer|reply|command|name|text|template|separator|delimiter|expansion_filter)(_|$)/;

/** Offset in `value` of the first "#" that starts the value or follows whitespace. */
function commentStart(value: string): number {
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '#' && (i === 0 || isPostfixSpace(value.charCodeAt(i - 1)))) return i;
  }
  return -1;
}

/** Edits that move the comment to its own line above, when the comment lies on the value's last physical line. */
function moveCommentEdits(file: MainCfFile, node: ParamNode, hashInValue: number) {
  const last = node.physicalLines[node.physicalLines.length - 1];
  const [vStart, vEnd] = node.valueRange;
  const segStart = Math.max(last.start, vStart);
  const seg = file.text.slice(segStart, vEnd);
  const local = commentStart(segStart === vStart ? seg : ' ' + seg);
  if (local < 0) return null;
  const hash = segStart + (segStart === vStart ? local : local - 1);
  // The comment Postfix sees must be exactly the tail of this last line.
  if (file.text.slice(hash, vEnd) !== node.rawValue.slice(hashInValue)) return null;
  let cut = hash;
  while (cut > 0 && (file.text[cut - 1] === ' ' || file.text[cut - 1] === '\t')) cut--;
  const comment = file.text.slice(hash + 1, vEnd).replace(/^[ \t]+/, '');
  return [
    ...(comment !== '' ? [insertCommentAbove(file, node, comment)] : []),
    { range: [cut, vEnd] as const, text: '' },
  ];
}

export default defineRule({
  meta: {
    id: 'comment-after-value',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'A "#" comment must be on its own line: after a value it becomes part of the value.',
    why: 'main.cf only treats a line as a comment when "#" is its first non-blank character. In "smtp_tls_security_level = may # opportunistic" the value is the whole text "may # opportunistic", which the SMTP client rejects at start-up, so no mail is sent at all. postconf before 3.8 prints such values without any warning.',
    parameters: [],
    fixable: true,
    summaries: {
      breaks: '{{name}}: "#" after the value is part of it, and {{value}} breaks Postfix',
      kept: '{{name}}: "#" after the value becomes part of the value',
      timeIgnored: '{{name}}: the text after the time value is ignored, not a comment',
    },
    messages: {
      breaks: '{{name}} = {{value}}: "#" after a value does not start a comment, so the value Postfix uses is {{value}}; {{effect}}. {{postconf}}Move the comment to its own line above',
      kept: '{{name}} = {{value}}: "#" after a value does not start a comment; the text after it stays part of the value Postfix uses. {{postconf}}Move the comment to its own line above',
      timeIgnored: '{{name}} = {{value}}: "#" after a value does not start a comment, but Postfix reads a time value only up to its unit letter, so the text after it is ignored here. {{postconf}}Move the comment to its own line above anyway: without a unit letter ("{{name}} = 5 # ...") the value is fatal',
    },
    references: [
      { title: 'postconf(5): syntax ("#" starts a comment only as the first non-whitespace character)', url: 'https://www.postfix.org/postconf.5.html' },
      { title: 'Postfix 3.8 RELEASE_NOTES: postconf warns "#comment after other text is not allowed"' },
      { title: 'BASIC_CONFIGURATION_README: Postfix configuration files', url: 'https://www.postfix.org/BASIC_CONFIGURATION_README.html#syntax' },
    ],
  },
  check({ model, report }) {
    const postconf = versionAtLeast(model.version, '3.8')
      ? 'postconf warns "#comment after other text is not allowed" but keeps the text. '
      : `postconf ${model.version} does not warn about it. `;
    for (const [name, defs] of model.definitions) {
      const node = defs[defs.length - 1];
      const hash = commentStart(node.rawValue);
      if (hash < 0) continue;
      const spec = getParameter(name);
      // Inline maps and expressions ("{ ... }") and free text may legitimately hold "#".
      if (!spec && (FREE_TEXT.test(name) || node.rawValue.includes('{'))) continue;
      const edits = moveCommentEdits(model.file, node, hash);
      const fix = edits ? { kind: 'safe' as const, description: `move the comment above ${name}`, edits } : undefined;
      const data = { name, value: q(node.value), postconf };
      // conv_time() stops at the unit letter: "5d # five days" is 5 days (checked against postmap).
      if (spec?.type === 'time' && parseTime(node.value).ok && !FATAL_FOR_EVERY_PROGRAM.has(name)) {
        report({ messageId: 'timeIgnored', data, parameter: name, node, severity: 'info', ...(fix ? { fix } : {}) });
        continue;
      }
      const effect = FATAL_FOR_EVERY_PROGRAM.has(name) ? FATAL_EVERYWHERE : spec ? BREAKS[spec.type] : undefined;
      if (effect) report({ messageId: 'breaks', data: { ...data, effect }, parameter: name, node, ...(fix ? { fix } : {}) });
      else report({ messageId: 'kept', data, parameter: name, node, severity: 'warning', ...(fix ? { fix } : {}) });
    }
  },
});
