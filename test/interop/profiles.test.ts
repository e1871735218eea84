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
    ['bad key type', { ...good, certificate: { ...good.certificate, keyType: 'EC' } }, /field "certificate\.keyType" must be one of "RSA", "ECDSA", "DSA"/],
    ['missing field', (({ cipherPreference: _c, ...rest }) => rest)(good), /missing field "cipherPreference"/],
    ['unknown field', { ...good, colour: 'blue' }, /unknown field "colour"/],
    ['bad protocol', { ...good, protocols: ['TLSv1.2', 'TLSv1.4'] }, /field "protocols\[1\]" must be one of/],
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
