/**
 * `npm run lab`: a real Postfix 3.7 SMTP client (private instance) delivers
 * to Node STARTTLS peers on 127.0.0.1, one peer per cell, all cells at once;
 * the outcome read from Postfix's log is compared with what the `handshake`
 * command (run in-process with --peer-file) predicts for the same main.cf and
 * the same peer profile.
 *
 * Exit: 0 all cells match (or skipped: not root / no Postfix), 1 a mismatch
 * or lab failure, 2 usage.
 *
 * Options: --write-docs (regenerate docs/interop-matrix.md), --json FILE,
 * --only SUBSTRING (cells whose id contains it), --keep (keep the lab directory),
 * --inbound-only / --outbound-only (one of the two matrices; the inbound one is lab/inbound/).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMainCf } from '../src/parser/main-cf.js';
import { ConfigModel } from '../src/model/config.js';
import { predictHandshake } from '../src/interop/predict.js';
import { handshakeCommand } from '../src/cli/handshake-command.js';
import { EXIT_CLEAN, EXIT_FINDINGS } from '../src/cli/exit-codes.js';
import { captureIo } from './cli-capture.js';
import type { PeerProfile, Prediction } from '../src/interop/types.js';
import { createLabCa, type LabCertificate } from './ca.js';
import { startPeerServer, type PeerServer } from './peer-server.js';
import { GOOD_NAMES, WRONG_NAME } from './peers.js';
import { buildCells, reuses, type Cell } from './matrix.js';
import { baseMainCf, masterCf, NEXTHOP_HOST, PostfixInstance, sleep, type ServiceSpec } from './postfix-instance.js';
import { cellAttempts, parseLogLine, queueIds, type Attempt, type LogLine } from './log.js';
import { classifyMessage, compare, type Comparison, type Observed } from './compare.js';
import { formatTable, matrixDoc, type CellResult } from './report.js';
import { runInbound } from './inbound/run-inbound.js';
import { checkDiagnose, labConfigContext } from './diagnose-check.js';

interface Args {
  writeDocs: boolean;
  json: string | null;
  only: string | null;
  keep: boolean;
  inboundOnly: boolean;
  outboundOnly: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const a: Args = { writeDocs: false, json: null, only: null, keep: false, inboundOnly: false, outboundOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--write-docs') a.writeDocs = true;
    else if (x === '--keep') a.keep = true;
    else if (x === '--inbound-only') a.inboundOnly = true;
    else if (x === '--outbound-only') a.outboundOnly = true;
    else if (x === '--json' && i + 1 < argv.length) a.json = argv[++i];
    else if (x === '--only' && i + 1 < argv.length) a.only = argv[++i];
    else return `unknown argument ${x}`;
  }
  return a;
}

/** Why the lab cannot run here, or null. */
function skipReason(): string | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return 'not root (a private Postfix instance with its own config directory needs root)';
  }
  for (const [cmd, args] of [['postconf', ['-d', '-h', 'mail_version']], ['openssl', ['version']]] as const) {
    try {
      execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return `${cmd} is not installed`;
    }
  }
  for (const cmd of ['postfix', 'sendmail', 'postqueue', 'postsuper']) {
    if (!['/usr/sbin', '/usr/bin', '/sbin'].some((d) => existsSync(join(d, cmd)))) return `${cmd} is not installed`;
  }
  return null;
}

