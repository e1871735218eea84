/** Human output grouped by file, ESLint-style, with colour only when asked for. */
import kleur from 'kleur';
import type { Formatter } from './types.js';
import { displayText } from '../util/text.js';

export const formatStylish: Formatter = (reports, ctx) => {
  const k = new kleurProxy(ctx.color);
  let out = '';
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixable = 0;
  let fixableInterop = 0;
  const rulesSeen = new Set<string>();
  for (const r of reports) {
    if (r.fixed && r.fixed.length > 0) {
      out += `${k.underline(r.file)}: fixed ${r.fixed.length} problem${r.fixed.length === 1 ? '' : 's'}\n`;
      for (const f of r.fixed) out += `  ${k.green('fixed')}  ${displayText(f.fix?.description ?? f.message)}  ${k.dim(f.ruleId)}\n`;
      if (r.findings.length === 0) out += '\n';
    }
    if (r.findings.length === 0) continue;
    out += `${k.underline(r.file)}\n`;
    const width = r.findings.reduce((max, f) => Math.max(max, `${f.line}:${f.column}`.length), 0);
    for (const f of r.findings) {
      rulesSeen.add(f.ruleId);
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else infos++;
      if (f.fix?.kind === 'interop') fixableInterop++;
      else if (f.fix) fixable++;
      const sev =
        f.severity === 'error' ? k.red('error  ') : f.severity === 'warning' ? k.yellow('warning') : k.cyan('info   ');
      const where = `${f.line}:${f.column}`.padEnd(width);
      const file = f.file !== r.file ? `${f.file}:` : '';
      const indent = `  ${' '.repeat(width)}           `;
      if (!ctx.verbose) {
        out += `  ${k.dim(file + where)}  ${sev}  ${displayText(f.summary)}  ${k.dim(f.ruleId)}\n`;
        continue;
      }
      out += `  ${k.dim(file + where)}  ${sev}  ${displayText(f.message)}  ${k.dim(f.ruleId)}\n`;
      for (const rel of f.related) out += `${indent}${k.dim(`${rel.file}:${rel.line}: ${displayText(rel.message)}`)}\n`;
      if (f.confirm) out += `${indent}${k.dim('confirm: ' + displayText(f.confirm))}\n`;
      if (f.fix) out += `${indent}${k.dim(`fix (${f.fix.kind}): ${displayText(f.fix.description)}`)}\n`;
    }
    out += '\n';
  }
  const total = errors + warnings + infos;
  if (total === 0) {
    const fixedTotal = reports.reduce((n, r) => n + (r.fixed?.length ?? 0), 0);
    return out + (fixedTotal > 0 ? `${k.green('✔')} no problems left\n` : '');
  }
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const line = `✖ ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')})`;
  out += (errors > 0 ? k.red(k.bold(line)) : warnings > 0 ? k.yellow(k.bold(line)) : k.bold(line)) + '\n';
  if (fixable > 0) out += `  ${plural(fixable, 'problem')} fixable with --fix (review with --diff)\n`;
  if (fixableInterop > 0) {
    out += `  ${plural(fixableInterop, 'problem')} fixable only by lowering security: --diff --fix-type interop shows ${fixableInterop === 1 ? 'it' : 'them'}, --fix --fix-type interop applies ${fixableInterop === 1 ? 'it' : 'them'}\n`;
  }
  out += `\n${ctx.verbose ? '' : 'Full explanations: --verbose. '}For more information: postfix-tls-lint explain ${[...rulesSeen].sort().join(' | ')}\n`;
  return out;
};

/** kleur with an explicit on/off switch instead of its global. */
export class kleurProxy {
  constructor(private readonly on: boolean) {}
  private wrap(fn: (s: string) => string, s: string): string {
    if (!this.on) return s;
    // kleur decides colour from the environment at import; force it for this call only.
    const previous = kleur.enabled;
    kleur.enabled = true;
    try {
      return fn(s);
    } finally {
      kleur.enabled = previous;
    }
  }
  red = (s: string) => this.wrap(kleur.red, s);
  yellow = (s: string) => this.wrap(kleur.yellow, s);
  cyan = (s: string) => this.wrap(kleur.cyan, s);
  green = (s: string) => this.wrap(kleur.green, s);
  dim = (s: string) => this.wrap(kleur.dim, s);
  bold = (s: string) => this.wrap(kleur.bold, s);
  underline = (s: string) => this.wrap(kleur.underline, s);
}
