/**
 * --hostname on the commands that build a model (lint, show, handshake, ciphers --config):
 * myhostname, mydomain and myorigin derive from it as postconf derives them from the
 * machine's name; config_directory is the directory of the main.cf read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../support/show-harness.js';
import { removeDir, tempConfigDir } from '../support/postfix.js';

test('show --hostname: myhostname, mydomain, myorigin and $config_directory', async () => {
  const dir = tempConfigDir({ 'main.cf': 'smtp_tls_CAfile = $config_directory/ca.pem\nsmtpd_tls_session_cache_database = btree:${data_directory}/smtpd_scache\n' });
  try {
    const file = join(dir, 'main.cf');
    const names = ['myhostname', 'mydomain', 'myorigin', 'smtp_tls_CAfile', 'smtpd_tls_session_cache_database', 'smtpd_banner'];
    const fqdn = await runCli(['show', '-x', '--postfix-version', '3.7.11', '--hostname', 'mx.example.org', file, ...names]);
    assert.equal(fqdn.code, 0, fqdn.stderr);
    assert.equal(
      fqdn.stdout,
      [
        'myhostname = mx.example.org',
        'mydomain = example.org',
        'myorigin = mx.example.org',
        `smtp_tls_CAfile = ${dir}/ca.pem`,
        'smtpd_tls_session_cache_database = btree:/var/lib/postfix/smtpd_scache',
        'smtpd_banner = mx.example.org ESMTP Postfix',
        '',
      ].join('\n'),
    );
    const short = await runCli(['show', '-x', '--postfix-version', '3.7.11', '--hostname', 'vm', file, 'myhostname', 'mydomain']);
    assert.equal(short.stdout, 'myhostname = vm.localdomain\nmydomain = localdomain\n');
    assert.equal(short.stderr, '');
  } finally {
    removeDir(dir);
  }
});

test('an unusable --hostname is a usage error on every command that takes it', async () => {
  const dir = tempConfigDir({ 'main.cf': 'smtp_tls_security_level = may\n' });
  try {
    const file = join(dir, 'main.cf');
    for (const argv of [
      ['show', '--hostname', 'bad name', file],
      ['--hostname', '', file],
      ['handshake', '--hostname', 'a..b', file],
      ['ciphers', '--config', file, '--hostname', '-x-'],
    ]) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /--hostname/, argv.join(' '));
    }
    const ok = await runCli(['--hostname', 'mx.example.org', '--postfix-version', '3.7.11', file]);
    assert.ok(ok.code === 0 || ok.code === 1, ok.stderr);
  } finally {
    removeDir(dir);
  }
});
