import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../support/show-harness.js';
import { lintText } from '../../src/lint.js';
import { formatSarif, fingerprint, SARIF_FINGERPRINT_KEY } from '../../src/formatters/sarif.js';
import { formatGithub, escapeData, escapeProperty, ANNOTATION_CAP } from '../../src/formatters/github.js';
import { formatJunit, escapeXml } from '../../src/formatters/junit.js';
import { FORMAT_NAMES } from '../../src/formatters/index.js';
import { allRules } from '../../rules/index.js';
import type { FileReport, FormatContext } from '../../src/formatters/types.js';

const root = new URL('../../../', import.meta.url).pathname;
const V = ['--postfix-version', '3.7.11'];
const WEAK = 'smtp_tls_security_level = none\nsmtp_tls_ciphers = export\nsmtp_tls_protocols = SSLv2\nsmtp_use_tls = yes\nsmtp_tls_mandatory_ciphers = bogus\nsmtpd_tls_security_level = may\nsmtpd_tls_ciphers = export\n';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ptl-fmt-'));
}

function reportsFor(text: string, file: string): FileReport[] {
  return [{ file, findings: lintText(text, file, { postfixVersion: '3.7.11' }).findings }];
}

const ctx = (cwd: string): FormatContext => ({ color: false, toolVersion: '9.9.9', postfixVersion: '3.7.11', cwd });

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: { id: string; helpUri: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string; markdown: string } }[] } };
    artifacts: { location: { uri: string; uriBaseId?: string } }[];
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }[];
      partialFingerprints: Record<string, string>;
      suppressions?: { kind: string; justification?: string }[];
    }[];
  }[];
}

test('sarif: every rule declared with descriptions, help and helpUri; levels; relative URIs; startLine >= 1', () => {
  const log = JSON.parse(formatSarif(reportsFor(WEAK, 'etc/postfix/main.cf'), ctx('/repo'))) as SarifLog;
  assert.equal(log.version, '2.1.0');
  const driver = log.runs[0].tool.driver;
  assert.equal(driver.name, 'postfix-tls-lint');
  assert.equal(driver.version, '9.9.9');
  assert.match(driver.informationUri, /^https:\/\//);
  for (const r of allRules) assert.ok(driver.rules.some((d) => d.id === r.meta.id), `rule ${r.meta.id} declared`);
  for (const d of driver.rules) {
    assert.ok(d.shortDescription.text && d.fullDescription.text && d.help.text && d.help.markdown, d.id);
    assert.match(d.helpUri, /^https:\/\/github\.com\/.+\/blob\/main\/(rules\/[a-z0-9-]+\.md|docs\/ci\.md#suppressions)$/);
  }
  const results = log.runs[0].results;
  assert.ok(results.length >= 4);
  for (const r of results) {
    assert.equal(driver.rules[r.ruleIndex].id, r.ruleId);
    const loc = r.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, 'etc/postfix/main.cf');
    assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    assert.ok(['error', 'warning', 'note'].includes(r.level));
    assert.match(r.partialFingerprints[SARIF_FINGERPRINT_KEY], /^[0-9a-f]{32}(:\d+)?$/);
  }
  const byRule = new Map(results.map((r) => [r.ruleId, r]));
  assert.equal(byRule.get('weak-cipher-grade')?.level, 'error');
  assert.equal(byRule.get('tls-off-outbound')?.level, 'warning');
});

test('sarif: a finding about a missing parameter anchors on line 1; odd paths are encoded', () => {
  const log = JSON.parse(formatSarif(reportsFor('myhostname = x\n', 'we:ird dir/main.cf'), ctx('/repo'))) as SarifLog;
  const r = log.runs[0].results.find((x) => x.ruleId === 'tls-off-outbound');
  assert.ok(r, 'implicit tls-off finding (no smtp_tls_security_level at all)');
  assert.equal(r.locations[0].physicalLocation.region.startLine, 1);
  assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, 'we%3Aird%20dir/main.cf');
  const outside = JSON.parse(formatSarif(reportsFor('x = 1\n', '/elsewhere/main.cf'), ctx('/repo'))) as SarifLog;
  assert.equal(outside.runs[0].artifacts[0].location.uri, 'file:///elsewhere/main.cf');
  assert.equal(outside.runs[0].artifacts[0].location.uriBaseId, undefined);
});

test('sarif: fingerprints survive lines inserted above; suppressed findings carry a justification', () => {
  const a = JSON.parse(formatSarif(reportsFor(WEAK, 'main.cf'), ctx('/repo'))) as SarifLog;
  const b = JSON.parse(formatSarif(reportsFor('# new comment\n\n' + WEAK, 'main.cf'), ctx('/repo'))) as SarifLog;
  const prints = (l: SarifLog) => l.runs[0].results.map((r) => `${r.ruleId} ${r.partialFingerprints[SARIF_FINGERPRINT_KEY]}`).sort();
  assert.deepEqual(prints(b), prints(a));
  assert.notDeepEqual(
    a.runs[0].results.map((r) => r.locations[0].physicalLocation.region.startLine),
    b.runs[0].results.map((r) => r.locations[0].physicalLocation.region.startLine),
  );
  const f = lintText(WEAK, 'main.cf', { postfixVersion: '3.7.11' }).findings[0];
  assert.notEqual(fingerprint(f, 'main.cf'), fingerprint(f, 'other/main.cf'), 'the file is part of the fingerprint');
  const s = JSON.parse(formatSarif([{ file: 'main.cf', findings: [], suppressed: [{ finding: f, reason: 'lab host' }] }], ctx('/repo'))) as SarifLog;
  assert.deepEqual(s.runs[0].results[0].suppressions, [{ kind: 'inSource', status: 'accepted', justification: 'lab host' }]);
});

/** Run sarif-multitool validate; returns its error-level results, or null when it cannot run here. */
function validateSarif(file: string, ruleKind: string[]): { errors: string[]; output: string } | null {
  const bin = join(root, 'node_modules/.bin/sarif-multitool');
  if (!existsSync(bin)) return null;
  const out = file.replace(/\.sarif$/, `.validation${ruleKind.length ? '-gh' : ''}.sarif`);
  const r = spawnSync(bin, ['validate', file, ...ruleKind, '--output', out, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error || !existsSync(out)) return null;
  const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results?: { level?: string; ruleId: string; message: { text?: string; arguments?: string[] } }[] }[] };
  const errors = (log.runs[0].results ?? []).filter((x) => x.level === 'error').map((x) => `${x.ruleId}: ${x.message.text ?? (x.message.arguments ?? []).join(' | ')}`);
  // The console lists errors too ("file(line,col): error CODE: …"); count both.
  for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) if (/: error [A-Z]+\d+:/.test(line)) errors.push(line.trim());
  return { errors: [...new Set(errors)], output: r.stdout + r.stderr };
}

