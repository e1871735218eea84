/**
 * Live checks of the server (confirm commands of the smtpd rules, handshake --inbound) name it by myhostname only
 * when main.cf sets it. Otherwise they carry a shell form that stops with a message until MX_HOST is set, instead of
 * a stand-in host that a copied command would try to connect to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../support/show-harness.js';
import { removeDir, tempConfigDir } from '../support/postfix.js';
import { UNKNOWN_SERVER_HOST } from '../../src/model/describe.js';

const SERVER = 'smtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem\nsmtpd_tls_key_file = /etc/ssl/private/ssl-cert-snakeoil.key\nsmtpd_tls_security_level = may\nsmtpd_tls_protocols = >=TLSv1.2\n';

async function confirms(main: string): Promise<string[]> {
  const dir = tempConfigDir({ 'main.cf': main });
  try {
    const r = await runCli(['-f', 'json', '--postfix-version', '3.7.11', '--files', 'off', join(dir, 'main.cf')]);
    assert.equal(r.code, 1, r.stderr);
    const findings = (JSON.parse(r.stdout) as { files: Array<{ findings: Array<{ ruleId: string; confirm?: string }> }> }).files.flatMap((f) => f.findings);
    return findings.filter((m) => m.ruleId.startsWith('smtpd-') && m.confirm).map((m) => m.confirm as string);
  } finally {
    removeDir(dir);
  }
}

test('without myhostname in main.cf, server checks carry the MX_HOST form (no brackets, no stand-in host)', async () => {
  const commands = await confirms(SERVER);
  assert.ok(commands.length > 0, 'expected an smtpd finding with a confirm command');
  for (const c of commands) {
    assert.ok(c.includes(`${UNKNOWN_SERVER_HOST}:25`) || c.includes(`${UNKNOWN_SERVER_HOST} 25`), c);
    assert.doesNotMatch(c, /example\.(org|net|com)|\[\"\$\{MX_HOST/, c);
  }
});

test('with myhostname set in main.cf, server checks name it', async () => {
  const commands = await confirms(`myhostname = mail.example.test\n${SERVER}`);
  assert.ok(commands.length > 0);
  for (const c of commands) {
    assert.ok(c.includes('mail.example.test'), c);
    assert.ok(!c.includes('MX_HOST'), c);
  }
});

test('the MX_HOST form runs as printed: it stops with what to set, and expands once MX_HOST is set', (t) => {
  const sh = spawnSync('sh', ['-c', `echo ${UNKNOWN_SERVER_HOST}:25`], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  if (sh.error) {
    t.skip('no sh on this machine');
    return;
  }
  assert.notEqual(sh.status, 0);
  assert.match(sh.stderr, /MX_HOST: set MX_HOST to the name or address of the server/);
  const set = spawnSync('sh', ['-c', `echo ${UNKNOWN_SERVER_HOST}:25`], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', MX_HOST: 'mx.test' } });
  assert.equal(set.status, 0);
  assert.equal(set.stdout, 'mx.test:25\n');
});
