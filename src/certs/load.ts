/**
 * How Postfix's TLS library loads a key and its certificate chain
 * (src/tls/tls_certkey.c, Postfix 3.4 and later): from *_chain_files (each
 * key first, then its certificate, then the issuers), from one file that
 * holds both (cert_file = key_file, the key anywhere), or from a separate
 * certificate file and key file (SSL_CTX_use_certificate_chain_file and
 * SSL_CTX_use_PrivateKey_file). The first problem stops the load, and the
 * daemon logs what Postfix logs and runs without TLS ("disabling TLS
 * support"). Pure: reads FileFacts, never the file system.
 */
import type { FileFacts } from './file-facts.js';
import { pemObjects, type Certificate, type PemObject, type PrivateKey } from './objects.js';
import type { PemBlock } from './pem.js';

export type ReadFile = (path: string) => FileFacts | undefined;

export interface PlacedCertificate {
  readonly cert: Certificate;
  /** The configured path of the file holding it. */
  readonly file: string;
  readonly block: PemBlock;
}

export interface LoadedChain {
  /** Absent when this run could not read the key file (the certificates are still judged). */
  readonly key?: { readonly key: PrivateKey; readonly file: string; readonly block: PemBlock };
  readonly leaf: PlacedCertificate;
  /** The certificates after the leaf, in file order (sent to clients as the chain). */
  readonly extra: readonly PlacedCertificate[];
}

export type LoadProblemCode =
  | 'missing' // no such file (or a dangling symlink)
  | 'unchecked' // this run could not read it (permission): nothing is known
  | 'not-a-file'
  | 'no-pem' // no PEM object at all (binary DER/PKCS#12, or text without BEGIN lines)
  | 'bad-pem' // a PEM object OpenSSL cannot read
  | 'key-not-first' // chain files: a certificate before any key
  | 'cert-where-key' // a certificate where the key should be (separate key file without a key)
  | 'key-where-cert' // a key file where the certificate should be
  | 'encrypted-key'
  | 'no-certs-for-key'
  | 'key-not-followed-by-cert'
  | 'no-key'
  | 'key-mismatch'
  | 'duplicate-algorithm';

export interface LoadProblem {
  readonly code: LoadProblemCode;
  /** The configured path the problem is in. */
  readonly file: string;
  readonly block?: PemBlock;
  /** What Postfix logs (its warning text, without the "warning: " prefix). */
  readonly log: string;
  /** Plain words for the message. */
  readonly detail: string;
}

export type LoadResult =
  | { readonly ok: true; readonly chains: readonly LoadedChain[] }
  | { readonly ok: false; readonly problem: LoadProblem; readonly chains: readonly LoadedChain[] };

/** The files of one certificate source, as the configuration gives them. */
export type CredentialSource =
  | { readonly kind: 'chain-files'; readonly files: readonly string[]; /** The value as Postfix logs it ("origin"). */ readonly origin?: string }
  | { readonly kind: 'pair'; readonly algorithm: 'RSA' | 'DSA' | 'ECDSA'; readonly certFile: string; readonly keyFile: string };

/** A file could not be opened: why, in Postfix's and in plain words. */
function openProblem(path: string, facts: FileFacts | undefined): LoadProblem | null {
  if (!facts) return { code: 'unchecked', file: path, log: '', detail: `${path} was not read` };
  switch (facts.kind) {
    case 'file':
      return null;
    case 'missing':
      return { code: 'missing', file: path, log: `${path}: No such file or directory`, detail: `${path} does not exist${facts.reason ? ` (${facts.reason})` : ''}` };
    case 'unreadable':
      return { code: 'unchecked', file: path, log: '', detail: `${path} could not be read by this run (${facts.reason})` };
    case 'directory':
      return { code: 'not-a-file', file: path, log: `${path}: Is a directory`, detail: `${path} is a directory, not a PEM file` };
    case 'special':
      return { code: 'not-a-file', file: path, log: `${path}: not a regular file`, detail: `${path} is not a regular file (${facts.reason})` };
  }
}

