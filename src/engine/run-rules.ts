/** Runs rules over a model and turns their reports into located findings. */
import { LineIndex } from '../parser/main-cf.js';
import type { ConfigModel } from '../model/config.js';
import type { LintFacts } from './facts.js';
import { interpolate } from './interpolate.js';
import { locateRange } from './location.js';
import { summarize } from './summary.js';
import type { Finding, RelatedLocation, ReportDescriptor, Rule, Severity, Range } from './types.js';

export interface RuleSettings {
  /** Rule id → severity, or 'off'. Rules not listed run at their default severity. */
  readonly severities?: Readonly<Record<string, Severity | 'off'>>;
}

export class RuleBugError extends Error {}

/** Shared by the findings without related locations (frozen: nothing may add to it). */
const NO_RELATED: readonly RelatedLocation[] = Object.freeze([]);

export function runRules(
  model: ConfigModel,
  facts: LintFacts,
  rules: readonly Rule[],
  settings: RuleSettings = {},
  lineIndex: LineIndex = new LineIndex(model.file.text),
): Finding[] {
  const findings: Finding[] = [];
  const file = model.file.path;
  const locate = (range: Range) => ({ file, ...locateRange(lineIndex, range) });
  // Many findings on one definition (a long list) share its range: locate it once.
  let lastShown: { start: number; end: number; at: ReturnType<typeof locate> } | undefined;
  const locateShown = (range: Range) => {
    if (lastShown?.start !== range[0] || lastShown.end !== range[1]) lastShown = { start: range[0], end: range[1], at: locate(range) };
    return lastShown.at;
  };
  for (const rule of rules) {
    const configured = settings.severities?.[rule.meta.id];
    if (configured === 'off') continue;
    const report = (d: ReportDescriptor): void => {
      const template = rule.meta.messages[d.messageId];
      if (template === undefined) throw new RuleBugError(`rule ${rule.meta.id} reported unknown messageId "${d.messageId}"`);
      if (d.fix && !rule.meta.fixable) throw new RuleBugError(`rule ${rule.meta.id} is not fixable but offered a fix`);
      const message = interpolate(template, d.data);
      const range: Range = d.range ?? d.node?.range ?? [0, 0];
      const shown: Range = d.range ?? (d.node ? [d.node.nameRange[0], d.node.valueRange[1]] : [0, 0]);
      const related: readonly RelatedLocation[] = d.related === undefined || d.related.length === 0 ? NO_RELATED : d.related.map((r) => ({
        ...locate(r.range ?? (r.node ? [r.node.nameRange[0], r.node.valueRange[1]] : [0, 0])),
        message: r.message,
      }));
      findings.push({
        ruleId: rule.meta.id,
        severity: configured ?? d.severity ?? rule.meta.defaultSeverity,
        category: rule.meta.category,
        messageId: d.messageId,
        data: d.data ?? {},
        message,
        summary: summarize(rule.meta, d.messageId, d.data, message),
        parameter: d.parameter,
        range,
        ...locateShown(shown),
        related,
        ...(d.fix ? { fix: d.fix } : {}),
        ...(d.confirm ? { confirm: d.confirm } : {}),
      });
    };
    rule.check({ model, facts, report });
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  return findings;
}
