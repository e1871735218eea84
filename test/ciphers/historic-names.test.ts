/** The table of real OpenSSL suite names against this machine's OpenSSL headers (libssl-dev; .ci/run installs it). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { HISTORIC_SUITE_NAMES } from '../../src/ciphers/historic-names.js';
import { LEGACY_SUITE_ROWS } from '../../src/ciphers/suite-table.js';
import { keyExchangeFamily } from '../../src/ciphers/suite-names.js';

const HEADERS = ['/usr/include/openssl/ssl3.h', '/usr/include/openssl/tls1.h'];

test('every SSL3_TXT_/TLS1_TXT_ suite name in the OpenSSL headers is in the table', (t) => {
  if (!HEADERS.every((h) => existsSync(h))) return t.skip('OpenSSL headers (libssl-dev) not installed: oracle test skipped');
  const table = new Set(HISTORIC_SUITE_NAMES);
  const missing: string[] = [];
  for (const h of HEADERS) {
    for (const m of readFileSync(h, 'latin1').matchAll(/^#\s*define\s+(?:SSL3|TLS1)_TXT_\w+\s+"([A-Za-z0-9-]+)"/gm)) if (!table.has(m[1])) missing.push(m[1]);
  }
  assert.deepEqual(missing, [], 'rerun scripts/gen-historic-cipher-names.mjs');
});

test('the suites this OpenSSL 3 builds are among the historic names; the ones the issue named are too', () => {
  const table = new Set(HISTORIC_SUITE_NAMES);
  assert.deepEqual(LEGACY_SUITE_ROWS.map((r) => r[0]).filter((n) => !table.has(n)), []);
  for (const n of ['ECDHE-RSA-RC4-SHA', 'DES-CBC3-SHA', 'ECDHE-RSA-DES-CBC3-SHA']) assert.ok(table.has(n), n);
});

test('key exchange family from the name', () => {
  assert.equal(keyExchangeFamily('DES-CBC3-SHA'), 'RSA');
  assert.equal(keyExchangeFamily('EDH-RSA-DES-CBC3-SHA'), 'DHE-RSA');
  assert.equal(keyExchangeFamily('ECDHE-ARIA128-GCM-SHA256'), 'ECDHE-RSA');
  assert.equal(keyExchangeFamily('EXP-EDH-DSS-DES-CBC-SHA'), 'DHE-DSS');
  assert.equal(keyExchangeFamily('ECDHE-ECDSA-AES128-SHA'), 'ECDHE-ECDSA');
});
