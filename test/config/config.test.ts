import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { validateConfig, parseConfigText, ConfigError, SCHEMA_PATH, type ConfigContext } from '../../src/config/load-config.js';
import { findConfigFile, CONFIG_FILE_NAME } from '../../src/config/find-config.js';
import { ConfigResolver, isIgnored, mergeSettings } from '../../src/config/resolve-config.js';
import { allRules } from '../../rules/index.js';
import { listPeers } from '../../src/interop/peers.js';
import { releaseLine } from '../../src/model/version.js';
import { SUPPRESSION_RULE_ID } from '../../src/engine/suppressions.js';

const ctx: ConfigContext = {
  knownRuleIds: new Set([...allRules.map((r) => r.meta.id), SUPPRESSION_RULE_ID]),
  ruleOptionNames: () => [],
  knownPeerIds: new Set(listPeers().map((p) => p.id)),
  isModelledPostfixVersion: (v) => releaseLine(v) !== null,
};

const problems = (value: unknown) => validateConfig(value, '/x/.postfix-tls-lint.json', ctx).problems;

test('the schema itself is valid JSON Schema 2020-12 and strict-mode clean', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
  assert.doesNotThrow(() => new Ajv2020({ strict: true, strictTuples: false }).compile(schema));
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
});

test('a full valid config is accepted and normalised', () => {
  const { config, problems: p } = validateConfig(
    {
      $schema: './node_modules/postfix-tls-lint/schemas/config.schema.json',
      rules: { 'tls-off-outbound': 'error', 'tls-loglevel-zero': 'off', 'weak-cipher-grade': ['info'], 'duplicate-parameter': ['warning', {}], [SUPPRESSION_RULE_ID]: 'info' },
      postfixVersion: '3.7',
      opensslVersion: '1.1.1',
      peers: ['gmail'],
      ignore: ['legacy/**', '*.bak'],
    },
    '/x/.postfix-tls-lint.json',
    ctx,
  );
  assert.deepEqual(p, []);
  assert.ok(config);
  assert.deepEqual(config.rules, { 'tls-off-outbound': 'error', 'tls-loglevel-zero': 'off', 'weak-cipher-grade': 'info', 'duplicate-parameter': 'warning', [SUPPRESSION_RULE_ID]: 'info' });
  assert.equal(config.opensslVersion, 1);
  assert.equal(config.dir, '/x');
  assert.deepEqual(config.peers, ['gmail']);
});

test('messages name the bad key and the allowed values', () => {
  assert.deepEqual(problems({ rules: { 'tls-off-outbond': 'error' } }), ['rules.tls-off-outbond: unknown rule id (did you mean tls-off-outbound?)']);
  assert.deepEqual(problems({ rules: { 'tls-off-outbound': 'x' } }), ['rules.tls-off-outbound: must be one of off, error, warning, info, or [severity, options]']);
  assert.deepEqual(problems({ rules: { 'tls-off-outbound': 'warn' } }), ['rules.tls-off-outbound: must be one of off, error, warning, info (did you mean warning?), or [severity, options]']);
  assert.deepEqual(problems({ rules: { 'tls-off-outbound': ['fatal'] } }), ['rules.tls-off-outbound[0]: must be one of off, error, warning, info']);
  assert.deepEqual(problems({ rules: { 'tls-off-outbound': [] } }), ['rules.tls-off-outbound: must be a severity or [severity, options] (1 or 2 items)']);
  assert.deepEqual(problems({ rules: { 'tls-off-outbound': ['error', 3] } }), ['rules.tls-off-outbound[1]: options must be an object']);
  assert.deepEqual(problems({ rules: { 'tls-off-outbound': ['error', { strict: true }] } }), ['rules.tls-off-outbound[1].strict: unknown option (rule tls-off-outbound has no options)']);
  assert.deepEqual(problems({ rules: { Bad_Id: 'off' } }), ['rules.Bad_Id: unknown rule id (see postfix-tls-lint rules)']);
  assert.deepEqual(problems({ rule: {} }), ['rule: unknown key (did you mean rules?) (allowed: $schema, rules, postfixVersion, opensslVersion, peers, ignore)']);
  assert.deepEqual(problems({ postfixVersion: 'latest' }), ['postfixVersion: must be a version such as "3.7" or "3.7.11"']);
  assert.deepEqual(problems({ postfixVersion: '2.9' }), ['postfixVersion: "2.9" is not modelled (modelled: 2.11, 3.0 to 3.11)']);
  assert.deepEqual(problems({ opensslVersion: 2 }), ['opensslVersion: must be 1 or 3 (the strings "1", "1.1", "1.1.1", "3" and "3.0" are accepted too)']);
  assert.deepEqual(problems({ peers: ['gmial'] }), ['peers[0]: unknown peer id "gmial" (did you mean gmail?)']);
  assert.deepEqual(problems({ peers: 'gmail' }), ['peers: must be an array']);
  assert.deepEqual(problems({ ignore: [''] }), ['ignore[0]: must not be empty']);
  assert.deepEqual(problems([]), ['(top level): must be an object']);
  assert.deepEqual(problems({ rules: [] }), ['rules: must be an object']);
});

