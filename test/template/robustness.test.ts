/** Hostile and random template and script text: the front-ends and the lint never throw, and every finding points into the file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../support/prng.js';
import { lintTemplate } from './support.js';
import { scriptFrontEnd } from '../../src/script/postconf-script.js';
import { lintRendered } from '../../src/engine/lint-rendered.js';
import { TEMPLATE_SYNTAXES } from '../../src/template/types.js';

const FRAGMENTS = [
  'smtp_tls_security_level = ', 'smtpd_tls_protocols = !SSLv2, ', 'smtp_tls_ciphers = export', '\n', '\n  ', ' ', '# c\n', '=',
  '{{ x }}', '{{- y -}}', '{% if a %}', '{% elif b %}', '{% else %}', '{% endif %}', '{% for i in l %}', '{% endfor %}', '{#', '#}', '{% raw %}', '{% endraw %}',
  '<%= @x %>', '<% if @a -%>', '<% else %>', '<% end -%>', '<%- x.each do |y| %>', '<%#', '%>', '<%%', '<% } %>', '<% if $a { -%>', '<% } else { %>',
  '{{ if .A }}', '{{ else }}', '{{ end }}', '{{ range .L }}', '{{/* c */}}', '{{- .X -}}', '${VAR}', '$myhostname', '${X:-may}', '"', "'", '\\', '{', '}', '%',
];

test('random template text in every syntax: no exception, findings inside the file', () => {
  const rng = new Prng(1717);
  for (let n = 0; n < 300; n++) {
    let text = '';
    const len = 1 + rng.int(40);
    for (let i = 0; i < len; i++) text += rng.pick(FRAGMENTS);
    const syntax = rng.pick(TEMPLATE_SYNTAXES);
    const lines = text.split('\n').length;
    let fs;
    try {
      fs = lintTemplate(text, syntax, 'main.cf.j2');
    } catch (e) {
      assert.fail(`seed 1717 case ${n} (${syntax}) threw ${(e as Error).stack}\n${JSON.stringify(text)}`);
    }
    for (const f of fs) assert.ok(f.line >= 1 && f.line <= lines, `case ${n}: line ${f.line} of ${lines}`);
  }
});

test('random shell text: no exception', () => {
  const rng = new Prng(99);
  const parts = ['postconf', ' -e', ' -X', ' -M', ' -P', ' "', "'", ' smtp_tls_security_level=none', ' a/b/c=d', ' \\\n', ' && ', '; ', '$(x', ')', '`', '${V', '}', '#', '\n', 'RUN ', ' = ', '"x = $myhostname"'];
  for (let n = 0; n < 300; n++) {
    let text = '';
    for (let i = 0, len = 1 + rng.int(30); i < len; i++) text += rng.pick(parts);
    for (const kind of ['shell', 'dockerfile'] as const) {
      const front = scriptFrontEnd({ script: { path: 's.sh', text }, kind });
      if (front) lintRendered({ texts: new Map([['s.sh', text]]), mainPath: 's.sh (main.cf)', masterPath: 's.sh (master.cf)', front }, { postfixVersion: '3.7.11' });
    }
  }
});

test('deeply nested branches and long elif chains stay bounded', { timeout: 60_000 }, () => {
  const depth = 400;
  const nested = '{% if a %}'.repeat(depth) + 'smtp_tls_security_level = none\n' + '{% endif %}'.repeat(depth);
  const fs = lintTemplate(nested, 'jinja2');
  assert.ok(fs.some((f) => f.ruleId === 'tls-off-outbound'));
  const chain = '{% if v == 0 %}x0 = 0\n' + Array.from({ length: 200 }, (_, i) => `{% elif v == ${i + 1} %}x${i + 1} = 1\n`).join('') + '{% endif %}\n';
  lintTemplate(chain, 'jinja2');
});

test('50,000-char hostile templates and scripts finish (hang guard)', { timeout: 120_000 }, () => {
  const N = 50_000;
  const hostile = ['{{'.repeat(N / 2), '{%'.repeat(N / 2), '{#'.repeat(N / 2), '<%'.repeat(N / 2), '$('.repeat(N / 2), '${'.repeat(N / 2), "'".repeat(N), '"'.repeat(N), ' '.repeat(N) + 'x', '{% if ' + ' '.repeat(N) + ' %}x = 1{% endif %}', 'a = {{ ' + 'x'.repeat(N) + ' }}\n', '\\\n'.repeat(N / 2)];
  for (const h of hostile) {
    const start = performance.now();
    for (const syntax of TEMPLATE_SYNTAXES) lintTemplate(`smtp_tls_security_level = may\n${h}\n`, syntax);
    for (const kind of ['shell', 'dockerfile'] as const) {
      const text = `postconf -e ${h}\n`;
      const front = scriptFrontEnd({ script: { path: 's.sh', text }, kind });
      if (front) lintRendered({ texts: new Map([['s.sh', text]]), mainPath: 's.sh (main.cf)', front }, { postfixVersion: '3.7.11' });
    }
    const ms = performance.now() - start;
    assert.ok(ms < 20_000, `${JSON.stringify(h.slice(0, 8))}… took ${ms.toFixed(0)} ms`);
  }
});
