import { readConfigBytes, type CliIo } from './io.js';
import { parseMainCf } from '../parser/main-cf.js';
import { ConfigModel } from '../model/config.js';
import { bytesToBinary } from '../util/text.js';
import { choosePostfixVersion } from './postfix-version.js';
import { show } from './show.js';
import { EXIT_CLEAN, EXIT_USAGE } from './exit-codes.js';
import { releaseLine } from '../model/version.js';
import { listMasterServices } from '../parser/master-cf-lite.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function showCommand(path: string, names: string[], opts: { expand?: boolean; postfixVersion?: string }, io: CliIo): number {
  const { version } = choosePostfixVersion(opts.postfixVersion, io.env);
  if (!releaseLine(version)) {
    io.stderr(`postfix-tls-lint: unsupported --postfix-version "${version}" (modelled: 2.11, 3.0 to 3.11)\n`);
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
  const model = new ConfigModel(file, version);
  const masterPath = path === '-' ? null : join(dirname(path), 'master.cf');
  const masterServices = masterPath && existsSync(masterPath) ? listMasterServices(bytesToBinary(readFileSync(masterPath))) : [];
  const result = show(model, names, Boolean(opts.expand), masterServices);
  for (const w of result.warnings) io.stderr(`postfix-tls-lint: warning: ${w}\n`);
  if (result.fatal) {
    io.stderr(`postfix-tls-lint: fatal: ${result.fatal}\n`);
    return EXIT_USAGE;
  }
  io.stdout(Buffer.from(result.lines.map((l) => l + '\n').join(''), 'latin1'));
  return EXIT_CLEAN;
}
