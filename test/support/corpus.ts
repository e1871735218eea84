/** The shared real-world corpus (/work/shared/corpus, or POSTFIX_TLS_LINT_CORPUS): each main.cf with its master.cf and tables. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigSources, TableSourceText } from '../../src/model/whole-config.js';
import { tableSourcesNeeded } from '../../src/model/whole-config.js';
import { bytesToBinary } from '../../src/util/text.js';

export const CORPUS = process.env.POSTFIX_TLS_LINT_CORPUS ?? '/work/shared/corpus';

export function corpusConfigs(postfixVersion: string): { id: string; sources: ConfigSources }[] {
  const out: { id: string; sources: ConfigSources }[] = [];
  for (const id of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, id);
    const main = join(dir, 'main.cf');
    if (!existsSync(main)) continue;
    const master = join(dir, 'master.cf');
    const base: ConfigSources = {
      main: { path: main, text: bytesToBinary(readFileSync(main)) },
      master: existsSync(master) ? { path: master, text: bytesToBinary(readFileSync(master)) } : null,
      configDir: dir,
    };
    const tables = new Map<string, TableSourceText>();
    for (const p of tableSourcesNeeded(base, { postfixVersion })) {
      if (existsSync(p)) tables.set(p, { path: p, text: bytesToBinary(readFileSync(p)) });
    }
    out.push({ id, sources: { ...base, tables } });
  }
  return out;
}
