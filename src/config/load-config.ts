/**
 * Reading and validating .postfix-tls-lint.json. The JSON Schema
 * (schemas/config.schema.json, shipped in the package) is compiled on first
 * use only, i.e. only in runs that actually find a config file. Checks the
 * schema cannot express (rule ids, rule options, peer ids, modelled Postfix
 * versions) run in code, against the rule list itself, so the schema never
 * goes stale when rules are added.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Severity } from '../parser/types.js';
import { didYouMean } from '../engine/suppressions.js';
import { packagePath } from '../util/package-root.js';

/** This module loads only in runs that found a config file, which need the schema. */
export const SCHEMA_PATH = packagePath('schemas', 'config.schema.json');

export const LEVELS = ['off', 'error', 'warning', 'info'] as const;
export type Level = (typeof LEVELS)[number];
const TOP_KEYS = ['$schema', 'rules', 'postfixVersion', 'opensslVersion', 'peers', 'ignore'];

/** A validated config file. */
export interface LinterConfig {
  readonly path: string;
  /** Directory ignore globs are relative to. */
  readonly dir: string;
  readonly rules: Readonly<Record<string, Severity | 'off'>>;
  readonly ruleOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly postfixVersion?: string;
  readonly opensslVersion?: 1 | 3;
  readonly peers?: readonly string[];
  readonly ignore: readonly string[];
}

