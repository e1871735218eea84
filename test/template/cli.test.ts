/** Templates and scripts through the command line: recognition, --template, --fix/--diff on literal text only, pre-commit patterns. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/show-harness.js';

const root = new URL('../../../', import.meta.url).pathname;
const V = ['--postfix-version', '3.7.11'];

interface Report {
  files: { file: string; findings: { ruleId: string; line: number; message: string; fix?: unknown }[] }[];
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ptl-tpl-'));
}

const ANSIBLE = `{{ ansible_managed | comment }}
smtpd_tls_security_level = may
smtp_tls_security_level = may
smtp_tls_loglevel = 1
{% if postfix_legacy_peers %}
smtp_tls_ciphers = export
smtp_tls_protocols = !SSLv2, {{ postfix_extra_protocols }}
{% endif %}
`;

test('directory search lints templates and scripts named for Postfix; others are left alone', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'roles/postfix/templates'), { recursive: true });
  writeFileSync(join(dir, 'roles/postfix/templates/main.cf.j2'), ANSIBLE);
  writeFileSync(join(dir, 'roles/postfix/templates/other.j2'), 'smtp_tls_security_level = none\n');
  mkdirSync(join(dir, 'puppet/templates'), { recursive: true });
  writeFileSync(join(dir, 'puppet/templates/main.cf.erb'), 'smtp_tls_security_level = <%= @level %>\n');
  writeFileSync(join(dir, 'puppet/templates/main.cf.epp'), '<%- | $level | -%>\nsmtp_tls_security_level = <%= $level %>\n');
  writeFileSync(join(dir, 'main.cf.tmpl'), 'smtp_tls_security_level = {{ getv "/tls/level" }}\n');
  writeFileSync(join(dir, 'main.cf.template'), 'smtp_tls_security_level = ${LEVEL}\n');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM debian\nRUN postconf -e smtp_tls_security_level=none\n');
  writeFileSync(join(dir, 'configure-postfix.sh'), 'postconf -e smtp_tls_security_level=may\n');
  writeFileSync(join(dir, 'deploy.sh'), 'postconf -e smtp_tls_security_level=none\n');
  const r = await runCli([...V, '--format', 'json', dir]);
  assert.equal(r.code, 1, r.stderr);
  const files = (JSON.parse(r.stdout) as Report).files.map((f) => f.file.slice(dir.length + 1)).sort();
  assert.deepEqual(files, ['Dockerfile', 'configure-postfix.sh', 'main.cf.template', 'main.cf.tmpl', 'puppet/templates/main.cf.epp', 'puppet/templates/main.cf.erb', 'roles/postfix/templates/main.cf.j2']);
});

test('a template given by name: findings at template lines with their condition, nothing from template syntax', async () => {
  const dir = tempDir();
  const tpl = join(dir, 'main.cf.j2');
  writeFileSync(tpl, ANSIBLE);
  const r = await runCli([...V, '--format', 'json', tpl]);
  assert.equal(r.code, 1, r.stderr);
  const fs = (JSON.parse(r.stdout) as Report).files[0].findings;
  // smtpd announces STARTTLS at level may without a certificate (line 2); the rest sits in the branch.
  assert.deepEqual(fs.map((f) => `${f.ruleId}@${f.line}`).sort(), ['obsolete-protocols@7', 'smtpd-tls-without-certificate@2', 'weak-cipher-grade@6']);
  assert.ok(fs.filter((f) => f.line > 2).every((f) => f.message.startsWith('when postfix_legacy_peers: ')));
  // The same file as plain main.cf (--template none): its template lines are Postfix syntax errors.
  const plain = await runCli([...V, '--format', 'json', '--template', 'none', tpl]);
  assert.ok((JSON.parse(plain.stdout) as Report).files[0].findings.some((f) => f.ruleId === 'main-cf-syntax'));
  // --template forces a syntax for a file of any name.
  const fragment = join(dir, 'tls-settings.conf');
  writeFileSync(fragment, ANSIBLE);
  const forced = await runCli([...V, '--format', 'json', '--template', 'jinja2', fragment]);
  assert.ok(!(JSON.parse(forced.stdout) as Report).files[0].findings.some((f) => f.ruleId === 'main-cf-syntax'));
  const unknown = await runCli([...V, '--template', 'mustache', tpl]);
  assert.equal(unknown.code, 2);
});

test('--diff and --fix edit literal template text only; a fix inside a placeholder is reported as not fixable', async () => {
  const dir = tempDir();
  const tpl = join(dir, 'main.cf.j2');
  writeFileSync(tpl, ANSIBLE);
  const diff = await runCli([...V, '--diff', tpl], { cwd: dir });
  assert.equal(diff.code, 1, diff.stderr);
  assert.match(diff.stdout, /^-smtp_tls_ciphers = export$/m);
  assert.match(diff.stdout, /^\+smtp_tls_ciphers = (medium|high)$/m);
  assert.doesNotMatch(diff.stdout, /^[-+].*\{\{/m, 'no placeholder line is edited');
  const fixed = await runCli([...V, '--fix', '--format', 'json', tpl]);
  assert.equal(fixed.code, 1, fixed.stderr);
  const after = readFileSync(tpl, 'latin1');
  assert.equal(after, ANSIBLE.replace('ciphers = export', after.includes('= medium') ? 'ciphers = medium' : 'ciphers = high'));
  const remaining = (JSON.parse(fixed.stdout) as Report).files[0].findings;
  const ssl = remaining.find((f) => f.ruleId === 'obsolete-protocols');
  assert.ok(ssl && !ssl.fix && /no automatic fix/.test(ssl.message), JSON.stringify(remaining));
});

test('a master.cf template goes with the main.cf template beside it; its findings point at its own lines', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'main.cf.j2'), 'smtpd_tls_security_level = may\nsmtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n');
  writeFileSync(join(dir, 'master.cf.j2'), 'smtp      inet  n       -       y       -       -       smtpd\n{% if submission %}\nsubmission inet n       -       y       -       -       smtpd\n  -o smtpd_tls_security_level=encrypt\n  -o smtpd_tls_mandatory_protocols=SSLv3\n{% endif %}\n');
  const r = await runCli([...V, '--format', 'json', join(dir, 'master.cf.j2')]);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  const master = report.files.find((f) => f.file.endsWith('master.cf.j2'));
  assert.ok(master, JSON.stringify(report.files.map((f) => f.file)));
  const f = master.findings.find((x) => x.ruleId === 'obsolete-protocols');
  assert.ok(f && f.line === 5 && /^when submission: service submission\/inet/.test(f.message), JSON.stringify(master.findings));
});

test('a Salt template kept as plain main.cf is recognized by its tags', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'main.cf'), "{%- set config = salt['pillar.get']('postfix:config', {}) -%}\nsmtpd_tls_security_level = may\n{% if config.legacy %}\nsmtp_tls_protocols = !SSLv2\n{% endif %}\nsmtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n");
  const r = await runCli([...V, '--format', 'json', dir]);
  const fs = (JSON.parse(r.stdout) as Report).files[0].findings;
  assert.deepEqual(fs.map((f) => `${f.ruleId}@${f.line}`).filter((x) => !x.startsWith('smtpd-tls-without-certificate')), ['obsolete-protocols@4']);
});

test('pre-commit hooks match templates and scripts named for Postfix', () => {
  const yaml = readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8');
  const patterns = [...yaml.matchAll(/^\s*files: '([^']+)'$/gm)].map((m) => new RegExp(m[1]));
  assert.equal(patterns.length, 2);
  const yes = ['etc/postfix/main.cf', 'master.cf', 'roles/postfix/templates/main.cf.j2', 'templates/etc_postfix_main.cf.j2', 'templates/master.cf.j2', 'templates/main.cf.erb', 'templates/main.cf.epp', 'confd/templates/main.cf.tmpl', 'main.cf.template', 'templates/tls_policy.j2', 'Dockerfile', 'docker/Dockerfile.prod', 'scripts/configure-postfix.sh', 'postfix_dovecot_config_prod.sh'];
  const no = ['README.md', 'templates/nginx.conf.j2', 'deploy.sh', 'main.cfg', 'Makefile'];
  for (const re of patterns) {
    for (const p of yes) assert.match(p, re, p);
    for (const p of no) assert.doesNotMatch(p, re, p);
  }
});

test('a policy table template beside the main.cf template is the table main.cf names by that file name', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'main.cf.j2'), 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n');
  writeFileSync(join(dir, 'tls_policy.j2'), '# TLS policy\n{% if legacy %}\nold.example.net encrypt protocols=SSLv3\n{% endif %}\n{{ extra_domain }} {{ extra_level }}\nnew.example.net secure match=nexthop\n');
  // Named directly (pre-commit), the table template stands for the main.cf template beside it.
  const r = await runCli([...V, '--peers', 'gmail', '--format', 'json', join(dir, 'tls_policy.j2')]);
  assert.equal(r.code, 1, r.stderr);
  const table = (JSON.parse(r.stdout) as Report).files.find((f) => f.file.endsWith('tls_policy.j2'));
  assert.ok(table, r.stdout);
  const ssl = table.findings.find((f) => f.ruleId === 'obsolete-protocols');
  assert.ok(ssl && ssl.line === 3 && ssl.message.startsWith('when legacy: policy for "old.example.net": '), JSON.stringify(table.findings));
  // The entry made of placeholders is left out; the literal one after it is linted with no condition.
  assert.ok(!table.findings.some((f) => f.line === 5));
  assert.ok(table.findings.some((f) => f.line === 6 && f.message.startsWith('policy for "new.example.net"')));
  // A table main.cf does not name by that file name stays unknown: nothing about it.
  writeFileSync(join(dir, 'main.cf.j2'), 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_policy_maps = hash:/etc/postfix/other_policy\n');
  const other = await runCli([...V, '--peers', 'gmail', '--format', 'json', join(dir, 'main.cf.j2')]);
  assert.deepEqual((JSON.parse(other.stdout) as Report).files.flatMap((f) => f.findings.map((x) => x.ruleId)), []);
});

test('--fix on a script edits the script only, never the main.cf beside it', async () => {
  const dir = tempDir();
  const mainCf = 'smtpd_tls_security_level = may\nsmtp_tls_loglevel = 1\n';
  writeFileSync(join(dir, 'main.cf'), mainCf);
  const script = "#!/bin/sh\npostconf -e 'smtp_tls_ciphers = export'\npostconf -e smtp_tls_security_level=none\n";
  writeFileSync(join(dir, 'configure-postfix.sh'), script);
  const r = await runCli([...V, '--fix', '--format', 'json', join(dir, 'configure-postfix.sh')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(dir, 'main.cf'), 'latin1'), mainCf);
  assert.equal(readFileSync(join(dir, 'configure-postfix.sh'), 'latin1'), script.replace('= export', '= medium').replace('=none', '=may'));
});
