/**
 * The 24 real templates and postconf scripts of the shared corpus
 * (shared/corpus/templates, provenance and notes in its index.json): each
 * lints with exit 0 or 1, nothing comes from template syntax, and the
 * mistakes the notes list are found at the lines they name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/show-harness.js';

const root = new URL('../../../', import.meta.url).pathname;
const CORPUS = [join(root, '..', 'shared', 'corpus', 'templates'), '/work/shared/corpus/templates'].find((p) => existsSync(join(p, 'index.json')));

/** From the notes in index.json: rule@line that must be among the findings. */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  '02': ['legacy-tls-parameters@15', 'legacy-tls-parameters@65', 'cipherlist-seclevel@116'],
  '04': ['legacy-tls-parameters@16', 'legacy-tls-parameters@48'],
  '05': ['duplicate-parameter@41', 'duplicate-parameter@42'],
  '03': ['obsolete-tls-settings@95', 'obsolete-tls-settings@97'],
  '06': ['duplicate-parameter@284', 'obsolete-tls-settings@303'],
  '09': ['legacy-tls-parameters@45'],
  '10': ['duplicate-parameter@859', 'duplicate-parameter@863'],
  '11': ['legacy-tls-parameters@7', 'legacy-tls-parameters@11', 'legacy-tls-parameters@26', 'encrypt-without-authentication@23', 'duplicate-parameter@74', 'duplicate-parameter@80'],
  '14': ['legacy-tls-parameters@735', 'legacy-tls-parameters@771', 'smtpd-auth-before-starttls@751'],
  '17': ['legacy-tls-parameters@23', 'legacy-tls-parameters@54', 'smtpd-auth-before-starttls@47'],
  '19': ['smtpd-auth-before-starttls@17'],
  '18': ['legacy-tls-parameters@10', 'legacy-tls-parameters@18'],
  '20': ['tls-off-outbound@1', 'legacy-tls-parameters@23'],
  '21': ['legacy-tls-parameters@25', 'template-expansion@2', 'client-sasl-plaintext@27'],
  '22': ['legacy-tls-parameters@21', 'encrypt-without-authentication@22'],
  '23': ['duplicate-parameter@22', 'legacy-tls-parameters@12', 'legacy-tls-parameters@15', 'template-expansion@18', 'smtpd-mandatory-tls-mx@22'],
  '24': ['mandatory-protocols-allow-tls1@17'],
};

interface Entry {
  readonly id: string;
  readonly file: string;
  readonly syntax: string;
}

interface JsonFinding {
  ruleId: string;
  line: number;
  message: string;
  severity: string;
  parameter: string | null;
  related: { line: number; message: string }[];
}

test('corpus templates and scripts: exit 0 or 1, no finding from template syntax, notes found at their lines', { timeout: 300_000 }, async (t) => {
  if (!CORPUS) return t.skip('shared/corpus/templates not found beside the checkout');
  const entries = JSON.parse(readFileSync(join(CORPUS, 'index.json'), 'utf8')) as Entry[];
  assert.equal(entries.length, 24);
  for (const e of entries) {
    const path = join(CORPUS, e.id, e.file);
    // The Salt formula keeps its template under the plain name main.cf: recognized by its tags.
    const r = await runCli(['--postfix-version', '3.7.11', '--format', 'json', path]);
    assert.ok(r.code === 0 || r.code === 1, `${e.id}: exit ${r.code}: ${r.stderr}`);
    assert.equal(r.stderr, '', `${e.id}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { files: { file: string; findings: JsonFinding[] }[] };
    const findings = report.files.flatMap((f) => f.findings);
    const lines = readFileSync(path, 'latin1').split('\n');
    for (const f of findings) {
      assert.ok(!['main-cf-syntax', 'unknown-tls-parameter', 'comment-after-value'].includes(f.ruleId), `${e.id}: ${f.ruleId}@${f.line} ${f.message}`);
      assert.doesNotMatch(f.message, /\x01|\{%|<%|%>/, `${e.id}: template syntax in a message: ${f.message}`);
      // Where smtpd requires TLS (template 23: encrypt without a certificate) no mail "arrives in plaintext".
      if (f.ruleId === 'smtpd-tls-without-certificate' && f.severity === 'error') assert.doesNotMatch(f.message, /arrives in plaintext|continue without it/, `${e.id}: ${f.message}`);
      // A finding points at a template line that writes a setting (its own, or the one that makes it apply), never at template syntax.
      if (f.line > 1) {
        const line = lines[f.line - 1];
        assert.ok((f.parameter !== null && line.includes(f.parameter)) || /[A-Za-z0-9_]\s*=/.test(line), `${e.id}: ${f.ruleId} at line ${f.line}: "${line}"`);
        assert.doesNotMatch(line.trim(), /^(\{%|<%(?!=)|\{\{\/\*|#)/, `${e.id}: ${f.ruleId} at a template-only or comment line ${f.line}`);
      }
    }
    // A related note that names another line ("shadowed: NAME = ... (overridden by line N)") names a template line, not a
    // line of the rendering: that line writes NAME (template 23: line 13 of the rendering was line 22 of the Dockerfile).
    for (const f of findings) {
      for (const r of f.related) {
        const name = /\b([a-z][a-z0-9_]*) = /.exec(r.message)?.[1];
        if (name === undefined) continue;
        for (const m of r.message.matchAll(/\bline (\d+)/g)) assert.ok(lines[Number(m[1]) - 1]?.includes(name), `${e.id}: ${f.ruleId}@${f.line}: "${r.message}" names line ${m[1]}: "${lines[Number(m[1]) - 1]}"`);
      }
    }
    const got = findings.map((f) => `${f.ruleId}@${f.line}`);
    for (const want of EXPECTED[e.id] ?? []) assert.ok(got.includes(want), `${e.id} (${e.syntax}): expected ${want}; got ${got.join(', ')}`);
  }
});

test('corpus directory search finds the templates and the scripts named for Postfix', { timeout: 300_000 }, async (t) => {
  if (!CORPUS) return t.skip('shared/corpus/templates not found beside the checkout');
  const r = await runCli(['--postfix-version', '3.7.11', '--format', 'json', CORPUS]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const dir: string = CORPUS;
  const files: string[] = (JSON.parse(r.stdout) as { files: { file: string }[] }).files.map((f) => f.file.slice(dir.length + 1));
  for (const id of readdirSync(dir).filter((d) => /^\d+$/.test(d))) {
    const name: string = readdirSync(join(dir, id))[0];
    // Not named for Postfix: a main.cf fragment (tls.j2) and a generic update-config.sh.
    const expected: boolean = !['tls.j2', 'update-config.sh'].includes(name);
    assert.equal(files.includes(`${id}/${name}`), expected, `${id}/${name}`);
  }
});
