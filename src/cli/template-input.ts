/**
 * Lint (and fix) a template or a postconf script (edge code): reads what goes
 * with it (a master.cf template or the main.cf a script edits), and hands the
 * texts to the template layer (src/template, src/script) and the engine
 * (src/engine/lint-rendered.ts). Fixes edit only the template or script itself.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CliIo } from './io.js';
import type { LintInput } from './inputs.js';
import { shownPathFor } from './inputs.js';
import type { LintOptions } from '../lint.js';
import { lintFileSet, type ConfigSetOutcome, type ConfigSetRun } from './lint-config-set.js';
import { baseName, recognizeByName, type Recognized } from '../template/recognize.js';
import type { FrontEndResult, TemplateSyntax } from '../template/types.js';
import { templateFrontEnd } from '../template/front-end.js';
import { addTableFrontEnd, combineFrontEnds } from '../template/combine.js';
import { scriptFrontEnd } from '../script/postconf-script.js';
import { lintRendered } from '../engine/lint-rendered.js';
import type { LintConfigOptions } from '../engine/lint-config.js';
import { bytesToBinary } from '../util/text.js';
import { TemplateRenderError, type VarsRenderer } from '../template/jinja-render.js';
import { InputError } from './io.js';

/** Render with --vars; a template nunjucks cannot render is an input error naming its line. */
function renderWithVars(vars: VarsRenderer, text: string, path: string): FrontEndResult {
  try {
    return vars.render(text, path);
  } catch (e) {
    if (!(e instanceof TemplateRenderError)) throw e;
    throw new InputError(`${path}${e.line ? `:${e.line}` : ''}: cannot render with --vars: ${e.message} (lint it without --vars to check every branch)`);
  }
}

function readIfFile(path: string): string | null {
  try {
    if (!existsSync(path) || !statSync(path).isFile()) return null;
    return bytesToBinary(readFileSync(path));
  } catch {
    return null;
  }
}

/** The master.cf template beside a main.cf template (same extension), else a plain master.cf beside it. */
function masterTemplateBeside(input: LintInput, syntax: TemplateSyntax): { path: string; abs: string; text: string; syntax: TemplateSyntax | null } | null {
  if (input.absPath === '-') return null;
  const dir = dirname(input.absPath);
  const name = baseName(input.absPath);
  const ext = name.includes('.cf.') ? name.slice(name.lastIndexOf('.')) : '';
  for (const candidate of ext ? [`master.cf${ext}`, 'master.cf'] : ['master.cf']) {
    const abs = join(dir, candidate);
    const text = readIfFile(abs);
    if (text === null) continue;
    const r = recognizeByName(candidate);
    return { path: shownPathFor(input, abs), abs, text, syntax: r && r.kind === 'template' ? syntax : null };
  }
  return null;
}

/** Policy table templates beside a main.cf template (tls_policy.j2 ...), with the file name they are deployed as. */
function tableTemplatesBeside(input: LintInput): { path: string; abs: string; text: string; syntax: TemplateSyntax; name: string }[] {
  if (input.absPath === '-') return [];
  const dir = dirname(input.absPath);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: { path: string; abs: string; text: string; syntax: TemplateSyntax; name: string }[] = [];
  for (const name of names) {
    const r = recognizeByName(name);
    if (!r || r.kind !== 'template' || r.target !== 'policy') continue;
    const abs = join(dir, name);
    const text = readIfFile(abs);
    if (text !== null) out.push({ path: shownPathFor(input, abs), abs, text, syntax: r.syntax, name: name.slice(0, name.lastIndexOf('.')) });
  }
  return out;
}

export interface SourceLintExtras {
  /** --vars: renders Jinja2 templates with these values instead of linting every branch. */
  readonly vars?: VarsRenderer;
}

/** Template problems (tags never closed...) go to stderr once per file: they are about the template, not Postfix. */
function reportProblems(path: string, front: FrontEndResult, io: CliIo): void {
  for (const p of front.problems) io.stderr(`postfix-tls-lint: ${path}:${p.line}: template: ${p.message}\n`);
}

