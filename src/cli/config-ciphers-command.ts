/** `ciphers --config PATH [--level LEVEL]`: what the configured Postfix SMTP client offers. */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readConfigBytes, type CliIo } from './io.js';
import { bytesToBinary } from '../util/text.js';
import { parseMainCf } from '../parser/main-cf.js';
import { ConfigModel } from '../model/config.js';
import { clientTlsPolicy } from '../model/client-tls.js';
import { lookupLevel } from '../model/values/index.js';
import { evaluateCipherString, suiteAllowedAtLevel } from '../ciphers/evaluate.js';
import { choosePostfixVersion } from './postfix-version.js';
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE } from './exit-codes.js';
import { cliEnvironment, hostnameProblem } from './environment.js';

export function configCiphersCommand(path: string, opts: { level?: string; postfixVersion?: string; hostname?: string }, io: CliIo): number {
  const badHostname = opts.hostname !== undefined ? hostnameProblem(opts.hostname) : null;
  if (badHostname) {
    io.stderr(`postfix-tls-lint: ${badHostname}\n`);
    return EXIT_USAGE;
  }
  let file = path;
  try {
    if (path !== '-' && statSync(path).isDirectory()) file = join(path, 'main.cf');
  } catch {
    // readConfigBytes reports it
  }
  const text = bytesToBinary(readConfigBytes(file, io));
  const { version } = choosePostfixVersion(opts.postfixVersion, io.env);
  const model = new ConfigModel(parseMainCf(text, file), version, undefined, cliEnvironment(opts.hostname, file === '-' ? undefined : dirname(file)));
  const level = opts.level ? lookupLevel(opts.level) : undefined;
  if (opts.level && !level) {
    io.stderr(`postfix-tls-lint: unknown --level "${opts.level}" (none, may, encrypt, dane, dane-only, fingerprint, verify, secure)\n`);
    return EXIT_USAGE;
  }
  const policy = clientTlsPolicy(model, 'smtp', level ?? undefined);
  io.stdout(`level: ${policy.level ?? '(invalid)'}\n`);
  if (policy.level === 'none') {
    io.stdout('TLS is not used at this level.\n');
    return EXIT_CLEAN;
  }
  io.stdout(`protocols: ${policy.protocols.enabled.join(' ') || '(none)'}  (${policy.protocolsParam} = ${policy.protocolsValue})\n`);
  io.stdout(`grade: ${policy.gradeValue}  (${policy.gradeParam})\n`);
  if (!policy.cipherString) {
    io.stdout('ciphers: (none: the cipher grade is invalid, every TLS session fails)\n');
    return EXIT_FINDINGS;
  }
  io.stdout(`cipher string: ${policy.cipherString}\n`);
  const result = evaluateCipherString(policy.cipherString, { securityLevel: policy.opensslSecurityLevel });
  if (!result.ok) {
    io.stdout(`ciphers: (none: OpenSSL rejects the list: ${result.error})\n`);
    return EXIT_FINDINGS;
  }
  const tls13 = policy.protocols.enabled.includes('TLSv1.3') ? result.tls13 : [];
  const legacy = policy.protocols.enabled.some((p) => p !== 'TLSv1.3')
    ? result.suites.filter((s) => suiteAllowedAtLevel(s, policy.opensslSecurityLevel))
    : [];
  io.stdout(`ciphers: ${[...tls13, ...legacy].map((s) => s.name).join(':')}\n`);
  return EXIT_CLEAN;
}
