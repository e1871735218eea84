/**
 * The lab checks `diagnose` on its own log: every cell whose Postfix session
 * failed gets an incident of a cause that fits what the lab observed, with
 * the lab configuration the setting named is one of the cell's own settings,
 * and no cell that delivered as intended gets an incident. Pure (the caller
 * reads the log and builds the configuration context).
 */
import { Collector } from '../src/diagnose/collector.js';
import { LineParser } from '../src/diagnose/line.js';
import { buildReport } from '../src/diagnose/report.js';
import { configExplainer, type ConfigContext } from '../src/diagnose/with-config.js';
import type { Cause, Incident } from '../src/diagnose/types.js';
import type { CellResult } from './report.js';
import { diagnoseConfigContext } from '../src/cli/diagnose-command.js';
import type { CliIo } from '../src/cli/io.js';

/** The lab instance's configuration (main.cf, master.cf and transport in etcDir), as `diagnose --config` reads it. */
export function labConfigContext(etcDir: string, mainCfText: string): ConfigContext {
  const io: CliIo = {
    stdout: () => undefined,
    stderr: () => undefined,
    readStdin: () => Buffer.alloc(0),
    stdoutIsTty: false,
    env: { POSTFIX_TLS_LINT_NO_POSTCONF: '1' },
    cwd: etcDir,
  };
  return diagnoseConfigContext(`${etcDir}/main.cf`, mainCfText, '3.7', io);
}

const HANDSHAKE: readonly Cause[] = ['no-shared-protocol', 'no-shared-cipher', 'legacy-signature', 'dh-key-too-small', 'tls-library-error', 'tlsproxy-unavailable', 'connection-lost'];
const VERIFICATION: readonly Cause[] = ['certificate-untrusted', 'certificate-name-mismatch', 'certificate-expired', 'policy-lookup-error'];

/** The causes that fit an observed outcome; empty: no incident expected. */
export function expectedCauses(r: Pick<CellResult, 'observed'>): readonly Cause[] {
  const o = r.observed;
  if (o.outcome === 'handshake-failure') return HANDSHAKE;
  if (o.outcome === 'verification-failure') return VERIFICATION;
  if (o.outcome === 'no-starttls' && o.delivery === 'deferred') return ['starttls-not-offered'];
  return [];
}

/** Problems per cell id (empty map: diagnose agrees with the lab everywhere). */
export function checkDiagnose(logText: string, results: readonly CellResult[], ctx: ConfigContext, referenceMs = Date.now()): Map<string, string[]> {
  const collector = new Collector(null);
  const parser = new LineParser(referenceMs);
  for (const line of logText.split('\n')) if (line !== '') collector.add(line, parser, 0);
  const report = buildReport(collector.finish(), { sinceMs: null, explainer: configExplainer(ctx) });
  const byService = new Map<string, Incident[]>();
  for (const i of report.incidents) byService.set(i.service, [...(byService.get(i.service) ?? []), i]);
  const problems = new Map<string, string[]>();
  const add = (cell: string, p: string) => problems.set(cell, [...(problems.get(cell) ?? []), p]);
  for (const r of results) {
    const incidents = byService.get(`postfix/${r.cell.service}/smtp`) ?? [];
    const want = expectedCauses(r);
    if (want.length === 0) {
      for (const i of incidents) add(r.cell.id, `diagnose reports ${i.cause} for a cell that ended ${r.observed.outcome}/${r.observed.delivery}`);
      continue;
    }
    if (incidents.length !== 1) {
      add(r.cell.id, `diagnose reports ${incidents.length === 0 ? 'no incident' : incidents.map((i) => i.cause).join(', ')} for ${r.observed.outcome}`);
      continue;
    }
    const i = incidents[0];
    if (!want.includes(i.cause)) add(r.cell.id, `diagnose says ${i.cause} for ${r.observed.outcome}`);
    const own = new Set(r.mainCfSettings.map(([n]) => n));
    if (i.parameter === null || !own.has(i.parameter)) add(r.cell.id, `diagnose names ${i.parameter ?? 'no setting'}, not one of the cell's (${[...own].join(', ')})`);
  }
  return problems;
}
