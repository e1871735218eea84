import type { CliIo } from './io.js';

/** --no-color wins, then NO_COLOR, then FORCE_COLOR, then "is stdout a terminal". */
export function useColor(flag: boolean, io: CliIo): boolean {
  if (!flag) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return io.stdoutIsTty;
}