export function lintSourceSet(input: LintInput, kind: Recognized, options: LintOptions, run: ConfigSetRun, io: CliIo, extras: SourceLintExtras): ConfigSetOutcome {
  const texts = new Map<string, string>([[input.path, input.text]]);
  const absPaths = new Map<string, string>([[input.path, input.absPath]]);
  const set = { texts, absPaths, cwd: io.cwd };
  // Version, rules, severities, peers and clients, as lintConfigSet passes them to the engine.
  const engine: LintConfigOptions = options;
  if (kind.kind === 'script') {
    const baseAbs = input.absPath === '-' ? null : join(dirname(input.absPath), 'main.cf');
    const baseText = baseAbs ? readIfFile(baseAbs) : null;
    const base = baseAbs && baseText !== null ? { path: shownPathFor(input, baseAbs), text: baseText } : null;
    return lintFileSet(
      set,
      input.path,
      (current) => {
        const script = { path: input.path, text: current.get(input.path)! };
        const front = scriptFrontEnd({ script, kind: kind.script, base, postfixVersion: options.postfixVersion });
        if (!front) return { findings: [], files: [input.path] };
        const sourceTexts = new Map([[script.path, script.text], ...(base ? [[base.path, base.text] as const] : [])]);
        const r = lintRendered({ texts: sourceTexts, mainPath: `${input.path} (main.cf)`, masterPath: `${input.path} (master.cf)`, front, ...(base ? { reportedElsewhere: new Set([base.path]) } : {}) }, engine);
        return { findings: r.findings, files: [input.path] };
      },
      run,
      io,
    );
  }
  const syntax = kind.syntax;
  const master = kind.target === 'main' ? masterTemplateBeside(input, syntax) : null;
  if (master) {
    texts.set(master.path, master.text);
    absPaths.set(master.path, master.abs);
  }
  const tables = kind.target === 'main' ? tableTemplatesBeside(input) : [];
  for (const t of tables) {
    texts.set(t.path, t.text);
    absPaths.set(t.path, t.abs);
  }
  const fragment = kind.target === 'main' && !/(^|[._-])main\.cf([.]|$)/.test(baseName(input.path)) && input.path !== '<stdin>';
  let reported = false;
  return lintFileSet(
    set,
    input.path,
    (current) => {
      const text = current.get(input.path)!;
      let front: FrontEndResult;
      if (extras.vars && syntax === 'jinja2') front = renderWithVars(extras.vars, text, input.path);
      else front = templateFrontEnd(text, input.path, syntax, { postfixVersion: options.postfixVersion });
      let masterPath: string | undefined;
      if (master) {
        masterPath = master.path;
        const masterText = current.get(master.path) ?? master.text;
        const masterFront = master.syntax
          ? extras.vars && syntax === 'jinja2'
            ? renderWithVars(extras.vars, masterText, master.path)
            : templateFrontEnd(masterText, master.path, master.syntax, { postfixVersion: options.postfixVersion })
          : { renderings: [{ main: [{ kind: 'text' as const, text: masterText, src: { file: master.path, start: 0, end: masterText.length }, literal: true, path: [] }], choices: new Map() }], chains: [], problems: [] };
        front = combineFrontEnds(front, masterFront);
      }
      for (const t of tables) {
        const tableText = current.get(t.path) ?? t.text;
        const tableFront = extras.vars && t.syntax === 'jinja2' ? renderWithVars(extras.vars, tableText, t.path) : templateFrontEnd(tableText, t.path, t.syntax, { postfixVersion: options.postfixVersion });
        front = addTableFrontEnd(front, tableFront, t.path, t.name);
      }
      if (!reported) {
        reportProblems(input.path, front, io);
        reported = true;
      }
      const sourceTexts = new Map(current);
      const r = lintRendered({ texts: sourceTexts, mainPath: input.path, ...(masterPath ? { masterPath: `${masterPath} (rendered)` } : {}), front, fragment }, engine);
      return { findings: r.findings, files: r.files.filter((f) => current.has(f)) };
    },
    run,
    io,
  );
}
