/** Every rule, in an explicit list (no directory scanning). Order = documentation order. */
import type { Rule } from '../src/engine/types.js';
import mainCfSyntax from './main-cf-syntax.js';
import tlsOffOutbound from './tls-off-outbound.js';

export const allRules: readonly Rule[] = [mainCfSyntax, tlsOffOutbound];

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
