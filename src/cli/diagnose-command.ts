/**
 * `diagnose` subcommand: the edge. Streams each log (file, gzip-compressed
 * file, or - for stdin) line by line into the pure collector, reads the
 * configuration when --config is given, and prints the report.
 * Memory is bounded by the collector's state, not by the size of the logs.
 */
import { createReadStream, openSync, readSync, closeSync, statSync, existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { InputError, describeFsError, type CliIo } from './io.js';
import { EXIT_CLEAN, EXIT_FINDINGS } from './exit-codes.js';
import { mainCfPath, readConfigText, usage } from './command-helpers.js';
import { cliEnvironment } from './environment.js';
import { useColor } from './color.js';
import { choosePostfixVersion } from './postfix-version.js';
import { configSetForPath } from './inputs.js';
import { releaseLine } from '../model/version.js';
import { parseMainCf } from '../parser/main-cf.js';
import { buildWholeConfig } from '../model/whole-config.js';
import { tableRefs } from '../policy/table-ref.js';
import { bytesToBinary } from '../util/text.js';
import { Collector } from '../diagnose/collector.js';
import { LineParser } from '../diagnose/line.js';
import { LineSplitter } from '../diagnose/splitter.js';
import { parseSince, SINCE_FORMS } from '../diagnose/since.js';
import { buildReport } from '../diagnose/report.js';
import { configExplainer, type ConfigContext } from '../diagnose/with-config.js';
import { TransportTables } from '../diagnose/transport.js';
import { formatDiagnoseStylish } from '../diagnose/stylish.js';
import type { ConfigExplainer } from '../diagnose/report.js';

export interface DiagnoseOptions {
  config?: string;
  since?: string;
  format?: string;
  postfixVersion?: string;
  /** commander's --no-color */
  color?: boolean;
}

/** The log's bytes as a stream, decompressed when it starts with the gzip magic (whatever its name). */
async function openLog(path: string, io: CliIo): Promise<{ stream: NodeJS.ReadableStream; referenceMs: number }> {
  if (path === '-') {
    const raw: NodeJS.ReadableStream = io.stdinStream ? io.stdinStream() : Readable.from([io.readStdin()]);
    const it = raw[Symbol.asyncIterator]();
    const first = await it.next();
    const head: Buffer = first.done ? Buffer.alloc(0) : Buffer.from(first.value as Buffer);
    async function* all(): AsyncGenerator<Buffer> {
      if (head.length > 0) yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield Buffer.from(n.value as Buffer);
      }
    }
    const stream = Readable.from(all());
    return { stream: isGzip(head) ? stream.pipe(createGunzip()) : stream, referenceMs: Date.now() };
  }
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new InputError(describeFsError(path, e));
  }
  if (st.isDirectory()) throw new InputError(`${path}: is a directory, not a log file`);
  if (!st.isFile()) throw new InputError(`${path}: not a regular file (FIFO, socket or device); use - and a pipe for streams`);
  let magic = Buffer.alloc(0);
  try {
    const fd = openSync(path, 'r');
    const b = Buffer.alloc(2);
    const n = readSync(fd, b, 0, 2, 0);
    closeSync(fd);
    magic = b.subarray(0, n);
  } catch (e) {
    throw new InputError(describeFsError(path, e));
  }
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  return { stream: isGzip(magic) ? file.pipe(createGunzip()) : file, referenceMs: st.mtimeMs };
}

function isGzip(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

async function readInto(collector: Collector, path: string, source: number, io: CliIo): Promise<void> {
  const { stream, referenceMs } = await openLog(path, io);
  const parser = new LineParser(referenceMs);
  const splitter = new LineSplitter((line) => collector.add(line, parser, source));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || /incorrect header|unexpected end|invalid/i.test(String((e as Error).message))) {
      throw new InputError(`${path === '-' ? '<stdin>' : path}: not a valid gzip stream (${(e as Error).message})`);
    }
    throw new InputError(describeFsError(path, e));
  }
  splitter.end();
  collector.endInput(source);
}

