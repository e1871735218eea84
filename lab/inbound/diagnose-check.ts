/**
 * The inbound lab checks `diagnose --config` on smtpd's own log: every cell
 * whose client could not get TLS (handshake failure, 454 to STARTTLS, 530 to
 * MAIL, a dropped wrapper-mode connection) gets exactly one incident with the
 * cause and the setting the cell's configuration is about, and a delivery
 * that fits what the client did; cells that got TLS (or a plaintext client
 * that delivered by design) get none. Where smtpd's log cannot show what
 * happened, the cell is listed with its log line instead (see `unseen`).
 *
 * Run per cell (the cell's sessions alone) and per configuration (all its
 * cells' sessions in one log, as an admin would read it: same causes, counts
 * and settings). Pure: the caller reads the logs and builds the context.
 */
import { Collector } from '../../src/diagnose/collector.js';
import { LineParser } from '../../src/diagnose/line.js';
import { buildReport } from '../../src/diagnose/report.js';
import { configExplainer, type ConfigContext } from '../../src/diagnose/with-config.js';
import type { Delivery, DiagnoseOutput, InboundCause } from '../../src/diagnose/types.js';
import type { InboundCell } from './matrix.js';
import type { InboundObserved } from './observe.js';

export interface DiagnosedCell {
  readonly cell: InboundCell;
  readonly observed: Pick<InboundObserved, 'outcome' | 'delivery'>;
  /** smtpd's log lines of the cell's sessions (start-up warnings of their processes included). */
  readonly lines: readonly string[];
}

export type Expectation =
  | { readonly kind: 'none'; readonly note?: string }
  | { readonly kind: 'incident'; readonly cause: InboundCause; readonly parameter: string; readonly delivery: Delivery }
  /** smtpd's log does not show why the client did what it did: no incident, and the reason is documented. */
  | { readonly kind: 'unseen'; readonly why: string };

const LEVEL = 'smtpd_tls_security_level';

function setting(cell: InboundCell, name: string): string | undefined {
  return cell.config.settings.find(([n]) => n === name)?.[1];
}

/** What smtpd's side shows of the client's fate: it cannot see a client keep its mail. */
function deliveryFor(observed: DiagnosedCell['observed']): Delivery {
  return observed.delivery === 'plaintext' || observed.delivery === 'rejected' || observed.delivery === 'tls' ? observed.delivery : 'unknown';
}

/** What diagnose must report for one cell. Pure. */
export function expectedDiagnosis(cell: InboundCell, observed: DiagnosedCell['observed']): Expectation {
  const { outcome } = observed;
  if (outcome === 'tls') {
    return observed.delivery === 'tls'
      ? { kind: 'none' }
      : { kind: 'none', note: 'TLS worked; the client then gave up for a reason that is not TLS (it needs AUTH, which this service does not offer)' };
  }
  if (outcome === 'plaintext') return { kind: 'none', note: 'the client never uses STARTTLS' };
  if (outcome === 'starttls-required') return { kind: 'incident', cause: 'starttls-required', parameter: LEVEL, delivery: 'rejected' };
  if (outcome === 'no-starttls' && setting(cell, LEVEL) === 'none') {
    return { kind: 'unseen', why: 'level none: smtpd offers no STARTTLS and logs nothing about it; whether the client then sent in plaintext or kept its mail shows only in the command counts' };
  }
  const wrapper = setting(cell, 'smtpd_tls_wrappermode') === 'yes';
  if (wrapper && !cell.client.profile.implicitTls && outcome === 'handshake-failure') {
    return { kind: 'incident', cause: 'client-lost-connection', parameter: 'smtpd_tls_wrappermode', delivery: deliveryFor(observed) };
  }
  const t = cell.config.turnsAway;
  if (!t) return { kind: 'unseen', why: `no expectation: configuration ${cell.config.id} has no turnsAway (lab/inbound/matrix.ts) but the cell ended ${outcome}/${observed.delivery}` };
  return { kind: 'incident', cause: t.cause, parameter: t.parameter, delivery: deliveryFor(observed) };
}

function diagnose(lines: readonly string[], ctx: ConfigContext, referenceMs: number): DiagnoseOutput {
  const collector = new Collector(null);
  const parser = new LineParser(referenceMs);
  for (const line of lines) if (line !== '') collector.add(line, parser, 0);
  return buildReport(collector.finish(), { sinceMs: null, explainer: configExplainer(ctx) });
}

export interface InboundDiagnoseCheck {
  /** Problems per cell id, or per "service <syslog name>" for the per-configuration run. */
  readonly problems: Map<string, string[]>;
  /** Cells whose outcome smtpd's log does not show, with the line that shows the most. */
  readonly unseen: readonly { readonly cell: string; readonly why: string; readonly line: string }[];
  /** Cells with an incident as expected. */
  readonly diagnosed: number;
  /** Cells without incident as expected (TLS, or a plaintext client by design). */
  readonly quiet: number;
}

/** The text of line `line` of a configuration file the context read (main.cf, master.cf). */
function lineAt(ctx: ConfigContext, file: string, line: number): string {
  return ctx.config.texts.get(file)?.split('\n')[line - 1] ?? '';
}

