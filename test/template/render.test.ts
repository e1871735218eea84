/** What each syntax's control structures render to: the Postfix texts of a template's renderings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateFrontEnd } from '../../src/template/front-end.js';
import type { TemplateSyntax } from '../../src/template/types.js';

/** Each rendering as text, placeholders shown as [label]. */
function texts(src: string, syntax: TemplateSyntax, path = 'main.cf.tpl'): string[] {
  return templateFrontEnd(src, path, syntax, { postfixVersion: '3.7.11' }).renderings.map((r) => r.main.map((p) => (p.kind === 'text' ? p.text : `[${p.info.label}]`)).join(''));
}

test('jinja2: elif chains, for ... else, macros, set blocks and raw', () => {
  assert.deepEqual(texts('{% if a %}A\n{% elif b %}B\n{% else %}C\n{% endif %}', 'jinja2', 'main.cf.j2'), ['A\n', 'B\n', 'C\n']);
  assert.deepEqual(texts('{% for x in l %}x = {{ x }}\n{% else %}none = 1\n{% endfor %}', 'jinja2', 'main.cf.j2'), ['x = [x]\n']);
  assert.deepEqual(texts('{% macro m(p) %}hidden = 1{% endmacro %}{% set v %}also hidden{% endset %}{% set w = 1 %}{% raw %}{{ raw }}{% endraw %}', 'jinja2'), ['{{ raw }}']);
  assert.deepEqual(texts("a = {{ 'yes' }}\n", 'jinja2'), ['a = yes\n']);
});

test('erb: unless, elsif, case/when, blocks with do and braces', () => {
  assert.deepEqual(texts('<% unless @a -%>\nU\n<% else -%>\nE\n<% end -%>\n', 'erb'), ['U\n', 'E\n']);
  assert.deepEqual(texts('<% if @a %>A<% elsif @b %>B<% end %>', 'erb'), ['A', 'B', '']);
  assert.deepEqual(texts("<% case @mode %><% when 'relay' %>R<% when 'mx' %>M<% else %>O<% end %>", 'erb'), ['R', 'M', 'O']);
  assert.deepEqual(texts('<% @l.each do |x| %>[<%= x %>]<% end %><% @h.each { |k, v| %><%= k %><% } %>', 'erb'), ['[[x]][k]']);
  assert.deepEqual(texts('a <%%= b %>\n', 'erb'), ['a <%= b %>\n']);
});

test('epp: if/elsif/else, unless, each blocks; the parameter list prints nothing', () => {
  assert.deepEqual(texts('<%- | $a, $b | -%>\n<% if $a { %>A<% } elsif $b { %>B<% } else { %>C<% } %>', 'epp'), ['A', 'B', 'C']);
  assert.deepEqual(texts('<% unless $a { -%>\nU\n<% } -%>\n', 'epp'), ['U\n', '']);
  assert.deepEqual(texts('<% $l.each |$x| { -%>\n  <%= $x %>\n<% } -%>\n', 'epp'), ['  [x]\n']);
});

test('go: else if, with, range, define; comments and trim markers', () => {
  assert.deepEqual(texts('{{ if .A }}A{{ else if .B }}B{{ else }}C{{ end }}', 'go'), ['A', 'B', 'C']);
  assert.deepEqual(texts('{{ with .X }}W{{ end }}{{ range .L }}R{{ else }}E{{ end }}{{ define "t" }}D{{ end }}', 'go'), ['WR', 'R']);
  assert.deepEqual(texts('a = 1\n{{- /* c */ -}}\nb = {{ $v := 1 }}{{ getv "/k" }}\n', 'go'), ['a = 1b = [/k]\n']);
});

test('conditions are named for messages, negated for else branches', () => {
  const chains = (src: string, syntax: TemplateSyntax) => templateFrontEnd(src, 'main.cf.tpl', syntax, { postfixVersion: '3.7.11' }).chains.map((c) => c.alternatives.map((a) => a.when));
  assert.deepEqual(chains('{% if x is defined %}a{% endif %}', 'jinja2'), [['x is defined', 'x is not defined']]);
  assert.deepEqual(chains("{% if x == 'a' %}a{% elif y %}b{% else %}c{% endif %}", 'jinja2'), [["x == 'a'", 'y', "x != 'a' and not y"]]);
  assert.deepEqual(chains('<% unless @a %>a<% end %>', 'erb'), [['!@a', '@a']]);
  assert.deepEqual(chains('{{ if not .A }}a{{ end }}', 'go'), [['not .A', '.A']]);
});
