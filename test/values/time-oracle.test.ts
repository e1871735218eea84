/** Time values against the real Postfix: postmap reads ipc_timeout (min 1s) at start-up and exits on a bad one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseTime } from '../../src/model/values/index.js';
import { havePostconf, NO_POSTCONF, removeDir, tempConfigDir } from '../support/postfix.js';

const VALUES = ['3600s', '3600', '60s # five', '5d # five days', '10sec', '60s junk', '1 h', '60 # x', '1H', 'abc', '60w'];

test('a time value is fatal for postmap exactly when parseTime rejects it (text after the unit letter is ignored)', (t) => {
  if (!havePostconf()) return t.skip(NO_POSTCONF);
  for (const value of VALUES) {
    const dir = tempConfigDir({ 'main.cf': `ipc_timeout = ${value}\n`, empty: '' });
    try {
      const r = spawnSync('postmap', ['-c', dir, '-q', 'x', `texthash:${join(dir, 'empty')}`], { encoding: 'utf8' });
      const fatal = /fatal/.test(r.stderr);
      assert.equal(parseTime(value, { min: 1 }).ok, !fatal, `${value}: postmap ${fatal ? 'rejects' : 'accepts'} it (${r.stderr.trim()})`);
    } finally {
      removeDir(dir);
    }
  }
});
