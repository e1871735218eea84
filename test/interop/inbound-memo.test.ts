/**
 * The inbound session memo (src/interop/predict-inbound.ts): a prediction made through it equals one
 * computed afresh, for every shipped client profile, over varied smtpd configurations seen twice (the
 * second time through other model and policy objects), "what if" variants and certificate statuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWholeConfig } from '../../src/model/whole-config.js';
import { predictInbound, predictInboundUncached, referenceService, serviceWithSettings } from '../../src/interop/predict-inbound.js';
import { loadBuiltinClients } from '../../src/interop/clients.js';
import type { ServiceCertificateStatus } from '../../src/model/tls-files.js';
import { Prng } from '../support/prng.js';
import { STOCK_MASTER, SUBMISSION, SUBMISSIONS } from '../support/server-rule-tester.js';

const CHOICES: Record<string, readonly string[]> = {
  smtpd_tls_security_level: ['may', 'encrypt', 'none', 'bogus', ''],
  smtpd_use_tls: ['yes', 'no'],
  smtpd_tls_wrappermode: ['yes', 'no'],
  smtpd_tls_protocols: ['>=TLSv1.2', '!SSLv2, !SSLv3', '>=TLSv1', 'TLSv1.3', '<=TLSv1', '>=TLSv9'],
  smtpd_tls_mandatory_protocols: ['>=TLSv1.2', '>=TLSv1.3', '!SSLv2,!SSLv3'],
  smtpd_tls_ciphers: ['medium', 'high', 'low', 'bogus'],
  smtpd_tls_mandatory_ciphers: ['medium', 'high'],
  smtpd_tls_exclude_ciphers: ['aNULL', 'aNULL, MD5, RC4', 'aNULL,MD5,RC4', 'SHA1', 'kRSA, aRSA', 'CBC', '!aNULL', 'aRSA'],
  smtpd_tls_mandatory_exclude_ciphers: ['SHA1', 'aNULL'],
  tls_high_cipherlist: ['ECDHE+AESGCM', 'HIGH:@SECLEVEL=3', 'HIGH:@SECLEVEL=1'],
  tls_eecdh_auto_curves: ['X25519', 'secp384r1 prime256v1', 'X448', 'bogus'],
  tls_preempt_cipherlist: ['yes', 'no'],
  smtpd_tls_cert_file: ['/etc/ssl/certs/ssl-cert-snakeoil.pem', '/etc/ssl/ec-cert.pem', 'none', ''],
  smtpd_tls_key_file: ['/etc/ssl/private/ssl-cert-snakeoil.key'],
  smtpd_tls_eccert_file: ['/etc/ssl/ecdsa.pem'],
  smtpd_sasl_auth_enable: ['yes', 'no'],
  smtpd_tls_auth_only: ['yes', 'no'],
  smtpd_tls_ask_ccert: ['yes'],
  myhostname: ['mx.example.com', 'mail.example.org'],
};

const MASTERS = [STOCK_MASTER, STOCK_MASTER + SUBMISSION, STOCK_MASTER + SUBMISSION + SUBMISSIONS, null];

const STATUSES: readonly (ServiceCertificateStatus | undefined)[] = [
  undefined,
  {},
  { keyTypes: ['ECDSA'] },
  { keyTypes: ['RSA'], notValid: ['the certificate expired on 2020-01-01'] },
  { loadFailure: { detail: 'the key does not match', log: 'cannot load RSA certificate and key data' } },
];

function configs(seed: number): { main: string; master: string | null }[] {
  const rand = new Prng(seed);
  const out: { main: string; master: string | null }[] = [];
  for (let i = 0; i < 150; i++) {
    const lines: string[] = [];
    for (const [name, values] of Object.entries(CHOICES)) if (rand.chance(0.5)) lines.push(`${name} = ${rand.pick(values)}`);
    out.push({ main: lines.join('\n') + '\n', master: rand.pick(MASTERS) });
  }
  return out;
}

function servicesOf(c: { main: string; master: string | null }) {
  return buildWholeConfig({ main: { path: 'main.cf', text: c.main }, master: c.master === null ? null : { path: 'master.cf', text: c.master } }, { postfixVersion: '3.7.11' }).server.services;
}

test('a memoized inbound prediction equals a fresh one: 150 configs x every service x every client, twice, with variants', () => {
  const clients = loadBuiltinClients();
  const all = configs(20261203);
  let compared = 0;
  for (const pass of [1, 2]) {
    for (const [i, c] of all.entries()) {
      for (const svc of servicesOf(c)) {
        const variants = [svc, referenceService(svc), serviceWithSettings(svc, new Map([['smtpd_tls_exclude_ciphers', pass === 1 ? 'aNULL, SHA1' : 'aNULL,SHA1']]))];
        for (const v of variants) {
          for (const client of clients) {
            const certificates = STATUSES[(i + compared) % STATUSES.length];
            const opts = certificates === undefined ? {} : { certificates };
            assert.deepEqual(predictInbound(v, client, opts), predictInboundUncached(v, client, opts), `${client.id} ${svc.name}\n${c.main}`);
            compared++;
          }
        }
      }
    }
  }
  assert.ok(compared > 10_000, `${compared} predictions compared`);
});

test('what handshake() reads from the model beyond the policy keeps sessions apart', () => {
  const client = loadBuiltinClients().find((c) => c.groups.length > 0 && c.protocols.includes('TLSv1.3'));
  assert.ok(client, 'a shipped client with groups and TLS 1.3');
  const base = 'smtpd_tls_security_level = may\nsmtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem\nsmtpd_tls_key_file = /etc/ssl/private/ssl-cert-snakeoil.key\nsmtpd_tls_protocols = TLSv1.3\n';
  const reasons = new Set<string>();
  for (const extra of ['tls_eecdh_auto_curves = X448\n', 'tls_eecdh_auto_curves = X448 bogus\n', '']) {
    const [svc] = servicesOf({ main: base + extra, master: null });
    const p = predictInbound(svc, client);
    assert.deepEqual(p, predictInboundUncached(svc, client));
    reasons.add(p.reason);
  }
  // An exclusion list written with other separators: same tokens, but the reason quotes the value as written.
  const noShared = 'smtpd_tls_security_level = may\nsmtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem\nsmtpd_tls_key_file = /etc/ssl/private/ssl-cert-snakeoil.key\ntls_high_cipherlist = aNULL\nsmtpd_tls_ciphers = high\nsmtpd_tls_protocols = TLSv1.2\n';
  for (const list of ['aNULL, SHA1', 'aNULL,SHA1']) {
    const [svc] = servicesOf({ main: `${noShared}smtpd_tls_exclude_ciphers = ${list}\n`, master: null });
    const p = predictInbound(svc, client);
    assert.deepEqual(p, predictInboundUncached(svc, client));
    reasons.add(p.reason);
  }
  assert.ok(reasons.size >= 3, [...reasons].join('\n'));
});
