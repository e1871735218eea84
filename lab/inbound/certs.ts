/**
 * The inbound lab server's certificates, made at run time with the lab CA:
 * RSA-2048 and ECDSA P-256, both naming the lab server. New kinds (a key
 * that does not match, an expired certificate, a missing file) are added
 * here and named by a configuration's `cert` in matrix.ts.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabCa } from '../ca.js';
import type { CertFiles } from './server-instance.js';

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function ecdsa(ca: LabCa, id: string, names: readonly string[]): { key: string; cert: string } {
  writeFileSync(join(ca.dir, `${id}.ext`), `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${names[0]}`], ca.dir);
  openssl(['x509', '-req', '-in', `${id}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${id}.crt`, '-days', '30', '-sha256', '-extfile', `${id}.ext`], ca.dir);
  return { key: join(ca.dir, `${id}.key`), cert: join(ca.dir, `${id}.crt`) };
}

export function serverCertificates(ca: LabCa, names: readonly string[]): CertFiles {
  ca.issue('server-rsa', names);
  return {
    rsa: { key: join(ca.dir, 'server-rsa.key'), cert: join(ca.dir, 'server-rsa.crt') },
    ecdsa: ecdsa(ca, 'server-ecdsa', names),
  };
}
