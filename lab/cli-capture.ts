/** A CLI io for running a command in-process from the lab: stdout and stderr captured, no postconf lookup. */
import type { CliIo } from '../src/cli/io.js';

export function captureIo(cwd: string): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => {
      out += typeof t === 'string' ? t : Buffer.from(t).toString('utf8');
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: () => Buffer.alloc(0),
    stdoutIsTty: false,
    env: { POSTFIX_TLS_LINT_NO_POSTCONF: '1' },
    cwd,
  };
  return { io, out: () => out, err: () => err };
}
