/**
 * `handshake --inbound`: predict, offline, how each client profile's session
 * with each smtpd service of the configuration ends. Edge code: reads main.cf,
 * the master.cf beside it and client files, then hands everything to the pure
 * inbound predictor.
 */
import { probeHost } from '../model/describe.js';
import type { CliIo } from './io.js';
import { configSetForPath } from './inputs.js';
import { readMainCf, usage } from './command-helpers.js';
import { cliEnvironment, hostnameProblem } from './environment.js';
import { choosePostfixVersion } from './postfix-version.js';
import { releaseLine } from '../model/version.js';
import { buildWholeConfig } from '../model/whole-config.js';
import { findServerServices, type ServerService } from '../model/server-services.js';
import { EXIT_CLEAN, EXIT_FINDINGS } from './exit-codes.js';
import { ClientFileError, defaultClients, findBuiltinClient, loadBuiltinClients, loadClientFile } from '../interop/clients.js';
import { clientsForService, predictInbound } from '../interop/predict-inbound.js';
import type { InboundPrediction } from '../interop/client-types.js';
import { chooseProfiles } from './profile-options.js';
import { fileOptions } from './file-options.js';
import { serviceCertificateStatus, tlsFileUses } from '../model/tls-files.js';

export interface InboundOptions {
  client?: string[];
  clientFile?: string[];
  service?: string;
  format?: 'stylish' | 'json';
  postfixVersion?: string;
  /** Host name for myhostname and friends (default: this machine's). */
  hostname?: string;
  /** Open the certificate files (auto: those that exist; a missing one counts for the live configuration), like the lint command. */
  files?: string;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function formatInboundStylish(predictions: readonly InboundPrediction[]): string {
  const header = ['SERVICE', 'CLIENT', 'LEVEL', 'OUTCOME', 'DELIVERY', 'PROTOCOL', 'CIPHER'];
  const rows = predictions.map((p) => [p.service, p.client, p.level ?? '(invalid)', p.outcome, p.delivery, p.protocol ?? '-', p.cipher ?? '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line), ''];
  for (const p of predictions) {
    out.push(`${p.service} <- ${p.client}: ${p.reason}`);
    out.push(`  check live: ${p.confirm}`);
  }
  const notTls = predictions.filter((p) => p.delivery !== 'tls');
  out.push('');
  out.push(notTls.length === 0
    ? `All ${predictions.length} sessions use TLS.`
    : `${notTls.length} of ${predictions.length} sessions do not deliver over TLS (${(['plaintext', 'rejected', 'deferred'] as const).map((d) => `${predictions.filter((p) => p.delivery === d).length} ${d}`).join(', ')}).`);
  return out.join('\n') + '\n';
}

function describeService(s: ServerService): string {
  const where = s.behindPostscreen ? ` behind postscreen on ${s.listener}` : '';
  return `${s.name}${where} (${s.role}${s.assumed ? ', assumed' : ''})`;
}

export function inboundCommand(path: string, opts: InboundOptions, io: CliIo): number {
  const { version } = choosePostfixVersion(opts.postfixVersion, io.env);
  if (!releaseLine(version)) return usage(io, `unsupported --postfix-version "${version}" (modelled: 2.11, 3.0 to 3.11)`);
  const format = opts.format ?? 'stylish';
  if (format !== 'stylish' && format !== 'json') return usage(io, `unknown --format "${String(format)}" (stylish, json)`);

  const chosen = chooseProfiles(opts.client ?? [], opts.clientFile ?? [], {
    what: 'client', find: findBuiltinClient, all: loadBuiltinClients, load: loadClientFile, isFileError: (e): e is Error => e instanceof ClientFileError,
  });
  if (!Array.isArray(chosen)) return usage(io, chosen.error);

  const badHostname = opts.hostname !== undefined ? hostnameProblem(opts.hostname) : null;
  if (badHostname) return usage(io, badHostname);
  const files = fileOptions({ files: opts.files }, io);
  if (typeof files === 'string') return usage(io, files);

  const read = readMainCf(path, io);
  if ('error' in read) return usage(io, read.error);
  const { file, text } = read;
  const environment = cliEnvironment(opts.hostname);
  const set = configSetForPath(file, text, io, version, environment, files.reading);
  const config = buildWholeConfig(set.sources, { postfixVersion: version, environment });
  for (const d of config.main.diagnostics) {
    if (d.severity === 'error') return usage(io, `${config.main.path}, line ${d.line}: ${d.message}`);
  }
  if (config.server.masterCf === 'assumed') {
    io.stderr('postfix-tls-lint: no master.cf beside main.cf: assuming the stock master.cf (only "smtp inet ... smtpd" on port 25 is active)\n');
  }
  let services = [...config.server.services];
  if (opts.service !== undefined) {
    services = findServerServices(config.server, opts.service);
    if (services.length === 0) {
      const known = config.server.services.map(describeService).join(', ') || 'none';
      return usage(io, `no smtpd service "${opts.service}" in ${config.master?.path ?? 'the assumed master.cf'}; smtpd services: ${known}`);
    }
  }
  if (services.length === 0) {
    io.stderr('postfix-tls-lint: master.cf runs no smtpd on a TCP port: nothing receives mail from other hosts\n');
    if (format === 'json') io.stdout('[]\n');
    return EXIT_CLEAN;
  }
  const host = probeHost(config.model);
  // The certificate files, when read: a key that does not load means no TLS; their real key types pick the suites.
  const uses = set.sources.files ? tlsFileUses(config, set.sources.tables, set.sources.configDir ?? null).uses : [];
  const facts = set.sources.files;
  const predictions: InboundPrediction[] = [];
  for (const s of services) {
    const certificates = facts ? serviceCertificateStatus(uses, s, (p) => facts.get(p), files.settings.now, files.settings.mode === 'on' || set.live) : undefined;
    const clients = chosen.length > 0 ? chosen : clientsForService(s, defaultClients());
    for (const c of clients) predictions.push(predictInbound(s, c, { host, ...(certificates ? { certificates } : {}) }));
  }
  if (format === 'json') io.stdout(JSON.stringify(predictions, null, 2) + '\n');
  else io.stdout(formatInboundStylish(predictions));
  return predictions.every((p) => p.delivery === 'tls') ? EXIT_CLEAN : EXIT_FINDINGS;
}
