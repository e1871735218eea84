/** Every rule, in an explicit list (no directory scanning). Order = documentation order. */
import type { Rule } from '../src/engine/types.js';
import mainCfSyntax from './main-cf-syntax.js';

export const allRules: readonly Rule[] = [mainCfSyntax];

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
