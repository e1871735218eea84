/**
 * Planted mistakes inside if branches and loop bodies, in each template
 * syntax: found at the template line, named with their branch condition;
 * settings in exclusive branches are no duplicates; placeholders make no
 * findings of their own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, brief, lintTemplate } from './support.js';
import type { TemplateSyntax } from '../../src/template/types.js';

interface Planted {
  readonly syntax: TemplateSyntax;
  readonly text: string;
  /** Lines of: SSLv3 allowed inside an if branch; export grade inside a loop; the encrypt level in the else branch. */
  readonly ifLine: number;
  readonly loopLine: number;
  readonly elseLine: number;
  readonly ifWhen: string;
  readonly elseWhen: string;
}

const PLANTED: readonly Planted[] = [
  {
    syntax: 'jinja2',
    text: `# {{ ansible_managed }}
smtpd_tls_security_level = may
smtp_tls_loglevel = 1
{% if postfix_legacy %}
smtp_tls_protocols = !SSLv2
{% endif %}
{% for relay in postfix_relays %}
smtpd_tls_ciphers = export
{% endfor %}
{%- if postfix_tls_level is defined %}
smtp_tls_security_level = may
{%- else %}
smtp_tls_security_level = encrypt
{%- endif %}
`,
    ifLine: 5,
    loopLine: 8,
    elseLine: 13,
    ifWhen: 'postfix_legacy',
    elseWhen: 'postfix_tls_level is not defined',
  },
  {
    syntax: 'erb',
    text: `<%# managed by Puppet %>
smtpd_tls_security_level = may
smtp_tls_loglevel = 1
<% if @legacy -%>
smtp_tls_protocols = !SSLv2
<% end -%>
<% @relays.each do |relay| -%>
smtpd_tls_ciphers = export
<% end -%>
<% if @tls_level -%>
smtp_tls_security_level = may
<% else -%>
smtp_tls_security_level = encrypt
<% end -%>
`,
    ifLine: 5,
    loopLine: 8,
    elseLine: 13,
    ifWhen: '@legacy',
    elseWhen: '!@tls_level',
  },
  {
    syntax: 'epp',
    text: `<%- | Boolean $legacy, Array $relays, Optional[String] $tls_level | -%>
smtpd_tls_security_level = may
smtp_tls_loglevel = 1
<% if $legacy { -%>
smtp_tls_protocols = !SSLv2
<% } -%>
<% $relays.each |$relay| { -%>
smtpd_tls_ciphers = export
<% } -%>
<% if $tls_level { -%>
smtp_tls_security_level = may
<% } else { -%>
smtp_tls_security_level = encrypt
<% } -%>
`,
    ifLine: 5,
    loopLine: 8,
    elseLine: 13,
    ifWhen: '$legacy',
    elseWhen: '!$tls_level',
  },
  {
    syntax: 'go',
    text: `{{/* confd template */}}
smtpd_tls_security_level = may
smtp_tls_loglevel = 1
{{ if .Legacy }}
smtp_tls_protocols = !SSLv2
{{ end }}
{{ range .Relays }}
smtpd_tls_ciphers = export
{{ end }}
{{- if .TLSLevel }}
smtp_tls_security_level = may
{{- else }}
smtp_tls_security_level = encrypt
{{- end }}
`,
    ifLine: 5,
    loopLine: 8,
    elseLine: 13,
    ifWhen: '.Legacy',
    elseWhen: 'not .TLSLevel',
  },
];

for (const p of PLANTED) {
  test(`${p.syntax}: mistakes inside an if branch, a loop body and an else branch are found at their template lines`, () => {
    const fs = lintTemplate(p.text, p.syntax);
    const ssl = at(fs, 'obsolete-protocols', p.ifLine);
    assert.ok(ssl.message.startsWith(`when ${p.ifWhen}: `), ssl.message);
    assert.match(ssl.message, /asks for SSLv3/);
    const weak = at(fs, 'weak-cipher-grade', p.loopLine);
    assert.doesNotMatch(weak.message, /^when /, 'a loop body is no condition');
    const mandatory = at(fs, 'global-mandatory-tls', p.elseLine);
    assert.ok(mandatory.message.startsWith(`when ${p.elseWhen}: `), mandatory.message);
    // Exclusive branches: one setting each, no duplicate.
    assert.ok(!fs.some((f) => f.ruleId === 'duplicate-parameter'), brief(fs).join(', '));
    // Nothing from template syntax.
    assert.ok(!fs.some((f) => f.ruleId === 'main-cf-syntax' || f.ruleId === 'unknown-tls-parameter'), brief(fs).join(', '));
  });
}

