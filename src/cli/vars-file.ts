/**
 * --vars FILE (edge): the values a Jinja2 template is rendered with, from YAML
 * (Ansible role defaults/main.yml, read as YAML 1.1 like Ansible's PyYAML, so
 * yes/no are booleans) or JSON. nunjucks and yaml are loaded only here, only
 * when --vars is given: a plain lint run never pays for them.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { InputError, describeFsError } from './io.js';
import { makeVarsRenderer, type NunjucksModule, type VarsRenderer } from '../template/jinja-render.js';

const cache = new Map<string, VarsRenderer>();

/** Strings from the vars file as binary strings (UTF-8 bytes), like the templates they are put into. */
function toBinary(v: unknown): unknown {
  if (typeof v === 'string') return Buffer.from(v, 'utf8').toString('latin1');
  if (Array.isArray(v)) return v.map(toBinary);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [Buffer.from(k, 'utf8').toString('latin1'), toBinary(x)]));
  }
  return v;
}

export function loadVars(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`--vars ${describeFsError(path, e)}`);
  }
  const require = createRequire(import.meta.url);
  let data: unknown;
  if (/\.json$/i.test(path)) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new InputError(`${path}: not valid JSON (${(e as Error).message})`);
    }
  } else {
    const yaml = require('yaml') as typeof import('yaml');
    const doc = yaml.parseDocument(text, { version: '1.1', prettyErrors: true });
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const line = err.linePos?.[0]?.line;
      throw new InputError(`${path}${line ? `:${line}` : ''}: not valid YAML (${err.message.split('\n')[0]})`);
    }
    data = doc.toJS({ maxAliasCount: 1000 });
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new InputError(`${path}: --vars needs a mapping of variable names to values at the top level`);
  return toBinary(data) as Record<string, unknown>;
}

/** The renderer for a vars file, made once per file and process. */
export function varsRendererFor(path: string): VarsRenderer {
  let r = cache.get(path);
  if (!r) {
    const nunjucks = createRequire(import.meta.url)('nunjucks') as NunjucksModule;
    r = makeVarsRenderer(nunjucks, loadVars(path));
    cache.set(path, r);
  }
  return r;
}
