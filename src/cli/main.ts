/**
 * The command line. The only module (with cli/io.ts) that touches argv, the
 * file system, stdout/stderr and exit codes. `run` returns the exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { processIo, InputError, type CliIo } from './io.js';
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE } from './exit-codes.js';
import { TOOL_VERSION } from '../version.js';
import { FORMAT_NAMES } from '../formatters/index.js';

export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const code = await main(argv, io);
  process.exitCode = code;
  return code;
}

/** Parse argv and run one command; never throws, never calls process.exit. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const program = new Command('postfix-tls-lint');
  program
    .description(
      'Lint the TLS settings of Postfix: find handshake failures and weak settings in main.cf before they ship.',
    )
    .version(TOOL_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    })
    .showSuggestionAfterError(true)
    // Options after a subcommand name belong to it (show and lint both take --postfix-version).
    .enablePositionalOptions()
    .addHelpText(
      'after',
      `
Exit status (frozen; see docs/ci.md): 0 no finding at or above --fail-on (and no more warnings than
--max-warnings), 1 findings, 2 usage, config or input error.
Paths: files, directories (searched for main.cf, main.cf templates such as main.cf.j2/.erb/.epp/.tmpl and
postconf scripts named for Postfix or Dockerfiles; each main.cf is linted with the master.cf beside it), globs
('etc/**/main.cf', expanded here when the shell did not), or - for stdin.
Config: the nearest .postfix-tls-lint.json above each file (up to the directory holding .git), or --config.
Suppress inline with a whole-line comment: # postfix-tls-lint disable-next-line RULE[, RULE] -- reason`,
    );

  program
    .argument('[paths...]', 'main.cf files, directories to search, or - for stdin')
    .addOption(new Option('-f, --format <name>', 'output format').choices([...FORMAT_NAMES]).default('stylish'))
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .option('-c, --config <file>', 'use this config file for every input (no search for .postfix-tls-lint.json)')
    .option('--print-config <path>', 'print the configuration that applies to PATH (JSON) and exit')
    .option('--postfix-version <version>', 'Postfix version to model (default: config file, installed postconf, else newest modelled)')
    .addOption(new Option('--openssl-version <major>', 'OpenSSL generation the Postfix is built with (default: config file, else 3)').choices(['1', '3']).default('3'))
    .addOption(
      new Option('--peers <ids>', 'peer profiles the interop rules predict handshakes with, comma-separated (default: the default set; see `peers`)'),
    )
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that makes the exit status 1')
        .choices(['error', 'warning', 'info'])
        .default('warning'),
    )
    .option('--quiet', 'report errors only')
    .option('-v, --verbose', 'stylish: print each finding in full (explanation, related settings, confirm command, fix) instead of one line')
    .option('--max-warnings <n>', 'exit 1 when there are more than N warnings (warnings then do not count for --fail-on)')
    .option('--report-unused-disables', 'report "# postfix-tls-lint disable" comments that suppress nothing')
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .option('--stdin-filename <name>', 'name to show for input read from -')
    .option('--fix', 'apply safe fixes in place (atomic writes; mode, owner and symlinks kept)')
    .option('--diff', 'print the fixes as a unified diff (git apply / patch -p1); writes nothing')
    .option('--fix-dry-run', 'same as --diff')
    .option('--fix-type <kinds>', 'fix kinds to apply: safe (default), interop (lowers security for interoperability), or both: safe,interop')
    .option('--interactive', 'with --fix: ask before each fix (needs a terminal)')
    .addOption(new Option('--files <mode>', 'open the certificate, key and CA files the configuration names: auto (those that exist; a missing one counts only for the live configuration), on, off').choices(['auto', 'on', 'off']).default('auto'))
    .option('--root <dir>', 'resolve the absolute paths of those files under DIR (a repository that keeps a rootfs/ or etc/ tree)')
    .option('--now <iso-8601>', 'judge certificate validity at this instant instead of now (reproducible runs)')
    .option('--cert-expiry-days <n>', 'warn about certificates that expire within N days (default 14)')
    .addOption(new Option('--template <syntax>', 'read inputs as templates of this syntax (none: as plain files; default: by file name)').choices(['jinja2', 'erb', 'epp', 'go', 'envsubst', 'none']))
    .option('--vars <file>', 'render Jinja2 templates with these values (YAML or JSON, e.g. an Ansible role\'s defaults/main.yml) and lint the result')
    .option('--hostname <name>', 'host name that myhostname, mydomain and myorigin derive from, as postconf does (default: this machine\'s)')
    .action(async (paths: string[], opts) => {
      const { lintCommand } = await import('./lint-command.js');
      // A config file may set opensslVersion: only an explicit flag overrides it.
      const opensslVersionSource = program.getOptionValueSource('opensslVersion');
      exitCode = await lintCommand(paths, { ...opts, opensslVersionSource }, io);
    });

  program
    .command('show')
    .description('print parameters the way `postconf -c DIR [-x] [NAME...]` does (without NAMEs: like `postconf -n`)')
    .argument('<file>', 'a main.cf file, or - for stdin')
    .argument('[names...]', 'parameter names to print')
    .option('-x, --expand', 'expand $name references, like postconf -x')
    .option('--postfix-version <version>', 'Postfix version whose defaults to use')
    .option('--service <name[/type]>', "a master.cf service's effective values (its -o overrides applied)")
    .option('--destination <domain|[host]:port>', 'apply the TLS policy table entry that matches this next hop')
    .option('--hostname <name>', 'host name that myhostname, mydomain and myorigin derive from, as postconf does (default: this machine\'s)')
    .action(async (file: string, names: string[], opts) => {
      const { showCommand } = await import('./show-command.js');
      exitCode = showCommand(file, names, opts, io);
    });

  program
    .command('rules')
    .description('list the rules')
    .action(async () => {
      const { rulesCommand } = await import('./rules-command.js');
      exitCode = rulesCommand(io);
    });

  program
    .command('explain')
    .description("print a rule's documentation")
    .argument('<rule>', 'rule id')
    .action(async (id: string) => {
      const { explainCommand } = await import('./rules-command.js');
      exitCode = explainCommand(id, io);
    });

  program
    .command('ciphers')
    .description(
      'print what `openssl ciphers STRING` prints (OpenSSL 3.0), without OpenSSL; with --config, what the configured Postfix client offers. A string starting with "-" needs "--" before it',
    )
    .argument('[string]', 'an OpenSSL cipher string')
    .option('-v, --verbose', 'one line per suite, like openssl ciphers -v')
    .option('--ciphersuites <list>', 'TLS 1.3 ciphersuites, like openssl ciphers -ciphersuites')
    .option('--config <path>', 'a main.cf (or its directory): print the protocols and suites its SMTP client offers')
    .option('--level <level>', 'with --config: the client security level to evaluate (default: the configured one)')
    .option('--postfix-version <version>', 'with --config: Postfix version whose defaults to use')
    .option('--hostname <name>', 'with --config: ' + 'host name that myhostname, mydomain and myorigin derive from, as postconf does (default: this machine\'s)')
    .action(async (cipherString: string | undefined, opts: { verbose?: boolean; ciphersuites?: string; config?: string; level?: string; postfixVersion?: string; hostname?: string }) => {
      if (opts.config) {
        const { configCiphersCommand } = await import('./config-ciphers-command.js');
        exitCode = configCiphersCommand(opts.config, opts, io);
        return;
      }
      if (cipherString === undefined) {
        io.stderr('postfix-tls-lint: ciphers needs a cipher string, or --config PATH\n');
        exitCode = EXIT_USAGE;
        return;
      }
      const { runCiphersCommand } = await import('./ciphers-command.js');
      exitCode = runCiphersCommand({ cipherString, verbose: opts.verbose, tls13Suites: opts.ciphersuites }, io);
    });

  program
    .command('handshake')
    .description('predict, offline, whether the configured Postfix client completes a TLS handshake with each peer, and why not')
    .argument('<path>', 'a main.cf or the directory holding it')
    .option('--peer <id>', 'a shipped peer profile (repeatable; see `peers`)', collect, [])
    .option('--peer-file <file>', 'a peer profile JSON file (repeatable)', collect, [])
    .option('--level <level>', 'predict at this client security level instead of the configured one')
    .option('--destination <domain|[host]:port>', 'apply the TLS policy table entry that matches this next hop')
    .option('--suggest', 'with --destination: print a TLS policy entry for it that gives the peers TLS (instead of weakening main.cf)')
    .option('--diff', 'with --destination: show that entry (and a new table and smtp_tls_policy_maps line if needed) as a unified diff')
    .option('--fix', 'with --destination: write that entry (an interop change, made only when asked)')
    .option('--inbound', 'predict the other direction: clients (Exchange, Gmail, mail clients, printers) connecting to the configured smtpd services')
    .option('--client <id>', 'with --inbound: a shipped client profile (repeatable; see `clients`)', collect, [])
    .option('--client-file <file>', 'with --inbound: a client profile JSON file (repeatable)', collect, [])
    .option('--service <name>', 'with --inbound: only this master.cf smtpd service (e.g. smtp, submission)')
    .addOption(new Option('--files <mode>', 'with --inbound: open the certificate files smtpd loads (auto: those that exist; a missing one counts for the live configuration), on, off').choices(['auto', 'on', 'off']).default('auto'))
    .addOption(new Option('-f, --format <name>', 'output format').choices(['stylish', 'json']).default('stylish'))
    .option('--postfix-version <version>', 'Postfix version to model')
    .option('--hostname <name>', 'host name that myhostname, mydomain and myorigin derive from, as postconf does (default: this machine\'s)')
    .action(async (path: string, opts) => {
      if (opts.inbound) {
        const { inboundCommand } = await import('./inbound-command.js');
        exitCode = inboundCommand(path, opts, io);
        return;
      }
      const { handshakeCommand } = await import('./handshake-command.js');
      exitCode = handshakeCommand(path, opts, io);
    });

  program
    .command('clients')
    .description('list the shipped client profiles: who connects to the SMTP server (* = in the default set of handshake --inbound)')
    .addOption(new Option('-f, --format <name>', 'output format').choices(['stylish', 'json']).default('stylish'))
    .action(async (opts: { format?: 'stylish' | 'json' }) => {
      const { clientsCommand } = await import('./clients-command.js');
      exitCode = clientsCommand(io, opts);
    });

  program
    .command('diagnose')
    .description('read Postfix mail logs (syslog, RFC 3339, journalctl, maillog_file, .gz, posttls-finger transcripts) and name the cause of each TLS failure, the setting responsible and the fix')
    .argument('<logs...>', 'log files (gzip-compressed ones too), or - for stdin')
    .option('--config <path>', 'a main.cf (or its directory, with master.cf and the policy tables beside it): name the setting responsible')
    .option('--since <time>', 'only lines at or after TIME: 2h, 7d, today, 2024-12-03, 2024-12-03T11:00, "Dec 3 11:00"')
    .addOption(new Option('-f, --format <name>', 'output format').choices(['stylish', 'json']).default('stylish'))
    .option('--postfix-version <version>', 'with --config: Postfix version whose defaults to use')
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .action(async (logs: string[], opts) => {
      const { diagnoseCommand } = await import('./diagnose-command.js');
      exitCode = await diagnoseCommand(logs, opts, io);
    });

  program
    .command('peers')
    .description('list the shipped peer profiles (* = in the default set used by interop rules)')
    .addOption(new Option('-f, --format <name>', 'output format').choices(['stylish', 'json']).default('stylish'))
    .action(async (opts: { format?: 'stylish' | 'json' }) => {
      const { peersCommand } = await import('./peers-command.js');
      exitCode = peersCommand(io, opts);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      return e.exitCode === 0 ? EXIT_CLEAN : EXIT_USAGE;
    }
    if (e instanceof InputError) {
      io.stderr(`postfix-tls-lint: ${e.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`postfix-tls-lint: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    io.stderr('Please report this at https://github.com/postfix-tls-lint/postfix-tls-lint/issues with the input that caused it.\n');
    return EXIT_USAGE;
  }
  return exitCode;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export { EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE };
