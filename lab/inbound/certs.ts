/**
 * The inbound lab server's certificates, made at run time with the lab CA:
 * RSA-2048 and ECDSA P-256, both naming the lab server, and the broken kinds
 * the matrix names with `cert`: a key file that does not exist, a key that
 * does not match its certificate, and a certificate that expired. Each kind
 * is the -o settings a cell's service gets.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabCa } from '../ca.js';
import type { CertFiles } from './server-instance.js';

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function extensions(ca: LabCa, id: string, names: readonly string[]): string {
  writeFileSync(join(ca.dir, `${id}.ext`), `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  return `${id}.ext`;
}

function ecdsa(ca: LabCa, id: string, names: readonly string[]): { key: string; cert: string } {
  const ext = extensions(ca, id, names);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${names[0]}`], ca.dir);
  openssl(['x509', '-req', '-in', `${id}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${id}.crt`, '-days', '30', '-sha256', '-extfile', ext], ca.dir);
  return { key: join(ca.dir, `${id}.key`), cert: join(ca.dir, `${id}.crt`) };
}

/** An RSA certificate of the lab CA valid in January 2020 only (openssl ca takes explicit dates). */
function expired(ca: LabCa, id: string, names: readonly string[]): { key: string; cert: string } {
  const db = join(ca.dir, 'expired-db');
  mkdirSync(db, { recursive: true });
  writeFileSync(join(db, 'index.txt'), '');
  writeFileSync(join(db, 'serial'), '1000\n');
  writeFileSync(join(ca.dir, 'expired-ca.cnf'), ['[ca]', 'default_ca = lab', '[lab]', 'database = expired-db/index.txt', 'serial = expired-db/serial', 'new_certs_dir = expired-db', 'default_md = sha256', 'policy = any', 'unique_subject = no', '[any]', 'commonName = supplied', ''].join('\n'));
  const ext = extensions(ca, id, names);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${names[0]}`], ca.dir);
  openssl(['ca', '-batch', '-config', 'expired-ca.cnf', '-cert', 'ca.crt', '-keyfile', 'ca.key', '-in', `${id}.csr`, '-out', `${id}.crt`, '-notext', '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-extfile', ext], ca.dir);
  return { key: join(ca.dir, `${id}.key`), cert: join(ca.dir, `${id}.crt`) };
}

export function serverCertificates(ca: LabCa, names: readonly string[]): CertFiles {
  ca.issue('server-rsa', names);
  ca.issue('stray', ['stray.inboundlab.test']);
  const rsa = { key: join(ca.dir, 'server-rsa.key'), cert: join(ca.dir, 'server-rsa.crt') };
  const ec = ecdsa(ca, 'server-ecdsa', names);
  const old = expired(ca, 'server-expired', names);
  return {
    rsa,
    ecdsa: ec,
    kinds: {
      rsa: { settings: [], label: 'the lab RSA key and certificate (main.cf)' },
      ecdsa: { settings: [['smtpd_tls_chain_files', `${ec.key},${ec.cert}`]], label: 'ECDSA P-256 key and certificate' },
      none: { settings: [['smtpd_tls_chain_files', '']], label: '(empty)' },
      'missing-key': {
        settings: [['smtpd_tls_chain_files', ''], ['smtpd_tls_cert_file', rsa.cert], ['smtpd_tls_key_file', join(ca.dir, 'missing.key')]],
        label: 'the lab RSA certificate, smtpd_tls_key_file = a file that does not exist',
      },
      'key-mismatch': { settings: [['smtpd_tls_chain_files', `${join(ca.dir, 'stray.key')},${rsa.cert}`]], label: 'another certificate\'s key, then the lab RSA certificate' },
      expired: { settings: [['smtpd_tls_chain_files', `${old.key},${old.cert}`]], label: 'an RSA key and a lab CA certificate valid 2020-01-01 to 2020-02-01' },
    },
  };
}
