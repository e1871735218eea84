/**
 * `handshake` subcommand: predict, offline, how the Postfix SMTP client's TLS
 * session with each peer profile ends. Edge code: reads main.cf and peer
 * files, then hands everything to the pure predictor.
 */
import { dirname, resolve } from 'node:path';
import type { CliIo } from './io.js';
import { mainCfPath, readConfigText, usage } from './command-helpers.js';
import { displayText } from '../util/text.js';
import { configSetForPath } from './inputs.js';
import { buildWholeConfig, policyForDestination, type WholeConfig } from '../model/whole-config.js';
import { absPathOf, type ConfigSet } from './inputs.js';
import { suggestPolicyEntry } from '../policy/suggest.js';
import { applyHint, renderDiffs } from './diff-paths.js';
import { applyFixes } from '../fixer/apply-edits.js';
import { writeFileAtomic } from './atomic-write.js';
import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { choosePostfixVersion } from './postfix-version.js';
import { releaseLine } from '../model/version.js';
import { parseMainCf } from '../parser/main-cf.js';
import { ConfigModel } from '../model/config.js';
import { lookupLevel } from '../model/values/index.js';
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE } from './exit-codes.js';
import { defaultPeers, findBuiltinPeer, listPeers, loadPeerFile, PeerFileError } from '../interop/peers.js';
import { predictForConfig } from '../interop/predict.js';
import type { PeerProfile, Prediction } from '../interop/types.js';
import { chooseProfiles } from './profile-options.js';

