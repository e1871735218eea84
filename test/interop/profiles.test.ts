import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  DEFAULT_PEER_IDS,
  PeerFileError,
  defaultPeers,
  listPeers,
  loadBuiltinPeers,
  loadPeerFile,
  unknownCipherNames,
} from '../../src/interop/peers.js';
import type { PeerProfile } from '../../src/interop/types.js';

const peersDir = fileURLToPath(new URL('../../../data/peers/', import.meta.url));
const schemaPath = fileURLToPath(new URL('../../../schemas/peer-profile.schema.json', import.meta.url));

test('every shipped profile is valid against the JSON schema (strict ajv, draft 2020-12)', () => {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  const files = readdirSync(peersDir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 15, `expected the shipped set, got ${files.length}`);
  for (const f of files) {
    const json = JSON.parse(readFileSync(join(peersDir, f), "utf8")) as PeerProfile;
    assert.ok(validate(json), `${f}: ${JSON.stringify(validate.errors)}`);
    assert.equal(json.id + '.json', f, 'file name = id');
    assert.deepEqual(unknownCipherNames(json), [], `${f}: suite names`);
    assert.equal(loadPeerFile(join(peersDir, f)).id, json.id, 'loadPeerFile accepts it');
  }
});

test('the required families are shipped', () => {
  const ids = new Set(listPeers().map((p) => p.id));
  for (const id of [
    'exchange-2007-ws2003', 'exchange-2007-ws2008', 'exchange-2010-ws2008r2', 'exchange-2010-ws2008r2-tls12',
    'exchange-2013-ws2012', 'exchange-2013-ws2012r2', 'exchange-2016-ws2012r2', 'exchange-2016-ws2012r2-hardened',
    'exchange-2016-ws2016', 'exchange-2016-ws2016-hardened', 'exchange-2019-ws2019', 'exchange-2019-ws2022',
    'exchange-online', 'gmail', 'cisco-asa-esmtp-inspect', 'java-jdk11-mta', 'rhel7-openssl102-mta',
  ]) assert.ok(ids.has(id), id);
});

test('default peer set: documented ids, all shipped, in order', () => {
  assert.deepEqual(defaultPeers().map((p) => p.id), [...DEFAULT_PEER_IDS]);
  assert.equal(loadBuiltinPeers(), loadBuiltinPeers(), 'cached');
});

function writeTemp(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'peers-'));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const good = JSON.parse(readFileSync(join(peersDir, 'exchange-2019-ws2019.json'), 'utf8'));

test('invalid peer files give a clear error naming the bad field', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['bad key type', { ...good, certificate: { ...good.certificate, keyType: 'Ed25519' } }, /field "certificate\.keyType": "Ed25519" is not one of "RSA", "ECDSA", "DSA"/],
    ['unknown group: the allowed names and aliases are listed', { ...good, groups: ['x25519', 'brainpoolP256r1'] }, /field "groups\[1\]": "brainpoolP256r1" is not one of "x25519", .*"ffdhe8192" \(or an alias: prime256v1, .*p-256/],
    ['bad confidence', { ...good, confidence: 'certain' }, /field "confidence": "certain" is not one of "high", "medium", "low"/],
    ['missing field', (({ cipherPreference: _c, ...rest }) => rest)(good), /missing field "cipherPreference"/],
    ['unknown field', { ...good, colour: 'blue' }, /unknown field "colour"/],
    ['bad protocol', { ...good, protocols: ['TLSv1.2', 'TLSv1.4'] }, /field "protocols\[1\]": "TLSv1.4" is not one of "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"/],
    ['missing cert bits', { ...good, certificate: { ...good.certificate, bits: undefined } }, /missing field "certificate\.bits"/],
    ['starttls without certificate', (({ certificate: _c, ...rest }) => rest)(good), /missing field "certificate"/],
    ['unknown suite', { ...good, ciphers: ['ECDHE-RSA-AES256-GCM-SHA384', 'NOT-A-SUITE'] }, /field "ciphers\[1\]": "NOT-A-SUITE" is not an OpenSSL cipher suite name/],
    ['TLS_ name of a TLS 1.2 suite', { ...good, ciphers: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] }, /ciphers\[0\].*not a TLS 1\.3 suite name/],
  ];
  for (const [label, json, re] of cases) {
    const p = writeTemp('peer.json', JSON.stringify(json));
    assert.throws(() => loadPeerFile(p), (e: unknown) => e instanceof PeerFileError && re.test(e.message) && e.message.startsWith(p), label);
  }
  assert.throws(() => loadPeerFile(writeTemp('x.json', '{ nope')), /not valid JSON/);
  assert.throws(() => loadPeerFile('/nonexistent/peer.json'), /cannot read peer profile \(no such file\)/);
});

test('a STARTTLS-less profile needs no certificate', () => {
  const p = writeTemp('asa.json', JSON.stringify({
    id: 'my-asa', description: 'x', starttls: false, protocols: [], ciphers: [], cipherPreference: 'server', groups: [], confidence: 'low', sources: ['me'],
  }));
  assert.equal(loadPeerFile(p).id, 'my-asa');
});

test('peer files are accepted as people write them: any case, OpenSSL group aliases, no confidence or sources', () => {
  const { confidence: _c, sources: _s, ...rest } = good;
  const written = {
    ...rest,
    protocols: ['tlsv1.2', 'TLS1.3'],
    groups: ['X25519', 'P-256', 'prime256v1', 'secp384r1'],
    cipherPreference: 'Server',
    certificate: { ...good.certificate, keyType: 'rsa' },
  };
  const p = loadPeerFile(writeTemp('mine.json', JSON.stringify(written)));
  assert.deepEqual(p.protocols, ['TLSv1.2', 'TLSv1.3']);
  assert.deepEqual(p.groups, ['x25519', 'secp256r1', 'secp384r1']);
  assert.equal(p.cipherPreference, 'server');
  assert.equal(p.certificate?.keyType, 'RSA');
  assert.equal(p.confidence, 'low');
  assert.deepEqual(p.sources, ['user-supplied']);
});
