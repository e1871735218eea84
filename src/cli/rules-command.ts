import type { CliIo } from './io.js';
import { allRules, findRule } from '../../rules/index.js';
import { EXIT_CLEAN, EXIT_USAGE } from './exit-codes.js';
import { readFileSync } from 'node:fs';
import { GENERATED_BEGIN, GENERATED_END, renderRuleHeader, withFreshHeader } from '../docs/render-rule.js';
import { packagePath } from '../util/package-root.js';
import { SUPPRESSION_RULE_META } from '../engine/suppressions.js';

export function rulesCommand(io: CliIo): number {
  const idWidth = Math.max(...allRules.map((r) => r.meta.id.length));
  for (const r of allRules) {
    const m = r.meta;
    io.stdout(`${m.id.padEnd(idWidth)}  ${m.defaultSeverity.padEnd(7)}  ${m.category.padEnd(11)}  ${m.fixable ? 'fix' : '   '}  ${m.description}\n`);
  }
  return EXIT_CLEAN;
}

export function explainCommand(id: string, io: CliIo): number {
  // Findings about suppression comments carry this id too; its page is the suppressions section of docs/ci.md.
  if (id === SUPPRESSION_RULE_META.id) {
    io.stdout(renderRuleHeader(SUPPRESSION_RULE_META).split('\n').filter((l) => l !== GENERATED_BEGIN && l !== GENERATED_END).join('\n'));
    return EXIT_CLEAN;
  }
  const rule = findRule(id);
  if (!rule) {
    const near = allRules.map((r) => r.meta.id).filter((x) => x.includes(id) || id.includes(x));
    io.stderr(`postfix-tls-lint: unknown rule "${id}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; see \`postfix-tls-lint rules\`\n`);
    return EXIT_USAGE;
  }
  let page: string;
  try {
    page = withFreshHeader(rule.meta, readFileSync(packagePath('rules', `${id}.md`), 'utf8'));
  } catch {
    page = renderRuleHeader(rule.meta);
  }
  // The generator's markers are for the docs page, not for a terminal.
  io.stdout(page.split('\n').filter((l) => l !== GENERATED_BEGIN && l !== GENERATED_END).join('\n'));
  return EXIT_CLEAN;
}
