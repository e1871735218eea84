/**
 * Machine-readable output, a stable contract: schemas/lint-output.schema.json.
 * Add fields only; never rename or remove them without bumping schemaVersion.
 */
import type { Formatter } from './types.js';
import { displayText } from '../util/text.js';

export const JSON_SCHEMA_VERSION = 1;

export const formatJson: Formatter = (reports, ctx) => {
  const files = reports.map((r) => ({
    file: r.file,
    findings: r.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      category: f.category,
      message: displayText(f.message),
      summary: displayText(f.summary),
      parameter: f.parameter === null ? null : displayText(f.parameter),
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      fixable: Boolean(f.fix),
      fix: f.fix ? { kind: f.fix.kind, description: displayText(f.fix.description) } : null,
      related: f.related.map((x) => ({ message: displayText(x.message), file: x.file, line: x.line, column: x.column })),
      confirm: f.confirm === undefined ? null : displayText(f.confirm),
    })),
    fixed: (r.fixed ?? []).map((f) => ({ ruleId: f.ruleId, message: displayText(f.message), line: f.line })),
  }));
  const count = (sev: string) => reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === sev).length, 0);
  const out = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'postfix-tls-lint', version: ctx.toolVersion },
    postfixVersion: ctx.postfixVersion,
    summary: {
      files: reports.length,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      fixable: reports.reduce((n, r) => n + r.findings.filter((f) => f.fix).length, 0),
    },
    files,
  };
  return JSON.stringify(out, null, 2) + '\n';
};
