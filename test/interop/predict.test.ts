import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictForConfig, predictHandshake } from '../../src/interop/predict.js';
import { alternativeProblems, findBuiltinPeer, listPeers } from '../../src/interop/peers.js';
import { ConfigModel } from '../../src/model/config.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import type { PeerProfile } from '../../src/interop/types.js';
import { model } from './helpers.js';

function builtin(id: string): PeerProfile {
  const p = findBuiltinPeer(id);
  assert.ok(p, id);
  return p;
}

const labCert = { keyType: 'RSA' as const, bits: 2048, names: ['peer.interoplab.test', 'localhost'], trusted: true, expired: false };
function labPeer(id: string, protocols: PeerProfile['protocols'], ciphers: string[], extra: Partial<PeerProfile> = {}): PeerProfile {
  // The Node.js peers of interop-lab-notes §2b: client cipher preference (Node's default), lab CA certificate.
  return {
    id, description: id, starttls: true, protocols, ciphers, cipherPreference: 'client', groups: [], certificate: labCert,
    hostname: 'peer.interoplab.test', nexthop: 'peer.interoplab.test', confidence: 'high', sources: ['interop lab'], ...extra,
  };
}
const LAB = {
  ex2010: labPeer('ex2010-tls10', ['TLSv1'], ['ECDHE-RSA-AES256-SHA', 'ECDHE-RSA-AES128-SHA', 'AES256-SHA', 'AES128-SHA']),
  ex2007rsa: labPeer('ex2007-tls10-rsa', ['TLSv1'], ['AES128-SHA', 'AES256-SHA']),
  ex2019: labPeer('ex2019-tls12', ['TLSv1.2'], ['ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256']),
  cbcsha: labPeer('tls12-cbcsha', ['TLSv1.2'], ['ECDHE-RSA-AES256-SHA', 'AES256-SHA']),
  modern: labPeer('modern-tls13', ['TLSv1.2', 'TLSv1.3'], ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384']),
  nostarttls: { ...labPeer('no-starttls', [], []), starttls: false, certificate: undefined },
};
const LAB_CA = 'smtp_tls_CAfile = /lab/certs/ca.crt\n';
const MEDIUM_37 = 'aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH';

interface Row {
  name: string;
  config: string;
  peer: PeerProfile;
  outcome: string;
  delivery: string;
  protocol?: string | null;
  cipher?: string | null;
  reason?: RegExp;
}

// Expected values in the lab rows are the interop lab's observed results (interop-lab-notes §0, §5).
const rows: Row[] = [
  { name: 'lab: may, defaults vs TLS 1.0 ECDHE peer', config: 'smtp_tls_security_level = may\n', peer: LAB.ex2010, outcome: 'tls', delivery: 'tls', protocol: 'TLSv1', cipher: 'ECDHE-RSA-AES256-SHA' },
  { name: 'lab: may, >=TLSv1.2 vs TLS 1.0 peer', config: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\n', peer: LAB.ex2010, outcome: 'handshake-failure', delivery: 'plaintext', reason: /^no common protocol/ },
  { name: 'lab: may, @SECLEVEL=2 in tls_medium_cipherlist vs TLS 1.0 ECDHE', config: `smtp_tls_security_level = may\ntls_medium_cipherlist = ${MEDIUM_37}:@SECLEVEL=2\n`, peer: LAB.ex2010, outcome: 'handshake-failure', delivery: 'plaintext', reason: /legacy sigalg disallowed or unsupported/ },
  { name: 'lab: may, @SECLEVEL=2 vs TLS 1.0 static RSA', config: `smtp_tls_security_level = may\ntls_medium_cipherlist = ${MEDIUM_37}:@SECLEVEL=2\n`, peer: LAB.ex2007rsa, outcome: 'tls', delivery: 'tls', protocol: 'TLSv1', cipher: 'AES256-SHA' },
  { name: 'lab: may, defaults vs static RSA', config: 'smtp_tls_security_level = may\n', peer: LAB.ex2007rsa, outcome: 'tls', delivery: 'tls', protocol: 'TLSv1', cipher: 'AES256-SHA' },
  { name: 'lab: grade high keeps SHA-1 suites', config: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = high\n', peer: LAB.cbcsha, outcome: 'tls', delivery: 'tls', protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-SHA' },
  { name: 'lab: exclude SHA1 vs TLS 1.2 CBC-SHA-only peer', config: 'smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = SHA1\n', peer: LAB.cbcsha, outcome: 'handshake-failure', delivery: 'plaintext', reason: /^no common cipher suite at TLSv1\.2/ },
  { name: 'lab: secure vs TLS 1.2 GCM peer', config: 'smtp_tls_security_level = secure\n' + LAB_CA, peer: LAB.ex2019, outcome: 'tls', delivery: 'tls', protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384' },
  { name: 'lab: secure vs TLS 1.0 ECDHE (seclevel 1)', config: 'smtp_tls_security_level = secure\n' + LAB_CA, peer: LAB.ex2010, outcome: 'handshake-failure', delivery: 'deferred', reason: /legacy sigalg/ },
  { name: 'lab: encrypt vs TLS 1.0 ECDHE', config: 'smtp_tls_security_level = encrypt\n', peer: LAB.ex2010, outcome: 'tls', delivery: 'tls', protocol: 'TLSv1', cipher: 'ECDHE-RSA-AES256-SHA' },
  { name: 'lab: secure vs TLS 1.0 static RSA', config: 'smtp_tls_security_level = secure\n' + LAB_CA, peer: LAB.ex2007rsa, outcome: 'tls', delivery: 'tls', protocol: 'TLSv1', cipher: 'AES256-SHA' },
  { name: 'lab: secure + exclude kEECDH kEDH', config: 'smtp_tls_security_level = secure\nsmtp_tls_mandatory_exclude_ciphers = kEECDH, kEDH\n' + LAB_CA, peer: LAB.ex2010, outcome: 'tls', delivery: 'tls', protocol: 'TLSv1', cipher: 'AES256-SHA' },
  { name: 'lab: secure + @SECLEVEL=0 still fails', config: `smtp_tls_security_level = secure\ntls_medium_cipherlist = ${MEDIUM_37}:@SECLEVEL=0\n` + LAB_CA, peer: LAB.ex2010, outcome: 'handshake-failure', delivery: 'deferred', reason: /legacy sigalg/ },
  { name: 'lab: encrypt ignores smtp_tls_protocols', config: 'smtp_tls_security_level = encrypt\nsmtp_tls_protocols = >=TLSv1.2\n', peer: LAB.ex2010, outcome: 'tls', delivery: 'tls', protocol: 'TLSv1', cipher: 'ECDHE-RSA-AES256-SHA' },
  { name: 'lab: may vs TLS 1.3 peer', config: 'smtp_tls_security_level = may\n', peer: LAB.modern, outcome: 'tls', delivery: 'tls', protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  { name: 'lab: verify with a wrong name', config: 'smtp_tls_security_level = verify\nsmtp_tls_verify_cert_match = wrong.example\n' + LAB_CA, peer: LAB.modern, outcome: 'verification-failure', delivery: 'deferred', protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', reason: /hostname mismatch/ },
  { name: 'lab: encrypt vs no STARTTLS', config: 'smtp_tls_security_level = encrypt\n', peer: LAB.nostarttls, outcome: 'no-starttls', delivery: 'deferred', reason: /TLS is required, but was not offered/ },
  { name: 'lab: may vs no STARTTLS', config: 'smtp_tls_security_level = may\n', peer: LAB.nostarttls, outcome: 'no-starttls', delivery: 'plaintext' },

  // Seed scenario and brief cases against shipped profiles.
  { name: 'seed at may vs Exchange 2010 / 2008 R2', config: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\nsmtp_tls_exclude_ciphers = SHA1\n', peer: builtin('exchange-2010-ws2008r2'), outcome: 'handshake-failure', delivery: 'plaintext', protocol: null, cipher: null, reason: /^no common protocol: Postfix offers TLSv1\.2–TLSv1\.3 \(smtp_tls_protocols = >=TLSv1\.2\), the peer speaks only SSLv3–TLSv1.*later retry.*plaintext/ },
  { name: 'seed at encrypt: smtp_tls_protocols no longer applies, the SHA1 exclusion still does', config: 'smtp_tls_security_level = encrypt\nsmtp_tls_protocols = >=TLSv1.2\nsmtp_tls_exclude_ciphers = SHA1\n', peer: builtin('exchange-2010-ws2008r2'), outcome: 'handshake-failure', delivery: 'deferred', reason: /^no common cipher suite at TLSv1 .*smtp_tls_exclude_ciphers = SHA1.*stays deferred/ },
  { name: 'seed with mandatory >=TLSv1.2 at encrypt', config: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_protocols = >=TLSv1.2\nsmtp_tls_exclude_ciphers = SHA1\n', peer: builtin('exchange-2010-ws2008r2'), outcome: 'handshake-failure', delivery: 'deferred', reason: /^no common protocol: Postfix offers TLSv1\.2–TLSv1\.3 \(smtp_tls_mandatory_protocols = >=TLSv1\.2\)/ },
  { name: 'Exchange 2019 with defaults', config: 'smtp_tls_security_level = may\n', peer: builtin('exchange-2019-ws2019'), outcome: 'tls', delivery: 'tls', protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384' },
  { name: 'exclude SHA1 alone vs TLS 1.0-only peer', config: 'smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = SHA1\n', peer: builtin('exchange-2010-ws2008r2'), outcome: 'handshake-failure', delivery: 'plaintext', reason: /^no common cipher suite at TLSv1 .*ECDHE-RSA-AES256-SHA.*excluded by smtp_tls_exclude_ciphers = SHA1/ },
  { name: 'kRSA excluded vs static-RSA-only peer', config: 'smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = kRSA\n', peer: LAB.ex2007rsa, outcome: 'handshake-failure', delivery: 'plaintext', reason: /AES128-SHA, AES256-SHA: excluded by smtp_tls_exclude_ciphers = kRSA/ },
  { name: 'grade high vs Exchange 2010 (HIGH keeps AES-SHA)', config: 'smtp_tls_security_level = may\nsmtp_tls_ciphers = high\n', peer: builtin('exchange-2010-ws2008r2'), outcome: 'tls', delivery: 'tls', protocol: 'TLSv1', cipher: 'ECDHE-RSA-AES256-SHA' },
  { name: 'verify with an untrusted certificate', config: 'smtp_tls_security_level = verify\nsmtp_tls_CApath = /etc/ssl/certs\n', peer: { ...builtin('exchange-2019-ws2019'), certificate: { ...builtin('exchange-2019-ws2019').certificate!, trusted: false } }, outcome: 'verification-failure', delivery: 'deferred', protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384', reason: /does not chain to a trusted CA/ },
  { name: 'verify with an expired certificate', config: 'smtp_tls_security_level = verify\nsmtp_tls_CApath = /etc/ssl/certs\n', peer: { ...builtin('exchange-2019-ws2019'), certificate: { ...builtin('exchange-2019-ws2019').certificate!, expired: true } }, outcome: 'verification-failure', delivery: 'deferred', reason: /expired/ },
  { name: 'verify with no CA configured', config: 'smtp_tls_security_level = verify\n', peer: builtin('exchange-2019-ws2019'), outcome: 'verification-failure', delivery: 'deferred', reason: /no CA is configured/ },
  { name: 'verify (hostname) passes', config: 'smtp_tls_security_level = verify\nsmtp_tls_CApath = /etc/ssl/certs\n', peer: builtin('exchange-2019-ws2019'), outcome: 'tls', delivery: 'tls' },
  { name: 'secure vs Exchange Online: nexthop does not match the wildcard', config: 'smtp_tls_security_level = secure\nsmtp_tls_CApath = /etc/ssl/certs\n', peer: builtin('exchange-online'), outcome: 'verification-failure', delivery: 'deferred', reason: /\*\.mail\.protection\.outlook\.com.*hostname mismatch/ },
  { name: 'secure vs Exchange Online with match .protection.outlook.com', config: 'smtp_tls_security_level = secure\nsmtp_tls_CApath = /etc/ssl/certs\nsmtp_tls_secure_cert_match = .protection.outlook.com\n', peer: builtin('exchange-online'), outcome: 'tls', delivery: 'tls' },
  { name: 'Cisco ASA at may', config: 'smtp_tls_security_level = may\n', peer: builtin('cisco-asa-esmtp-inspect'), outcome: 'no-starttls', delivery: 'plaintext' },
  { name: 'Cisco ASA at encrypt', config: 'smtp_tls_security_level = encrypt\n', peer: builtin('cisco-asa-esmtp-inspect'), outcome: 'no-starttls', delivery: 'deferred' },
  { name: 'level none', config: 'smtp_tls_security_level = none\n', peer: builtin('exchange-2019-ws2019'), outcome: 'plaintext', delivery: 'plaintext' },
  { name: 'stock 3.7: empty level means none', config: '', peer: builtin('exchange-2019-ws2019'), outcome: 'plaintext', delivery: 'plaintext' },
  { name: 'legacy smtp_use_tls = yes means may', config: 'smtp_use_tls = yes\n', peer: builtin('exchange-2019-ws2019'), outcome: 'tls', delivery: 'tls' },
  { name: '>=TLSv1.3 vs Exchange 2019', config: 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.3\n', peer: builtin('exchange-2019-ws2019'), outcome: 'handshake-failure', delivery: 'plaintext', reason: /no common protocol/ },
  { name: 'lab F: ECDHE+AESGCM only vs 2012 R2', config: 'smtp_tls_security_level = may\ntls_medium_cipherlist = ECDHE+AESGCM\n', peer: builtin('exchange-2016-ws2012r2'), outcome: 'handshake-failure', delivery: 'plaintext', reason: /no common cipher suite at TLSv1\.2/ },
  { name: 'ECDHE+AESGCM only vs 2016', config: 'smtp_tls_security_level = may\ntls_medium_cipherlist = ECDHE+AESGCM\n', peer: builtin('exchange-2016-ws2016'), outcome: 'tls', delivery: 'tls', protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384' },
  { name: 'lab I: X25519-only curves vs hardened 2016', config: 'smtp_tls_security_level = may\ntls_eecdh_auto_curves = X25519\n', peer: builtin('exchange-2016-ws2016-hardened'), outcome: 'handshake-failure', delivery: 'plaintext', reason: /no shared ECDHE curve/ },
  { name: 'Windows 2003: RC4/3DES compiled out', config: 'smtp_tls_security_level = may\n', peer: builtin('exchange-2007-ws2003'), outcome: 'handshake-failure', delivery: 'plaintext', reason: /compiled out of OpenSSL 3/ },
  { name: 'unpatched 2008 R2 at secure picks static RSA first', config: 'smtp_tls_security_level = secure\nsmtp_tls_CApath = /etc/ssl/certs\n', peer: builtin('exchange-2010-ws2008r2-unpatched'), outcome: 'tls', delivery: 'tls', protocol: 'TLSv1', cipher: 'AES128-SHA' },
  { name: 'Java (no TLS_RSA) vs kRSA-only Postfix list', config: 'smtp_tls_security_level = encrypt\ntls_medium_cipherlist = kRSA\nsmtp_tls_mandatory_protocols = <=TLSv1.2\n', peer: builtin('java-jdk24-mta'), outcome: 'handshake-failure', delivery: 'deferred', reason: /no common cipher suite at TLSv1\.2/ },
  { name: 'Java vs TLS <= 1.1 cap', config: 'smtp_tls_security_level = may\nsmtp_tls_protocols = <=TLSv1.1\n', peer: builtin('java-jdk11-mta'), outcome: 'handshake-failure', delivery: 'plaintext', reason: /no common protocol/ },
  { name: 'DHE 1024 at @SECLEVEL=2', config: `smtp_tls_security_level = may\ntls_medium_cipherlist = ${MEDIUM_37}:@SECLEVEL=2\n`, peer: labPeer('dhe1024', ['TLSv1.2'], ['DHE-RSA-AES256-GCM-SHA384'], { dhBits: 1024 }), outcome: 'handshake-failure', delivery: 'plaintext', reason: /dh key too small/ },
  { name: 'dane without TLSA acts as may', config: 'smtp_tls_security_level = dane\nsmtp_tls_protocols = >=TLSv1.2\n', peer: builtin('exchange-2010-ws2008r2'), outcome: 'handshake-failure', delivery: 'plaintext', reason: /acts as may.*smtp_tls_protocols = >=TLSv1\.2/ },
  { name: 'dane-only without TLSA defers', config: 'smtp_tls_security_level = dane-only\n', peer: builtin('exchange-2019-ws2019'), outcome: 'verification-failure', delivery: 'deferred', reason: /TLSA/ },
  { name: 'fingerprint without fingerprints', config: 'smtp_tls_security_level = fingerprint\n', peer: builtin('exchange-2019-ws2019'), outcome: 'verification-failure', delivery: 'deferred', reason: /no fingerprints to match/ },
  { name: 'invalid protocol list', config: 'smtp_tls_security_level = may\nsmtp_tls_protocols = !TLSv9\n', peer: builtin('exchange-2019-ws2019'), outcome: 'handshake-failure', delivery: 'plaintext', reason: /Invalid TLS protocol list/ },
  { name: 'invalid grade at encrypt', config: 'smtp_tls_security_level = encrypt\nsmtp_tls_mandatory_ciphers = bogus\n', peer: builtin('exchange-2019-ws2019'), outcome: 'handshake-failure', delivery: 'deferred', reason: /invalid cipher grade/ },
  { name: 'invalid level', config: 'smtp_tls_security_level = bogus\n', peer: builtin('exchange-2019-ws2019'), outcome: 'handshake-failure', delivery: 'deferred', reason: /Invalid TLS level/ },
];

for (const r of rows) {
  test(`prediction: ${r.name}`, () => {
    const p = predictHandshake(model(r.config), r.peer);
    const got = { outcome: p.outcome, delivery: p.delivery };
    assert.deepEqual(got, { outcome: r.outcome, delivery: r.delivery }, p.reason);
    if (r.protocol !== undefined) assert.equal(p.protocol, r.protocol, p.reason);
    if (r.cipher !== undefined) assert.equal(p.cipher, r.cipher, p.reason);
    if (r.reason) assert.match(p.reason, r.reason);
    assert.match(p.confirm, /posttls-finger /);
  });
}

test('prediction JSON has exactly the documented fields', () => {
  const p = predictHandshake(model('smtp_tls_security_level = may\n'), builtin('exchange-2019-ws2019'));
  assert.deepEqual(Object.keys(p).sort(), ['cipher', 'confirm', 'delivery', 'level', 'outcome', 'peer', 'protocol', 'reason']);
  assert.equal(p.peer, 'exchange-2019-ws2019');
  assert.equal(p.level, 'may');
});

test('confirm command: posttls-finger flags follow the knobs in force', () => {
  const seed = model('smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\n');
  assert.equal(predictHandshake(seed, builtin('exchange-2010-ws2008r2')).confirm, `posttls-finger -c -l may -p '>=TLSv1.2' "[mail.example.com]"`);
  const excl = model('smtp_tls_security_level = may\nsmtp_tls_exclude_ciphers = SHA1\n');
  assert.equal(predictHandshake(excl, builtin('exchange-2010-ws2008r2'), { configDir: '/srv/pf' }).confirm,
    `MAIL_CONFIG=/srv/pf posttls-finger -c -l may -p '>=TLSv1' -o 'tls_medium_cipherlist=aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH:!SHA1' "[mail.example.com]"`);
  const secure = model('smtp_tls_security_level = secure\nsmtp_tls_CAfile = /etc/ssl/ca.pem\nsmtp_tls_mandatory_ciphers = high\n');
  assert.equal(predictHandshake(secure, builtin('exchange-2019-ws2019')).confirm, `posttls-finger -c -l secure -p '>=TLSv1' -g high -F /etc/ssl/ca.pem "example.com"`);
  assert.equal(predictHandshake(model(''), builtin('cisco-asa-esmtp-inspect')).confirm, `posttls-finger -l may "[mail.example.com]"`);
  assert.match(predictHandshake(model('lmtp_tls_security_level = may\n'), builtin('gmail'), { prefix: 'lmtp' }).confirm, /^posttls-finger -S -c -l may .*"inet:\[aspmx\.l\.google\.com\]"$/);
});

test('level override works like a policy entry; predictForConfig keeps peer order', () => {
  const m = model('smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\n');
  const peers = [builtin('exchange-2010-ws2008r2'), builtin('exchange-2019-ws2019')];
  const at = predictForConfig(m, peers, { level: 'encrypt' });
  assert.deepEqual(at.map((p) => [p.peer, p.level, p.outcome]), [
    ['exchange-2010-ws2008r2', 'encrypt', 'tls'],
    ['exchange-2019-ws2019', 'encrypt', 'tls'],
  ]);
});

test('peer facts (issue 13): Gmail speaks TLS 1.3; Exchange Online without TLS 1.3 is an uncertain failure, not a certain one', () => {
  const tls13 = new ConfigModel(parseMainCf('smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.3\n'), '3.7.11');
  const gmail = predictHandshake(tls13, findBuiltinPeer('gmail')!);
  assert.equal(gmail.delivery, 'tls');
  assert.equal(gmail.protocol, 'TLSv1.3');
  const exo = predictHandshake(tls13, findBuiltinPeer('exchange-online')!);
  assert.equal(exo.outcome, 'handshake-failure');
  assert.match(exo.uncertain ?? '', /if its protocols were TLSv1\.2, TLSv1\.3 .* the result would be TLS \(TLSv1\.3/);
  // A default client gets TLS 1.2 either way: nothing uncertain to say.
  const may = new ConfigModel(parseMainCf('smtp_tls_security_level = may\n'), '3.7.11');
  assert.equal(predictHandshake(may, findBuiltinPeer('exchange-online')!).uncertain, undefined);
});

test('peer facts (issue 13): RHEL 7 Postfix 2.10 has one curve and 1024-bit DHE; JDK 11 has no ChaCha20 and the client order; SChannel 2008 R2-2012 R2 keep SSL 3.0', () => {
  const rhel = findBuiltinPeer('rhel7-openssl102-mta')!;
  assert.deepEqual(rhel.groups, ['secp256r1']);
  assert.equal(rhel.dhBits, 1024);
  const jdk = findBuiltinPeer('java-jdk11-mta')!;
  assert.equal(jdk.cipherPreference, 'client');
  assert.ok(!jdk.ciphers.some((c) => c.includes('CHACHA20')));
  assert.equal(jdk.evidence?.cipherPreference?.alternative, 'server');
  for (const id of ['exchange-2010-ws2008r2', 'exchange-2013-ws2012', 'exchange-2013-ws2012r2', 'exchange-2016-ws2012r2']) {
    const p = findBuiltinPeer(id)!;
    assert.ok(p.protocols.includes('SSLv3'), id);
    assert.doesNotMatch(p.description, /TLS 1\.0 only/, id);
  }
  // A low-confidence profile says so in its predictions.
  const may = new ConfigModel(parseMainCf('smtp_tls_security_level = may\n'), '3.7.11');
  assert.match(predictHandshake(may, rhel).uncertain ?? '', /low confidence/);
});

test('every field alternative in the shipped profiles is a valid value of its field', () => {
  for (const p of listPeers()) assert.deepEqual(alternativeProblems(p), [], p.id);
});
