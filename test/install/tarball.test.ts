/**
 * Issue 13, class 15: the install path docs/ci.md documents works. The working tree is packed (as `npm pack`
 * does; the build it would run in `prepare` is already in dist/) and the tarball installed into an empty
 * directory, offline, from npm's cache (which `npm ci` filled). The installed command lints an example.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../../', import.meta.url).pathname;

test('npm pack, then npm install of the tarball into an empty directory gives a working postfix-tls-lint', { timeout: 180_000 }, (t) => {
  const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' });
  if (npm.status !== 0) return t.skip('npm not installed');
  const out = mkdtempSync(join(tmpdir(), 'ptl-pack-'));
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', out], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(pack.status, 0, pack.stderr);
  const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  const prefix = mkdtempSync(join(tmpdir(), 'ptl-install-'));
  writeFileSync(join(prefix, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "private": true }\n');
  const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(out, tarball)], { cwd: prefix, encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0 && /ENOTCACHED|E404|ENOTFOUND/.test(install.stderr)) return t.skip(`the dependencies are not in npm's cache (run npm ci first): ${install.stderr.split('\n')[0]}`);
  assert.equal(install.status, 0, install.stderr);
  const bin = join(prefix, 'node_modules/.bin/postfix-tls-lint');
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  const lint = spawnSync(bin, ['--postfix-version', '3.7.11', '--no-color', join(root, 'examples/weak-legacy')], { encoding: 'utf8' });
  assert.equal(lint.status, 1, lint.stderr);
  assert.match(lint.stdout, /weak-cipher-grade/);
});