function versionOf(cmd: string, args: readonly string[]): string {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

/** mtimes of /etc/postfix, to prove the lab left the system instance alone. */
function systemSnapshot(): string {
  const dir = '/etc/postfix';
  if (!existsSync(dir)) return '';
  return readdirSync(dir).sort().map((f) => `${f}:${statSync(join(dir, f)).mtimeMs}`).join('\n');
}

/** Lab plumbing per cell (not TLS policy): reuse needs a backlog of one connection at a time. */
function plumbing(cell: Cell, port: number): [string, string][] {
  if (!reuses(cell.config)) return [];
  return [['smtp_connection_cache_destinations', `[${NEXTHOP_HOST}]:${port}`]];
}

function cellSettings(cell: Cell, port: number, otherCaFile: string): [string, string][] {
  const trust: [string, string][] = cell.config.trustAnchor === 'other-ca' ? [['smtp_tls_CAfile', otherCaFile]] : [];
  return [...cell.config.fragment.map(([n, v]) => [n, v] as [string, string]), ...trust, ...plumbing(cell, port)];
}

/** The main.cf the predictor reads: the instance's main.cf with the cell's settings appended. */
export function cellMainCf(instanceMainCf: string, settings: readonly (readonly [string, string])[]): string {
  return instanceMainCf + '# cell settings (master.cf -o on the cell service)\n' + settings.map(([n, v]) => `${n} = ${v}\n`).join('');
}

/**
 * `postfix-tls-lint handshake CELLDIR/main.cf --peer-file CELLDIR/peer.json --format json`, run
 * in-process on files written for the cell (kept with --keep, to rerun by hand).
 */
function predictWithCli(dir: string, mainCfText: string, profile: PeerProfile): Prediction {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.cf'), mainCfText);
  writeFileSync(join(dir, 'peer.json'), JSON.stringify(profile, null, 2) + '\n');
  const { io, out, err } = captureIo(dir);
  const code = handshakeCommand(join(dir, 'main.cf'), { peerFile: [join(dir, 'peer.json')], format: 'json', postfixVersion: '3.7' }, io);
  if (code !== EXIT_CLEAN && code !== EXIT_FINDINGS) throw new Error(`handshake CLI failed for ${dir} (exit ${code}): ${err().trim()}`);
  const predictions = JSON.parse(out()) as Prediction[];
  return predictions[0];
}

function profileFor(cell: Cell): PeerProfile {
  const p = cell.peer.profile;
  if (!p.certificate) return p;
  // The lab CA is in the client's CAfile unless the config points it elsewhere.
  return { ...p, certificate: { ...p.certificate, trusted: cell.config.trustAnchor === 'lab-ca' } };
}

// The dhe-1024 peer is weak on purpose; keep Node's SecurityWarning about it out of the report.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'SecurityWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
});

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`lab: ${args}\nusage: npm run lab -- [--write-docs] [--json FILE] [--only SUBSTRING] [--keep] [--inbound-only | --outbound-only]\n`);
    return 2;
  }
  const skip = skipReason();
  if (skip) {
    process.stdout.write(`lab: skipped: ${skip}\n`);
    return 0;
  }
  const versions = () => ({
    postfix: versionOf('postconf', ['-d', '-h', 'mail_version']),
    openssl: versionOf('openssl', ['version']).split(' ').slice(0, 2).join(' '),
    node: process.version,
  });
  const inbound = () => runInbound({ writeDocs: args.writeDocs, only: args.only, keep: args.keep, versions: versions() });
  if (args.inboundOnly) return inbound();
  const cells = buildCells(args.only ? (c) => c.id.includes(args.only as string) : undefined);
  if (cells.length === 0) {
    process.stderr.write('lab: no cell matches --only\n');
    return 2;
  }
  const t0 = Date.now();
  const before = systemSnapshot();
  const root = mkdtempSync(join(tmpdir(), 'pftls-lab-'));
  chmodSync(root, 0o755); // the postfix user must reach the queue below it
  const peers = new Map<string, PeerServer>();
  const ca = createLabCa(join(root, 'certs'));
  const certs: Record<string, LabCertificate> = {
    good: ca.issue('peer-good', GOOD_NAMES),
    wrong: ca.issue('peer-wrong', [WRONG_NAME]),
  };
  let instance: PostfixInstance | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    instance?.killAllNow();
    if (!args.keep) rmSync(root, { recursive: true, force: true });
    process.stderr.write(`lab: ${sig}, Postfix instance killed\n`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => instance?.killAllNow());

  let results: CellResult[] = [];
  let failed = false;
  try {
    let dh1024: string | undefined;
    for (const cell of cells) {
      const names = cell.peer.certNames;
      let cert: LabCertificate | null = null;
      if (names !== null) {
        if (cell.peer.certBits !== undefined && cell.peer.certBits !== 2048) cert = ca.issue(`peer-rsa${cell.peer.certBits}`, names, cell.peer.certBits);
        else cert = names.includes(WRONG_NAME) ? certs.wrong : certs.good;
      }
      if (cell.peer.dh1024) dh1024 ??= ca.dhParams1024();
      peers.set(cell.id, await startPeerServer(cell.peer.profile, cert, cell.peer.dh1024 ? dh1024 : undefined));
    }
    const port = (c: Cell) => (peers.get(c.id) as PeerServer).port;
    const settings = new Map(cells.map((c) => [c.id, cellSettings(c, port(c), ca.otherCaFile)]));
    const extra = cells.filter((c) => reuses(c.config)).map((c) => `${c.service}_destination_concurrency_limit = 1`);
    const mainCf = baseMainCf(root, ca.caFile, extra);
    instance = new PostfixInstance(root, mainCf);
    const services: ServiceSpec[] = cells.map((c) => ({ name: c.service, overrides: settings.get(c.id) ?? [], privateTlsproxy: reuses(c.config) }));
    instance.writeFiles(masterCf(services), cells.map((c) => ({ domain: c.domain, service: c.service, port: port(c) })));
    await instance.start();
    const tStarted = Date.now();

    // Submit every message of every cell, a few sendmail processes at a time.
    const runTag = `${process.pid}.${t0}`;
    const jobs = cells.flatMap((c) => Array.from({ length: c.messages }, (_, i) => ({ cell: c, rcpt: `rcpt${i + 1}@${c.domain}`, messageId: `${c.service}.${i + 1}.${runTag}@client.interoplab.test` })));
    const pool = 8;
    for (let i = 0; i < jobs.length; i += pool) {
      await Promise.all(jobs.slice(i, i + pool).map((j) => (instance as PostfixInstance).submit(j.rcpt, j.messageId)));
    }

    const log: LogLine[] = [];
    const statusSeen = new Map<string, number[]>(); // queue id -> times a status line was read
    let qids = new Map<string, string>();
    const pump = () => {
      for (const raw of (instance as PostfixInstance).readNewLog()) {
        const l = parseLogLine(raw);
        if (!l) continue;
        log.push(l);
        // Status lines come from the cell's smtp process, or from the error transport while qmgr
        // holds a failed destination ("delivery temporarily suspended").
        const m = /^([0-9A-F]{6,}): to=<.*status=/.exec(l.text);
        if (m) statusSeen.set(m[1], [...(statusSeen.get(m[1]) ?? []), Date.now()]);
      }
      qids = queueIds(log);
    };
    const qidOf = (messageId: string) => qids.get(messageId);
    const waitFor = async (done: () => boolean, what: string, ms: number) => {
      const deadline = Date.now() + ms;
      for (;;) {
        pump();
        if (done()) return;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${(instance as PostfixInstance).tailOfLog()}`);
        await sleep(40);
      }
    };
    const statuses = (messageId: string) => {
      const q = qidOf(messageId);
      return q ? statusSeen.get(q) ?? [] : [];
    };
    const lastStatusText = (qid: string) => {
      for (let i = log.length - 1; i >= 0; i--) {
        if (log[i].text.startsWith(`${qid}: to=<`)) return log[i].text;
      }
      return '';
    };

    await waitFor(() => jobs.every((j) => statuses(j.messageId).length >= 1), 'the first delivery attempts', 40_000);
    const tFirst = Date.now();

    // Deferred messages get one forced retry once they are old enough for the plaintext fallback.
    // Only a cell's first message (the one with the first smtp session) is retried: in a reuse cell
    // the others wait behind it, and retrying them all at once races for who meets the peer first.
    const primaryQid = (cell: Cell): string | undefined => {
      const qs = new Set(jobs.filter((j) => j.cell === cell).map((j) => qidOf(j.messageId)).filter((q): q is string => q !== undefined));
      return cellAttempts(log, cell.service, qs).find((a) => !a.suspended)?.queueId;
    };
    const primaries = new Set(cells.map(primaryQid).filter((q): q is string => q !== undefined));
    const deferred = jobs.filter((j) => primaries.has(qidOf(j.messageId) as string) && / status=deferred /.test(lastStatusText(qidOf(j.messageId) as string)));
    if (deferred.length > 0) {
      const lastDeferral = Math.max(...deferred.map((j) => statuses(j.messageId)[0]));
      await sleep(Math.max(0, lastDeferral + 2_100 - Date.now()));
      await Promise.all(deferred.map((j) => (instance as PostfixInstance).requeue(qidOf(j.messageId) as string)));
      await waitFor(() => deferred.every((j) => statuses(j.messageId).length >= 2), 'the retries', 30_000);
    }
    const tDone = Date.now();

    // Classify, predict, compare.
    results = cells.map((cell) => {
      const peer = peers.get(cell.id) as PeerServer;
      const cellQids = jobs.filter((j) => j.cell === cell).map((j) => qidOf(j.messageId)).filter((q): q is string => q !== undefined);
      const all = cellAttempts(log, cell.service, new Set(cellQids));
      // Messages in the order of their first smtp session; attempts before it that were only
      // "delivery temporarily suspended" (reuse cells, after another message failed) are no session.
      const order = [...new Set(all.filter((a) => !a.suspended).map((a) => a.queueId))];
      const perMessage = (order.length > 0 ? order : cellQids.slice(0, 1)).map((q) => {
        const mine = all.filter((a: Attempt) => a.queueId === q);
        const firstSession = mine.findIndex((a) => !a.suspended);
        return firstSession < 0 ? mine : mine.slice(firstSession);
      });
      const observedAll = perMessage.map((attempts) => classifyMessage(attempts, peer.connections));
      const first = observedAll[0];
      const problems = [...first.problems];
      if (first.delivery === 'tls') {
        // A reuse cell's other messages must leave the same way (over the reused connection).
        observedAll.slice(1).forEach((o, i) => {
          if (o.outcome !== first.outcome || o.delivery !== first.delivery) problems.push(`message ${i + 2} ended ${o.outcome}/${o.delivery}`);
        });
        if (observedAll.length < cell.messages) problems.push(`only ${observedAll.length} of ${cell.messages} messages were delivered by smtp`);
      }
      const reused = observedAll.some((o) => o.reused);
      // Whether qmgr hands a second message to a cached connection is a scheduling race; a single
      // cell without reuse is not a mismatch (checked across all reuse cells below).
      const observed: Observed & { problems: string[] } = { ...first, reused, problems };
      const mainCfText = cellMainCf(mainCf, settings.get(cell.id) ?? []);
      const prediction = predictWithCli(join(root, 'cells', cell.id), mainCfText, profileFor(cell));
      // The CLI and the library must agree, or the lab is not testing what users run.
      const direct = predictHandshake(new ConfigModel(parseMainCf(mainCfText), '3.7'), profileFor(cell));
      for (const f of ['outcome', 'delivery', 'protocol', 'cipher', 'reason'] as const) {
        if (direct[f] !== prediction[f]) observed.problems.push(`handshake CLI and predictHandshake() differ in ${f}`);
      }
      const comparison: Comparison = compare(prediction, observed);
      return { cell, prediction, observed, comparison, mainCfSettings: settings.get(cell.id) ?? [] };
    });
    // The tlsproxy path must be exercised at least once: some reuse cell that delivered over TLS reused its connection.
    const reuseTls = results.filter((r) => reuses(r.cell.config) && r.observed.delivery === 'tls');
    if (reuseTls.length > 0 && !reuseTls.some((r) => r.observed.reused)) {
      results = results.map((r) => {
        if (!reuseTls.includes(r)) return r;
        const observed = { ...r.observed, problems: [...r.observed.problems, 'no TLS connection was reused in any reuse cell'] };
        return { ...r, observed, comparison: compare(r.prediction, observed) };
      });
    }
    // `diagnose` reads the same log: a fitting cause and the cell's own setting for every failing cell, nothing for the others.
    const diagnosed = checkDiagnose(readFileSync((instance as PostfixInstance).logFile, 'latin1'), results, labConfigContext(join(root, 'etc'), mainCf));
    results = results.map((r) => {
      const ps = diagnosed.get(r.cell.id);
      if (!ps) return r;
      const observed = { ...r.observed, problems: [...r.observed.problems, ...ps.map((p) => `diagnose: ${p}`)] };
      return { ...r, observed, comparison: compare(r.prediction, observed) };
    });
    process.stdout.write(formatTable(results));
    const matched = results.filter((r) => r.comparison.match).length;
    process.stdout.write(`\nlab: ${results.length} cells, ${matched} match, ${results.length - matched} differ` +
      ` (setup ${((tStarted - t0) / 1000).toFixed(1)} s, first attempts ${((tFirst - tStarted) / 1000).toFixed(1)} s,` +
      ` retries ${((tDone - tFirst) / 1000).toFixed(1)} s)\n`);
    failed = matched !== results.length;
  } catch (e) {
    failed = true;
    process.stderr.write(`lab: ${e instanceof Error ? e.message : String(e)}\n`);
  } finally {
    await instance?.stop();
    await Promise.all([...peers.values()].map((p) => p.close()));
    if (systemSnapshot() !== before) {
      failed = true;
      process.stderr.write('lab: /etc/postfix changed during the run!\n');
    }
    if (args.keep || failed) process.stdout.write(`lab: directory kept: ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(`lab: total ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  if (args.json) writeFileSync(args.json, JSON.stringify(results.map((r) => ({ cell: r.cell.id, prediction: r.prediction, observed: r.observed, comparison: r.comparison })), null, 2) + '\n');
  if (args.writeDocs && results.length > 0) {
    if (args.only) process.stderr.write('lab: --write-docs ignored with --only\n');
    else {
      const docPath = fileURLToPath(new URL('../../docs/interop-matrix.md', import.meta.url));
      writeFileSync(docPath, matrixDoc(results, {
        postfix: versionOf('postconf', ['-d', '-h', 'mail_version']),
        openssl: versionOf('openssl', ['version']).split(' ').slice(0, 2).join(' '),
        node: process.version,
      }));
      process.stdout.write(`lab: wrote ${docPath}\n`);
    }
  }
  if (failed || args.outboundOnly) return failed ? 1 : 0;
  // The inbound matrix: clients connecting to a real smtpd.
  return inbound();
}

main().then((code) => {
  process.exitCode = code;
}, (e) => {
  process.stderr.write(`lab: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
