import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMainCf } from '../../src/parser/main-cf.js';
import { ConfigModel } from '../../src/model/config.js';
import { loadBuiltinPeers } from '../../src/interop/peers.js';
import { predictHandshake } from '../../src/interop/predict.js';
import { predictHandshakeCached } from '../../src/interop/predict-memo.js';

const CHOICES: Record<string, readonly string[]> = {
  smtp_tls_security_level: ['may', 'encrypt', 'none', 'dane', 'dane-only', 'verify', 'secure', 'fingerprint', 'bogus', ''],
  smtp_tls_protocols: ['>=TLSv1.2', '!SSLv2, !SSLv3', '!SSLv2,!SSLv3,!TLSv1,!TLSv1.1', '>=TLSv1', 'TLSv1.3', '<=TLSv1', ''],
  smtp_tls_mandatory_protocols: ['>=TLSv1.2', '>=TLSv1.3', '!SSLv2,!SSLv3', ''],
  smtp_tls_ciphers: ['medium', 'high', 'low', 'export', 'null', ''],
  smtp_tls_mandatory_ciphers: ['medium', 'high', ''],
  smtp_tls_exclude_ciphers: ['aNULL', 'aNULL, MD5, RC4', 'SHA1', 'kRSA, aRSA', 'AES', ''],
  tls_high_cipherlist: ['ECDHE+AESGCM', 'HIGH:@SECLEVEL=3', ''],
  tls_eecdh_auto_curves: ['X25519', 'secp384r1 prime256v1', ''],
  smtp_use_tls: ['yes', 'no', ''],
  smtp_enforce_tls: ['yes', ''],
  smtp_tls_fingerprint_cert_match: ['', 'AB:CD'],
  smtp_tls_CAfile: ['', '/etc/ssl/ca.pem'],
  smtp_tls_secure_cert_match: ['', 'nexthop'],
  smtp_dns_support_level: ['', 'dnssec'],
  relayhost: ['', '', '', '[smarthost]:587'],
};

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('the memoized prediction equals a fresh one, for every peer, over 400 varied configs seen twice', () => {
  const rand = prng(20261129);
  const peers = loadBuiltinPeers();
  const models: ConfigModel[] = [];
  for (let i = 0; i < 400; i++) {
    const lines: string[] = [];
    for (const [name, values] of Object.entries(CHOICES)) {
      if (rand() < 0.4) continue;
      const v = values[Math.floor(rand() * values.length)];
      lines.push(`${name} = ${v}`);
    }
    const version = rand() < 0.2 ? '3.4' : '3.7.11';
    let model = new ConfigModel(parseMainCf(lines.join('\n') + '\n'), version);
    if (rand() < 0.1) model = model.withOverrides(new Map([['smtp_tls_security_level', 'encrypt']]));
    models.push(model);
  }
  // Second pass on fresh models of the same files: answers come from the cache (built by other model objects).
  for (const pass of [models, models.map((m) => new ConfigModel(m.file, m.version))]) {
    for (const model of pass) {
      for (const peer of peers) assert.deepEqual(predictHandshakeCached(model, peer), predictHandshake(model, peer), `${peer.id}\n${model.file.text}`);
    }
  }
});
