/**
 * Certificates made at test time with the openssl CLI: roots, intermediates,
 * leaves with any names, key type, digest and validity window (openssl ca
 * -startdate/-enddate), self-signed leaves. Keys of one kind are reused to
 * keep the tests fast. Tests that need it skip, and say so, without openssl.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OPENSSL_MISSING: string | false = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0 ? false : 'openssl is not installed (.ci/run installs it)';

export type KeySpec = 'rsa:2048' | 'rsa:1024' | 'rsa:768' | 'rsa:3072' | 'ec:P-256' | 'ec:P-384' | 'ec:P-224';

export interface Issued {
  readonly name: string;
  readonly keyPem: string;
  readonly certPem: string;
  /** Files in the PKI directory. */
  readonly keyFile: string;
  readonly certFile: string;
}

export interface IssueOptions {
  readonly cn: string;
  readonly dns?: readonly string[];
  readonly ca?: boolean;
  readonly key?: KeySpec;
  /** A fresh key instead of the shared one of its kind. */
  readonly freshKey?: boolean;
  readonly digest?: 'sha256' | 'sha1' | 'md5' | 'sha384';
  readonly start?: Date;
  readonly end?: Date;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

const DAY = 24 * 60 * 60 * 1000;

export class Pki {
  readonly dir: string;
  private readonly keys = new Map<string, string>();
  private serial = 1;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'pftls-pki-'));
    mkdirSync(join(this.dir, 'db'));
    writeFileSync(join(this.dir, 'db', 'index.txt'), '');
    writeFileSync(join(this.dir, 'ca.cnf'), [
      '[ca]', 'default_ca = test', '[test]', 'database = db/index.txt', 'serial = db/serial', 'new_certs_dir = db', 'default_md = sha256',
      'policy = any', 'unique_subject = no', 'copy_extensions = none', '[any]', 'commonName = supplied', '',
    ].join('\n'));
  }

  private openssl(args: readonly string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  private keyFile(spec: KeySpec, fresh: boolean, name: string): string {
    const cached = this.keys.get(spec);
    if (cached && !fresh) return cached;
    const file = `${fresh ? name : spec.replace(/[:]/g, '-')}.key`;
    const [alg, size] = spec.split(':');
    if (alg === 'rsa') this.openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${size}`, '-out', file]);
    else this.openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${size}`, '-pkeyopt', 'ec_param_enc:named_curve', '-out', file]);
    if (!fresh) this.keys.set(spec, file);
    return file;
  }

  private extensions(name: string, o: IssueOptions): string {
    const lines = o.ca
      ? ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid']
      : ['basicConstraints=CA:FALSE', 'extendedKeyUsage=serverAuth,clientAuth', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid', ...(o.dns?.length ? [`subjectAltName=${o.dns.map((d) => `DNS:${d}`).join(',')}`] : [])];
    const file = `${name}.ext`;
    writeFileSync(join(this.dir, file), lines.join('\n') + '\n');
    return file;
  }

  private result(name: string, key: string, cert: string): Issued {
    return { name, keyPem: readFileSync(join(this.dir, key), 'utf8'), certPem: readFileSync(join(this.dir, cert), 'utf8'), keyFile: join(this.dir, key), certFile: join(this.dir, cert) };
  }

  /** Sign a new certificate; issuer null = self-signed (a root when o.ca). */
  issue(issuer: Issued | null, name: string, o: IssueOptions): Issued {
    const key = this.keyFile(o.key ?? 'rsa:2048', o.freshKey ?? false, name);
    const csr = `${name}.csr`;
    this.openssl(['req', '-new', '-key', key, '-out', csr, '-subj', `/CN=${o.cn}`]);
    const start = o.start ?? new Date(Date.now() - DAY);
    const end = o.end ?? new Date(Date.now() + 90 * DAY);
    const cert = `${name}.crt`;
    writeFileSync(join(this.dir, 'db', 'serial'), (this.serial++).toString(16).padStart(4, '0') + '\n');
    const signer = issuer ? ['-cert', issuer.certFile, '-keyfile', issuer.keyFile] : ['-selfsign', '-keyfile', key];
    this.openssl(['ca', '-batch', '-config', 'ca.cnf', ...signer, '-in', csr, '-out', cert, '-notext', '-md', o.digest ?? 'sha256',
      '-startdate', stamp(start), '-enddate', stamp(end), '-extfile', this.extensions(name, o)]);
    return this.result(name, key, cert);
  }

  /** A root, an intermediate below it, and a server leaf below that. */
  hierarchy(prefix: string, leaf: Omit<IssueOptions, 'ca'>, rootKey: KeySpec = 'rsa:2048'): { root: Issued; intermediate: Issued; leaf: Issued } {
    // CAs live ten years, the leaf 90 days (from yesterday) unless told otherwise.
    const root = this.issue(null, `${prefix}-root`, { cn: `${prefix} Root CA`, ca: true, key: rootKey, freshKey: true, start: days(-365), end: days(3650) });
    const intermediate = this.issue(root, `${prefix}-int`, { cn: `${prefix} Intermediate CA`, ca: true, key: rootKey, freshKey: true, start: days(-365), end: days(3650) });
    return { root, intermediate, leaf: this.issue(intermediate, `${prefix}-leaf`, leaf) };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const days = (n: number): Date => new Date(Date.now() + n * DAY);

export interface StandardSet {
  readonly root: Issued;
  readonly intermediate: Issued;
  /** RSA 2048 leaf for mx.example.org, valid now for 90 days. */
  readonly leaf: Issued;
  /** ECDSA P-256 leaf for mx.example.org from the same intermediate. */
  readonly ecLeaf: Issued;
  /** A key that belongs to no certificate here. */
  readonly strayKeyPem: string;
  /** leaf + intermediate, as certbot's fullchain.pem. */
  readonly fullchain: string;
  readonly ecFullchain: string;
}

const standardSets = new WeakMap<Pki, StandardSet>();

/** The usual good material: a public-CA-like hierarchy and RSA and ECDSA leaves for mx.example.org. */
export function standard(pki: Pki): StandardSet {
  const known = standardSets.get(pki);
  if (known) return known;
  const h = pki.hierarchy('std', { cn: 'mx.example.org', dns: ['mx.example.org'] });
  const ecLeaf = pki.issue(h.intermediate, 'std-ec-leaf', { cn: 'mx.example.org', dns: ['mx.example.org'], key: 'ec:P-256' });
  const stray = pki.issue(null, 'stray', { cn: 'stray.example', key: 'rsa:2048', freshKey: true });
  const set: StandardSet = {
    ...h,
    ecLeaf,
    strayKeyPem: stray.keyPem,
    fullchain: h.leaf.certPem + h.intermediate.certPem,
    ecFullchain: ecLeaf.certPem + h.intermediate.certPem,
  };
  standardSets.set(pki, set);
  return set;
}
