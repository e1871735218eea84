/**
 * Lab certificates, made fresh at every run with the openssl CLI: a lab CA,
 * a second ("other") CA the client does not trust, and RSA-2048 peer
 * certificates signed by the lab CA with the names each peer needs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LabCertificate {
  /** DNS names in the subjectAltName (the first one is also the CN). */
  readonly names: readonly string[];
  readonly keyPem: string;
  readonly certPem: string;
}

export interface LabCa {
  readonly dir: string;
  /** The lab CA certificate (what smtp_tls_CAfile points to). */
  readonly caFile: string;
  /** A CA that signed nothing the peers use: a CAfile that trusts no peer. */
  readonly otherCaFile: string;
  issue(id: string, names: readonly string[], bits?: number): LabCertificate;
  /** RFC 5114 1024-bit DH parameters (PEM), for a peer with a small DHE group. */
  dhParams1024(): string;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, base: string, cn: string): void {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.crt`, '-days', '30',
    '-sha256', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
}

export function createLabCa(dir: string): LabCa {
  mkdirSync(dir, { recursive: true });
  makeCa(dir, 'ca', 'Interop Lab CA');
  makeCa(dir, 'other-ca', 'Interop Lab Other CA');
  const issued = new Map<string, LabCertificate>();
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    otherCaFile: join(dir, 'other-ca.crt'),
    issue(id, names, bits = 2048) {
      const cached = issued.get(id);
      if (cached) return cached;
      const ext = [
        `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
        'extendedKeyUsage=serverAuth',
        'basicConstraints=CA:FALSE',
        '',
      ].join('\n');
      writeFileSync(join(dir, `${id}.ext`), ext);
      openssl(['req', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${names[0]}`], dir);
      openssl(['x509', '-req', '-in', `${id}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${id}.crt`,
        '-days', '30', '-sha256', '-extfile', `${id}.ext`], dir);
      const cert: LabCertificate = {
        names,
        keyPem: readFileSync(join(dir, `${id}.key`), 'utf8'),
        certPem: readFileSync(join(dir, `${id}.crt`), 'utf8'),
      };
      issued.set(id, cert);
      return cert;
    },
    dhParams1024() {
      openssl(['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'dh_rfc5114:1', '-out', 'dh1024.pem'], dir);
      return readFileSync(join(dir, 'dh1024.pem'), 'utf8');
    },
  };
}