test('sarif: Microsoft sarif-multitool validate (default rules and --rule-kind Gh) reports zero errors', async (t) => {
  const dir = tempDir();
  mkdirSync(join(dir, 'etc/post:fix'), { recursive: true });
  writeFileSync(join(dir, 'etc/post:fix/main.cf'), '# postfix-tls-lint disable-next-line tls-off-outbound -- relay only\nsmtp_tls_security_level = none\nsmtp_tls_ciphers = export\nsmtp_use_tls = yes\n');
  mkdirSync(join(dir, 'clean'));
  writeFileSync(join(dir, 'clean/main.cf'), 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n');
  const r = await runCli([...V, '--format', 'sarif', '--output', 'report.sarif', '.'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', '--output leaves stdout empty');
  const file = join(dir, 'report.sarif');
  // A deliberately broken copy proves the validator really checks (startLine 0 and an empty helpUri).
  const broken = readFileSync(file, 'utf8').replace(/"startLine": \d+/, '"startLine": 0').replace(/"helpUri": "[^"]*"/, '"helpUri": ""');
  writeFileSync(join(dir, 'broken.sarif'), broken);
  const check = validateSarif(join(dir, 'broken.sarif'), []);
  if (check === null) {
    t.skip('sarif-multitool cannot run here (node_modules/.bin/sarif-multitool missing or not executable)');
    return;
  }
  assert.ok(check.errors.length >= 2, `the validator flags a broken log:\n${check.output}`);
  for (const kind of [[], ['--rule-kind', 'Gh']]) {
    const v = validateSarif(file, kind);
    assert.ok(v);
    assert.deepEqual(v.errors, [], `${kind.join(' ') || 'default rules'}:\n${v.output}`);
  }
});

test('github: workflow commands with escaping, a cap per level, and a summary line', () => {
  assert.equal(escapeData('50% a\r\nb'), '50%25 a%0D%0Ab');
  assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  const out = formatGithub(reportsFor(WEAK, 'etc/a,b:c/main.cf'), ctx('/repo'));
  const lines = out.trimEnd().split('\n');
  assert.match(lines[0], /^::(error|warning|notice) file=etc\/a%2Cb%3Ac\/main\.cf,line=\d+,(endLine=\d+,)?col=\d+,(endColumn=\d+,)?title=postfix-tls-lint [a-z-]+::/);
  assert.match(lines[lines.length - 1], /^postfix-tls-lint: 1 file checked, \d+ problems \(\d+ errors?, \d+ warnings?, \d+ infos?\)$/);
  for (const l of lines.slice(0, -1)) assert.doesNotMatch(l.split('::').slice(2).join('::'), /[\r\n]/);
  // Many findings: 10 annotations per level, the rest as plain lines, counted in the summary.
  const many: FileReport[] = [{ file: 'main.cf', findings: Array.from({ length: 14 }, (_, i) => ({ ...reportsFor(WEAK, 'main.cf')[0].findings[0], severity: 'warning' as const, line: i + 1 })) }];
  const m = formatGithub(many, ctx('/repo')).trimEnd().split('\n');
  assert.equal(m.filter((l) => l.startsWith('::warning ')).length, ANNOTATION_CAP);
  assert.equal(m.filter((l) => /^main\.cf:\d+:\d+: warning /.test(l)).length, 4);
  assert.match(m[m.length - 1], /4 not annotated/);
  assert.equal(formatGithub([{ file: 'main.cf', findings: [] }], ctx('/repo')), 'postfix-tls-lint: 1 file checked, no problems\n');
});

test('junit: well-formed XML, one suite per file, a passing case for a clean file, escaping', () => {
  assert.equal(escapeXml('<a href="x">&\'\u0001'), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;\ufffd');
  const reports = [...reportsFor(WEAK, 'a/main.cf'), { file: 'b/main.cf', findings: [] }];
  const xml = formatJunit(reports, ctx('/repo'));
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites '));
  assert.equal((xml.match(/<testsuite /g) ?? []).length, 2);
  assert.equal((xml.match(/<failure /g) ?? []).length, reports[0].findings.length);
  assert.match(xml, /<testsuite name="b\/main.cf" tests="1" failures="0"/);
  // Well-formedness: xmllint when installed, else a tag-balance check.
  const dir = tempDir();
  writeFileSync(join(dir, 'r.xml'), xml);
  const lint = spawnSync('xmllint', ['--noout', join(dir, 'r.xml')], { encoding: 'utf8' });
  if (!lint.error) assert.equal(lint.status, 0, lint.stderr);
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) assert.equal(stack.pop(), m[2]);
    else stack.push(m[2]);
  }
  assert.deepEqual(stack, []);
});

test('CLI: every format is offered, --output writes the file for each, stdout stays empty', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'main.cf'), WEAK);
  for (const format of FORMAT_NAMES) {
    const r = await runCli([...V, '--format', format, '--output', `out.${format}`, 'main.cf'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(readFileSync(join(dir, `out.${format}`), 'utf8').length > 0, format);
  }
  const bad = await runCli([...V, '--output', 'no/such/dir/x', 'main.cf'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--output no\/such\/dir\/x: cannot write/);
});

test('CLI thresholds: --max-warnings, --quiet, --fail-on; exit codes 0/1/2', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'warn.cf'), 'smtp_tls_security_level = none\n'); // one warning
  writeFileSync(join(dir, 'err.cf'), 'smtp_tls_security_level = may\nsmtp_tls_ciphers = export\nsmtp_tls_loglevel = 1\n'); // one error
  const run = (...args: string[]) => runCli([...V, ...args], { cwd: dir });
  assert.equal((await run('warn.cf')).code, 1);
  assert.equal((await run('--max-warnings', '1', 'warn.cf')).code, 0, 'warnings within the limit pass');
  assert.equal((await run('--max-warnings', '0', 'warn.cf')).code, 1, 'more warnings than allowed');
  assert.equal((await run('--max-warnings', '5', 'err.cf')).code, 1, 'errors still fail');
  assert.equal((await run('--quiet', 'warn.cf')).code, 0, '--quiet drops warnings');
  assert.equal((await run('--fail-on', 'error', 'warn.cf')).code, 0);
  const usage = await run('--max-warnings', 'ten', 'warn.cf');
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--max-warnings needs a non-negative whole number/);
  const help = await runCli(['--help']);
  assert.match(help.stdout, /Exit status.*0 .*1 findings, 2 usage, config or input error/s);
});