test('several problems are all reported; invalid JSON is a ConfigError', () => {
  assert.equal(problems({ rules: { nope: 'off', 'tls-off-outbound': 'x' }, extra: 1 }).length, 3);
  assert.throws(() => parseConfigText('{ "rules": ', '/x/c.json', ctx), (e: unknown) => e instanceof ConfigError && /not valid JSON/.test(e.message));
  assert.doesNotThrow(() => parseConfigText('\uFEFF{}', '/x/c.json', ctx), 'a BOM is allowed');
});

test('lookup: nearest file upward, stopping at the directory holding .git', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ptl-cfg-'));
  mkdirSync(join(root, 'repo/.git'), { recursive: true });
  mkdirSync(join(root, 'repo/hosts/mx1'), { recursive: true });
  mkdirSync(join(root, 'repo/hosts/mx2'), { recursive: true });
  writeFileSync(join(root, CONFIG_FILE_NAME), '{}'); // above the repository: never used
  assert.equal(findConfigFile(join(root, 'repo/hosts/mx1')), null);
  writeFileSync(join(root, 'repo', CONFIG_FILE_NAME), '{"rules":{"tls-loglevel-zero":"off"}}');
  writeFileSync(join(root, 'repo/hosts/mx2', CONFIG_FILE_NAME), '{"rules":{"tls-loglevel-zero":"error"},"ignore":["old/**"]}');
  const cache = new Map<string, string | null>();
  assert.equal(findConfigFile(join(root, 'repo/hosts/mx1'), cache), join(root, 'repo', CONFIG_FILE_NAME));
  assert.equal(findConfigFile(join(root, 'repo/hosts/mx2'), cache), join(root, 'repo/hosts/mx2', CONFIG_FILE_NAME));
  assert.equal(cache.get(join(root, 'repo/hosts')), join(root, 'repo', CONFIG_FILE_NAME));
  const resolver = new ConfigResolver(null);
  const c1 = await resolver.forFile(join(root, 'repo/hosts/mx1/main.cf'));
  const c2 = await resolver.forFile(join(root, 'repo/hosts/mx2/main.cf'));
  assert.equal(c1?.rules['tls-loglevel-zero'], 'off');
  assert.equal(c2?.rules['tls-loglevel-zero'], 'error', 'nearest wins, no merging');
  assert.equal(isIgnored(c2, join(root, 'repo/hosts/mx2/old/main.cf')), true);
  assert.equal(isIgnored(c2, join(root, 'repo/hosts/mx2/main.cf')), false);
  const explicit = new ConfigResolver(join(root, 'repo', CONFIG_FILE_NAME));
  assert.equal((await explicit.forFile(join(root, 'repo/hosts/mx2/main.cf')))?.rules['tls-loglevel-zero'], 'off', '--config wins over lookup');
});

test('mergeSettings: command line over config over defaults', () => {
  const rules = [{ id: 'a', defaultSeverity: 'warning' as const }, { id: 'b', defaultSeverity: 'info' as const }];
  const config = { path: '/x/c.json', dir: '/x', rules: { a: 'off' as const }, ruleOptions: {}, postfixVersion: '3.5', opensslVersion: 1 as const, ignore: [] };
  const defaults = { postfixVersion: '3.7.11', postfixVersionFrom: 'installed postconf' as const };
  const m = mergeSettings(config, {}, defaults, rules);
  assert.equal(m.postfixVersion, '3.5');
  assert.equal(m.postfixVersionFrom, 'config file');
  assert.equal(m.opensslVersion, 1);
  assert.deepEqual(m.rules, { a: 'off', b: 'info' });
  const cli = mergeSettings(config, { postfixVersion: '3.9', opensslVersion: '3' }, defaults, rules);
  assert.equal(cli.postfixVersion, '3.9');
  assert.equal(cli.postfixVersionFrom, 'command line');
  assert.equal(cli.opensslVersion, 3);
  assert.equal(mergeSettings(null, {}, defaults, rules).postfixVersion, '3.7.11');
});
