import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseMasterCf } from '../../src/parser/master-cf.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import { ConfigModel } from '../../src/model/config.js';
import { serviceModels, serviceRole } from '../../src/model/services.js';
import { havePostconf, NO_POSTCONF, removeDir, tempConfigDir } from '../support/postfix.js';
import { backdate } from '../support/postfix.js';

function models(main: string, master: string) {
  return serviceModels(new ConfigModel(parseMainCf(main), '3.7'), parseMasterCf(master));
}

test('services: roles come from the command, not the service name', () => {
  assert.equal(serviceRole('smtp'), 'client-smtp');
  assert.equal(serviceRole('lmtp'), 'client-lmtp');
  assert.equal(serviceRole('smtpd'), 'server');
  assert.equal(serviceRole('/usr/lib/postfix/sbin/smtp'), 'client-smtp');
  assert.equal(serviceRole('pipe'), undefined);
  const m = models('', 'smtp inet n - y - - smtpd\nrelay unix - - n - - smtp\nexchange-legacy unix - - n - - smtp -o smtp_tls_security_level=may\ndovecot unix - - n - - lmtp\npickup unix n - y 60 1 pickup\n');
  assert.deepEqual(
    m.map((s) => [s.service, s.type, s.command, s.role, s.prefix]),
    [
      ['smtp', 'inet', 'smtpd', 'server', 'smtpd_'],
      ['relay', 'unix', 'smtp', 'client-smtp', 'smtp_'],
      ['exchange-legacy', 'unix', 'smtp', 'client-smtp', 'smtp_'],
      ['dovecot', 'unix', 'lmtp', 'client-lmtp', 'lmtp_'],
    ],
  );
});

test('services: overrides apply on top of main.cf and $name expands against both', () => {
  const main = 'smtp_tls_security_level = may\nrelay_level = encrypt\nsmtp_tls_policy_maps = $policy_map\npolicy_map = hash:/etc/postfix/tls_policy\n';
  const master = 'relay unix - - n - - smtp\n  -o smtp_tls_security_level=$relay_level\n  -o policy_map=hash:/etc/postfix/relay_policy\nsmtp unix - - n - - smtp\n';
  const [relay, smtp] = models(main, master);
  assert.equal(relay.model.value('smtp_tls_security_level'), 'encrypt');
  assert.equal(relay.model.resolve('smtp_tls_security_level')?.source, 'override');
  assert.equal(relay.model.value('smtp_tls_policy_maps'), 'hash:/etc/postfix/relay_policy');
  assert.equal(smtp.model.value('smtp_tls_security_level'), 'may');
  assert.equal(smtp.model.value('smtp_tls_policy_maps'), 'hash:/etc/postfix/tls_policy');
  const o = relay.overrides[0];
  assert.equal(master.slice(...o.range), '-o smtp_tls_security_level=$relay_level');
  assert.equal(master.slice(...o.valueRange), '$relay_level');
  assert.equal(o.line, 2);
});

test('services: the last -o for a name wins; duplicate entries keep only the last', () => {
  const m = models('', 'r unix - - n - - smtp -o smtp_tls_security_level=may -o smtp_tls_security_level=verify\nr unix - - n - - smtp -o smtp_tls_security_level=dane\n');
  assert.equal(m.length, 1);
  assert.equal(m[0].model.value('smtp_tls_security_level'), 'dane');
  const one = models('', 'r unix - - n - - smtp -o smtp_tls_security_level=may -o smtp_tls_security_level=verify\n')[0];
  assert.deepEqual(
    one.overrides.map((o) => o.effective),
    [false, true],
  );
  assert.equal(one.model.value('smtp_tls_security_level'), 'verify');
});

test('services: names another process reads are marked ignored; unknown names get the postconf warning', () => {
  const [lmtp, smtp, smtpd] = models(
    'custom_level = encrypt\n',
    'l unix - - n - - lmtp -o smtp_tls_security_level=encrypt -o lmtp_tls_security_level=may\n' +
      's unix - - n - - smtp -o lmtp_tls_security_level=may -o smtp_tls_bogus=1 -o local_thing=x -o smtp_helo_name=$local_thing\n' +
      'd inet n - y - - smtpd -o smtp_tls_security_level=may -o smtpd_tls_security_level=encrypt\n',
  );
  assert.deepEqual(
    lmtp.overrides.map((o) => o.ignoredBecause),
    ['smtp-name-in-lmtp-client', undefined],
  );
  assert.deepEqual(
    smtp.overrides.map((o) => [o.name, o.ignoredBecause, o.unusedWarning]),
    [
      ['lmtp_tls_security_level', 'lmtp-name-in-smtp-client', false],
      ['smtp_tls_bogus', undefined, true],
      ['local_thing', undefined, false],
      ['smtp_helo_name', undefined, false],
    ],
  );
  assert.deepEqual(
    smtpd.overrides.map((o) => o.ignoredBecause),
    ['client-name-in-server', undefined],
  );
});

test('services: long-form values keep inner whitespace; the model folds it like postconf', () => {
  const [s] = models('', 'sub inet n - y - - smtpd -o { smtpd_client_restrictions = permit_sasl_authenticated,\n      reject }\n');
  assert.equal(s.overrides[0].value, 'permit_sasl_authenticated,      reject');
  assert.equal(s.model.value('smtpd_client_restrictions'), 'permit_sasl_authenticated, reject');
});

test('services: expanded override values equal postconf -Px', (t) => {
  if (!havePostconf()) {
    t.skip(NO_POSTCONF);
    return;
  }
  const main = 'relay_level = encrypt\nlvl2 = $relay_level\nmyhelo = mx.example\nsmtp_tls_security_level = may\n';
  const master =
    'relay unix - - n - - smtp -o smtp_tls_security_level=$lvl2 -o { smtp_helo_name = ${myhost?{$myhost}:{none}} x } -o myhost=$myhelo\n' +
    'sub inet n - y - - smtpd\n  -o { smtpd_client_restrictions = permit_sasl_authenticated, reject }\n  -o smtpd_tls_security_level=${relay_level}\n' +
    'lm unix - - n - - lmtp -o lmtp_tls_security_level=$smtp_tls_security_level\n';
  const dir = tempConfigDir({ 'main.cf': main, 'master.cf': master });
  try {
    backdate(dir);
    const out = execFileSync('postconf', ['-c', dir, '-Px'], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter((l) => l !== '')
      .sort();
    const ours = models(main, master)
      .flatMap((s) => s.overrides.map((o) => `${s.service}/${s.type}/${o.name} = ${s.model.value(o.name)}`))
      .sort();
    assert.deepEqual(ours, out);
    t.diagnostic(`${ours.length} expanded override values agree with postconf -Px`);
  } finally {
    removeDir(dir);
  }
});