/**
 * The cells' sessions one after the other. A process's start-up warnings head each of its cells' logs: keep them once.
 * (Session lines may repeat word for word, e.g. the TLS library line of two failed handshakes in one second: keep those.)
 */
function concatenated(cells: readonly DiagnosedCell[]): string[] {
  const out: string[] = [];
  const startup = new Set<string>();
  for (const c of cells) {
    const first = c.lines.findIndex((l) => / connect from /.test(l));
    const head = first < 0 ? c.lines : c.lines.slice(0, first);
    for (const l of head) {
      if (!startup.has(l)) out.push(l);
      startup.add(l);
    }
    if (first >= 0) out.push(...c.lines.slice(first));
  }
  return out;
}

/**
 * Checks diagnose against every cell. `order` (optional): the whole smtpd log, to
 * lay each configuration's sessions out in the order smtpd wrote them; without
 * it they are concatenated cell by cell (what the recorded fixtures allow).
 */
export function checkInboundDiagnose(cells: readonly DiagnosedCell[], ctx: ConfigContext, referenceMs: number, order?: readonly string[]): InboundDiagnoseCheck {
  const problems = new Map<string, string[]>();
  const add = (key: string, p: string) => problems.set(key, [...(problems.get(key) ?? []), p]);
  const unseen: { cell: string; why: string; line: string }[] = [];
  let diagnosed = 0;
  let quiet = 0;
  const expected = new Map<string, Expectation>();
  for (const c of cells) {
    const want = expectedDiagnosis(c.cell, c.observed);
    expected.set(c.cell.id, want);
    const got = diagnose(c.lines, ctx, referenceMs).incidents;
    const id = c.cell.id;
    if (want.kind !== 'incident') {
      for (const i of got) add(id, `diagnose reports ${i.cause} for a cell that ended ${c.observed.outcome}/${c.observed.delivery}`);
      if (want.kind === 'unseen') {
        unseen.push({ cell: id, why: want.why, line: c.lines.find((l) => / disconnect from /.test(l)) ?? c.lines[c.lines.length - 1] ?? '' });
        if (want.why.startsWith('no expectation')) add(id, want.why);
      } else if (got.length === 0) quiet++;
      continue;
    }
    if (got.length !== 1) {
      add(id, `diagnose reports ${got.length === 0 ? 'no incident' : got.map((i) => i.cause).join(', ')}; expected ${want.cause}`);
      continue;
    }
    const i = got[0];
    const before = problems.get(id)?.length ?? 0;
    if (i.cause !== want.cause) add(id, `diagnose says ${i.cause}, expected ${want.cause}`);
    if (i.direction !== 'inbound' || i.service !== `postfix/${c.cell.service}/smtpd`) add(id, `incident for ${i.direction} ${i.service}`);
    if (i.delivery !== want.delivery) add(id, `delivery ${i.delivery}, expected ${want.delivery} (the client ended ${c.observed.delivery})`);
    if (i.parameter !== want.parameter) add(id, `diagnose names ${i.parameter ?? 'no setting'}, expected ${want.parameter}`);
    else if (i.file === null || i.line === null) add(id, `no file:line for ${i.parameter}`);
    else if (!lineAt(ctx, i.file, i.line).includes(want.parameter)) {
      add(id, `${i.file}:${i.line} does not set ${want.parameter}: "${lineAt(ctx, i.file, i.line)}"`);
    }
    if ((problems.get(id)?.length ?? 0) === before) diagnosed++;
  }

  // Per configuration: the same causes, one occurrence per failing cell, the same settings.
  for (const service of [...new Set(cells.map((c) => c.cell.service))]) {
    const mine = cells.filter((c) => c.cell.service === service);
    const wanted = new Set(mine.flatMap((c) => c.lines));
    const lines = order ? order.filter((l) => wanted.has(l)) : concatenated(mine);
    const byCause = new Map<string, { count: number; parameters: Set<string | null> }>();
    for (const i of diagnose(lines, ctx, referenceMs).incidents) {
      const e = byCause.get(i.cause) ?? { count: 0, parameters: new Set() };
      e.count += i.count;
      e.parameters.add(i.parameter);
      byCause.set(i.cause, e);
    }
    const want = new Map<string, { count: number; parameter: string }>();
    for (const c of mine) {
      const x = expected.get(c.cell.id);
      if (x?.kind === 'incident') want.set(x.cause, { count: (want.get(x.cause)?.count ?? 0) + 1, parameter: x.parameter });
    }
    const key = `service postfix/${service}/smtpd (${mine[0].cell.config.id})`;
    for (const [cause, w] of want) {
      const g = byCause.get(cause);
      if (!g) add(key, `no ${cause} incident in the configuration's log (expected ${w.count})`);
      else {
        if (g.count !== w.count) add(key, `${cause}: ${g.count} occurrences, expected ${w.count}`);
        if (g.parameters.size !== 1 || !g.parameters.has(w.parameter)) add(key, `${cause}: names ${[...g.parameters].join(', ')}, expected ${w.parameter}`);
      }
    }
    for (const cause of byCause.keys()) if (!want.has(cause)) add(key, `unexpected ${cause} incident in the configuration's log`);
  }
  return { problems, unseen, diagnosed, quiet };
}
