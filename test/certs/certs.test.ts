/**
 * The certificate library on its own: PEM objects as OpenSSL reads them,
 * the DER facts Node does not expose, Postfix's loader in the corners the
 * rule tables do not reach, and chain analysis.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { splitPem } from '../../src/certs/pem.js';
import { readCertificateDer } from '../../src/certs/der.js';
import { pemObjects, parseCertificate, type Certificate } from '../../src/certs/objects.js';
import { loadCredentials, type ReadFile } from '../../src/certs/load.js';
import { analyzeChain } from '../../src/certs/chain.js';
import { memoryStore } from '../support/file-rule-tester.js';
import { OPENSSL_MISSING, Pki, standard } from '../support/pki.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const der = (pem: string) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
const pki = OPENSSL_MISSING ? null : new Pki();
after(() => pki?.dispose());

test('PEM objects: numbered like Postfix counts them, headers read, text around them skipped, an unterminated object noticed', () => {
  const text = 'Bag Attributes\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\nnoise\n-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----\nAAAA\n';
  const pem = splitPem(bytes(text));
  assert.deepEqual(pem.blocks.map((b) => [b.index, b.label, b.line, b.endLine]), [[1, 'CERTIFICATE', 2, 4], [2, 'RSA PRIVATE KEY', 6, 11]]);
  assert.equal(pem.blocks[1].headers.get('Proc-Type'), '4,ENCRYPTED');
  assert.deepEqual(pem.unterminated, { label: 'PRIVATE KEY', line: 12 });
  assert.equal(pemObjects(bytes(text)).objects[1].kind, 'encrypted-key');
  assert.equal(splitPem(new Uint8Array([0x30, 0x82, 0x01, 0x0a, 0x02])).binary, true);
  assert.equal(splitPem(bytes('')).binary, false);
});

test('DER facts: signature algorithm and hash, validity to the second, basicConstraints', { skip: OPENSSL_MISSING }, () => {
  const p = pki as Pki;
  const s = standard(p);
  const info = readCertificateDer(der(s.leaf.certPem));
  assert.ok(info);
  assert.deepEqual(info.signature, { name: 'sha256WithRSAEncryption', hash: 'sha256' });
  const x = new X509Certificate(s.leaf.certPem);
  assert.equal(info.notAfter.getTime(), new Date(x.validTo).getTime());
  assert.equal(info.hasBasicConstraints, true);
  const ec = p.issue(s.intermediate, 'der-ec384', { cn: 'ec.example', key: 'ec:P-384', digest: 'sha384' });
  const c = parseCertificate(der(ec.certPem)) as Certificate;
  assert.deepEqual([c.key.algorithm, c.key.bits, c.key.curve, c.signature.hash], ['ECDSA', 384, 'secp384r1', 'sha384']);
  assert.equal(readCertificateDer(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])), null);
  assert.equal(typeof parseCertificate(new Uint8Array([1, 2, 3])), 'string');
});

test('the loader: one file with the key after its chain loads; two RSA chains in chain files do not; a missing file stays missing', { skip: OPENSSL_MISSING }, () => {
  const s = standard(pki as Pki);
  const store = memoryStore({ '/both.pem': s.fullchain + s.leaf.keyPem, '/rsa1.pem': s.leaf.keyPem + s.fullchain, '/rsa2.pem': s.leaf.keyPem + s.leaf.certPem });
  const read: ReadFile = (p) => store.get(p);
  const mixed = loadCredentials({ kind: 'pair', algorithm: 'RSA', certFile: '/both.pem', keyFile: '/both.pem' }, read);
  assert.ok(mixed.ok && mixed.chains.length === 1 && mixed.chains[0].extra.length === 1);
  const twice = loadCredentials({ kind: 'chain-files', files: ['/rsa1.pem', '/rsa2.pem'] }, read);
  assert.ok(!twice.ok && twice.problem.code === 'duplicate-algorithm', JSON.stringify(!twice.ok && twice.problem));
  const gone = loadCredentials({ kind: 'chain-files', files: ['/nowhere.pem'] }, read);
  assert.ok(!gone.ok && gone.problem.code === 'unchecked', 'a path nobody read is not judged');
  const missing = loadCredentials({ kind: 'chain-files', files: ['/x.pem'] }, (p) => memoryStore({ '/x.pem': { missing: true } }).get(p));
  assert.ok(!missing.ok && missing.problem.code === 'missing' && /error opening chain file: \/x\.pem/.test(missing.problem.log));
});

test('chain analysis: the path from the leaf, what is out of order, what is unrelated, the issuer from the CA file', { skip: OPENSSL_MISSING }, () => {
  const s = standard(pki as Pki);
  const store = memoryStore({ '/k': s.leaf.keyPem, '/c': s.leaf.certPem + s.root.certPem + s.intermediate.certPem, '/l': s.leaf.certPem });
  const read: ReadFile = (p) => store.get(p);
  const r = loadCredentials({ kind: 'chain-files', files: ['/k', '/c'] }, read);
  assert.ok(r.ok);
  const a = analyzeChain(r.chains[0]);
  assert.deepEqual(a.path.map((c) => c.cert.commonName), ['mx.example.org', 'std Intermediate CA', 'std Root CA']);
  assert.equal(a.outOfOrder, true);
  assert.equal(a.unrelated.length, 0);
  const alone = loadCredentials({ kind: 'chain-files', files: ['/k', '/l'] }, read);
  assert.ok(alone.ok);
  assert.equal(analyzeChain(alone.chains[0]).issuerMissing, true);
  const intermediate = parseCertificate(der(s.intermediate.certPem)) as Certificate;
  assert.equal(analyzeChain(alone.chains[0], [intermediate]).issuerMissing, false);
});

test('an Ed25519 key is recognised; an unusable key block is reported as such', () => {
  const k = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const objects = pemObjects(bytes(k + '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n')).objects;
  assert.equal(objects[0].kind, 'private-key');
  assert.equal(objects[0].kind === 'private-key' && objects[0].key.facts.algorithm, 'Ed25519');
  assert.equal(objects[1].kind, 'invalid');
});

test('file uses: per smtpd service after -o, merged when the files and their places are the same; tlsproxy only with settings of its own; relative paths under queue_directory', async () => {
  const { buildWholeConfig } = await import('../../src/model/whole-config.js');
  const { tlsFileUses, tlsFilesNeeded } = await import('../../src/model/tls-files.js');
  const main = [
    'smtpd_tls_security_level = may',
    'smtpd_tls_chain_files = /etc/postfix/key.pem, /etc/postfix/chain.pem',
    'smtp_tls_security_level = may',
    'smtp_tls_CAfile = certs/ca.pem',
    'tlsproxy_client_CAfile = /etc/postfix/proxy-ca.pem',
    'queue_directory = /var/spool/postfix',
    '',
  ].join('\n');
  const master = [
    'smtp inet n - y - - smtpd',
    'submission inet n - y - - smtpd',
    '  -o smtpd_tls_security_level=encrypt',
    'submissions inet n - y - - smtpd',
    '  -o smtpd_tls_wrappermode=yes',
    '  -o smtpd_tls_chain_files=/etc/postfix/465.pem',
    'smtp unix - - y - - smtp',
    'tlsproxy unix - - y - 0 tlsproxy',
    '',
  ].join('\n');
  const config = buildWholeConfig({ main: { path: 'main.cf', text: main }, master: { path: 'master.cf', text: master } }, { postfixVersion: '3.7.11' });
  const { uses } = tlsFileUses(config);
  const creds = uses.filter((u) => u.kind === 'credentials');
  assert.deepEqual(creds.map((u) => u.kind === 'credentials' && u.daemon.side === 'server' && u.daemon.services.map((s) => s.name).join('+')), ['smtp+submission', 'submissions']);
  const site = creds[1].kind === 'credentials' ? creds[1].sites.get('/etc/postfix/465.pem') : undefined;
  assert.deepEqual([site?.file, site?.param], ['master.cf', 'smtpd_tls_chain_files']);
  const cafiles = uses.filter((u) => u.kind === 'CAfile').map((u) => (u.kind === 'CAfile' ? `${u.daemon.daemon}:${u.path}` : ''));
  assert.deepEqual(cafiles, ['smtp:/var/spool/postfix/certs/ca.pem', 'tlsproxy:/etc/postfix/proxy-ca.pem']);
  assert.deepEqual([...tlsFilesNeeded(uses).files].sort(), ['/etc/postfix/465.pem', '/etc/postfix/chain.pem', '/etc/postfix/key.pem', '/etc/postfix/proxy-ca.pem', '/var/spool/postfix/certs/ca.pem']);
});
