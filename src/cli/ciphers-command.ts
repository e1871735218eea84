/**
 * `ciphers` subcommand: prints what `openssl ciphers [-v] STRING` would print
 * on OpenSSL 3.0, without running openssl.
 */
import { describeSuite, evaluateCipherString, formatLikeOpensslCiphers, allListedSuites, type EvaluateFailure } from '../ciphers/evaluate.js';

export interface CiphersCommandArgs {
  cipherString: string;
  /** Like `openssl ciphers -v`: one description line per suite. */
  verbose?: boolean;
  /** The TLS 1.3 ciphersuites setting (like `-ciphersuites`). */
  tls13Suites?: string;
}

export interface CiphersCommandIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

// OpenSSL prints one line per queued error; ours carry no thread id or source line.
function errorLines(failure: EvaluateFailure): string {
  const fn = failure.stage === 'ciphersuites'
    ? 'set_ciphersuites'
    : failure.reasons.includes('invalid command') ? 'ssl_cipher_process_rulestr' : 'SSL_CTX_set_cipher_list';
  return failure.reasons
    .map((reason) => {
      const code = reason === 'invalid command' ? '0A000118' : '0A0000B9';
      return `error:${code}:SSL routines:${fn}:${reason}\n`;
    })
    .join('');
}

/** Returns the exit code `openssl ciphers` would return: 0, or 1 when OpenSSL rejects the string. */
export function runCiphersCommand(args: CiphersCommandArgs, io: CiphersCommandIo): number {
  const result = evaluateCipherString(args.cipherString, args.tls13Suites === undefined ? {} : { tls13Suites: args.tls13Suites });
  if (!result.ok) {
    io.stderr(result.stage === 'ciphersuites' ? 'Error setting TLSv1.3 ciphersuites\n' : 'Error in cipher list\n');
    io.stderr(errorLines(result));
    return 1;
  }
  if (args.verbose) {
    io.stdout(allListedSuites(result).map(describeSuite).join(''));
  } else {
    io.stdout(formatLikeOpensslCiphers(result) + '\n');
  }
  return 0;
}
