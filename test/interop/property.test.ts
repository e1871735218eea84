import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictHandshake } from '../../src/interop/predict.js';
import { listPeers } from '../../src/interop/peers.js';
import { Prng, seedFromEnv } from '../support/prng.js';
import { model } from './helpers.js';

const VALUES: Record<string, string[]> = {
  smtp_tls_security_level: ['', 'none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure', 'Encrypt', 'bogus', 'halfdane'],
  smtp_tls_protocols: ['', '>=TLSv1.2', '>=TLSv1.3', '<=TLSv1.1', '!SSLv2, !SSLv3', 'TLSv1.2', '>= TLSv1.2', '!TLSv9', '>=TLSv1.3, !TLSv1.3', '0x0305', '>=0301'],
  smtp_tls_mandatory_protocols: ['', '>=TLSv1.2', 'TLSv1', '!TLSv1.2', '>=TLSv1.1,<=TLSv1.1', '<=SSLv3'],
  smtp_tls_ciphers: ['', 'medium', 'high', 'low', 'export', 'null', 'bogus', 'HIGH:!aNULL'],
  smtp_tls_mandatory_ciphers: ['', 'medium', 'high', 'null'],
  smtp_tls_exclude_ciphers: ['', 'SHA1', 'kRSA', 'aNULL, MD5', '!aNULL', 'kEECDH kEDH', 'AES', 'x;y', 'AESGCM+ECDHE'],
  smtp_tls_mandatory_exclude_ciphers: ['', 'kEECDH:kEDH', 'RC4', '@STRENGTH'],
  tls_medium_cipherlist: ['aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH', 'ECDHE+AESGCM', 'kRSA', 'DEFAULT:@SECLEVEL=2', 'HIGH:@SECLEVEL=4', '@SECLEVEL=9', 'NONSENSE', '!ALL', 'HIGH:@SECLEVEL=3'],
  tls_high_cipherlist: ['aNULL:-aNULL:HIGH:@STRENGTH', 'ECDHE+AESGCM:@SECLEVEL=5'],
  tls_eecdh_auto_curves: ['X25519 X448 prime256v1 secp521r1 secp384r1', 'X25519', 'bogus', '', 'secp384r1'],
  smtp_tls_CAfile: ['', '/etc/ssl/ca.pem'],
  smtp_tls_secure_cert_match: ['nexthop, dot-nexthop', 'hostname', '.', '.example.com', ''],
  smtp_tls_verify_cert_match: ['hostname', 'nexthop', 'bogus.example'],
  smtp_tls_fingerprint_cert_match: ['', 'AB:CD'],
  smtp_sasl_auth_enable: ['yes', 'no', 'maybe'],
  smtp_use_tls: ['yes', 'no'],
  smtp_enforce_tls: ['yes', 'no'],
  tls_wildcard_matches_multiple_labels: ['yes', 'no'],
  compatibility_level: ['0', '3.6', '${undefined'],
};

test('predictions never throw and stay consistent on random configs', () => {
  const prng = new Prng(seedFromEnv(20240611));
  const peers = listPeers();
  const versions = ['2.11', '3.4', '3.7', '3.8', '3.11'];
  for (let i = 0; i < 400; i++) {
    const lines: string[] = [];
    for (const [name, values] of Object.entries(VALUES)) if (prng.chance(0.35)) lines.push(`${name} = ${prng.pick(values)}`);
    const text = lines.join('\n') + '\n';
    const m = model(text, prng.pick(versions));
    for (const peer of peers) {
      let p;
      try {
        p = predictHandshake(m, peer, prng.chance(0.2) ? { prefix: 'lmtp' } : {});
      } catch (e) {
        assert.fail(`seed ${prng.seed}, case ${i}, peer ${peer.id}, config:\n${text}\n${(e as Error).stack}`);
      }
      const where = `case ${i} ${peer.id}:\n${text}${p.reason}`;
      assert.ok(['tls', 'handshake-failure', 'verification-failure', 'no-starttls', 'plaintext'].includes(p.outcome), where);
      assert.ok(['tls', 'plaintext', 'deferred'].includes(p.delivery), where);
      assert.equal(p.outcome === 'tls', p.delivery === 'tls', where);
      if (p.outcome === 'tls') {
        assert.ok(p.protocol && peer.protocols.includes(p.protocol as never), where);
        assert.ok(p.cipher && peer.ciphers.includes(p.cipher), where);
      }
      if (p.outcome === 'handshake-failure' || p.outcome === 'no-starttls' || p.outcome === 'plaintext') assert.equal(p.cipher, null, where);
      assert.ok(p.reason.length > 0 && p.confirm.includes('posttls-finger'), where);
    }
  }
});
