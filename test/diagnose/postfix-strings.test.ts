/**
 * Ground truth for the message patterns diagnose reads: every Postfix format
 * string the readers match is in the installed Postfix 3.x binaries and
 * libraries, and every OpenSSL reason string the classifier knows is in the
 * installed libssl. Skipped (and said so) where Postfix or libssl is not
 * installed; .ci/run installs them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knownReasons } from '../../src/diagnose/openssl-errors.js';

/** Format strings (as in the C source) the readers depend on, with the module they come from. */
const POSTFIX_STRINGS: readonly [string, string][] = [
  ['SSL_connect error to %s: %d', 'tls_client.c'],
  ['SSL_connect error to %s: lost connection', 'tls_client.c'],
  ['SSL_accept error from %s: %d', 'tls_server.c'],
  ['SSL_accept error from %s: lost connection', 'tls_server.c'],
  ['TLS library problem: %s:%s:%d:', 'tls_misc.c'],
  ['%s: Invalid TLS protocol list "%s": aborting TLS session', 'tls_client.c'],
  ['%s: error setting cipher grade: "%s"', 'tls_misc.c'],
  ['%s: invalid cipher grade: "%s"', 'tls_misc.c'],
  ["%s: invalid unary '!+-@' in cipher exclusion: %s", 'tls_misc.c'],
  ['certificate verification failed for %s: untrusted issuer %s', 'tls_verify.c'],
  ['%s certificate verification failed for %s: certificate has', 'tls_verify.c'],
  ['%s certificate verification failed for %s: num=%d:%s', 'tls_verify.c'],
  ['TLS is required, but was not offered by host %s', 'smtp_proto.c'],
  ['TLS is required, but host %s refused to start TLS: %s', 'smtp_proto.c'],
  ['TLS is required, but our TLS engine is unavailable', 'smtp_proto.c'],
  ['Cannot start TLS: handshake failure', 'smtp_proto.c'],
  ['Server certificate not verified', 'smtp_proto.c'],
  ['client TLS configuration problem', 'smtp_proto.c'],
  ['receiving the STARTTLS response', 'smtp_proto.c'],
  ['lost connection with %s while %s', 'smtp_trouble.c'],
  ['conversation with %s timed out while %s', 'smtp_trouble.c'],
  ['TLS policy lookup for %s/%s: %s', 'smtp_connect.c'],
  ['TLS policy lookup error for %s/%s: %s', 'smtp_connect.c'],
  ['%s: %s configured with dnssec lookups disabled', 'smtp_tls_policy.c'],
  ['configured at fingerprint security level, but with no fingerprints to match', 'smtp_tls_policy.c'],
  ['%s: policy table lookup error', 'smtp_tls_policy.c'],
  ['TLS handshake failed for service=%s peer=%s', 'tlsproxy_state.c'],
  ['connect to %s service: %m', 'tls_proxy_clnt.c'],
  ['%s service role "%s" is not available', 'tls_proxy_clnt.c'],
  ['%s after %s from %s', 'smtpd.c (lost connection after STARTTLS)'],
  ['disconnect from %s%s', 'smtpd.c'],
  ['Must issue a STARTTLS command first', 'smtpd.c (not logged: the reason for reading command counts)'],
  ['Session encryption is required', 'smtpd_check.c'],
  ['No server certs available. TLS won\'t be enabled', 'smtpd.c'],
  ['Refusing STARTTLS request from %s for service %s', 'smtpd.c'],
  ['error opening chain file: %s: %m', 'tls_certkey.c'],
  ['cannot get %s certificate from file "%s": disabling TLS support', 'tls_certkey.c'],
  ['%s private key in %s does not match public key in %s: disabling TLS support', 'tls_certkey.c'],
];

function postfixFiles(): string[] | null {
  let daemonDir = '/usr/lib/postfix/sbin';
  try {
    daemonDir = execFileSync('postconf', ['-h', 'daemon_directory'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || daemonDir;
  } catch {
    // no postconf: try the Debian path
  }
  if (!existsSync(join(daemonDir, 'smtp'))) return null;
  const libDir = join(daemonDir, '..');
  const libs = existsSync(libDir) ? readdirSync(libDir).filter((f) => f.startsWith('libpostfix-') && f.includes('.so')).map((f) => join(libDir, f)) : [];
  return [...['smtp', 'smtpd', 'tlsproxy', 'postscreen'].map((d) => join(daemonDir, d)).filter((f) => existsSync(f)), ...libs, ...['/usr/sbin/posttls-finger'].filter((f) => existsSync(f))];
}

function libssl(): string | null {
  try {
    const out = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /libssl\.so\.3 .*=> (\S+)/.exec(out);
    return m && existsSync(m[1]) ? m[1] : null;
  } catch {
    return null;
  }
}

test('Postfix format strings diagnose matches are in the installed Postfix', (t) => {
  const files = postfixFiles();
  if (!files) {
    t.skip('Postfix is not installed (no smtp daemon): format strings not checked');
    return;
  }
  const text = files.map((f) => readFileSync(f).toString('latin1')).join('\n');
  for (const [s, origin] of POSTFIX_STRINGS) assert.ok(text.includes(s), `"${s}" (${origin}) is not in ${files.join(', ')}`);
});

test('OpenSSL reason strings the classifier knows are in the installed libssl (OpenSSL 3)', (t) => {
  const lib = libssl();
  if (!lib) {
    t.skip('libssl.so.3 not found: reason strings not checked');
    return;
  }
  const text = readFileSync(lib).toString('latin1');
  const reasons = knownReasons();
  assert.ok(reasons.length >= 15);
  for (const r of reasons) assert.ok(text.includes(`\0${r}\0`), `"${r}" is not in ${lib}`);
});