function noPemDetail(path: string, facts: Extract<FileFacts, { kind: 'file' }>): string {
  const pem = pemObjects(facts.bytes);
  if (pem.binary) return `${path} is a binary file (DER or PKCS#12?), not PEM: convert it with "openssl x509 -inform der -in FILE -out FILE.pem"`;
  if (pem.unterminated) return `${path} has a "-----BEGIN ${pem.unterminated.label}-----" line (line ${pem.unterminated.line}) without its END line`;
  return facts.bytes.length === 0 ? `${path} is empty` : `${path} holds no PEM object ("-----BEGIN ...-----" line)`;
}

function objectName(o: PemObject): string {
  return o.kind === 'certificate' ? 'a certificate' : o.kind === 'private-key' || o.kind === 'encrypted-key' ? 'a private key' : `a "${o.block.label}" object`;
}

interface State {
  mode: 'INIT' | 'PKEY' | 'CERT' | 'BOTH';
  key: LoadedChain['key'] | null;
  keynum: number;
  keysrc: string;
  leaf: PlacedCertificate | null;
  extra: PlacedCertificate[];
}

const ALGORITHM_SLOT: Readonly<Record<string, string>> = { RSA: 'RSA', 'RSA-PSS': 'RSA-PSS', ECDSA: 'ECDSA', DSA: 'DSA', Ed25519: 'Ed25519', Ed448: 'Ed448' };

/**
 * load_chain_files() / load_mixed_file(): PEM objects in order, each key
 * followed by its certificate and chain (mixed: one key anywhere in one file).
 */
