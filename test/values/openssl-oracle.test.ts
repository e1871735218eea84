/**
 * Oracle: the installed OpenSSL (test only). For each protocol list, hand the
 * exclusion mask and bounds our model derives to `openssl s_client` the way
 * Postfix hands them to the library, against an `s_server` that allows
 * TLSv1..TLSv1.3, and check that the negotiated version is the model's `max`
 * (or that the handshake fails with "no protocols available" when the model
 * enables nothing). This checks the "a gap disables every version above it" rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProtocols, type ProtocolName } from '../../src/model/values/index.js';

const NO_FLAG: Partial<Record<ProtocolName, string>> = {
  TLSv1: '-no_tls1',
  'TLSv1.1': '-no_tls1_1',
  'TLSv1.2': '-no_tls1_2',
  'TLSv1.3': '-no_tls1_3',
};
const BOUND_NAME: Record<number, string> = { 0x301: 'TLSv1', 0x302: 'TLSv1.1', 0x303: 'TLSv1.2', 0x304: 'TLSv1.3' };

const LISTS = [
  '',
  '!SSLv2, !SSLv3',
  '!SSLv2, !SSLv3, !TLSv1.1',
  '!TLSv1.2',
  '!TLSv1.2 !TLSv1.3',
  '!TLSv1 !TLSv1.2',
  '>=TLSv1.1 !TLSv1.2',
  '>=TLSv1.2',
  '>=TLSv1 <=TLSv1.2',
  '>= TLSv1.1',
  'TLSv1 TLSv1.2',
  '>=TLSv1.3, !TLSv1.3',
  '>=TLSv1.3 <=TLSv1.2',
];

const env = { ...process.env, OPENSSL_CONF: '/dev/null' };
const CIPHERS = 'DEFAULT:@SECLEVEL=0'; // TLS 1.0/1.1 need SHA-1 signatures

function run(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile('openssl', args, { env, timeout: 10000 }, (_err, stdout, stderr) => resolve(stdout + stderr));
    child.stdin?.end();
  });
}

test('OpenSSL negotiates what parseProtocols predicts', async (t) => {
  if (spawnSync('openssl', ['version']).status !== 0) {
    t.skip('openssl not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pfx-values-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=oracle'], { env });
  const server = spawn('openssl', ['s_server', '-accept', '0', '-www', '-cert', cert, '-key', key, '-cipher', CIPHERS], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`s_server did not start: ${out}`)), 10000);
      server.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /ACCEPT .*:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    for (const list of LISTS) {
      const r = parseProtocols(list, '3.7');
      assert.ok(r.ok, list);
      const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-brief', '-cipher', CIPHERS];
      for (const p of r.excluded) if (NO_FLAG[p]) args.push(NO_FLAG[p]!);
      if (r.floor) args.push('-min_protocol', BOUND_NAME[r.floor]);
      if (r.ceiling) args.push('-max_protocol', BOUND_NAME[r.ceiling]);
      const out = await run(args);
      const negotiated = /Protocol version: (\S+)/.exec(out)?.[1] ?? null;
      if (r.enabled.length === 0) {
        assert.equal(negotiated, null, `${JSON.stringify(list)}: ${out}`);
        assert.match(out, /no protocols available/, JSON.stringify(list));
      } else {
        assert.equal(negotiated, r.max, `${JSON.stringify(list)} → ${args.join(' ')}: ${out}`);
      }
    }
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
