/**
 * GitHub Actions workflow commands: one ::error/::warning/::notice
 * annotation per finding, then a one-line summary.
 *
 * GitHub shows at most 10 annotations of each level per step (50 per job).
 * Past ANNOTATION_CAP per level the findings are printed as plain log lines
 * (file:line:col: severity message [rule]) so the log stays complete, and the
 * summary says how many were not annotated.
 */
import type { Formatter } from './types.js';
import { displayText } from '../util/text.js';
import { displayPath } from './paths.js';

export const ANNOTATION_CAP = 10;

/** Escaping of the message part (actions/toolkit escapeData). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of property values (actions/toolkit escapeProperty): also ":" and ",". */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

export const formatGithub: Formatter = (reports, ctx) => {
  let out = '';
  const counts = { error: 0, warning: 0, info: 0 };
  const plain: string[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      counts[f.severity]++;
      const file = displayPath(f.file, ctx.cwd);
      const line = Math.max(1, f.line);
      const col = Math.max(1, f.column);
      const message = displayText(f.message);
      if (counts[f.severity] > ANNOTATION_CAP) {
        plain.push(`${file}:${line}:${col}: ${f.severity} ${message} [${f.ruleId}]`);
        continue;
      }
      const props = [
        `file=${escapeProperty(file)}`,
        `line=${line}`,
        ...(f.endLine > line ? [`endLine=${f.endLine}`] : []),
        `col=${col}`,
        ...(f.endLine === line && f.endColumn > col ? [`endColumn=${f.endColumn}`] : []),
        `title=${escapeProperty(`postfix-tls-lint ${f.ruleId}`)}`,
      ];
      out += `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(message)}\n`;
    }
  }
  for (const p of plain) out += p + '\n';
  const total = counts.error + counts.warning + counts.info;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  let summary = `postfix-tls-lint: ${plural(reports.length, 'file')} checked, ${total === 0 ? 'no problems' : `${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')})`}`;
  if (plain.length > 0) summary += `; ${plain.length} not annotated (GitHub shows ${ANNOTATION_CAP} per level and step), listed above`;
  return out + summary + '\n';
};
