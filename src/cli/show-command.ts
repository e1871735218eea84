import { readConfigBytes, type CliIo } from './io.js';
import { parseMainCf } from '../parser/main-cf.js';
import { ConfigModel } from '../model/config.js';
import { bytesToBinary, displayText } from '../util/text.js';
import { choosePostfixVersion } from './postfix-version.js';
import { show } from './show.js';
import { EXIT_CLEAN, EXIT_USAGE } from './exit-codes.js';
import { releaseLine } from '../model/version.js';
import { parseMasterCf } from '../parser/master-cf.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configSetForPath } from './inputs.js';
import { buildWholeConfig, policyForDestination } from '../model/whole-config.js';
import type { ServiceModel } from '../model/services.js';
import { cliEnvironment, hostnameProblem } from './environment.js';

export interface ShowOptions {
  expand?: boolean;
  postfixVersion?: string;
  /** A master.cf service, NAME or NAME/TYPE: print its effective values (-o overrides applied). */
  service?: string;
  /** A next hop: apply the TLS policy entry that matches it. */
  destination?: string;
  /** Host name for myhostname and friends (default: this machine's). */
  hostname?: string;
  /** The pid process_id shows (default: this process's, as postconf shows its own; no CLI flag). */
  processId?: number;
}

/** The service NAME[/TYPE] names; without a type, the one that runs smtp, lmtp or smtpd. */
export function findService(services: readonly ServiceModel[], spec: string): ServiceModel | string {
  const [name, type] = spec.split('/', 2);
  const matches = services.filter((s) => s.service === name && (type === undefined || s.type === type));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    const known = services.map((s) => `${s.service}/${s.type}`).join(', ') || 'none';
    return `no active master.cf service "${spec}" runs smtp, lmtp or smtpd (those that do: ${known})`;
  }
  return `"${spec}" is ambiguous: ${matches.map((s) => `${s.service}/${s.type}`).join(', ')}; give NAME/TYPE`;
}

export function showCommand(path: string, names: string[], opts: ShowOptions, io: CliIo): number {
  const { version } = choosePostfixVersion(opts.postfixVersion, io.env);
  if (!releaseLine(version)) {
    io.stderr(`postfix-tls-lint: unsupported --postfix-version "${version}" (modelled: 2.11, 3.0 to 3.11)\n`);
    return EXIT_USAGE;
  }
  const badHostname = opts.hostname !== undefined ? hostnameProblem(opts.hostname) : null;
  if (badHostname) {
    io.stderr(`postfix-tls-lint: ${badHostname}\n`);
    return EXIT_USAGE;
  }
  const text = bytesToBinary(readConfigBytes(path, io));
  const shownPath = path === '-' ? '<stdin>' : path;
  const file = parseMainCf(text, shownPath);
  let fatal = false;
  for (const d of file.diagnostics) {
    // Only lines postconf cannot split into name = value stop it; the rest are warnings.
    const isFatal = d.code === 'syntax';
    io.stderr(`postfix-tls-lint: ${isFatal ? 'fatal' : 'warning'}: ${shownPath}, line ${d.line}: ${d.message}\n`);
    if (isFatal) fatal = true;
  }
  // postconf refuses to print anything from a file it cannot read; so do we.
  if (fatal) return EXIT_USAGE;
  // Like postconf -c DIR: config_directory is the directory named on the command line.
  const machine = cliEnvironment(opts.hostname, path === '-' ? undefined : dirname(path));
  const environment = opts.processId === undefined ? machine : { ...machine, processId: opts.processId };
  let model = new ConfigModel(file, version, undefined, environment);
  const masterPath = path === '-' ? null : join(dirname(path), 'master.cf');
  const masterServices = masterPath && existsSync(masterPath) ? parseMasterCf(bytesToBinary(readFileSync(masterPath)), masterPath).services : [];

  // Names the file does not set but a service or policy entry does: printed too when no NAMEs are given.
  const extraNames: string[] = [];
  if (opts.service !== undefined || opts.destination !== undefined) {
    const set = configSetForPath(path, text, io, version, environment);
    const config = buildWholeConfig(set.sources, { postfixVersion: version, environment });
    let service: ServiceModel | undefined;
    if (opts.service !== undefined) {
      if (!config.master) {
        io.stderr(`postfix-tls-lint: --service needs a master.cf beside ${shownPath}\n`);
        return EXIT_USAGE;
      }
      const found = findService(config.services, opts.service);
      if (typeof found === 'string') {
        io.stderr(`postfix-tls-lint: ${found}\n`);
        return EXIT_USAGE;
      }
      service = found;
      model = found.model;
      for (const o of found.overrides) if (o.effective && !o.ignoredBecause) extraNames.push(o.name);
    }
    if (opts.destination !== undefined) {
      const prefix = service?.role === 'client-lmtp' ? 'lmtp' : 'smtp';
      for (const t of config.tables) {
        if (t.readError !== undefined) io.stderr(`postfix-tls-lint: warning: ${t.holder.param}: cannot read ${t.ref.sourcePath ?? t.ref.spec} (${t.readError})\n`);
        else if (t.ref.cls === 'unread') io.stderr(`postfix-tls-lint: warning: ${t.ref.spec} is not read; an entry there may apply instead\n`);
      }
      const hit = policyForDestination(config, opts.destination, prefix, service);
      if (!hit) {
        io.stderr(`postfix-tls-lint: no TLS policy entry matches "${displayText(opts.destination)}": the ${service ? 'service' : 'main.cf'} settings apply\n`);
      } else {
        const where = `${hit.table.entryFile ?? hit.table.ref.spec}, line ${hit.entry.line}`;
        io.stderr(`postfix-tls-lint: TLS policy for "${displayText(opts.destination)}": key "${displayText(hit.entry.key)}" (${where}): ${displayText(hit.entry.value)}\n`);
        if (!hit.policy.valid) {
          io.stderr(`postfix-tls-lint: fatal: the entry is invalid (${hit.policy.problems[0].message}): smtp(8) defers mail for this destination with 4.7.5 "client TLS configuration problem"\n`);
          return EXIT_USAGE;
        }
        // The entry's level and attributes on top of the service's (or main.cf's) settings.
        model = hit.model;
        extraNames.push(`${prefix}_tls_security_level`);
        for (const name of ['protocols', 'mandatory_protocols', 'ciphers', 'mandatory_ciphers', 'exclude_ciphers', 'mandatory_exclude_ciphers', 'fingerprint_cert_match', 'verify_cert_match', 'secure_cert_match', 'servername', 'trust_anchor_file', 'connection_reuse', 'enable_rpk']) {
          const full = `${prefix}_tls_${name}`;
          if (model.resolve(full)?.source === 'override') extraNames.push(full);
        }
      }
    }
  }
  let shownNames = names;
  if (names.length === 0 && extraNames.length > 0) {
    const all = new Set<string>([...extraNames]);
    const base = show(model, [], false, masterServices, masterPath ?? undefined);
    for (const line of base.lines) all.add(line.slice(0, line.indexOf(' ') === -1 ? line.length : line.indexOf(' ')));
    shownNames = [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  const result = show(model, shownNames, Boolean(opts.expand), masterServices, masterPath ?? undefined);
  for (const w of result.warnings) io.stderr(`postfix-tls-lint: warning: ${w}\n`);
  if (result.fatal) {
    io.stderr(`postfix-tls-lint: fatal: ${result.fatal}\n`);
    return EXIT_USAGE;
  }
  io.stdout(Buffer.from(result.lines.map((l) => l + '\n').join(''), 'latin1'));
  return EXIT_CLEAN;
}
