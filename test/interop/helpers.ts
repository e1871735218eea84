import { parseMainCf } from '../../src/parser/main-cf.js';
import { ConfigModel } from '../../src/model/config.js';
import type { CliIo } from '../../src/cli/io.js';

export function model(text: string, version = '3.7'): ConfigModel {
  return new ConfigModel(parseMainCf(text), version);
}

export function memoryIo(cwd = '/'): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += typeof t === 'string' ? t : Buffer.from(t).toString('latin1');
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: () => Buffer.from(''),
    stdoutIsTty: false,
    env: { POSTFIX_TLS_LINT_NO_POSTCONF: '1' },
    cwd,
    out: () => out,
    err: () => err,
  };
}