export interface HandshakeOptions {
  /** Built-in peer ids (repeatable). */
  peer?: string[];
  /** Peer profile JSON files (repeatable). */
  peerFile?: string[];
  /** Predict at this client security level instead of the configured one. */
  level?: string;
  format?: 'stylish' | 'json';
  postfixVersion?: string;
  /** A next hop (domain, [host], [host]:port): apply the TLS policy entry that matches it. */
  destination?: string;
  /** With --destination: print the policy entry that would give these peers TLS. */
  suggest?: boolean;
  /** With --destination: print that entry (and the table / smtp_tls_policy_maps line if missing) as a unified diff. */
  diff?: boolean;
  /** With --destination: write it. */
  fix?: boolean;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** A readable table, then the reason and the live check for each peer. */
export function formatPredictionsStylish(predictions: readonly Prediction[]): string {
  const header = ['PEER', 'LEVEL', 'OUTCOME', 'DELIVERY', 'PROTOCOL', 'CIPHER'];
  const rows = predictions.map((p) => [p.peer, p.level ?? '(invalid)', p.outcome, p.delivery, p.protocol ?? '-', p.cipher ?? '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line), ''];
  for (const p of predictions) {
    out.push(`${p.peer}: ${displayText(p.reason)}`);
    if (p.uncertain) out.push(`  ${p.uncertain}.`);
    out.push(`  check live: ${displayText(p.confirm)}`);
  }
  const bad = predictions.filter((p) => p.delivery !== 'tls').length;
  out.push('');
  out.push(bad === 0
    ? `All ${predictions.length} peers get TLS.`
    : `${bad} of ${predictions.length} peers do not get TLS (${predictions.filter((p) => p.delivery === 'plaintext').length} plaintext, ${predictions.filter((p) => p.delivery === 'deferred').length} deferred).`);
  return out.join('\n') + '\n';
}

export function handshakeCommand(path: string, opts: HandshakeOptions, io: CliIo): number {
  const { version } = choosePostfixVersion(opts.postfixVersion, io.env);
  if (!releaseLine(version)) return usage(io, `unsupported --postfix-version "${version}" (modelled: 2.11, 3.0 to 3.11)`);
  const format = opts.format ?? 'stylish';
  if (format !== 'stylish' && format !== 'json') return usage(io, `unknown --format "${String(format)}" (stylish, json)`);

  let level;
  if (opts.level !== undefined) {
    level = lookupLevel(opts.level);
    if (!level) return usage(io, `invalid --level "${opts.level}" (none, may, encrypt, dane, dane-only, fingerprint, verify, secure)`);
  }

  const chosen = chooseProfiles(opts.peer ?? [], opts.peerFile ?? [], {
    what: 'peer', find: findBuiltinPeer, all: listPeers, load: loadPeerFile, isFileError: (e): e is Error => e instanceof PeerFileError,
  });
  if (!Array.isArray(chosen)) return usage(io, chosen.error);
  const peers: PeerProfile[] = chosen;
  if (peers.length === 0) peers.push(...defaultPeers());

  const file = mainCfPath(path === '-' ? path : resolve(io.cwd, path));
  const text = readConfigText(file, io);
  if (typeof text === 'number') return text;
  const shownPath = file === '-' ? '<stdin>' : file;
  const parsed = parseMainCf(text, shownPath);
  let fatal = false;
  for (const d of parsed.diagnostics) {
    io.stderr(`postfix-tls-lint: ${d.severity === 'error' ? 'fatal' : 'warning'}: ${shownPath}, line ${d.line}: ${d.message}\n`);
    if (d.severity === 'error') fatal = true;
  }
  if (fatal) return EXIT_USAGE;
  let model = new ConfigModel(parsed, version);
  const configDir = file === '-' ? undefined : dirname(resolve(io.cwd, file));
  const suggesting = Boolean(opts.suggest || opts.diff || opts.fix);
  if (suggesting && opts.destination === undefined) return usage(io, '--suggest, --diff and --fix need --destination: the suggestion is a TLS policy entry for that destination');
  if (opts.diff && opts.fix) return usage(io, '--fix writes files and --diff only shows changes: use one of them');
  if (suggesting && file === '-') return usage(io, '--suggest, --diff and --fix need a main.cf file or directory, not standard input');
  let set: ConfigSet | undefined;
  let config: WholeConfig | undefined;
  if (opts.destination !== undefined) {
    set = configSetForPath(file, text, io, version);
    config = buildWholeConfig(set.sources, { postfixVersion: version });
    for (const t of config.tables) {
      if (t.readError !== undefined) io.stderr(`postfix-tls-lint: warning: ${t.holder.param}: cannot read ${t.ref.sourcePath ?? t.ref.spec} (${t.readError})\n`);
      else if (t.ref.cls === 'unread') io.stderr(`postfix-tls-lint: warning: ${t.ref.spec} is not read; an entry there may apply instead\n`);
    }
    const hit = policyForDestination(config, opts.destination);
    if (!hit) {
      io.stderr(`postfix-tls-lint: no TLS policy entry matches "${displayText(opts.destination)}": the main.cf settings apply\n`);
    } else {
      io.stderr(`postfix-tls-lint: TLS policy for "${displayText(opts.destination)}": key "${displayText(hit.entry.key)}" (${hit.table.entryFile ?? hit.table.ref.spec}, line ${hit.entry.line}): ${displayText(hit.entry.value)}\n`);
      if (!hit.policy.valid) {
        const why = hit.policy.problems[0].message;
        const deferred = peers.map((p) => ({ peer: p.id, level: null, outcome: 'handshake-failure', delivery: 'deferred', reason: `no session: the policy entry is invalid (${why}); smtp(8) defers with 4.7.5 "client TLS configuration problem"`, confirm: `postmap -q '${opts.destination}' ${hit.table.ref.spec}` }));
        if (format === 'json') io.stdout(JSON.stringify(deferred, null, 2) + '\n');
        else io.stdout(formatPredictionsStylish(deferred as unknown as Prediction[]));
        return EXIT_FINDINGS;
      }
      model = hit.model;
    }
  }
  const predictions = predictForConfig(model, peers, { level, configDir });
  if (suggesting && set && config && opts.destination !== undefined) return suggestCommand(set, config, opts.destination, peers, predictions, opts, io);

  if (format === 'json') io.stdout(JSON.stringify(predictions, null, 2) + '\n');
  else io.stdout(formatPredictionsStylish(predictions));
  return predictions.every((p) => p.delivery === 'tls') ? EXIT_CLEAN : EXIT_FINDINGS;
}

/** `handshake --destination D --suggest|--diff|--fix`: a policy entry for D instead of a weaker main.cf. */
function suggestCommand(set: ConfigSet, config: WholeConfig, destination: string, peers: readonly PeerProfile[], now: readonly Prediction[], opts: HandshakeOptions, io: CliIo): number {
  if (now.every((p) => p.delivery === 'tls')) {
    io.stderr(`postfix-tls-lint: every peer already gets TLS for "${displayText(destination)}": nothing to suggest\n`);
    return EXIT_CLEAN;
  }
  const mainDir = set.sources.main.path.includes('/') ? set.sources.main.path.slice(0, set.sources.main.path.lastIndexOf('/')) : '';
  const newTablePath = mainDir ? joinPath(mainDir, 'tls_policy') : 'tls_policy';
  const s = suggestPolicyEntry(config, destination, peers, { newTablePath });
  if (!s) {
    io.stderr(`postfix-tls-lint: no policy entry for "${displayText(destination)}" makes the handshake succeed with ${peers.map((p) => p.id).join(', ')} (see the reasons above with plain \`handshake\`)\n`);
    return EXIT_FINDINGS;
  }
  const outputs = new Map<string, { before: string | null; after: string }>();
  for (const fix of s.fixes) {
    const file = fix.file ?? set.sources.main.path;
    const prev = outputs.get(file);
    const before = prev ? prev.before : (config.texts.get(file) ?? null);
    const after = applyFixes(prev ? prev.after : (before ?? ''), [{ fix }]).output;
    outputs.set(file, { before, after });
  }
  if (opts.suggest || (!opts.diff && !opts.fix)) {
    io.stdout(`${destination}\t${s.value}\n`);
    for (const fix of s.fixes) io.stderr(`postfix-tls-lint: ${fix.file ?? ''}: ${fix.description}\n`);
  }
  for (const n of s.notes) io.stderr(`postfix-tls-lint: ${n}\n`);
  if (opts.diff) {
    const rendered = renderDiffs([...outputs].map(([file, o]) => ({ path: absPathOf(set, file), before: o.before, after: o.after })), io.cwd);
    if (rendered.base !== null) io.stderr(`postfix-tls-lint: ${applyHint(rendered.base)}\n`);
    io.stdout(Buffer.from(rendered.text, 'latin1'));
  }
  if (opts.fix) {
    for (const [file, o] of outputs) {
      const abs = absPathOf(set, file);
      if (o.before === null) writeFileSync(abs, Buffer.from(o.after, 'latin1'), { flag: 'wx', mode: 0o644 });
      else writeFileAtomic(abs, Buffer.from(o.after, 'latin1'));
      io.stderr(`postfix-tls-lint: ${o.before === null ? 'created' : 'updated'} ${file}\n`);
    }
  }
  return EXIT_CLEAN;
}
