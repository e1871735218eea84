import type { CliIo } from './io.js';
import { collectInputs } from './inputs.js';
import { choosePostfixVersion } from './postfix-version.js';
import { lintText } from '../lint.js';
import { hasActiveTlsproxy } from '../parser/master-cf-lite.js';
import { loadFormatter, type FormatName } from '../formatters/index.js';
import type { FileReport } from '../formatters/types.js';
import { EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import type { Severity } from '../parser/types.js';
import { releaseLine } from '../model/version.js';
import { TOOL_VERSION } from '../version.js';
import { useColor } from './color.js';

export interface LintCommandOptions {
  format: FormatName;
  postfixVersion?: string;
  opensslVersion: string;
  failOn: Severity;
  quiet?: boolean;
  color: boolean;
  stdinFilename?: string;
}

export async function lintCommand(paths: string[], opts: LintCommandOptions, io: CliIo): Promise<number> {
  if (paths.length === 0) {
    io.stderr('postfix-tls-lint: no input: give main.cf files, directories, or - for stdin (see --help)\n');
    return EXIT_USAGE;
  }
  const { version } = choosePostfixVersion(opts.postfixVersion, io.env);
  if (!releaseLine(version)) {
    io.stderr(`postfix-tls-lint: unsupported --postfix-version "${version}" (modelled: 2.11, 3.0 to 3.11)\n`);
    return EXIT_USAGE;
  }
  const { inputs, problems } = collectInputs(paths, io, opts.stdinFilename);
  for (const p of problems) io.stderr(`postfix-tls-lint: ${p.message}\n`);
  const reports: FileReport[] = [];
  for (const input of inputs) {
    const result = lintText(input.text, input.path, {
      postfixVersion: version,
      opensslVersion: Number(opts.opensslVersion),
      masterCf: input.masterCf ? { path: input.masterCf.path, tlsproxyActive: hasActiveTlsproxy(input.masterCf.text) } : null,
    });
    const findings = opts.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
    reports.push({ file: input.path, findings });
  }
  const formatter = await loadFormatter(opts.format);
  io.stdout(
    formatter(reports, {
      color: useColor(opts.color, io),
      toolVersion: TOOL_VERSION,
      postfixVersion: version,
      cwd: io.cwd,
    }),
  );
  if (problems.length > 0) return EXIT_USAGE;
  return exitCodeFor(
    reports.flatMap((r) => r.findings.map((f) => f.severity)),
    opts.failOn,
  );
}
