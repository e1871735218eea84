/**
 * The weak-certificate rule says which peers reject a weak key or signature
 * at which OpenSSL security level (src/certs/weakness.ts). Each claim is
 * checked here with a real openssl s_server (at level 0, like Postfix) and
 * s_client verifying against the test CA at the claimed level and the one
 * below it, and without verifying. Skipped, and said so, without openssl.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENSSL_MISSING, Pki, days, type IssueOptions } from '../support/pki.js';
import { WEAKNESS_CLAIMS, certificateWeaknesses, type WeaknessClaim } from '../../src/certs/weakness.js';
import { parseCertificate, type Certificate } from '../../src/certs/objects.js';

const CASES: readonly { claim: WeaknessClaim['id']; leaf: Partial<IssueOptions> }[] = [
  { claim: 'rsa-below-1024', leaf: { key: 'rsa:768' } },
  { claim: 'rsa-below-2048', leaf: { key: 'rsa:1024' } },
  { claim: 'ec-below-256', leaf: { key: 'ec:P-224' } },
  { claim: 'sha1-signature', leaf: { digest: 'sha1' } },
  { claim: 'md5-signature', leaf: { digest: 'md5' } },
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** s_server on 127.0.0.1 at security level 0 (Postfix's server level), until stopped. */
async function serve(certFile: string, keyFile: string): Promise<{ port: number; stop: () => void }> {
  const port = await freePort();
  const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', certFile, '-key', keyFile, '-cipher', 'DEFAULT:@SECLEVEL=0', '-www'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('s_server did not start')), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      if (/ACCEPT/.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`s_server exited (${code})`)));
  });
  return { port, stop: () => child.kill() };
}

function client(port: number, level: number, caFile: string | null): { ok: boolean; output: string } {
  const verify = caFile ? ['-CAfile', caFile, '-verify_return_error'] : [];
  const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-cipher', `DEFAULT:@SECLEVEL=${level}`, ...verify, '-brief'], { input: '', encoding: 'utf8', timeout: 20_000 });
  const output = `${r.stdout}${r.stderr}`;
  return { ok: r.status === 0 && /CONNECTION ESTABLISHED/.test(output), output };
}

const pki = OPENSSL_MISSING ? null : new Pki();
after(() => pki?.dispose());

for (const c of CASES) {
  const claim = WEAKNESS_CLAIMS[c.claim];
  test(`OpenSSL 3 agrees with the claim "${c.claim}" (rejected from level ${claim.rejectedFromLevel ?? 'any'}${claim.verifyingOnly ? ', by verifying clients only' : ''})`, { skip: OPENSSL_MISSING }, async () => {
    const p = pki as Pki;
    const root = p.issue(null, `sl-root-${c.claim}`, { cn: 'Seclevel Root', ca: true, freshKey: true, start: days(-10), end: days(100) });
    const leaf = p.issue(root, `sl-leaf-${c.claim}`, { cn: 'localhost', dns: ['localhost'], freshKey: true, ...c.leaf });
    // The rule finds exactly this weakness in the certificate.
    const parsed = parseCertificate(new Uint8Array(Buffer.from(leaf.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'))) as Certificate;
    assert.deepEqual(certificateWeaknesses(parsed, true).map((w) => w.claim.id), [c.claim]);
    const caFile = join(p.dir, `sl-ca-${c.claim}.pem`);
    writeFileSync(caFile, root.certPem);
    const server = await serve(leaf.certFile, leaf.keyFile);
    try {
      if (claim.rejectedFromLevel === null) {
        for (const level of [0, 1, 2]) {
          const r = client(server.port, level, null);
          assert.ok(!r.ok && /alert handshake failure|alert number 40/.test(r.output), `level ${level}: ${r.output}`);
        }
        return;
      }
      const below = client(server.port, claim.rejectedFromLevel - 1, caFile);
      assert.ok(below.ok, `accepted at level ${claim.rejectedFromLevel - 1} when verifying: ${below.output}`);
      const at = client(server.port, claim.rejectedFromLevel, caFile);
      assert.ok(!at.ok, `rejected at level ${claim.rejectedFromLevel} when verifying: ${at.output}`);
      assert.ok(at.output.includes(claim.error), `the error says "${claim.error}": ${at.output}`);
      if (claim.verifyingOnly) {
        const unverified = client(server.port, 2, null);
        assert.ok(unverified.ok, `a client that does not verify still connects at level 2: ${unverified.output}`);
      }
    } finally {
      server.stop();
    }
  });
}
