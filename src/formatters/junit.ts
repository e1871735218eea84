/**
 * JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure):
 * one <testsuite> per linted file, one failing <testcase> per finding, and
 * one passing testcase for a file without findings (so the report is never
 * empty and clean files are visible).
 */
import type { Formatter } from './types.js';
import { displayText } from '../util/text.js';
import { displayPath } from './paths.js';

/** XML 1.0 text/attribute escaping; characters XML cannot carry become U+FFFD. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** Element text keeps its line breaks readable. */
function escapeText(s: string): string {
  return escapeXml(s).replace(/&#10;/g, '\n').replace(/&#9;/g, '\t');
}

export const formatJunit: Formatter = (reports, ctx) => {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const r of reports) {
    const file = displayPath(r.file, ctx.cwd);
    const cases: string[] = [];
    for (const f of r.findings) {
      const where = `${displayPath(f.file, ctx.cwd)}:${Math.max(1, f.line)}:${Math.max(1, f.column)}`;
      const message = displayText(f.message);
      const body = [
        `${where}: ${f.severity}: ${message} [${f.ruleId}]`,
        ...f.related.map((rel) => `  ${displayPath(rel.file, ctx.cwd)}:${rel.line}: ${displayText(rel.message)}`),
        ...(f.confirm ? [`  confirm: ${displayText(f.confirm)}`] : []),
      ].join('\n');
      cases.push(
        `    <testcase classname="${escapeXml(file)}" name="${escapeXml(`${f.ruleId} at ${where}`)}" file="${escapeXml(file)}" time="0">\n` +
          `      <failure type="${escapeXml(f.severity)}" message="${escapeXml(displayText(f.summary))}">${escapeText(body)}</failure>\n` +
          `    </testcase>`,
      );
    }
    if (r.findings.length === 0) {
      cases.push(`    <testcase classname="${escapeXml(file)}" name="${escapeXml(`postfix-tls-lint ${file}`)}" file="${escapeXml(file)}" time="0"/>`);
    }
    tests += cases.length;
    failures += r.findings.length;
    suites.push(
      `  <testsuite name="${escapeXml(file)}" tests="${cases.length}" failures="${r.findings.length}" errors="0" skipped="0" time="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="postfix-tls-lint" tests="${tests}" failures="${failures}" errors="0" time="0">\n` +
    (suites.length ? suites.join('\n') + '\n' : '') +
    '</testsuites>\n'
  );
};
