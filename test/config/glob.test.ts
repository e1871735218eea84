import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ignorePatternMatches, matchSegment, matchSegments, globSegments } from '../../src/config/glob.js';
import { expandGlob } from '../../src/cli/glob-inputs.js';

test('matchSegment: *, ? and literals within one segment', () => {
  const cases: [string, string, boolean][] = [
    ['main.cf', 'main.cf', true],
    ['main.cf', 'mainXcf', false], // "." is literal
    ['*.cf', 'main.cf', true],
    ['*.cf', '.cf', true],
    ['*', '', true],
    ['?', '', false],
    ['m??n.cf', 'main.cf', true],
    ['*_tls_policy*', 'smtp_tls_policy', true],
    ['*_tls_policy*', 'tls_policy', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['*a*', 'bbb', false],
    ['[ab]', 'a', false], // brackets are literal
    ['[ab]', '[ab]', true],
  ];
  for (const [p, n, want] of cases) assert.equal(matchSegment(p, n), want, `${p} vs ${n}`);
});

test('matchSegments: ** matches zero or more segments', () => {
  const m = (p: string, path: string) => matchSegments(globSegments(p), globSegments(path));
  assert.equal(m('etc/**/main.cf', 'etc/main.cf'), true);
  assert.equal(m('etc/**/main.cf', 'etc/a/b/c/main.cf'), true);
  assert.equal(m('etc/**/main.cf', 'etc/a/b/c/master.cf'), false);
  assert.equal(m('**', 'a/b'), true);
  assert.equal(m('etc/*/main.cf', 'etc/a/b/main.cf'), false);
  assert.equal(m('./etc/*.cf', 'etc/main.cf'), true);
});

test('no catastrophic backtracking: hostile patterns finish fast', () => {
  const t0 = performance.now();
  const name = 'a'.repeat(5000) + 'b';
  assert.equal(matchSegment('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c', name), false);
  const deep = Array.from({ length: 300 }, () => 'a').join('/') + '/b';
  assert.equal(matchSegments(globSegments(Array.from({ length: 40 }, () => '**/a').join('/') + '/c'), globSegments(deep)), false);
  assert.ok(performance.now() - t0 < 20_000, // hang guard against exponential matching
    `took ${performance.now() - t0} ms`);
});

test('ignore patterns: gitignore-like anchoring and directories', () => {
  assert.equal(ignorePatternMatches('legacy/**', 'legacy/a/main.cf'), true);
  assert.equal(ignorePatternMatches('legacy', 'legacy/a/main.cf'), true, 'a directory covers its contents');
  assert.equal(ignorePatternMatches('legacy/', 'x/legacy/main.cf'), true, 'no inner slash: any depth');
  assert.equal(ignorePatternMatches('hosts/old/main.cf', 'hosts/old/main.cf'), true);
  assert.equal(ignorePatternMatches('hosts/old/main.cf', 'x/hosts/old/main.cf'), false, 'anchored');
  assert.equal(ignorePatternMatches('*.bak', 'a/b/main.cf.bak'), true);
  assert.equal(ignorePatternMatches('*.bak', 'a/b/main.cf'), false);
  assert.equal(ignorePatternMatches('**', '../outside/main.cf'), false, 'never outside the config directory');
  assert.equal(ignorePatternMatches('/etc/postfix/main.cf', 'etc/postfix/main.cf'), true, 'leading / anchors at the config dir');
});

test('expandGlob walks the file system (sorted; symlink loops terminate)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-glob-'));
  for (const d of ['etc/a', 'etc/b/c', 'etc/.git', 'other']) mkdirSync(join(dir, d), { recursive: true });
  for (const f of ['etc/main.cf', 'etc/a/main.cf', 'etc/b/c/main.cf', 'etc/b/master.cf', 'etc/.git/main.cf', 'other/main.cf']) writeFileSync(join(dir, f), '');
  symlinkSync(join(dir, 'etc'), join(dir, 'etc/b/loop'));
  const shown = (p: string) => expandGlob(p, dir).map((m) => m.shown);
  assert.deepEqual(shown('etc/**/main.cf'), ['etc/a/main.cf', 'etc/b/c/main.cf', 'etc/main.cf']);
  assert.deepEqual(shown('etc/*/main.cf'), ['etc/a/main.cf']);
  assert.deepEqual(shown('*/main.cf'), ['etc/main.cf', 'other/main.cf']);
  assert.deepEqual(shown('etc/b/*.cf'), ['etc/b/master.cf']);
  assert.deepEqual(shown('nothing/**/main.cf'), []);
  const abs = expandGlob(join(dir, 'other/*.cf'), '/');
  assert.deepEqual(abs.map((m) => m.abs), [join(dir, 'other/main.cf')]);
});
