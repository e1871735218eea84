/** The parameters comment-after-value calls fatal for every program are fatal for postmap too (a program that does not read TLS settings). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FATAL_FOR_EVERY_PROGRAM } from '../../src/model/startup-checks.js';
import { havePostconf, NO_POSTCONF, removeDir, tempConfigDir } from '../support/postfix.js';

test('"NAME = DEFAULT # comment" stops postmap for every parameter in FATAL_FOR_EVERY_PROGRAM', (t) => {
  if (!havePostconf()) return t.skip(NO_POSTCONF);
  const names = [...FATAL_FOR_EVERY_PROGRAM];
  const defaults = new Map<string, string>();
  const d = spawnSync('postconf', ['-d', ...names], { encoding: 'utf8' });
  for (const line of d.stdout.split('\n')) {
    const m = /^(\S+) = ?(.*)$/.exec(line);
    if (m) defaults.set(m[1], m[2]);
  }
  const notFatal: string[] = [];
  for (const name of names) {
    if (!defaults.has(name)) continue; // not in this Postfix version
    const value = defaults.get(name) || 'x';
    const dir = tempConfigDir({ 'main.cf': `${name} = ${value} # a comment\n`, empty: '' });
    try {
      const r = spawnSync('postmap', ['-c', dir, '-q', 'x', `texthash:${join(dir, 'empty')}`], { encoding: 'utf8' });
      if (!/fatal/.test(r.stderr)) notFatal.push(name);
    } finally {
      removeDir(dir);
    }
  }
  assert.deepEqual(notFatal, []);
});
