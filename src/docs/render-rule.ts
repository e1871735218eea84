/**
 * Rule docs: a header generated from the rule's metadata, then the hand-written
 * body from rules/<id>.md. `explain` prints the same text.
 */
import type { RuleMeta } from '../engine/types.js';

export const GENERATED_BEGIN = '<!-- begin generated from rule metadata; do not edit -->';
export const GENERATED_END = '<!-- end generated -->';

export function renderRuleHeader(meta: RuleMeta): string {
  const lines = [
    GENERATED_BEGIN,
    `# ${meta.id}`,
    '',
    meta.description,
    '',
    `- Category: ${meta.category}`,
    `- Default severity: ${meta.defaultSeverity}`,
    `- Fixable: ${meta.fixable ? 'yes' : 'no'}`,
    `- Parameters: ${meta.parameters.length ? meta.parameters.map((p) => '`' + p + '`').join(', ') : '(none)'}`,
    '',
    '## Why',
    '',
    meta.why,
    '',
    '## References',
    '',
    ...meta.references.map((r) => (r.url ? `- [${r.title}](${r.url})` : `- ${r.title}`)),
    GENERATED_END,
  ];
  return lines.join('\n') + '\n';
}

/** Replace the generated block of a docs page (or prepend it) with a fresh one. */
export function withFreshHeader(meta: RuleMeta, page: string): string {
  const b = page.indexOf(GENERATED_BEGIN);
  const e = page.indexOf(GENERATED_END);
  const header = renderRuleHeader(meta);
  if (b === -1 || e === -1) return header + '\n' + page;
  return page.slice(0, b) + header + page.slice(e + GENERATED_END.length + 1);
}
