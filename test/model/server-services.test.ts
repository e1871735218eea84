/** The server model: smtpd services, their roles and their effective TLS policy after -o overrides. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWholeConfig } from '../../src/model/whole-config.js';
import { findServerServices } from '../../src/model/server-services.js';
import { STOCK_MASTER, SUBMISSION, SUBMISSIONS, CERT } from '../support/server-rule-tester.js';

function server(main: string, master?: string) {
  return buildWholeConfig({ main: { path: 'main.cf', text: main }, master: master === undefined ? null : { path: 'master.cf', text: master } }, { postfixVersion: '3.7.11' }).server;
}

const roles = (s: ReturnType<typeof server>) => s.services.map((x) => `${x.name}/${x.type}:${x.role}${x.behindPostscreen ? ' (postscreen)' : ''}`);

test('roles: port 25, submission, submissions, loopback, other ports', () => {
  const s = server(CERT, STOCK_MASTER + SUBMISSION + SUBMISSIONS + '127.0.0.1:10025 inet n - n - - smtpd\n2525 inet n - n - - smtpd\n[::1]:25 inet n - n - - smtpd\nsmtps inet n - n - - smtpd\n');
  assert.equal(s.masterCf, 'present');
  assert.deepEqual(roles(s), ['smtp/inet:public-mx', 'submission/inet:submission', 'submissions/inet:submissions', '127.0.0.1:10025/inet:local-only', '2525/inet:other', '[::1]:25/inet:local-only', 'smtps/inet:submissions']);
  assert.deepEqual(s.services.map((x) => x.port), [25, 587, 465, 10025, 2525, 25, 465]);
});

test('inet_interfaces = loopback-only makes every listener local-only', () => {
  assert.deepEqual(roles(server('inet_interfaces = loopback-only\n', STOCK_MASTER)), ['smtp/inet:local-only']);
  assert.deepEqual(roles(server('inet_interfaces = 127.0.0.1, [::1]\n', STOCK_MASTER)), ['smtp/inet:local-only']);
  assert.deepEqual(roles(server('inet_interfaces = 192.0.2.10\n', STOCK_MASTER)), ['smtp/inet:public-mx']);
});

test('postscreen in front: the pass smtpd named by smtpd_service_name has the listener role', () => {
  const s = server(CERT, 'smtp inet n - y - 1 postscreen\n  -o smtpd_service_name=mysmtpd\nsmtpd pass - - y - - smtpd\nmysmtpd pass - - y - - smtpd\n  -o smtpd_tls_security_level=may\n');
  assert.deepEqual(roles(s), ['mysmtpd/pass:public-mx (postscreen)']);
  assert.equal(s.services[0].listener, 'smtp');
  assert.deepEqual(findServerServices(s, 'smtp').map((x) => x.name), ['mysmtpd']);
  assert.deepEqual(findServerServices(s, 'mysmtpd').map((x) => x.name), ['mysmtpd']);
  assert.equal(s.postscreen[0].tlsLevel, null, 'postscreen_tls_security_level follows the (empty) smtpd level');
});

test('no master.cf: the stock smtp service is assumed', () => {
  const s = server(CERT);
  assert.equal(s.masterCf, 'assumed');
  assert.deepEqual(roles(s), ['smtp/inet:public-mx']);
  assert.ok(s.services[0].assumed);
  assert.equal(s.master, null);
});

test('no smtpd in master.cf: nothing receives mail', () => {
  assert.deepEqual(server(CERT, 'pickup unix n - y 60 1 pickup\n').services, []);
});

test('effective policy after -o overrides: level, legacy booleans, wrapper mode, auth_only, SASL', () => {
  const s = server(`${CERT}smtpd_tls_security_level = may\nsmtpd_tls_protocols = >=TLSv1.2\n`, STOCK_MASTER + SUBMISSION + SUBMISSIONS + 'legacy inet n - n - - smtpd\n  -o smtpd_tls_security_level=\n  -o smtpd_enforce_tls=yes\n');
  const [mx, sub, subs, legacy] = s.services.map((x) => x.policy);
  assert.deepEqual([mx.level, mx.enforced, mx.protocolsParam, mx.protocols.min, mx.authOnly.value, mx.saslEnabled], ['may', false, 'smtpd_tls_protocols', 'TLSv1.2', false, false]);
  assert.deepEqual([sub.level, sub.enforced, sub.protocolsParam, sub.protocols.min, sub.authOnly, sub.saslEnabled, sub.gradeParam], ['encrypt', true, 'smtpd_tls_mandatory_protocols', 'TLSv1', { value: true, implied: true }, true, 'smtpd_tls_mandatory_ciphers']);
  assert.deepEqual([subs.wrappermode, subs.level, subs.enforced, subs.levelSource.param], [true, 'encrypt', true, 'smtpd_tls_wrappermode']);
  assert.deepEqual([legacy.level, legacy.levelSource.param], ['encrypt', 'smtpd_enforce_tls']);
  // The include form: "TLSv1" alone is TLS 1.0 only, exactly as Postfix hands it to OpenSSL.
  const inc = server(`${CERT}smtpd_tls_security_level = may\nsmtpd_tls_protocols = TLSv1\n`).services[0].policy;
  assert.deepEqual(inc.protocols.enabled, ['TLSv1']);
});

test('cipher list: grade by level, exclusions, mandatory exclusions only when enforced, aNULL when asking for client certificates', () => {
  const s = server(`${CERT}smtpd_tls_security_level = may\nsmtpd_tls_exclude_ciphers = SHA1\nsmtpd_tls_mandatory_exclude_ciphers = kRSA\nsmtpd_tls_ask_ccert = yes\n`, STOCK_MASTER + SUBMISSION);
  assert.equal(s.services[0].policy.cipherString, 'aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH:!SHA1:!aNULL');
  assert.equal(s.services[1].policy.cipherString, 'aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH:!SHA1:!kRSA:!aNULL');
});

test('certificates: chain files win, eccert is ECDSA, cert file assumed RSA unless its name says EC, none is deliberate', () => {
  const certs = (main: string) => server(main).services[0].policy.certificates;
  assert.deepEqual(certs(CERT).keyTypes, ['RSA']);
  assert.deepEqual(certs(`${CERT}smtpd_tls_eccert_file = /etc/ssl/ec.pem\n`).keyTypes, ['RSA', 'ECDSA']);
  const chain = certs(`${CERT}smtpd_tls_chain_files = /etc/postfix/rsa.key, /etc/postfix/rsa.pem, /etc/postfix/ecdsa.key, /etc/postfix/ecdsa-chain.pem\n`);
  assert.deepEqual(chain.keyTypes, ['RSA', 'ECDSA']);
  assert.deepEqual(chain.legacyIgnored, ['smtpd_tls_cert_file']);
  assert.equal(certs('').configured, false);
  assert.deepEqual([certs('smtpd_tls_cert_file = none\n').configured, certs('smtpd_tls_cert_file = none\n').none], [false, true]);
});
