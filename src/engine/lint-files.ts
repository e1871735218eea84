/**
 * Runs the rules that check the files the configuration names
 * (Rule.checkFiles) over every file use of the whole configuration, with
 * what the CLI read. A finding sits on the setting that names the file (a
 * main.cf line, a master.cf -o option, a policy-table attribute or an SNI
 * table entry) and points at the file, and the PEM object in it, in
 * `related`. Without files (a library caller, --files off) nothing runs.
 */
import { LineIndex } from '../parser/main-cf.js';
import type { WholeConfig, ConfigSources } from '../model/whole-config.js';
import { tlsFileUses, type CredentialsUse } from '../model/tls-files.js';
import { loadAll, type LoadResult } from '../certs/load.js';
import type { FileFacts } from '../certs/file-facts.js';
import type { RuleSettings } from './run-rules.js';
import type { Finding, Range, RelatedLocation, Rule } from './types.js';
import { interpolate } from './interpolate.js';
import { summarize } from './summary.js';
import type { FileCheckSettings, FileFindingDescriptor, FileRuleContext } from './file-rules.js';

function locator(texts: ReadonlyMap<string, string>) {
  const indexes = new Map<string, LineIndex>();
  return (file: string, range: Range) => {
    let idx = indexes.get(file);
    if (!idx) {
      idx = new LineIndex(texts.get(file) ?? '');
      indexes.set(file, idx);
    }
    const s = idx.locate(range[0]);
    const e = idx.locate(Math.max(range[0], range[1]));
    return { file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };
}

/** Findings of the file rules for one whole configuration. */
export function lintFiles(config: WholeConfig, sources: ConfigSources, settings: FileCheckSettings | undefined, rules: readonly Rule[], ruleSettings: RuleSettings | undefined): Finding[] {
  const files = sources.files;
  if (!settings || settings.mode === 'off' || !files) return [];
  const fileRules = rules.filter((r) => r.checkFiles && ruleSettings?.severities?.[r.meta.id] !== 'off');
  if (fileRules.length === 0) return [];
  const { uses, texts: extraTexts } = tlsFileUses(config, sources.tables, sources.configDir ?? null);
  const texts = new Map([...config.texts, ...extraTexts]);
  const locate = locator(texts);
  const read = (path: string): FileFacts | undefined => files.get(path);
  const loads = new Map<string, LoadResult>();
  const load = (use: CredentialsUse): LoadResult => {
    let r = loads.get(use.id);
    if (!r) {
      r = loadAll(use.sources, read);
      loads.set(use.id, r);
    }
    return r;
  };
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of fileRules) {
    const configured = ruleSettings?.severities?.[rule.meta.id];
    const report = (d: FileFindingDescriptor) => {
      const template = rule.meta.messages[d.messageId];
      if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown messageId "${d.messageId}"`);
      const message = interpolate(template, d.data);
      const key = `${rule.meta.id}\0${d.site.file}\0${d.site.range.join('-')}\0${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      const related: RelatedLocation[] = (d.related ?? []).map((r) => {
        const line = r.block?.line ?? 1;
        return { file: files.get(r.path)?.shown ?? r.path, line, column: 1, endLine: r.block?.endLine ?? line, endColumn: 1, message: r.message };
      });
      out.push({
        ruleId: rule.meta.id,
        severity: configured && configured !== 'off' ? configured : (d.severity ?? rule.meta.defaultSeverity),
        category: rule.meta.category,
        messageId: d.messageId,
        data: d.data,
        message,
        summary: summarize(rule.meta, d.messageId, d.data, message),
        parameter: d.site.param,
        range: d.site.range,
        ...locate(d.site.file, d.site.range),
        related,
        ...(d.fix ? { fix: d.fix } : {}),
      });
    };
    const ctx: FileRuleContext = { config, uses, settings, read, load, report };
    rule.checkFiles?.(ctx);
  }
  return out;
}