/** What validation needs to know about the program. */
export interface ConfigContext {
  readonly knownRuleIds: ReadonlySet<string>;
  /** Option names a rule accepts (none today). */
  readonly ruleOptionNames: (ruleId: string) => readonly string[];
  readonly knownPeerIds: ReadonlySet<string>;
  readonly isModelledPostfixVersion: (version: string) => boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(problems.map((p) => `${file}: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

let validator: ValidateFunction | undefined;

export function configValidator(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object;
  // strictTuples off: a rule setting is [severity] or [severity, options].
  validator = new Ajv2020({ allErrors: true, strict: true, strictTuples: false }).compile(schema);
  return validator;
}

function keyPath(instancePath: string): string {
  if (instancePath === '') return '(top level)';
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : s))
    .join('.')
    .replace(/\.\[/g, '[');
}

function join(parent: string, key: string): string {
  return parent === '(top level)' ? key : `${parent}.${key}`;
}

function levelMessage(value: unknown): string {
  const hint = value === 'warn' ? ' (did you mean warning?)' : value === 'on' ? ' (a severity turns a rule on)' : '';
  return `must be one of ${LEVELS.join(', ')}${hint}`;
}

/** One message per bad key, naming the key and the allowed values. */
function describeErrors(errors: readonly ErrorObject[], root: unknown): string[] {
  const out: string[] = [];
  const ruleSettingPaths = new Set<string>();
  for (const e of errors) {
    const path = keyPath(e.instancePath);
    const p = e.params as Record<string, unknown>;
    // Rule settings: anyOf produces several errors per key; explain once, from the value.
    const m = /^\/rules\/([^/]+)/.exec(e.instancePath);
    if (m && e.keyword !== 'propertyNames' && e.keyword !== 'pattern') {
      const id = m[1].replace(/~1/g, '/').replace(/~0/g, '~');
      if (ruleSettingPaths.has(id)) continue;
      ruleSettingPaths.add(id);
      const value = (root as { rules: Record<string, unknown> }).rules[id];
      if (Array.isArray(value)) {
        if (value.length === 0 || value.length > 2) out.push(`rules.${id}: must be a severity or [severity, options] (1 or 2 items)`);
        else if (!(LEVELS as readonly unknown[]).includes(value[0])) out.push(`rules.${id}[0]: ${levelMessage(value[0])}`);
        else out.push(`rules.${id}[1]: options must be an object`);
      } else {
        out.push(`rules.${id}: ${levelMessage(value)}, or [severity, options]`);
      }
      continue;
    }
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(p.additionalProperty);
        const guess = didYouMean(key, new Set(TOP_KEYS));
        out.push(`${join(path, key)}: unknown key${guess ? ` (did you mean ${guess}?)` : ''} (allowed: ${TOP_KEYS.join(', ')})`);
        break;
      }
      case 'propertyNames':
        break; // reported by the "pattern" error of the name
      case 'pattern':
        if (e.propertyName !== undefined || /propertyNames/.test(e.schemaPath)) {
          // A rule id that is not kebab-case: reported with a suggestion by the rule-id check.
        } else if (e.instancePath === '/postfixVersion') {
          out.push(`postfixVersion: must be a version such as "3.7" or "3.7.11"`);
        } else if (e.instancePath.startsWith('/peers/')) {
          out.push(`${path}: must be a peer id (see postfix-tls-lint peers)`);
        } else {
          out.push(`${path}: must match ${String(p.pattern)}`);
        }
        break;
      case 'enum':
        if (e.instancePath === '/opensslVersion') {
          out.push('opensslVersion: must be 1 or 3 (the strings "1", "1.1", "1.1.1", "3" and "3.0" are accepted too)');
          break;
        }
        out.push(`${path}: must be one of ${(p.allowedValues as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`);
        break;
      case 'type':
        out.push(`${path}: must be ${p.type === 'object' ? 'an object' : p.type === 'array' ? 'an array' : `a ${String(p.type)}`}`);
        break;
      case 'uniqueItems':
        out.push(`${path}: lists the same item twice`);
        break;
      case 'minLength':
        out.push(`${path}: must not be empty`);
        break;
      default:
        out.push(`${path}: ${e.message ?? 'is invalid'}`);
    }
  }
  return [...new Set(out)];
}

function normaliseOpenssl(v: unknown): 1 | 3 | undefined {
  if (v === undefined) return undefined;
  return String(v).startsWith('1') ? 1 : 3;
}

/** Validate parsed JSON; pure apart from compiling the schema once. */
export function validateConfig(value: unknown, path: string, ctx: ConfigContext): { config: LinterConfig | null; problems: string[] } {
  const validate = configValidator();
  const problems: string[] = [];
  if (!validate(value)) problems.push(...describeErrors(validate.errors ?? [], value));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { config: null, problems: problems.length ? problems : ['(top level): must be an object'] };
  }
  const v = value as Record<string, unknown>;
  const rules: Record<string, Severity | 'off'> = {};
  const ruleOptions: Record<string, Record<string, unknown>> = {};
  if (v.rules && typeof v.rules === 'object' && !Array.isArray(v.rules)) {
    for (const [id, setting] of Object.entries(v.rules as Record<string, unknown>)) {
      if (!ctx.knownRuleIds.has(id)) {
        const guess = didYouMean(id, ctx.knownRuleIds);
        problems.push(`rules.${id}: unknown rule id${guess ? ` (did you mean ${guess}?)` : ' (see postfix-tls-lint rules)'}`);
        continue;
      }
      const level = Array.isArray(setting) ? setting[0] : setting;
      if ((LEVELS as readonly unknown[]).includes(level)) rules[id] = level as Level;
      if (Array.isArray(setting) && setting[1] && typeof setting[1] === 'object' && !Array.isArray(setting[1])) {
        const allowed = ctx.ruleOptionNames(id);
        for (const opt of Object.keys(setting[1] as object)) {
          if (!allowed.includes(opt)) {
            problems.push(
              `rules.${id}[1].${opt}: unknown option (${allowed.length ? `allowed: ${allowed.join(', ')}` : `rule ${id} has no options`})`,
            );
          }
        }
        ruleOptions[id] = setting[1] as Record<string, unknown>;
      }
    }
  }
  if (typeof v.postfixVersion === 'string' && /^[0-9]+\.[0-9]+(\.[0-9]+)?$/.test(v.postfixVersion) && !ctx.isModelledPostfixVersion(v.postfixVersion)) {
    problems.push(`postfixVersion: "${v.postfixVersion}" is not modelled (modelled: 2.11, 3.0 to 3.11)`);
  }
  if (Array.isArray(v.peers)) {
    v.peers.forEach((id, i) => {
      if (typeof id === 'string' && /^[a-z0-9][a-z0-9.-]*$/.test(id) && !ctx.knownPeerIds.has(id)) {
        const guess = didYouMean(id, ctx.knownPeerIds);
        problems.push(`peers[${i}]: unknown peer id "${id}"${guess ? ` (did you mean ${guess}?)` : ' (see postfix-tls-lint peers)'}`);
      }
    });
  }
  if (problems.length > 0) return { config: null, problems };
  return {
    config: {
      path,
      dir: dirname(path),
      rules,
      ruleOptions,
      ...(typeof v.postfixVersion === 'string' ? { postfixVersion: v.postfixVersion } : {}),
      ...(v.opensslVersion !== undefined ? { opensslVersion: normaliseOpenssl(v.opensslVersion) } : {}),
      ...(Array.isArray(v.peers) ? { peers: v.peers as string[] } : {}),
      ignore: Array.isArray(v.ignore) ? (v.ignore as string[]) : [],
    },
    problems: [],
  };
}

/** Parse the text of a config file (BOM allowed). */
export function parseConfigText(text: string, path: string, ctx: ConfigContext): LinterConfig {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(path, [`not valid JSON (${(e as Error).message})`]);
  }
  const { config, problems } = validateConfig(value, path, ctx);
  if (!config) throw new ConfigError(path, problems);
  return config;
}

/** Read and validate a config file; throws ConfigError with every problem found. */
export function loadConfigFile(path: string, ctx: ConfigContext): LinterConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(path, [code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot read (${code ?? String(e)})`]);
  }
  return parseConfigText(text, path, ctx);
}