function loadSequence(files: readonly string[], read: ReadFile, mixed: boolean, origin = files.join(', ')): LoadResult {
  const chains: LoadedChain[] = [];
  const slots = new Set<string>();
  const st: State = { mode: 'INIT', key: null, keynum: 0, keysrc: '', leaf: null, extra: [] };
  const fail = (p: LoadProblem): LoadResult => ({ ok: false, problem: p, chains });
  const useChain = (): LoadProblem | null => {
    const { key, leaf } = st;
    if (!key || !leaf) return null;
    const slot = ALGORITHM_SLOT[leaf.cert.key.algorithm] ?? 'other';
    let matches = false;
    try {
      matches = leaf.cert.x509.checkPrivateKey(key.key.keyObject);
    } catch {
      matches = false;
    }
    if (!matches) {
      return {
        code: 'key-mismatch',
        file: key.file,
        block: key.block,
        log: '',
        detail: `the private key at index ${st.keynum} in ${st.keysrc} (${key.key.facts.algorithm}) does not belong to the certificate that follows it (${leaf.cert.subject || 'no subject'} in ${leaf.file}, line ${leaf.block.line})`,
      };
    }
    if (slots.has(slot)) {
      return { code: 'duplicate-algorithm', file: leaf.file, block: leaf.block, log: '', detail: `a second ${slot} key and certificate (key at index ${st.keynum} in ${st.keysrc}): OpenSSL holds one chain per key type and refuses to replace the first` };
    }
    slots.add(slot);
    chains.push({ key, leaf, extra: st.extra });
    st.key = null;
    st.leaf = null;
    st.extra = [];
    return null;
  };
  let skippedEncrypted: { file: string; block: PemBlock } | null = null;
  for (let fi = 0; fi < files.length; fi++) {
    const file = files[fi];
    const facts = read(file);
    const opened = openProblem(file, facts);
    if (opened) return fail({ ...opened, log: opened.log && `error opening chain file: ${opened.log}` });
    const pem = pemObjects((facts as Extract<FileFacts, { kind: 'file' }>).bytes);
    for (const o of pem.objects) {
      const n = o.block.index;
      if (o.kind === 'certificate' || (o.kind === 'invalid' && o.expected === 'certificate')) {
        if (!mixed && st.mode === 'INIT') {
          if (skippedEncrypted) {
            return fail({ code: 'encrypted-key', file: skippedEncrypted.file, block: skippedEncrypted.block, log: `error loading chain from ${file}: key not first`, detail: `the private key at line ${skippedEncrypted.block.line} of ${skippedEncrypted.file} is encrypted ("ENCRYPTED PRIVATE KEY"): Postfix has no passphrase, skips it ("ignoring PEM type") and then finds a certificate where the key should be` });
          }
          return fail({ code: 'key-not-first', file, block: o.block, log: `error loading chain from ${file}: key not first`, detail: `${file} starts with a certificate (line ${o.block.line}) where Postfix expects the private key: in chain files each key comes first, then its certificate, then the issuers` });
        }
        if (o.kind === 'invalid') {
          return fail({ code: 'bad-pem', file, block: o.block, log: `error loading certificate (PEM object number ${n}) from ${file}`, detail: `the certificate at line ${o.block.line} of ${file} cannot be read: ${o.reason}` });
        }
        const placed = { cert: o.cert, file, block: o.block };
        if (st.mode === 'PKEY' || st.mode === 'INIT') {
          st.leaf = placed;
          st.mode = st.mode === 'PKEY' && mixed ? 'BOTH' : 'CERT';
        } else st.extra.push(placed);
        continue;
      }
      const isKey = o.kind === 'private-key' || (o.kind === 'invalid' && o.expected === 'private key') || (o.kind === 'encrypted-key' && o.block.label !== 'ENCRYPTED PRIVATE KEY');
      if (!isKey) {
        // "loading F: ignoring PEM type: X" (silently in mixed mode); an ENCRYPTED PRIVATE KEY lands here.
        if (o.kind === 'encrypted-key' && !skippedEncrypted) skippedEncrypted = { file, block: o.block };
        continue;
      }
      if (st.mode === 'PKEY' || st.mode === 'BOTH') {
        if (mixed) continue; // "ignoring 2nd key"
        return fail({ code: 'key-not-followed-by-cert', file: st.keysrc, block: st.key?.block, log: `error loading certificate chain: key at index ${st.keynum} in ${st.keysrc} not followed by a certificate`, detail: `the private key at index ${st.keynum} in ${st.keysrc} is followed by another key (line ${o.block.line} of ${file}) instead of its certificate` });
      }
      if (st.mode === 'CERT' && !mixed) {
        const p = useChain();
        if (p) return fail({ ...p, log: `error loading certificate chain: key at index ${st.keynum} in ${st.keysrc} does not match the certificate` });
      }
      if (o.kind !== 'private-key') {
        const encrypted = o.kind === 'encrypted-key';
        return fail({
          code: encrypted ? 'encrypted-key' : 'bad-pem',
          file,
          block: o.block,
          log: `error loading private key (PEM object number ${n}) from ${file}`,
          detail: encrypted
            ? `the private key at line ${o.block.line} of ${file} is encrypted (Proc-Type: 4,ENCRYPTED) and Postfix has no passphrase to decrypt it (remove the passphrase: openssl pkey -in FILE -out FILE)`
            : `the private key at line ${o.block.line} of ${file} cannot be read: ${(o as { reason: string }).reason}`,
        });
      }
      st.key = { key: o.key, file, block: o.block };
      if (st.mode === 'INIT' || !mixed) {
        st.keynum = n;
        st.keysrc = file;
      }
      st.mode = st.mode === 'INIT' ? 'PKEY' : mixed ? 'BOTH' : 'PKEY';
    }
    if (pem.objects.length === 0 && pem.unterminated) {
      return fail({ code: 'bad-pem', file, log: `error loading private keys and certificates from: ${origin}`, detail: noPemDetail(file, facts as Extract<FileFacts, { kind: 'file' }>) });
    }
    if (fi < files.length - 1) continue;
    switch (st.mode) {
      case 'INIT': {
        if (skippedEncrypted) {
          return fail({ code: 'encrypted-key', file: skippedEncrypted.file, block: skippedEncrypted.block, log: `No PEM data in ${origin}`, detail: `the only private key (line ${skippedEncrypted.block.line} of ${skippedEncrypted.file}) is encrypted ("ENCRYPTED PRIVATE KEY") and Postfix has no passphrase to decrypt it` });
        }
        const empty = files.find((x) => pemObjects((read(x) as Extract<FileFacts, { kind: 'file' }>).bytes).objects.length === 0) ?? file;
        return fail({ code: 'no-pem', file: empty, log: `No PEM data in ${origin}`, detail: noPemDetail(empty, read(empty) as Extract<FileFacts, { kind: 'file' }>) });
      }
      case 'PKEY':
        return fail({ code: 'no-certs-for-key', file: st.keysrc, block: st.key?.block, log: `No certs for key at index ${st.keynum} in ${st.keysrc}`, detail: `the private key at index ${st.keynum} in ${st.keysrc} has no certificate after it` });
      case 'CERT':
      case 'BOTH': {
        if (mixed && st.mode === 'CERT') {
          if (skippedEncrypted) return fail({ code: 'encrypted-key', file, block: skippedEncrypted.block, log: `No private key found in ${origin}`, detail: `the private key in ${file} (line ${skippedEncrypted.block.line}) is encrypted and Postfix has no passphrase to decrypt it` });
          return fail({ code: 'no-key', file, log: `No private key found in ${origin}`, detail: `${file} holds certificates but no private key (the key file parameter is not set, so Postfix looks for the key in the certificate file)` });
        }
        const p = useChain();
        if (p) return fail({ ...p, log: `key at index ${st.keynum} in ${st.keysrc} does not match next certificate` });
      }
    }
  }
  return { ok: true, chains };
}

