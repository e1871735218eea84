/**
 * Helpers for the `show` differential tests and the robustness tests: run the
 * CLI in-process with a fake io that captures stdout as bytes, and run
 * postconf asynchronously so many cases can run in parallel.
 */
import { spawn } from 'node:child_process';
import { backdate, postconfCommand } from './postfix.js';
import { main } from '../../src/cli/main.js';
import { InputError, type CliIo } from '../../src/cli/io.js';
import { showCommand } from '../../src/cli/show-command.js';

export interface CliRun {
  code: number;
  /** stdout as a binary string (one char per byte). */
  stdout: string;
  stderr: string;
  ms: number;
}

export function fakeIo(options: { cwd?: string; stdin?: Buffer; env?: Record<string, string> } = {}): {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
} {
  const out: Buffer[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout(t) {
      out.push(typeof t === 'string' ? Buffer.from(t, 'utf8') : Buffer.from(t));
    },
    stderr(t) {
      err.push(t);
    },
    readStdin() {
      return options.stdin ?? Buffer.alloc(0);
    },
    stdoutIsTty: false,
    env: { POSTFIX_TLS_LINT_NO_POSTCONF: '1', NO_COLOR: '1', ...options.env },
    cwd: options.cwd ?? process.cwd(),
  };
  return { io, stdout: () => Buffer.concat(out).toString('latin1'), stderr: () => err.join('') };
}

/** Run `postfix-tls-lint ARGV` in this process. */
export async function runCli(argv: string[], options: Parameters<typeof fakeIo>[0] = {}): Promise<CliRun> {
  const { io, stdout, stderr } = fakeIo(options);
  const t0 = performance.now();
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr(), ms: performance.now() - t0 };
}

/**
 * Run the show command itself (what `show [-x] --postfix-version V FILE NAME...`
 * dispatches to), with main()'s handling of input errors. Used where the
 * version must be forced: main() currently lets the root --postfix-version
 * option swallow the subcommand's (see the todo test in show-diff).
 */
export function runShowCommand(file: string, names: string[], opts: { expand?: boolean; postfixVersion?: string; hostname?: string; processId?: number }): CliRun {
  const { io, stdout, stderr } = fakeIo();
  const t0 = performance.now();
  let code: number;
  try {
    code = showCommand(file, names, opts, io);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`postfix-tls-lint: ${e.message}\n`);
    code = 2;
  }
  return { code, stdout: stdout(), stderr: stderr(), ms: performance.now() - t0 };
}

export interface AsyncPostconfRun {
  status: number | null;
  /** postconf's pid (what it prints as process_id). */
  pid?: number;
  stdout: string;
  stderr: string;
}

/** `postconf -c DIR ARGS` without blocking the event loop; output as binary strings. With `hostname`, as if the machine had that name (see postconfCommand). */
export function postconfAsync(dir: string, args: string[], timeoutMs = 20_000, hostname?: string): Promise<AsyncPostconfRun> {
  backdate(dir);
  return new Promise((resolve) => {
    const [command, argv] = postconfCommand(['-c', dir, ...args], hostname);
    const child = spawn(command, argv, { env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ status: null, stdout: '', stderr: String(e) });
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, ...(child.pid !== undefined ? { pid: child.pid } : {}), stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1') });
    });
  });
}

/** Run fn over items with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** postconf's stdout minus the `config_directory = DIR` line that -c adds (keeps the final newline). */
export function withoutConfigDirectory(stdout: string, dir: string): string {
  return stdout
    .split('\n')
    .filter((l) => l !== `config_directory = ${dir}`)
    .join('\n');
}

/** Names from "unused parameter: name=value" warnings, sorted. */
export function unusedNames(stderr: string): string[] {
  const names: string[] = [];
  for (const m of stderr.matchAll(/unused parameter: ([^=\n]*)=/g)) names.push(m[1]);
  return names.sort();
}

/** Names from "NAME: unknown parameter" warnings, in order. */
export function unknownNames(stderr: string): string[] {
  const names: string[] = [];
  for (const m of stderr.matchAll(/warning: (\S*): unknown parameter/g)) names.push(m[1]);
  return names;
}

/** A JS stack frame in output means an exception escaped somewhere. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+[(:]\d+/.test(text) || /^\s{4}at /m.test(text);
}
