/**
 * Runs the server rules for each smtpd service that sets something with -o
 * in master.cf. A server rule judges, in each run, only the services whose
 * settings the run's model describes (engine/server-scope.ts): the main.cf
 * run the services that inherit, this run the one service. Its findings
 * belong at the service's master.cf entry: at the -o option of the finding's
 * parameter, else at the service name.
 */
import { LineIndex } from '../parser/main-cf.js';
import type { WholeConfig } from '../model/whole-config.js';
import type { ServerService } from '../model/server-services.js';
import { runRules, type RuleSettings } from './run-rules.js';
import type { LintFacts } from './facts.js';
import type { Finding, Range, Rule } from './types.js';

/** Rules that judge smtpd services (they read facts.server / facts.serverService through serverScope). */
export const SERVER_RULE_IDS: ReadonlySet<string> = new Set([
  'smtpd-mandatory-tls-mx',
  'smtpd-auth-before-starttls',
  'smtpd-no-starttls',
  'smtpd-protocol-floor',
  'smtpd-cipher-grade',
  'smtpd-cipher-exclusion',
  'obsolete-tls-settings',
  'legacy-tls-override',
  'smtpd-tls-without-certificate',
  'submission-without-mandatory-tls',
]);

export function isServerRule(rule: Rule): boolean {
  return SERVER_RULE_IDS.has(rule.meta.id);
}

function hasOwnSettings(s: ServerService): boolean {
  return (s.service?.overrides ?? []).some((o) => o.effective && !o.ignoredBecause);
}

/** Server findings of every smtpd service with -o overrides, located in master.cf. */
export function lintServerServices(config: WholeConfig, facts: LintFacts, rules: readonly Rule[], settings: RuleSettings | undefined): Finding[] {
  const master = config.master;
  if (!master) return [];
  const serverRules = rules.filter(isServerRule);
  if (serverRules.length === 0) return [];
  const index = new LineIndex(master.text);
  const locate = (range: Range) => {
    const s = index.locate(range[0]);
    const e = index.locate(Math.max(range[0], range[1]));
    return { file: master.path, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };
  const out: Finding[] = [];
  for (const svc of config.server.services) {
    if (!svc.service || !hasOwnSettings(svc)) continue;
    const own = svc.service.overrides.filter((o) => o.effective && !o.ignoredBecause);
    for (const f of runRules(svc.model, { ...facts, serverService: svc }, serverRules, settings)) {
      // At the -o of the finding's parameter, else at the first -o among the rule's parameters.
      const ruleParams = serverRules.find((r) => r.meta.id === f.ruleId)?.meta.parameters ?? [];
      const o = (f.parameter !== null ? own.find((x) => x.name === f.parameter) : undefined) ?? ruleParams.map((name) => own.find((x) => x.name === name)).find((x) => x !== undefined);
      const range: Range = o ? [o.nameRange[0], o.valueRange[1]] : svc.service.node.fields.service.range;
      const mainRelated = f.file === config.main.path && f.range[1] > f.range[0] ? [{ file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, message: 'the main.cf setting this uses' }] : [];
      const { fix, ...rest } = f;
      out.push({
        ...rest,
        message: `service ${svc.service.service}/${svc.service.type}: ${f.message}`,
        range,
        ...locate(range),
        related: [...f.related, ...mainRelated],
        // Only a master.cf edit fixes one service; a main.cf edit would change every other service too.
        ...(fix && fix.file === master.path ? { fix } : {}),
      });
    }
  }
  return out;
}
