/** Lint a template text the way the CLI does (front-end, renderings, probe rounds), without I/O. */
import { templateFrontEnd } from '../../src/template/front-end.js';
import { lintRendered } from '../../src/engine/lint-rendered.js';
import type { TemplateSyntax } from '../../src/template/types.js';
import type { Finding } from '../../src/engine/types.js';
import { defaultPeers } from '../../src/interop/peers.js';

export const VERSION = '3.7.11';

export function lintTemplate(text: string, syntax: TemplateSyntax, path = 'main.cf.tpl', options: { peers?: boolean } = {}): Finding[] {
  const front = templateFrontEnd(text, path, syntax, { postfixVersion: VERSION });
  return lintRendered({ texts: new Map([[path, text]]), mainPath: path, front }, { postfixVersion: VERSION, peers: options.peers ? defaultPeers() : [] }).findings;
}

/** "rule@line" for each finding, sorted, for compact assertions. */
export function brief(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId}@${f.line}`).sort();
}

export function at(findings: readonly Finding[], ruleId: string, line: number): Finding {
  const f = findings.find((x) => x.ruleId === ruleId && x.line === line);
  if (!f) throw new Error(`no ${ruleId} at line ${line}; have: ${brief(findings).join(', ')}`);
  return f;
}