/** transport_maps source texts, for the next hop of a recipient domain. */
function transportTables(model: { value(n: string): string }, configDir: string | null): TransportTables {
  const texts: string[] = [];
  for (const ref of tableRefs(model.value('transport_maps'), 'transport_maps', configDir)) {
    if (ref.cls !== 'source-file') continue;
    const found = (ref.candidates ?? []).find((c) => existsSync(c));
    if (!found) continue;
    try {
      texts.push(bytesToBinary(readFileSync(found)));
    } catch {
      // unreadable: routes from it are unknown
    }
  }
  return new TransportTables(texts);
}

/**
 * What --config gives diagnose: the whole configuration beside main.cf (master.cf, policy tables), the
 * transport tables, and where a new tls_policy table would go. Warnings about unreadable tables go to stderr.
 */
export function diagnoseConfigContext(file: string, text: string, version: string, io: CliIo): ConfigContext {
  const environment = cliEnvironment(undefined);
  const set = configSetForPath(file, text, io, version, environment);
  const config = buildWholeConfig(set.sources, { postfixVersion: version, environment });
  for (const t of config.tables) {
    if (t.readError !== undefined) io.stderr(`postfix-tls-lint: warning: ${t.holder.param}: cannot read ${t.ref.sourcePath ?? t.ref.spec} (${t.readError})\n`);
  }
  const configDir = dirname(file);
  return {
    config,
    configDir: configDir === '/etc/postfix' ? undefined : configDir,
    transport: transportTables(config.model, configDir),
    newTablePath: join(dirname(set.sources.main.path), 'tls_policy'),
  };
}

function loadExplainer(configPath: string, version: string, io: CliIo): ConfigExplainer | number {
  const file = mainCfPath(resolve(io.cwd, configPath));
  const text = readConfigText(file, io);
  if (typeof text === 'number') return text;
  const parsed = parseMainCf(text, file);
  for (const d of parsed.diagnostics) {
    if (d.severity === 'error') return usage(io, `fatal: ${file}, line ${d.line}: ${d.message}`);
  }
  return configExplainer(diagnoseConfigContext(file, text, version, io));
}

export async function diagnoseCommand(logs: readonly string[], opts: DiagnoseOptions, io: CliIo): Promise<number> {
  const format = opts.format ?? 'stylish';
  if (format !== 'stylish' && format !== 'json') return usage(io, `unknown --format "${format}" (stylish, json)`);
  if (logs.length === 0) return usage(io, 'diagnose needs log files (or - for stdin)');
  if (logs.filter((l) => l === '-').length > 1) return usage(io, 'stdin (-) can be read only once');
  let sinceMs: number | null = null;
  if (opts.since !== undefined) {
    sinceMs = parseSince(opts.since, Date.now());
    if (sinceMs === null) return usage(io, `invalid --since "${opts.since}": use ${SINCE_FORMS}`);
  }
  let explainer: ConfigExplainer | undefined;
  if (opts.config !== undefined) {
    const { version } = choosePostfixVersion(opts.postfixVersion, io.env);
    if (!releaseLine(version)) return usage(io, `unsupported --postfix-version "${version}" (modelled: 2.11, 3.0 to 3.11)`);
    const e = loadExplainer(opts.config, version, io);
    if (typeof e === 'number') return e;
    explainer = e;
  }
  const collector = new Collector(sinceMs);
  for (let i = 0; i < logs.length; i++) {
    const path = logs[i] === '-' ? '-' : resolve(io.cwd, logs[i]);
    try {
      await readInto(collector, path, i, io);
    } catch (e) {
      if (e instanceof InputError) return usage(io, e.message.replace(path, logs[i]));
      throw e;
    }
  }
  const report = buildReport(collector.finish(), { sinceMs, explainer });
  if (format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
  else io.stdout(formatDiagnoseStylish(report, useColor(opts.color !== false, io)));
  return report.incidents.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}
