/**
 * Lint (and fix) one input as a whole configuration: its main.cf, the
 * master.cf beside it and the policy tables they name. Edge code: reads the
 * files, writes fixed ones, and hands texts to the pure engine.
 */
import { writeFileSync } from 'node:fs';
import type { CliIo } from './io.js';
import { loadConfigSet, sourcesWithTexts, type FileReading, type LintInput } from './inputs.js';
import { resolve } from 'node:path';
import type { LintOptions } from '../lint.js';
import { lintConfig } from '../engine/lint-config.js';
import type { Finding, FixKind } from '../engine/types.js';
import type { FileReport } from '../formatters/types.js';
import { fixFilesUntilStable, fixTarget } from '../fixer/fix-loop.js';
import type { FileDiff } from './diff-paths.js';
import { writeFileAtomic } from './atomic-write.js';

export interface ConfigSetRun {
  readonly kinds: readonly FixKind[];
  readonly fix: boolean;
  readonly showDiff: boolean;
  readonly accept?: (f: Finding, text: string) => boolean;
  /** Runs on the findings of every lint pass, with each file's text (inline suppressions; see cli/ci-support.ts). */
  readonly postProcess?: (findings: readonly Finding[], texts: ReadonlyMap<string, string>) => Finding[];
  /** Read the certificate, key and CA files the configuration names (checked as options.files says). */
  readonly files?: FileReading;
}

export interface ConfigSetOutcome {
  /** main.cf's report first, then one per other file with findings or fixes. */
  readonly reports: FileReport[];
  readonly diffs: FileDiff[];
  readonly writeProblems: number;
}

function group(files: readonly string[], mainPath: string, findings: readonly Finding[], fixed?: readonly Finding[]): FileReport[] {
  const order = [mainPath, ...files.filter((f) => f !== mainPath)];
  for (const f of findings) if (!order.includes(f.file)) order.push(f.file);
  for (const f of fixed ?? []) if (!order.includes(fixTarget(f))) order.push(fixTarget(f));
  const reports: FileReport[] = [];
  for (const file of order) {
    const own = findings.filter((f) => f.file === file);
    const ownFixed = (fixed ?? []).filter((f) => fixTarget(f) === file);
    if (file !== mainPath && own.length === 0 && ownFixed.length === 0) continue;
    reports.push({ file, findings: own, ...(fixed ? { fixed: ownFixed } : {}) });
  }
  return reports;
}

export function lintConfigSet(input: LintInput, options: LintOptions, run: ConfigSetRun, io: CliIo): ConfigSetOutcome {
  const set = loadConfigSet(input, options.postfixVersion, io.cwd, options.environment, run.files);
  // Version, rules, severities and peers as lintText takes them (the master.cf facts are computed from master.cf itself);
  // whether missing files count depends on this input being the live configuration.
  // A getter: set.live may spawn `postconf`, and the engine asks only about a missing file or table.
  const engineOptions = options.files ? { ...options, files: { ...options.files, get live() { return set.live; } } } : options;
  return lintFileSet(set, input.path, (texts) => lintConfig(sourcesWithTexts(set, texts), engineOptions), run, io);
}

/** The files of one lint unit: their texts by shown path, where to write them, and what shown paths are relative to. */
export interface FileSet {
  readonly texts: ReadonlyMap<string, string>;
  readonly absPaths: ReadonlyMap<string, string>;
  readonly cwd: string;
}

/**
 * Lint, and with --fix/--diff fix until stable, one set of files (a main.cf with what it names, or a template or
 * script): `lint` gives the findings and the files they may point at for a version of the texts.
 */
export function lintFileSet(
  set: FileSet,
  mainPath: string,
  lint: (texts: ReadonlyMap<string, string>) => { readonly findings: readonly Finding[]; readonly files: readonly string[] },
  run: ConfigSetRun,
  io: CliIo,
): ConfigSetOutcome {
  // The fix loop lints the texts it ends with, and the files list below needs the same lint: keep the last one.
  let last: { texts: ReadonlyMap<string, string>; result: ReturnType<typeof lint> } | undefined;
  const lintTexts = (texts: ReadonlyMap<string, string>) => {
    if (last && sameTexts(last.texts, texts)) return last.result;
    const r = lint(texts);
    const result = run.postProcess ? { ...r, findings: run.postProcess(r.findings, texts) } : r;
    last = { texts: new Map(texts), result };
    return result;
  };
  if (!run.fix && !run.showDiff) {
    const r = lintTexts(set.texts);
    return { reports: group(r.files, mainPath, r.findings), diffs: [], writeProblems: 0 };
  }
  const result = fixFilesUntilStable(set.texts, (texts) => lintTexts(texts).findings, { kinds: run.kinds, ...(run.accept ? { accept: run.accept } : {}) });
  const changed = [...result.outputs].filter(([p, t]) => set.texts.get(p) !== t);
  const diffs: FileDiff[] = [];
  let writeProblems = 0;
  for (const [shown, text] of changed) {
    const abs = absPathOfSet(set, shown);
    if (run.showDiff) {
      diffs.push({ path: abs === '-' ? shown : abs, before: result.created.has(shown) ? null : (set.texts.get(shown) ?? ''), after: text });
      continue;
    }
    // Each file is replaced atomically; a set of files cannot be, so a failed write is reported per file.
    try {
      if (result.created.has(shown)) writeFileSync(abs, Buffer.from(text, 'latin1'), { flag: 'wx', mode: 0o644 });
      else writeFileAtomic(abs, Buffer.from(text, 'latin1'));
    } catch (e) {
      io.stderr(`postfix-tls-lint: ${shown}: cannot write the fixed file (${(e as Error).message}); it was not changed\n`);
      writeProblems++;
    }
  }
  if (writeProblems > 0) {
    const r = lintTexts(set.texts);
    return { reports: group(r.files, mainPath, r.findings), diffs, writeProblems };
  }
  const files = lintTexts(result.outputs).files;
  return { reports: group(files, mainPath, result.remaining, result.applied), diffs, writeProblems };
}

function sameTexts(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [path, text] of a) if (b.get(path) !== text) return false;
  return true;
}

function absPathOfSet(set: FileSet, shown: string): string {
  return set.absPaths.get(shown) ?? resolve(set.cwd, shown);
}
