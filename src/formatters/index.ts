/** Formatter registry: names feed commander's --format choices; modules load lazily. */
import type { Formatter } from './types.js';

export const FORMAT_NAMES = ['stylish', 'json', 'sarif', 'github', 'junit'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export async function loadFormatter(name: FormatName): Promise<Formatter> {
  switch (name) {
    case 'json':
      return (await import('./json.js')).formatJson;
    case 'stylish':
      return (await import('./stylish.js')).formatStylish;
    case 'sarif':
      return (await import('./sarif.js')).formatSarif;
    case 'github':
      return (await import('./github.js')).formatGithub;
    case 'junit':
      return (await import('./junit.js')).formatJunit;
  }
}
