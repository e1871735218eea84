/**
 * --vars: nunjucks renders Jinja2 templates as real Jinja2 (python3-jinja2)
 * does, and findings in the rendering map back to template lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { varsRendererFor } from '../../src/cli/vars-file.js';
import { runCli } from '../support/show-harness.js';

const root = new URL('../../../', import.meta.url).pathname;
const fixtures = join(root, 'test/fixtures/templates');
const CORPUS = [join(root, '..', 'shared', 'corpus', 'templates'), '/work/shared/corpus/templates'].find((p) => existsSync(join(p, 'index.json')));
const V = ['--postfix-version', '3.7.11'];

/** Debian's python3 with python3-jinja2 and python3-yaml (.ci/run installs them), else any python3 that has them. */
function python(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import jinja2, yaml'], { encoding: 'utf8' });
    if (!r.error && r.status === 0) return py;
  }
  return null;
}

function jinja2Render(py: string, template: string, vars: string): string {
  const r = spawnSync(py, [join(root, 'test/support/render-jinja2.py'), template, vars], { encoding: 'latin1', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function nunjucksRender(template: string, vars: string): string {
  const front = varsRendererFor(vars).render(readFileSync(template, 'latin1'), template);
  return front.renderings[0].main.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

test('--vars renders like Jinja2: the constructs fixture and the corpus Ansible templates, byte for byte', { timeout: 120_000 }, (t) => {
  const py = python();
  if (!py) return t.skip('python3 with jinja2 and yaml not installed (Debian python3-jinja2 python3-yaml; .ci/run installs them)');
  const cases: [string, string][] = [[join(fixtures, 'constructs.j2'), join(fixtures, 'constructs.yml')]];
  if (CORPUS) for (const id of ['02', '04', '05', '07', '08', '10', '11']) cases.push([join(CORPUS, id, 'main.cf.j2'), join(fixtures, 'ansible-role-defaults.yml')]);
  else t.diagnostic('shared/corpus/templates not found: only the constructs fixture is compared');
  for (const [template, vars] of cases) {
    const expected = jinja2Render(py, template, vars);
    assert.ok(expected.length > 0);
    assert.equal(nunjucksRender(template, vars), expected, template);
  }
});

test('--vars: findings in the rendering point at template lines; literal text maps byte for byte', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-vars-'));
  const tpl = join(dir, 'main.cf.j2');
  writeFileSync(tpl, "# {{ ansible_managed }}\n{% if relay %}\nrelayhost = [{{ relay }}]:587\nsmtp_tls_security_level = {{ level }}\n{% endif %}\nsmtp_tls_loglevel = 1\nsmtpd_tls_ciphers = {{ grade | default('export') }}\nsmtpd_tls_security_level = may\n");
  writeFileSync(join(dir, 'vars.yml'), 'ansible_managed: managed\nrelay: relay.example.net\nlevel: none\n');
  const r = await runCli([...V, '--format', 'json', '--vars', join(dir, 'vars.yml'), tpl]);
  assert.equal(r.code, 1, r.stderr);
  const findings = (JSON.parse(r.stdout) as { files: { file: string; findings: { ruleId: string; line: number; column: number }[] }[] }).files[0].findings;
  assert.ok(findings.some((f) => f.ruleId === 'tls-off-outbound' && f.line === 4), JSON.stringify(findings));
  assert.ok(findings.some((f) => f.ruleId === 'weak-cipher-grade' && f.line === 7), JSON.stringify(findings));
  // Without --vars the level is unknown and the relay branch optional: no verdict on the level.
  const plain = await runCli([...V, '--format', 'json', tpl]);
  const without = (JSON.parse(plain.stdout) as { files: { findings: { ruleId: string; line: number }[] }[] }).files[0].findings;
  assert.ok(!without.some((f) => f.ruleId === 'tls-off-outbound' && f.line === 4));
});

test('--vars with --fix edits only literal template text', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-vars-'));
  const tpl = join(dir, 'main.cf.j2');
  const text = '{% if tls %}\nsmtp_tls_security_level = may\nsmtp_tls_ciphers = export\nsmtp_tls_loglevel = {{ loglevel }}\n{% endif %}\n';
  writeFileSync(tpl, text);
  writeFileSync(join(dir, 'vars.json'), '{"tls": true, "loglevel": 1}');
  const r = await runCli([...V, '--fix', '--vars', join(dir, 'vars.json'), tpl]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const out = readFileSync(tpl, 'latin1');
  assert.equal(out, text.replace('ciphers = export', out.includes('= medium') ? 'ciphers = medium' : 'ciphers = high'));
  assert.notEqual(out, text);
});

test('--vars errors exit 2 with file:line: broken YAML, a template nunjucks cannot render', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-vars-'));
  writeFileSync(join(dir, 'bad.yml'), 'a: [1, 2\nb: 3\n');
  writeFileSync(join(dir, 'main.cf.j2'), 'smtp_tls_security_level = may\n');
  const bad = await runCli([...V, '--vars', join(dir, 'bad.yml'), join(dir, 'main.cf.j2')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad\.yml:\d+: not valid YAML/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
  writeFileSync(join(dir, 'ok.yml'), 'x: 1\n');
  writeFileSync(join(dir, 'main.cf.j2'), 'smtp_tls_security_level = may\n{% do x.append(1) %}\n');
  const unsupported = await runCli([...V, '--vars', join(dir, 'ok.yml'), join(dir, 'main.cf.j2')]);
  assert.equal(unsupported.code, 2);
  assert.match(unsupported.stderr, /main\.cf\.j2:2: cannot render with --vars/);
  const missing = await runCli([...V, '--vars', join(dir, 'nope.yml'), join(dir, 'main.cf.j2')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.yml: no such file/);
});