test('envsubst: ${VAR} placeholders are unknown values, $postfix_parameter stays Postfix text', () => {
  // The level is literal here: which protocol list counts depends on it (an unknown level would leave no verdict on the list).
  const text = 'smtpd_banner = $myhostname ESMTP\nsmtp_tls_security_level = may\nsmtp_tls_protocols = !SSLv2, ${EXTRA_PROTOCOLS}\nsmtp_tls_CAfile = ${CA_FILE}\nsmtp_tls_loglevel = 1\nsmtp_tls_mandatory_protocols = ${MANDATORY_PROTOCOLS}\n';
  const fs = lintTemplate(text, 'envsubst', 'main.cf.template');
  // $myhostname is Postfix's; envsubst without a variable list would blank it (template-expansion says so).
  assert.deepEqual(brief(fs), ['obsolete-protocols@3', 'template-expansion@1']);
  assert.match(at(fs, 'obsolete-protocols', 3).message, /\{\{EXTRA_PROTOCOLS\}\} read as adding nothing/);
});

test('a placeholder that is the whole value makes no verdict; a template default is read as the value, with a note', () => {
  const unknown = lintTemplate('smtp_tls_security_level = {{ level }}\nsmtp_tls_protocols = {{ protocols }}\nsmtp_tls_loglevel = 1\n', 'jinja2');
  assert.deepEqual(brief(unknown), []);
  const withDefault = lintTemplate("smtp_tls_security_level = {{ level | default('none') }}\nsmtp_tls_loglevel = 1\n", 'jinja2');
  const off = at(withDefault, 'tls-off-outbound', 1);
  assert.match(off.message, /\{\{level\}\} read as its template default "none"/);
  const erbDefault = lintTemplate("smtp_tls_security_level = <%= @level || 'none' %>\nsmtp_tls_loglevel = 1\n", 'erb');
  assert.match(at(erbDefault, 'tls-off-outbound', 1).message, /template default "none"/);
});

test('the known part of a value is judged: "!SSLv2, {{ extra }}" still allows SSLv3', () => {
  const fs = lintTemplate('smtpd_tls_security_level = may\nsmtpd_tls_protocols = !SSLv2, {{ extra }}\n', 'jinja2');
  const f = at(fs, 'obsolete-protocols', 2);
  assert.match(f.message, /SSLv3/);
  assert.equal(f.fix, undefined, 'the fix would rewrite a value that holds a placeholder');
  assert.match(f.message, /no automatic fix/);
});

test('correlated conditions: "if x" and a later "if not x" never hold together, so their settings are no duplicate', () => {
  const text = '{% if relay %}\nsmtp_tls_security_level = encrypt\n{% endif %}\nsmtp_tls_loglevel = 1\n{% if not relay %}\nsmtp_tls_security_level = may\n{% endif %}\n';
  const fs = lintTemplate(text, 'jinja2');
  assert.ok(!fs.some((f) => f.ruleId === 'duplicate-parameter'), brief(fs).join(', '));
  // Two independent conditions can hold together: then it is a duplicate, named with its condition.
  const both = lintTemplate(text.replace('{% if not relay %}', '{% if other %}'), 'jinja2');
  const dup = at(both, 'duplicate-parameter', 6);
  assert.ok(dup.message.startsWith('when other: '), dup.message);
});

test('a finding caused by what a branch leaves out names the branch', () => {
  const fs = lintTemplate('{% if sasl %}\nsmtp_tls_security_level = encrypt\n{% endif %}\nsmtp_tls_loglevel = 1\n', 'jinja2');
  const off = at(fs, 'tls-off-outbound', 1);
  assert.ok(off.message.startsWith('when not sasl: '), off.message);
  assert.equal(off.fix, undefined, 'a fix outside the branch would change every rendering');
});

