/**
 * What an input is: a template, a postconf script, or a plain main.cf (by name,
 * --template, or template tags in a file named main.cf). Kept apart from
 * template-input.ts so a plain lint run loads none of the template layer.
 */
import type { LintInput } from './inputs.js';
import { sniffTemplate, type Recognized } from '../template/recognize.js';
import type { TemplateSyntax } from '../template/types.js';

/** --template: a syntax, or none (templates are linted as plain files). */
export type TemplateChoice = TemplateSyntax | 'none' | undefined;

/** What an input is: a template, a script, or (null) a main.cf. */
export function sourceKindOf(input: LintInput, choice: TemplateChoice): Recognized | null {
  if (input.source?.kind === 'script') return input.source;
  if (choice === 'none') return null;
  if (choice) return { kind: 'template', syntax: choice, target: input.source?.kind === 'template' ? input.source.target : 'main' };
  if (input.source) return input.source;
  const sniffed = sniffTemplate(input.text);
  return sniffed ? { kind: 'template', syntax: sniffed, target: 'main' } : null;
}

