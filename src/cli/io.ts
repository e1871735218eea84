/** The edges: everything the CLI reads from or writes to the outside world. */
import { readFileSync, readSync, statSync } from 'node:fs';
import { isatty } from 'node:tty';

export interface CliIo {
  /** Strings are written as UTF-8; binary-string config text must be passed as bytes. */
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
  /** Raw bytes of stdin (only called when a path is "-"). */
  readStdin(): Buffer;
  /** Stdin as a stream, for inputs too large to hold (diagnose reads logs this way when it can). */
  stdinStream?(): NodeJS.ReadableStream;
  readonly stdoutIsTty: boolean;
  readonly stdinIsTty?: boolean;
  /** Reads one line from the terminal (interactive fixing); null at end of input. */
  readLine?(): string | null;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processIo(): CliIo {
  // `postfix-tls-lint ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: () => readFileSync(0),
    stdinStream: () => process.stdin,
    stdoutIsTty: Boolean(process.stdout.isTTY),
    // isatty(0), not process.stdin.isTTY: that builds the stdin stream, ~7 ms of every start-up.
    stdinIsTty: isatty(0),
    readLine: readLineSync,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Blocking line read from fd 0; interactive fixing asks one question at a time. */
function readLineSync(): string | null {
  const buf = Buffer.alloc(1);
  let line = '';
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, 1, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        continue;
      }
      if ((e as NodeJS.ErrnoException).code === 'EOF') return line || null;
      throw e;
    }
    if (n === 0) return line || null;
    const ch = buf.toString('latin1');
    if (ch === '\n') return line;
    line += ch;
  }
}

/** An input problem that makes a file unusable: reported with exit code 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Read a config file as bytes with clear errors for directories, FIFOs, missing or unreadable files. */
export function readConfigBytes(path: string, io: CliIo): Buffer {
  if (path === '-') return io.readStdin();
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new InputError(describeFsError(path, e));
  }
  if (st.isDirectory()) throw new InputError(`${path}: is a directory, not a file`);
  if (!st.isFile()) throw new InputError(`${path}: not a regular file (FIFO, socket or device); refusing to read it`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError(describeFsError(path, e));
  }
}

export function describeFsError(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return `${path}: no such file or directory`;
    case 'EACCES':
    case 'EPERM':
      return `${path}: permission denied`;
    case 'ELOOP':
      return `${path}: too many levels of symbolic links`;
    case 'EISDIR':
      return `${path}: is a directory, not a file`;
    case 'ENAMETOOLONG':
      return `${path}: file name too long`;
    default:
      return `${path}: cannot read (${code ?? (e instanceof Error ? e.message : String(e))})`;
  }
}
