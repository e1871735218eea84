/** Shared helpers for the diagnose tests: fixture paths, running the collector in-process, loading a fixture configuration. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Collector } from '../../src/diagnose/collector.js';
import { LineParser } from '../../src/diagnose/line.js';
import { buildReport, type ConfigExplainer } from '../../src/diagnose/report.js';
import type { DiagnoseOutput } from '../../src/diagnose/types.js';
import { diagnoseConfigContext } from '../../src/cli/diagnose-command.js';
import { configExplainer, type ConfigContext } from '../../src/diagnose/with-config.js';
import { bytesToBinary } from '../../src/util/text.js';
import { fakeIo } from '../support/show-harness.js';

export const ROOT = new URL('../../../', import.meta.url).pathname;
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'diagnose');
export const fixture = (...p: string[]) => join(FIXTURES, ...p);

/** A fixed reference time (the generator and the lab ran on 2026-12-03), so years are stable. */
export const REFERENCE = Date.UTC(2026, 11, 4, 0, 0, 0);

export function collect(texts: readonly string[], sinceMs: number | null = null, explainer?: ConfigExplainer): DiagnoseOutput {
  const c = new Collector(sinceMs);
  texts.forEach((text, i) => {
    const parser = new LineParser(REFERENCE);
    for (const line of text.split('\n')) if (line !== '') c.add(line, parser, i);
    c.endInput(i);
  });
  return buildReport(c.finish(), { sinceMs, explainer });
}

export function read(...p: string[]): string {
  return readFileSync(fixture(...p), 'utf8');
}

/** The explanation context for a fixture configuration directory, built as the CLI builds it. */
export function configContext(dir: string, version = '3.7.11'): ConfigContext {
  const mainPath = join(dir, 'main.cf');
  const { io } = fakeIo({ cwd: dir });
  return diagnoseConfigContext(mainPath, bytesToBinary(readFileSync(mainPath)), version, io);
}

export function withConfig(dir: string): ConfigExplainer {
  return configExplainer(configContext(dir));
}