/** set_cert_stuff() with two files: the certificate chain, then the first private key of the key file. */
function loadPair(algorithm: string, certFile: string, keyFile: string, read: ReadFile): LoadResult {
  const fail = (p: LoadProblem): LoadResult => ({ ok: false, problem: p, chains: [] });
  const certFacts = read(certFile);
  const cantCert = `cannot get ${algorithm} certificate from file "${certFile}": disabling TLS support`;
  const cantKey = `cannot get ${algorithm} private key from file "${keyFile}": disabling TLS support`;
  const openedCert = openProblem(certFile, certFacts);
  if (openedCert) return fail({ ...openedCert, log: openedCert.log && cantCert });
  const certPem = pemObjects((certFacts as Extract<FileFacts, { kind: 'file' }>).bytes);
  // PEM_read_bio_X509_AUX skips objects of other types until the first certificate.
  const certObjects = certPem.objects.filter((o) => o.kind === 'certificate' || (o.kind === 'invalid' && o.expected === 'certificate'));
  if (certObjects.length === 0) {
    const keyInstead = certPem.objects.find((o) => o.kind === 'private-key' || o.kind === 'encrypted-key');
    if (keyInstead) return fail({ code: 'key-where-cert', file: certFile, block: keyInstead.block, log: cantCert, detail: `${certFile} holds ${objectName(keyInstead)} but no certificate: it is named where the certificate belongs` });
    return fail({ code: 'no-pem', file: certFile, log: cantCert, detail: noPemDetail(certFile, certFacts as Extract<FileFacts, { kind: 'file' }>) });
  }
  const bad = certObjects.find((o) => o.kind === 'invalid');
  if (bad && bad.kind === 'invalid') return fail({ code: 'bad-pem', file: certFile, block: bad.block, log: cantCert, detail: `the certificate at line ${bad.block.line} of ${certFile} cannot be read: ${bad.reason}` });
  const placed = certObjects.map((o) => ({ cert: (o as Extract<PemObject, { kind: 'certificate' }>).cert, file: certFile, block: o.block }));
  const keyFacts = read(keyFile);
  const openedKey = openProblem(keyFile, keyFacts);
  const [leafPlaced, ...extraPlaced] = placed;
  // A key this run may not read: the certificate chain can still be judged.
  if (openedKey?.code === 'unchecked') return { ok: false, problem: openedKey, chains: [{ leaf: leafPlaced, extra: extraPlaced }] };
  if (openedKey) return fail({ ...openedKey, log: openedKey.log && cantKey });
  const keyPem = pemObjects((keyFacts as Extract<FileFacts, { kind: 'file' }>).bytes);
  // PEM_read_bio_PrivateKey takes the first object whose label ends in "PRIVATE KEY".
  const keyObject = keyPem.objects.find((o) => o.block.label.endsWith('PRIVATE KEY'));
  if (!keyObject) {
    const certInstead = keyPem.objects.find((o) => o.kind === 'certificate');
    if (certInstead) return fail({ code: 'cert-where-key', file: keyFile, block: certInstead.block, log: cantKey, detail: `${keyFile} holds a certificate but no private key: it is named where the key belongs` });
    return fail({ code: 'no-pem', file: keyFile, log: cantKey, detail: noPemDetail(keyFile, keyFacts as Extract<FileFacts, { kind: 'file' }>) });
  }
  if (keyObject.kind === 'encrypted-key') {
    return fail({ code: 'encrypted-key', file: keyFile, block: keyObject.block, log: cantKey, detail: `the private key at line ${keyObject.block.line} of ${keyFile} is encrypted and Postfix has no passphrase to decrypt it (remove the passphrase: openssl pkey -in FILE -out FILE)` });
  }
  if (keyObject.kind !== 'private-key') return fail({ code: 'bad-pem', file: keyFile, block: keyObject.block, log: cantKey, detail: `the private key at line ${keyObject.block.line} of ${keyFile} cannot be read${keyObject.kind === 'invalid' ? `: ${keyObject.reason}` : ''}` });
  const [leaf, ...extra] = placed;
  let matches = false;
  try {
    matches = leaf.cert.x509.checkPrivateKey(keyObject.key.keyObject);
  } catch {
    matches = false;
  }
  if (!matches) {
    return fail({
      code: 'key-mismatch',
      file: keyFile,
      block: keyObject.block,
      log: `${algorithm} private key in ${keyFile} does not match public key in ${certFile}: disabling TLS support`,
      detail: `the private key in ${keyFile} (${keyObject.key.facts.algorithm}) does not belong to the certificate in ${certFile} (${leaf.cert.subject || 'no subject'})`,
    });
  }
  return { ok: true, chains: [{ key: { key: keyObject.key, file: keyFile, block: keyObject.block }, leaf, extra }] };
}

/** Load one certificate source the way Postfix does; the first problem wins. */
export function loadCredentials(source: CredentialSource, read: ReadFile): LoadResult {
  if (source.kind === 'chain-files') return loadSequence(source.files, read, false, source.origin);
  if (source.certFile === source.keyFile) return loadSequence([source.certFile], read, true);
  return loadPair(source.algorithm, source.certFile, source.keyFile, read);
}

/**
 * The sources of a daemon in Postfix's order, stopping at the first failure
 * (tls_set_my_certificate_key_info). A file this run could not read stops
 * nothing: the result is then "unchecked", with the chains that were read.
 */
export function loadAll(sources: readonly CredentialSource[], read: ReadFile): LoadResult {
  const chains: LoadedChain[] = [];
  let unchecked: LoadProblem | null = null;
  for (const s of sources) {
    const r = loadCredentials(s, read);
    chains.push(...r.chains);
    if (r.ok) continue;
    if (r.problem.code !== 'unchecked') return { ok: false, problem: r.problem, chains };
    unchecked ??= r.problem;
  }
  return unchecked ? { ok: false, problem: unchecked, chains } : { ok: true, chains };
}
