/**
 * From what the collector gathered to the public JSON shape: tentative
 * incidents confirmed or dropped, each explained (from the log, or with the
 * configuration), sorted, and the summary. Pure.
 */
import { byCauseObject, type Collected } from './collector.js';
import type { IncidentRecord } from './incidents.js';
import { explainFromLog, type Explained } from './explain.js';
import type { Delivery, DiagnoseOutput, Incident } from './types.js';

/**
 * Explains one incident with the configuration; null drops a tentative
 * incident the configuration does not confirm; undefined means "no opinion"
 * (the log-only rules apply).
 */
export type ConfigExplainer = (rec: IncidentRecord, delivery: Delivery) => Explained | null | undefined;

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function compare(a: Incident, b: Incident): number {
  const k = (i: Incident) => [i.direction === 'outbound' ? '0' : '1', i.hostname ?? '', i.address ?? '', String(i.port ?? '').padStart(5, '0'), i.service, i.cause];
  const x = k(a);
  const y = k(b);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

export function buildReport(c: Collected, opts: { sinceMs: number | null; explainer?: ConfigExplainer }): DiagnoseOutput {
  const incidents: Incident[] = [];
  for (const rec of c.records) {
    const delivery = c.book.deliveryOf(rec);
    let explained: Explained | null | undefined = opts.explainer ? opts.explainer(rec, delivery) : undefined;
    if (explained === undefined) {
      if (rec.tentative && !c.inbound.confirmedByLog(rec)) explained = null;
      else explained = explainFromLog(rec, delivery);
    }
    if (explained === null) {
      c.book.remove(rec);
      continue;
    }
    incidents.push({
      direction: rec.direction,
      hostname: rec.hostname,
      address: rec.address,
      port: rec.port,
      service: rec.service,
      cause: rec.cause,
      count: rec.count,
      first: iso(rec.first),
      last: iso(rec.last),
      delivery,
      evidence: rec.evidence,
      explanation: explained.explanation,
      parameter: explained.parameter,
      file: explained.file,
      line: explained.line,
      fix: explained.fix,
      confirm: explained.confirm,
    });
  }
  incidents.sort(compare);
  return {
    schemaVersion: 1,
    incidents,
    summary: {
      lines: c.lines,
      parsedLines: c.parsedLines,
      consideredLines: c.consideredLines,
      since: iso(opts.sinceMs),
      incidents: incidents.length,
      occurrences: c.book.occurrences,
      byCause: byCauseObject(c.book.byCause),
      outbound: { ...c.outbound.counts },
      inbound: { ...c.inbound.counts },
      truncated: c.book.truncated,
    },
  };
}