test('inline conditionals and choices: each alternative is linted', () => {
  const fs = lintTemplate("smtp_tls_security_level = {{ 'none' if plain else 'may' }}\nsmtp_tls_loglevel = 1\nsmtpd_tls_security_level = may\nsmtpd_tls_auth_only = {% if auth_only %}yes{% else %}no{% endif %}\n", 'jinja2');
  // tls-off-outbound holds only for one choice of the value: a verdict that depends on it is dropped.
  assert.ok(!fs.some((f) => f.ruleId === 'tls-off-outbound'), brief(fs).join(', '));
});

test('whitespace control: {%- -%} and ERB -%> join lines the way the engines do', () => {
  // "-%>" after an output tag eats the line break (Puppet ERB): the next line would join this value.
  const joined = lintTemplate('smtp_tls_security_level = <%= @level -%>\nsmtp_tls_loglevel = 1\n', 'erb');
  assert.ok(!joined.some((f) => f.ruleId === 'tls-loglevel-zero'), 'smtp_tls_loglevel is part of the level value, not a setting');
  // "{%- if %}" strips the line break before it; with trim_blocks (Ansible, *.j2) the one after it goes too and
  // the lines join, as Jinja2 renders them; without (Salt, plain Jinja2) they stay apart.
  const text = 'smtp_tls_loglevel = 1\n{%- if x %}\nsmtp_tls_security_level = none\n{%- endif %}\n';
  const ansible = lintTemplate(text, 'jinja2', 'main.cf.j2');
  assert.ok(!ansible.some((f) => f.line === 3), 'the level line is part of the loglevel value');
  assert.ok(at(ansible, 'tls-off-outbound', 1), 'so no level is set');
  const salt = lintTemplate(text, 'jinja2', 'main.cf');
  assert.ok(at(salt, 'tls-off-outbound', 3).message.startsWith('when x: '));
});

test('comments and template-only lines are not Postfix lines', () => {
  const text = '{# smtp_tls_security_level = none #}\n{#\nsmtp_tls_protocols = SSLv3\n#}\n<%# nothing %>\nsmtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n';
  assert.deepEqual(brief(lintTemplate(text.replace('<%# nothing %>\n', ''), 'jinja2')), []);
  assert.deepEqual(brief(lintTemplate('<%# smtp_tls_security_level = none %>\nsmtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n', 'erb')), []);
});

test('a line whose parameter name is a placeholder is left out; a whole-line placeholder outside loops silences verdicts about unset parameters', () => {
  const named = lintTemplate('{% for k, v in extra.items() %}\n{{ k }} = {{ v }}\n{% endfor %}\nsmtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n', 'jinja2');
  assert.deepEqual(brief(named), []);
  const macro = lintTemplate("{{ set_parameter('smtp_tls_security_level', 'may') }}\nsmtpd_tls_security_level = may\n", 'jinja2');
  assert.ok(!macro.some((f) => f.ruleId === 'tls-off-outbound'), brief(macro).join(', '));
  const include = lintTemplate("smtpd_tls_security_level = may\n{% include 'tls.j2' %}\n", 'jinja2');
  assert.ok(!include.some((f) => f.ruleId === 'tls-off-outbound'), brief(include).join(', '));
  const goTemplate = lintTemplate('smtpd_tls_security_level = may\n{{ template "tls" . }}\n', 'go');
  assert.ok(!goTemplate.some((f) => f.ruleId === 'tls-off-outbound'), brief(goTemplate).join(', '));
  // Without them, the unset level is reported.
  assert.ok(lintTemplate('smtpd_tls_security_level = may\n', 'jinja2').some((f) => f.ruleId === 'tls-off-outbound'));
});

test('unbalanced tags are reported as template problems, never as Postfix findings', async () => {
  const { templateFrontEnd } = await import('../../src/template/front-end.js');
  const r = templateFrontEnd('smtp_tls_security_level = may\n{% if x %}\nsmtp_tls_loglevel = 1\n', 'main.cf.j2', 'jinja2', { postfixVersion: '3.7.11' });
  assert.deepEqual(r.problems.map((p) => p.line), [2]);
  assert.deepEqual(brief(lintTemplate('{% endif %}\nsmtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n', 'jinja2')), []);
});
