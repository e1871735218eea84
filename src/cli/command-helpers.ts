/** Small helpers shared by subcommands (handshake, handshake --inbound, diagnose). */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, readConfigBytes, type CliIo } from './io.js';
import { bytesToBinary } from '../util/text.js';
import { EXIT_USAGE } from './exit-codes.js';

/** Report a usage or input error; returns the exit code for it. */
export function usage(io: CliIo, message: string): number {
  io.stderr(`postfix-tls-lint: ${message}\n`);
  return EXIT_USAGE;
}

/** PATH may be main.cf itself or the directory holding it. */
export function mainCfPath(path: string): string {
  if (path === '-') return path;
  try {
    if (statSync(path).isDirectory()) return join(path, 'main.cf');
  } catch {
    // readConfigBytes reports the problem
  }
  return path;
}

/** A config file's text (binary string), or the exit code after saying why it cannot be read. */
export function readConfigText(file: string, io: CliIo): string | number {
  try {
    return bytesToBinary(readConfigBytes(file, io));
  } catch (e) {
    if (e instanceof InputError) return usage(io, e.message);
    throw e;
  }
}

/** The main.cf a handshake command reads: PATH itself, the main.cf in directory PATH, or - (stdin). */
export function readMainCf(path: string, io: CliIo): { file: string; text: string } | { error: string } {
  const file = mainCfPath(path === '-' ? path : resolve(io.cwd, path));
  try {
    return { file, text: bytesToBinary(readConfigBytes(file, io)) };
  } catch (e) {
    if (e instanceof InputError) return { error: e.message };
    throw e;
  }
}
