import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../src/lint.js';
import {
  applySuppressions,
  applySuppressionsToFiles,
  parseDirective,
  sourceLinesOfMainCf,
  sourceLinesOfText,
  SUPPRESSION_RULE_ID,
} from '../../src/engine/suppressions.js';
import { allRules } from '../../rules/index.js';
import { dedent } from '../support/dedent.js';

const knownRuleIds = new Set([...allRules.map((r) => r.meta.id), SUPPRESSION_RULE_ID]);

function lint(text: string, reportUnused = false) {
  const r = lintText(text, 'main.cf', { postfixVersion: '3.7.11' });
  return applySuppressions(r.findings, 'main.cf', sourceLinesOfMainCf(r.file), { knownRuleIds, reportUnused });
}
const ids = (fs: readonly { ruleId: string; line: number }[]) => fs.map((f) => `${f.line}:${f.ruleId}`);

test('parseDirective', () => {
  assert.deepEqual(parseDirective(' postfix-tls-lint disable-next-line a, b -- because'), { ok: true, kind: 'disable-next-line', rules: ['a', 'b'], reason: 'because' });
  assert.deepEqual(parseDirective('postfix-tls-lint disable a,b,c'), { ok: true, kind: 'disable', rules: ['a', 'b', 'c'], reason: null });
  assert.deepEqual(parseDirective('postfix-tls-lint disable a --'), { ok: true, kind: 'disable', rules: ['a'], reason: null }, 'empty reason = no reason');
  assert.deepEqual(parseDirective('postfix-tls-lint disable a -- x -- y'), { ok: true, kind: 'disable', rules: ['a'], reason: 'x -- y' });
  assert.equal(parseDirective(' an ordinary comment'), null);
  assert.equal(parseDirective('postfix-tls-linter disable a'), null, 'another tool');
  assert.deepEqual(parseDirective('postfix-tls-lint enable a'), { ok: false, messageId: 'unknownDirective', data: { word: 'enable' } });
  assert.deepEqual(parseDirective('postfix-tls-lint disable-next-line -- why'), { ok: false, messageId: 'noRules', data: { kind: 'disable-next-line' } });
  assert.deepEqual(parseDirective('postfix-tls-lint'), { ok: false, messageId: 'unknownDirective', data: { word: '(none)' } });
});

test('disable-next-line covers the next non-comment line only', () => {
  const base = lint('smtp_tls_security_level = none\nsmtp_tls_protocols = TLSv1.4\n');
  assert.deepEqual(ids(base.findings), ['1:tls-off-outbound', '2:valid-protocol-list']);
  const r = lint(dedent`
    # postfix-tls-lint disable-next-line tls-off-outbound -- relay host only, TLS added by the smarthost
    # (an explanatory comment in between is skipped)
    smtp_tls_security_level = none
    smtp_tls_protocols = TLSv1.4
  `);
  assert.deepEqual(ids(r.findings), ['4:valid-protocol-list']);
  assert.equal(r.suppressed.length, 1);
  assert.equal(r.suppressed[0].directive.reason, 'relay host only, TLS added by the smarthost');
});

test('a blank line ends disable-next-line; unused directives are reported on request', () => {
  const text = '# postfix-tls-lint disable-next-line tls-off-outbound -- x\n\nsmtp_tls_security_level = none\n';
  assert.deepEqual(ids(lint(text).findings), ['3:tls-off-outbound']);
  const r = lint(text, true);
  assert.deepEqual(ids(r.findings), ['1:suppression-comment', '3:tls-off-outbound']);
  assert.match(r.findings[0].message, /unused suppression: tls-off-outbound reported nothing on the next line/);
  assert.equal(r.findings[0].severity, 'warning');
});

test('continuation lines belong to the covered logical line', () => {
  const r = lint('# postfix-tls-lint disable-next-line tls-off-outbound -- x\nsmtp_tls_security_level =\n  none\n', true);
  assert.deepEqual(ids(r.findings), []);
});

test('disable covers the whole file, wherever it stands', () => {
  const r = lint('smtp_tls_security_level = none\nsmtp_tls_protocols = TLSv1.4\n# postfix-tls-lint disable valid-protocol-list, tls-off-outbound -- lab host\n', true);
  assert.deepEqual(ids(r.findings), []);
  assert.equal(r.suppressed.length, 2);
});

test('missing reason and unknown rule ids get warnings; known ids still apply', () => {
  const r = lint('# postfix-tls-lint disable-next-line tls-off-outbond, valid-protocol-list\nsmtp_tls_protocols = TLSv1.4\n');
  assert.deepEqual(
    r.findings.filter((f) => f.ruleId === SUPPRESSION_RULE_ID).map((f) => f.message),
    [
      'suppression names an unknown rule "tls-off-outbond" (did you mean tls-off-outbound?); it suppresses nothing',
      'suppression of tls-off-outbond, valid-protocol-list has no reason: add " -- why this is safe" after the rule ids',
    ],
  );
  assert.equal(r.suppressed.length, 1);
});

test('a "#" after a value is part of the value, never a directive', () => {
  const r = lint('smtp_tls_security_level = none # postfix-tls-lint disable-next-line tls-off-outbound -- x\n');
  assert.ok(r.findings.some((f) => f.ruleId === 'tls-off-outbound' || f.ruleId === 'comment-after-value'));
  assert.equal(r.directives.length, 0);
});

test('file-generic: sourceLinesOfText agrees with the main.cf parser and handles master.cf-style files', () => {
  const text = '# c\n\nname = a\n  b\n# postfix-tls-lint disable x\r\nother = 1\n';
  const fromParser = sourceLinesOfMainCf(lintText(text, 'main.cf', { postfixVersion: '3.7.11' }).file).map((l) => ({ ...l, blank: Boolean(l.blank) }));
  const generic = sourceLinesOfText(text).map((l) => ({ ...l, comment: l.comment?.replace(/\r$/, '') ?? null }));
  assert.deepEqual(generic, fromParser.map((l) => ({ ...l, comment: l.comment?.replace(/\r$/, '') ?? null })));
  const master = 'smtp      inet  n       -       y       -       -       smtpd\n# postfix-tls-lint disable-next-line some-rule -- why\nsubmission inet n       -       y       -       -       smtpd\n  -o smtpd_tls_security_level=may\n';
  const finding = { ruleId: 'some-rule', file: 'master.cf', line: 4 } as never;
  const r = applySuppressionsToFiles([finding], new Map([['master.cf', master], ['main.cf', '']]), { knownRuleIds: new Set(['some-rule']) });
  assert.equal(r.findings.length, 0);
  assert.equal(r.suppressed.length, 1);
});
