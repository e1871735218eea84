/**
 * SARIF 2.1.0 for GitHub code scanning (and other SARIF viewers).
 *
 * What code scanning needs, and why it is done this way:
 * - every rule is declared (not only those that fired) so fixed alerts close,
 *   each with shortDescription (the alert title), fullDescription, help
 *   (text and markdown) and a non-empty helpUri;
 * - artifact URIs are relative to the working directory with uriBaseId
 *   %SRCROOT% (run the linter from the repository root); files outside it get
 *   absolute file: URIs; path segments are percent-encoded, so a ":" never
 *   looks like a scheme;
 * - startLine and startColumn are >= 1 even for findings about a missing
 *   parameter (they anchor on line 1);
 * - partialFingerprints hash the rule, file, parameter and message data but
 *   no line number, so alerts survive edits above them;
 * - levels: error -> error, warning -> warning, info -> note.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { Formatter, FileReport, FormatContext } from './types.js';
import type { Finding, RuleMeta } from '../engine/types.js';
import { displayText } from '../util/text.js';
import { relativeReportPath } from './paths.js';
import { allRules } from '../../rules/index.js';
import { SUPPRESSION_RULE_META } from '../engine/suppressions.js';
import { GENERATED_BEGIN, GENERATED_END, renderRuleHeader } from '../docs/render-rule.js';
import { TOOL_HOMEPAGE } from '../version.js';

export const SARIF_FINGERPRINT_KEY = 'postfixTlsLint/v1';
const SRCROOT = '%SRCROOT%';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;
const SECURITY_SEVERITY = { error: '8.0', warning: '5.0', info: '2.0' } as const;

export function ruleHelpUri(id: string): string {
  if (id === SUPPRESSION_RULE_META.id) return `${TOOL_HOMEPAGE}/blob/main/docs/ci.md#suppressions`;
  return `${TOOL_HOMEPAGE}/blob/main/rules/${id}.md`;
}

function ruleDescriptor(meta: RuleMeta) {
  const markdown = renderRuleHeader(meta).replace(GENERATED_BEGIN + '\n', '').replace(GENERATED_END + '\n', '').trim();
  return {
    id: meta.id,
    name: meta.id
      .split('-')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: meta.description },
    fullDescription: { text: `${meta.description} ${meta.why}` },
    helpUri: ruleHelpUri(meta.id),
    help: {
      text: `${meta.description}\n\n${meta.why}\n\nDocumentation: ${ruleHelpUri(meta.id)}`,
      markdown: `${markdown}\n\n[Documentation](${ruleHelpUri(meta.id)})`,
    },
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: {
      tags: meta.category === 'security' ? ['security', 'postfix', 'tls'] : [meta.category, 'postfix', 'tls'],
      ...(meta.category === 'security' ? { 'security-severity': SECURITY_SEVERITY[meta.defaultSeverity] } : {}),
      precision: 'high',
    },
  };
}

/** Percent-encode each segment (":" included) of a relative "/" path. */
function encodeRelative(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

interface ArtifactRef {
  readonly uri: string;
  readonly uriBaseId?: string;
}

function artifactFor(file: string, ctx: FormatContext): ArtifactRef {
  const rel = relativeReportPath(file, ctx.cwd);
  if (rel !== null) return { uri: encodeRelative(rel), uriBaseId: SRCROOT };
  if (file === '-' || file === '<stdin>') return { uri: 'stdin', uriBaseId: SRCROOT };
  return { uri: pathToFileURL(resolve(ctx.cwd, file)).href };
}

function region(f: { line: number; column: number; endLine: number; endColumn: number }) {
  const startLine = Math.max(1, f.line);
  const startColumn = Math.max(1, f.column);
  const r: Record<string, number> = { startLine, startColumn };
  const endLine = Math.max(startLine, f.endLine);
  if (endLine > startLine || f.endColumn > startColumn) {
    r.endLine = endLine;
    r.endColumn = Math.max(1, f.endColumn);
  }
  return r;
}

/** Stable across line shifts: no line numbers, not even inside message data. */
export function fingerprint(f: Finding, artifactUri: string): string {
  const data = Object.keys(f.data)
    .filter((k) => !/line/i.test(k))
    .sort()
    // Values may quote a position ("smtp_tls_ciphers = export (line 2)"): drop it.
    .map((k) => `${k}=${String(f.data[k]).replace(/\blines? \d+(?:(?:, | and |-)\d+)*/g, 'line')}`);
  const material = [f.ruleId, artifactUri, f.parameter ?? '', f.messageId, ...data].join('\u0000');
  return createHash('sha256').update(material, 'latin1').digest('hex').slice(0, 32);
}

export const formatSarif: Formatter = (reports, ctx) => {
  const metas = new Map<string, RuleMeta>();
  for (const r of allRules) metas.set(r.meta.id, r.meta);
  metas.set(SUPPRESSION_RULE_META.id, SUPPRESSION_RULE_META);
  // A finding from a rule outside the list (should not happen) still gets a declared rule.
  for (const rep of reports) {
    for (const f of [...rep.findings, ...(rep.suppressed ?? []).map((s) => s.finding)]) {
      if (!metas.has(f.ruleId)) {
        metas.set(f.ruleId, { id: f.ruleId, category: f.category, defaultSeverity: f.severity, description: f.ruleId, why: '', parameters: [], fixable: false, messages: {}, references: [] });
      }
    }
  }
  const ids = [...metas.keys()];
  const ruleIndex = new Map(ids.map((id, i) => [id, i]));

  const artifacts: { location: ArtifactRef }[] = [];
  const artifactIndex = new Map<string, number>();
  const artifact = (file: string) => {
    const ref = artifactFor(file, ctx);
    const key = `${ref.uriBaseId ?? ''}|${ref.uri}`;
    let index = artifactIndex.get(key);
    if (index === undefined) {
      index = artifacts.length;
      artifacts.push({ location: ref });
      artifactIndex.set(key, index);
    }
    return { ...ref, index };
  };
  for (const rep of reports) artifact(rep.file);

  const seenPrints = new Map<string, number>();
  const result = (f: Finding, suppression: { reason: string | null } | null) => {
    const loc = artifact(f.file);
    let print = fingerprint(f, loc.uri);
    // Identical findings in one file get an occurrence number instead of colliding.
    const n = (seenPrints.get(print) ?? 0) + 1;
    seenPrints.set(print, n);
    if (n > 1) print = `${print}:${n}`;
    return {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: displayText(f.message) },
      locations: [{ physicalLocation: { artifactLocation: loc, region: region(f) } }],
      partialFingerprints: { [SARIF_FINGERPRINT_KEY]: print },
      ...(f.related.length > 0
        ? {
            relatedLocations: f.related.map((rel, i) => ({
              id: i + 1,
              physicalLocation: { artifactLocation: artifact(rel.file), region: region(rel) },
              message: { text: displayText(rel.message) },
            })),
          }
        : {}),
      ...(f.fix
        ? {
            fixes: [
              {
                description: { text: displayText(f.fix.description) },
                artifactChanges: [
                  {
                    artifactLocation: artifact(f.fix.file ?? f.file),
                    replacements: f.fix.edits.map((e) => ({
                      deletedRegion: { byteOffset: e.range[0], byteLength: e.range[1] - e.range[0] },
                      insertedContent: { text: displayText(e.text) },
                    })),
                  },
                ],
              },
            ],
          }
        : {}),
      ...(suppression
        ? { suppressions: [{ kind: 'inSource', status: 'accepted', ...(suppression.reason ? { justification: suppression.reason } : {}) }] }
        : {}),
      properties: { category: f.category, summary: displayText(f.summary), ...(f.parameter ? { parameter: displayText(f.parameter) } : {}), ...(f.confirm ? { confirm: displayText(f.confirm) } : {}) },
    };
  };

  const results = reports.flatMap((rep: FileReport) => [
    ...rep.findings.map((f) => result(f, null)),
    ...(rep.suppressed ?? []).map((s) => result(s.finding, { reason: s.reason === null ? null : displayText(s.reason) })),
  ]);

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'postfix-tls-lint',
            version: ctx.toolVersion,
            semanticVersion: ctx.toolVersion,
            informationUri: TOOL_HOMEPAGE,
            rules: ids.map((id) => ruleDescriptor(metas.get(id) as RuleMeta)),
          },
        },
        artifacts,
        results,
        columnKind: 'unicodeCodePoints',
        properties: { postfixVersion: ctx.postfixVersion },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};
