/**
 * Which files are templates or postconf scripts, by name (and, for a file
 * named plainly main.cf, by template tags at the start of a line, which no
 * Postfix main.cf can have). Pure.
 */
import type { TemplateSyntax, TemplateTarget } from './types.js';

export type ScriptKind = 'shell' | 'dockerfile';

export type Recognized =
  | { readonly kind: 'template'; readonly syntax: TemplateSyntax; readonly target: TemplateTarget }
  | { readonly kind: 'script'; readonly script: ScriptKind };

/** Extension -> syntax. .tmpl/.tpl are Go (confd, consul-template, Helm); .template is envsubst's usual name. */
const EXTENSIONS: readonly (readonly [string, TemplateSyntax])[] = [
  ['.j2', 'jinja2'],
  ['.jinja2', 'jinja2'],
  ['.jinja', 'jinja2'],
  ['.erb', 'erb'],
  ['.epp', 'epp'],
  ['.tmpl', 'go'],
  ['.tpl', 'go'],
  ['.template', 'envsubst'],
];

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

function targetOf(stem: string): TemplateTarget | null {
  if (/(^|[._-])main\.cf$/.test(stem) || stem === 'main.cf') return 'main';
  if (/(^|[._-])master\.cf$/.test(stem)) return 'master';
  if (/tls_policy|tls-policy|tls_per_site/.test(stem)) return 'policy';
  return null;
}

/** A template or script named for Postfix (what directory search and pre-commit pick up). */
export function recognizeByName(path: string): Recognized | null {
  const name = baseName(path);
  for (const [ext, syntax] of EXTENSIONS) {
    if (!name.endsWith(ext)) continue;
    const target = targetOf(name.slice(0, -ext.length));
    if (target) return { kind: 'template', syntax, target };
  }
  if (/^(Dockerfile|Containerfile)([._-].*)?$/.test(name) || /\.(dockerfile|containerfile)$/i.test(name)) return { kind: 'script', script: 'dockerfile' };
  if (/\.(sh|bash)$/.test(name) && /postfix|postconf/i.test(name)) return { kind: 'script', script: 'shell' };
  return null;
}

/** A file given explicitly: any template extension (a main.cf fragment such as tls.j2) or shell script counts. */
export function recognizeGiven(path: string): Recognized | null {
  const named = recognizeByName(path);
  if (named) return named;
  const name = baseName(path);
  for (const [ext, syntax] of EXTENSIONS) if (name.endsWith(ext)) return { kind: 'template', syntax, target: targetOf(name.slice(0, -ext.length)) ?? 'main' };
  if (/\.(sh|bash)$/.test(name)) return { kind: 'script', script: 'shell' };
  return null;
}

/** Template tags at the start of a line: a Salt or Ansible template kept under the plain name main.cf. */
export function sniffTemplate(text: string): TemplateSyntax | null {
  if (/^[ \t]*\{%-?\s*[a-z]/m.test(text) || /^[ \t]*\{#/m.test(text) || /^[ \t]*\{\{-?\s*[A-Za-z_'"(]/m.test(text)) return 'jinja2';
  if (/^[ \t]*<%[-=#]?\s/m.test(text)) return /^[ \t]*<%-?\s*\|/m.test(text) || /\$[a-z_]\w*\s*\{/.test(text) ? 'epp' : 'erb';
  return null;
}

/** Whether a script file mentions postconf at all (a Dockerfile without it is no Postfix configuration). */
export function mentionsPostconf(text: string): boolean {
  return /\bpostconf\b/.test(text);
}
