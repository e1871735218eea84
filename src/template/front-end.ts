/** Template text -> renderings, for the syntax given. Pure. */
import type { Expansion, FrontEndResult, TemplateSyntax } from './types.js';
import type { SyntaxModule, TokenizeOptions } from './syntax/control.js';
import { jinja2 } from './syntax/jinja2.js';
import { erb, epp } from './syntax/erb.js';
import { go } from './syntax/go.js';
import { envsubstModule } from './syntax/envsubst.js';
import { renderTemplate } from './render.js';
import { isKnownParameterName } from '../model/catalogue/index.js';

export interface TemplateOptions extends TokenizeOptions {
  readonly postfixVersion: string;
}

/** Postfix's own $name references stay Postfix text in envsubst templates: known names, and lower-case names (environment variables are upper case). */
function postfixNameFor(version: string): (name: string) => boolean {
  return (name) => isKnownParameterName(name, version) || !/[A-Z]/.test(name);
}

export function syntaxModule(syntax: TemplateSyntax, version: string): SyntaxModule {
  switch (syntax) {
    case 'jinja2':
      return jinja2;
    case 'erb':
      return erb;
    case 'epp':
      return epp;
    case 'go':
      return go;
    case 'envsubst':
      return envsubstModule(postfixNameFor(version));
  }
}

/**
 * Jinja2's trim_blocks: Ansible's template module turns it on (its templates are *.j2); plain Jinja2 and Salt
 * (main.cf, *.jinja) leave it off. It decides whether "{%- if %}" joins two lines.
 */
export function trimBlocksFor(path: string): boolean {
  return /\.j2$/.test(path);
}

export function templateFrontEnd(text: string, path: string, syntax: TemplateSyntax, options: TemplateOptions): FrontEndResult {
  const result = renderTemplate(text, path, syntaxModule(syntax, options.postfixVersion), { trimBlocks: options.trimBlocks ?? (syntax === 'jinja2' && trimBlocksFor(path)) });
  return syntax === 'envsubst' ? { ...result, expansions: envsubstExpansions(text, path, options.postfixVersion) } : result;
}

/** $name references of Postfix parameters outside comment lines: envsubst without a variable list replaces them too. */
function envsubstExpansions(text: string, file: string, version: string): Expansion[] {
  const out: Expansion[] = [];
  for (const m of text.matchAll(/\$(?:\{([a-z_][a-z0-9_]*)\}|([a-z_][a-z0-9_]*))/g)) {
    const name = m[1] ?? m[2];
    const lineStart = text.lastIndexOf('\n', m.index!) + 1;
    if (/^\s*#/.test(text.slice(lineStart, m.index!)) || !isKnownParameterName(name, version)) continue;
    out.push({ by: 'envsubst', src: { file, start: m.index!, end: m.index! + m[0].length }, ref: m[0], name });
  }
  return out;
}
