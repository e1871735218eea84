import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scriptFrontEnd } from '../../src/script/postconf-script.js';
import { templateFrontEnd } from '../../src/template/front-end.js';
import { lintRendered } from '../../src/engine/lint-rendered.js';
import type { FrontEndResult } from '../../src/template/types.js';
import type { Finding } from '../../src/engine/types.js';

const V = '3.7.11';

function findings(path: string, text: string, front: FrontEndResult, severities: Record<string, 'off'> = {}): Finding[] {
  return lintRendered({ texts: new Map([[path, text]]), mainPath: `${path} (main.cf)`, front }, { postfixVersion: V, settings: { severities } }).findings.filter((f) => f.ruleId === 'template-expansion');
}

function script(text: string): Finding[] {
  return findings('setup-postfix.sh', text, scriptFrontEnd({ script: { path: 'setup-postfix.sh', text }, kind: 'shell', postfixVersion: V })!);
}

test('template-expansion: the shell expands $postfix_parameter in double quotes and unquoted words', () => {
  const fs = script('postconf -e "smtpd_banner = $myhostname ESMTP" smtp_tls_loglevel=1 relayhost=${relayhost}\n');
  assert.deepEqual(fs.map((f) => `${f.messageId} ${f.line}:${f.column} ${f.data.ref} ${f.data.quoting}`), ['shell 1:29 $myhostname double-quoted', 'shell 1:78 ${relayhost} unquoted']);
  assert.equal(fs[0].severity, 'warning');
  assert.equal(fs[0].parameter, 'smtpd_banner');
});

test('template-expansion: single quotes, escapes, script variables and non-Postfix names are fine', () => {
  assert.deepEqual(script("postconf -e 'smtpd_banner = $myhostname ESMTP' \"mydomain=\\$myhostname\"\n"), []);
  assert.deepEqual(script('myhostname=$(hostname -f)\npostconf -e "myhostname=$myhostname" "relayhost=${RELAY_HOST}"\n'), []);
});

test('template-expansion: envsubst templates, at info severity; comment lines and upper-case variables are not reported', () => {
  const text = '# $myhostname in a comment\nsmtpd_banner = $myhostname ESMTP ${mail_name}\nrelayhost = ${RELAY_HOST}\n';
  const fs = findings('main.cf.template', text, templateFrontEnd(text, 'main.cf.template', 'envsubst', { postfixVersion: V }));
  assert.deepEqual(fs.map((f) => `${f.messageId} ${f.line}:${f.column} ${f.severity}`), ['envsubst 2:16 info', 'envsubst 2:34 info']);
  assert.deepEqual(findings('main.cf.template', text, templateFrontEnd(text, 'main.cf.template', 'envsubst', { postfixVersion: V }), { 'template-expansion': 'off' }), []);
});

test('template-expansion: plain main.cf and other template syntaxes never report it', () => {
  const text = 'smtpd_banner = $myhostname ESMTP\n';
  assert.deepEqual(findings('main.cf.j2', text, templateFrontEnd(text, 'main.cf.j2', 'jinja2', { postfixVersion: V })), []);
});
