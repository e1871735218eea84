/** Issue 13, classes 7, 12 and 13: policy entries and dedicated services judged for what they are. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintConfig } from '../../src/engine/lint-config.js';
import type { ConfigSources } from '../../src/model/whole-config.js';
import { defaultPeers } from '../../src/interop/peers.js';

const peers = defaultPeers();
function sources(main: string, tables: Record<string, string> = {}, master: string | null = null): ConfigSources {
  return {
    main: { path: 'main.cf', text: main },
    master: master === null ? null : { path: 'master.cf', text: master },
    configDir: '/cfg',
    tables: new Map(Object.entries(tables).map(([name, text]) => [`/cfg/${name}`, { path: name, text }])),
  };
}
const lint = (s: ConfigSources) => lintConfig(s, { postfixVersion: '3.7.11', peers }).findings;
const MAIN = 'smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt\nsmtp_tls_policy_maps = texthash:$config_directory/tls_policy\n';

test('a verifying entry is judged against its own next hop: no error or warning from the default peers', () => {
  const fs = lint(sources(MAIN, { tls_policy: 'bank.example secure match=.bank.example\n' }));
  const loud = fs.filter((f) => f.severity !== 'info');
  assert.deepEqual(loud.map((f) => `${f.ruleId}: ${f.message}`), []);
  for (const f of fs) assert.doesNotMatch(f.message, /example\.com|hostname mismatch/, 'names are the destination\'s, not a placeholder');
});

test('one root cause, one finding: an invalid protocols= is reported once, not once per peer', () => {
  const fs = lint(sources(MAIN, { tls_policy: 'bad.example encrypt protocols=TLSv1.4\n' }));
  assert.deepEqual(fs.filter((f) => f.severity === 'error').map((f) => f.ruleId), ['valid-protocol-list']);
  assert.equal(fs.filter((f) => f.ruleId === 'peer-handshake-failure').length, 0);
});

test('identical findings of many entries are one finding naming the entries', () => {
  const table = ['gmail.com encrypt', '.gmail.com encrypt', 'yahoo.com encrypt', '.yahoo.com encrypt', 'aol.com encrypt', ''].join('\n');
  const fs = lint(sources(MAIN, { tls_policy: table }));
  const enc = fs.filter((f) => f.ruleId === 'encrypt-without-authentication');
  assert.equal(enc.length, 1, enc.map((f) => f.message).join('\n'));
  assert.match(enc[0].message, /^policies for "gmail\.com", "\.gmail\.com", "yahoo\.com" and 2 more: /);
  assert.equal(enc[0].related.filter((r) => /the same for/.test(r.message)).length, 4);
});

test('once a correct per-destination entry exists, the main.cf findings it resolves say so and are information', () => {
  const main = MAIN + 'smtp_tls_protocols = >=TLSv1.2\nsmtp_tls_exclude_ciphers = SHA1\n';
  const without = lint(sources(main, { tls_policy: 'other.example may\n' }));
  const about = (fs: typeof without) => fs.filter((f) => f.file === 'main.cf' && ['peer-handshake-failure', 'opportunistic-protocol-floor', 'costly-cipher-exclusion'].includes(f.ruleId));
  assert.ok(about(without).some((f) => f.severity === 'warning'));
  const withEntry = lint(sources(main, { tls_policy: 'legacy.example may protocols=>=TLSv1 exclude=\n' }));
  const resolved = about(withEntry);
  assert.equal(resolved.length, 3, resolved.map((f) => f.ruleId).join(', '));
  for (const f of resolved) {
    assert.equal(f.severity, 'info', f.ruleId);
    assert.match(f.message, /The policy entry for "legacy\.example" \(tls_policy, line 1\) gives exchange-2010-ws2008r2 TLS/);
  }
});

test('strictness chosen for one transport is a warning at most, with the peers named', () => {
  const master = [
    'smtp      unix  -       -       y       -       -       smtp',
    'partners  unix  -       -       y       -       -       smtp',
    '  -o smtp_tls_security_level=encrypt',
    '  -o smtp_tls_mandatory_protocols=>=TLSv1.3',
    '',
  ].join('\n');
  const fs = lint(sources('smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\n', {}, master));
  const peerFindings = fs.filter((f) => f.ruleId === 'peer-handshake-failure');
  assert.ok(peerFindings.length > 0);
  for (const f of fs) assert.notEqual(f.severity, 'error', `${f.ruleId}: ${f.message}`);
  assert.match(peerFindings[0].message, /exchange-2010-ws2008r2/);
});
