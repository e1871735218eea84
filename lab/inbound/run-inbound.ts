/**
 * The inbound half of `npm run lab`: a real Postfix 3.7 smtpd (a private
 * instance, one smtpd service per server configuration on 127.0.0.1) and
 * Node SMTP clients that behave like the client profiles. What smtpd
 * logged (checked against what the client saw) is compared, cell by cell,
 * with what `handshake --inbound` predicts for the same main.cf, master.cf
 * and client profile.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inboundCommand } from '../../src/cli/inbound-command.js';
import { EXIT_CLEAN, EXIT_FINDINGS } from '../../src/cli/exit-codes.js';
import { buildWholeConfig } from '../../src/model/whole-config.js';
import { findServerServices } from '../../src/model/server-services.js';
import { predictInbound } from '../../src/interop/predict-inbound.js';
import type { ClientProfile, InboundPrediction } from '../../src/interop/client-types.js';
import { createLabCa } from '../ca.js';
import { PostfixInstance, sleep } from '../postfix-instance.js';
import { parseLogLine, type LogLine } from '../log.js';
import { buildInboundCells, type InboundCell } from './matrix.js';
import { serverCertificates } from './certs.js';
import { startAuthServer, type AuthServer } from './dovecot-auth.js';
import { runClient, type ClientRun } from './smtp-client.js';
import { RECIPIENT_DOMAIN, SERVER_HOST, freePort, serverMainCf, serverMasterCf, serviceSettings, type ServerService } from './server-instance.js';
import { classifyInbound, serverSessions } from './observe.js';
import { compare } from '../compare.js';
import { captureIo } from '../cli-capture.js';
import { formatInboundTable, inboundDoc, writeLogFixtures, type InboundCellResult } from './report.js';
import { BROKEN_KINDS, lintCertificateFinding, lintMatchesObservation } from './lint-check.js';
import { serviceCertificateStatus, tlsFileUses, tlsFilesNeeded } from '../../src/model/tls-files.js';
import { readTlsFiles } from '../../src/cli/tls-files.js';
import { labConfigContext } from '../diagnose-check.js';
import { checkInboundDiagnose, type InboundDiagnoseCheck } from './diagnose-check.js';

export interface InboundArgs {
  readonly writeDocs: boolean;
  readonly only: string | null;
  readonly keep: boolean;
  readonly versions: { readonly postfix: string; readonly openssl: string; readonly node: string };
}

function predictWithCli(dir: string, mainCf: string, masterCf: string, service: string, profile: ClientProfile): InboundPrediction {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.cf'), mainCf);
  writeFileSync(join(dir, 'master.cf'), masterCf);
  writeFileSync(join(dir, 'client.json'), JSON.stringify(profile, null, 2) + '\n');
  const { io, out, err } = captureIo(dir);
  // --files on: the cell's certificate files are what smtpd loaded (a missing one counts).
  const code = inboundCommand(join(dir, 'main.cf'), { service, clientFile: [join(dir, 'client.json')], format: 'json', postfixVersion: '3.7', files: 'on' }, io);
  if (code !== EXIT_CLEAN && code !== EXIT_FINDINGS) throw new Error(`handshake --inbound failed for ${dir} (exit ${code}): ${err().trim()}`);
  return (JSON.parse(out()) as InboundPrediction[])[0];
}

function waitForPort(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  return new Promise((resolve) => {
    const attempt = () => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) resolve(false);
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

async function pool<T, R>(items: readonly T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}

/** Runs the inbound matrix; returns the exit code (0 all match or skipped, 1 mismatch or lab failure). */
export async function runInbound(args: InboundArgs): Promise<number> {
  const cells = buildInboundCells(args.only ? (c) => c.id.includes(args.only as string) : undefined);
  if (cells.length === 0) {
    process.stdout.write('lab: inbound: no cell matches --only\n');
    return 0;
  }
  const t0 = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'pftls-inbound-'));
  chmodSync(root, 0o755);
  let instance: PostfixInstance | null = null;
  let auth: AuthServer | null = null;
  const kill = () => instance?.killAllNow();
  process.on('exit', kill);
  let failed = false;
  let results: InboundCellResult[] = [];
  let diagnosed: InboundDiagnoseCheck | null = null;
  let etc: { main: string; master: string } | null = null;
  try {
    const ca = createLabCa(join(root, 'certs'));
    const certs = serverCertificates(ca, ['localhost', SERVER_HOST]);
    auth = await startAuthServer();
    const mainCf = serverMainCf(root, certs, auth.port);
    const configs = [...new Map(cells.map((c) => [c.service, c.config])).entries()];
    // Ports are chosen free now; another lab run may take one first, so a service that does not come up is retried once.
    let services: ServerService[] = [];
    let masterCf = '';
    for (let attempt = 1; ; attempt++) {
      services = [];
      for (const [name, config] of configs) {
        // The kernel may hand out a port it just gave (and we closed) again: two services on one port would share its sessions.
        let port = await freePort();
        while (services.some((x) => x.port === port)) port = await freePort();
        services.push({ name, port, config });
      }
      masterCf = serverMasterCf(services, certs);
      instance = new PostfixInstance(root, mainCf);
      instance.writeFiles(masterCf, []);
      await instance.start();
      const up = await Promise.all(services.map((s) => waitForPort(s.port, 10_000)));
      if (up.every(Boolean)) break;
      await instance.stop();
      if (attempt >= 2) throw new Error(`smtpd did not listen on ${services.filter((_, i) => !up[i]).map((s) => s.port).join(', ')}\n${instance.tailOfLog()}`);
    }
    const tStarted = Date.now();
    const portOf = (cell: InboundCell) => (services.find((s) => s.name === cell.service) as ServerService).port;
    const runs = await pool(cells, 6, (cell): Promise<ClientRun> => runClient(cell.client.profile, {
      port: portOf(cell),
      wrapper: cell.config.settings.some(([n, v]) => n === 'smtpd_tls_wrappermode' && v === 'yes'),
      helo: `${cell.service}-${cell.client.id}.client.inboundlab.test`,
      recipient: `${cell.id.replace(/[^A-Za-z0-9-]/g, '-')}@${RECIPIENT_DOMAIN}`,
    }));
    // smtpd logs the disconnect line after the client has gone: wait until every session is closed in the log.
    const log: { line: LogLine; raw: string }[] = [];
    const pump = () => {
      for (const raw of (instance as PostfixInstance).readNewLog()) {
        const line = parseLogLine(raw);
        if (line) log.push({ line, raw });
      }
    };
    const ports = runs.flatMap((r) => r.sessions.map((s) => s.localPort));
    const deadline = Date.now() + 15_000;
    for (;;) {
      pump();
      const closed = new Set(log.filter((e) => e.line.text.startsWith('disconnect from ')).map((e) => Number(/\]:(\d+)/.exec(e.line.text)?.[1])));
      if (ports.every((p) => closed.has(p)) || Date.now() > deadline) break;
      await sleep(100);
    }
    const sessionsByService = new Map(services.map((s) => [s.name, serverSessions(log, s.name)]));
    // The certificate files as the predictor and the linter read them (all exist in the lab, or are missing on purpose).
    const labConfig = buildWholeConfig({ main: { path: 'main.cf', text: mainCf }, master: { path: 'master.cf', text: masterCf } }, { postfixVersion: '3.7' });
    const { uses } = tlsFileUses(labConfig);
    const labFiles = readTlsFiles(tlsFilesNeeded(uses), { root: null, configDir: null, shown: (p) => p });
    const lintSaid = new Map<string, Awaited<ReturnType<typeof lintCertificateFinding>>>();
    for (const cell of cells) {
      if (!BROKEN_KINDS.has(cell.config.cert) || lintSaid.has(cell.service)) continue;
      const dir = join(root, 'cells', `lint-${cell.service}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'main.cf'), mainCf);
      writeFileSync(join(dir, 'master.cf'), masterCf);
      lintSaid.set(cell.service, await lintCertificateFinding(join(dir, 'main.cf'), `127.0.0.1:${portOf(cell)}`));
    }
    results = cells.map((cell, i) => {
      const run = runs[i];
      const sessions = sessionsByService.get(cell.service) ?? new Map();
      const wrapper = cell.config.settings.some(([n, v]) => n === 'smtpd_tls_wrappermode' && v === 'yes');
      const observed = classifyInbound(run, sessions, { wrapper, starttlsNever: cell.client.profile.starttls === 'never' });
      const serviceName = `127.0.0.1:${portOf(cell)}`;
      const prediction = predictWithCli(join(root, 'cells', cell.id), mainCf, masterCf, serviceName, cell.client.profile);
      // The CLI and the library must agree, or the lab is not testing what users run.
      const svc = findServerServices(labConfig.server, serviceName)[0];
      const certificates = serviceCertificateStatus(uses, svc, (p) => labFiles.get(p), new Date(), true);
      const direct = predictInbound(svc, cell.client.profile, { host: SERVER_HOST, ...(certificates ? { certificates } : {}) });
      const problems = [...observed.problems];
      for (const f of ['outcome', 'delivery', 'protocol', 'cipher', 'reason'] as const) {
        if (direct[f] !== prediction[f]) problems.push(`handshake --inbound and predictInbound() differ in ${f}`);
      }
      const serverLines = run.sessions.flatMap((s) => sessions.get(s.localPort)?.lines ?? []);
      const settings = serviceSettings({ name: cell.service, port: 0, config: cell.config }, certs);
      // The linter must say what happened to this service's broken certificate.
      const said = lintSaid.get(cell.service) ?? null;
      problems.push(...lintMatchesObservation(cell.config.cert, settings, said, observed, run, serverLines));
      const obs = { ...observed, evidence: observed.evidence.split(root).join('<lab>'), problems };
      // The docs show the reason without the run's temporary directory.
      const shown = { ...prediction, reason: prediction.reason.split(root).join('<lab>') };
      return {
        cell, prediction: shown, observed: obs, comparison: compare(prediction, obs), settings, certificateLabel: certs.kinds[cell.config.cert].label, serverLines, authRequests: auth?.requests.length ?? 0,
        // The first sentence (what stylish shows), without the run's temporary directory.
        ...(said ? { lint: { ruleId: said.ruleId, message: (said.message.slice(0, said.message.indexOf('. ') + 1) || said.message).split(root).join('<lab>') } } : {}),
      };
    });
    // `diagnose --config` reads the same smtpd log: the right cause and setting for every cell that did not get TLS, nothing for the others.
    diagnosed = checkInboundDiagnose(results.map((r) => ({ cell: r.cell, observed: r.observed, lines: r.serverLines })),
      labConfigContext(join(root, 'etc'), mainCf), Date.now(), log.map((e) => e.raw));
    const byCell = (r: InboundCellResult) => [...(diagnosed?.problems.get(r.cell.id) ?? []),
      ...[...(diagnosed?.problems.entries() ?? [])].filter(([k]) => k.startsWith(`service postfix/${r.cell.service}/smtpd `)).flatMap(([, ps]) => ps)];
    results = results.map((r) => {
      const ps = byCell(r);
      if (ps.length === 0) return r;
      const observed = { ...r.observed, problems: [...r.observed.problems, ...ps.map((p) => `diagnose: ${p}`)] };
      return { ...r, observed, comparison: compare(r.prediction, observed) };
    });
    etc = { main: mainCf, master: masterCf };
    process.stdout.write(formatInboundTable(results));
    const matched = results.filter((r) => r.comparison.match).length;
    process.stdout.write(`\nlab: inbound: ${results.length} cells, ${matched} match, ${results.length - matched} differ` +
      ` (setup ${((tStarted - t0) / 1000).toFixed(1)} s, sessions ${((Date.now() - tStarted) / 1000).toFixed(1)} s)\n`);
    process.stdout.write(`lab: inbound: diagnose --config: ${diagnosed.diagnosed} cells with the right cause and setting, ${diagnosed.quiet} without incident as expected,` +
      ` ${diagnosed.unseen.length} not visible in smtpd's log (documented), ${diagnosed.problems.size} with problems\n`);
    failed = matched !== results.length;
  } catch (e) {
    failed = true;
    process.stderr.write(`lab: inbound: ${e instanceof Error ? e.message : String(e)}\n`);
  } finally {
    await instance?.stop();
    await auth?.close();
    process.removeListener('exit', kill);
    if (args.keep || failed) process.stdout.write(`lab: inbound: directory kept: ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  }
  if (args.writeDocs && results.length > 0) {
    if (args.only) process.stderr.write('lab: inbound: --write-docs ignored with --only\n');
    else {
      const repo = fileURLToPath(new URL('../../../', import.meta.url));
      writeFileSync(join(repo, 'docs/interop-inbound.md'), inboundDoc(results, args.versions, diagnosed));
      writeLogFixtures(join(repo, 'test/fixtures/lab-logs/inbound'), results, etc);
      process.stdout.write('lab: inbound: wrote docs/interop-inbound.md and test/fixtures/lab-logs/inbound/\n');
    }
  }
  return failed ? 1 : 0;
}
