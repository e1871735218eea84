/**
 * Defaults that postconf computes from the machine and the command line: config_directory
 * (-c DIR), myhostname / mydomain (the host name and main.cf), mynetworks (the interfaces,
 * mynetworks_style, inet_interfaces, inet_protocols), mail_version, process_name, and
 * read-only assignments. Unit cases, then the model against the real postconf run with a
 * host name of our choosing (unshare --uts; without root, this machine's name).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ConfigModel } from '../../src/model/config.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import { defaultMynetworks, formatIpv6, type InterfaceAddress, type PostfixEnvironment } from '../../src/model/environment.js';
import { cliEnvironment } from '../../src/cli/environment.js';
import { havePostconf, hostnameFor, NO_POSTCONF, postconfCommand, removeDir, tempConfigDir, backdate } from '../support/postfix.js';
import { spawnSync } from 'node:child_process';
import { runShowCommand } from '../support/show-harness.js';

const VERSION = '3.7.11';

function model(text: string, env: PostfixEnvironment = {}, version = VERSION): ConfigModel {
  return new ConfigModel(parseMainCf(text, 'main.cf'), version, undefined, env);
}

test('myhostname and mydomain derive from the host name and main.cf as in postconf', () => {
  assert.equal(model('', { hostname: 'vm' }).value('myhostname'), 'vm.localdomain');
  assert.equal(model('', { hostname: 'vm' }).value('mydomain'), 'localdomain');
  assert.equal(model('', { hostname: 'mx.example.org' }).value('myhostname'), 'mx.example.org');
  assert.equal(model('', { hostname: 'mx.example.org' }).value('mydomain'), 'example.org');
  assert.equal(model('mydomain = example.com\n', { hostname: 'vm' }).value('myhostname'), 'vm.example.com');
  // mydomain's value is expanded with main.cf values only.
  assert.equal(model('mydomain = $d\nd = example.net\n', { hostname: 'vm' }).value('myhostname'), 'vm.example.net');
  assert.equal(model('mydomain = x$mail_name\n', { hostname: 'vm' }).value('myhostname'), 'vm.x');
  assert.equal(model('myhostname = a.b.c\n', { hostname: 'vm' }).value('mydomain'), 'b.c');
  assert.equal(model('myhostname = single\n', { hostname: 'vm' }).value('mydomain'), 'localdomain');
  assert.equal(model('', {}).value('myhostname'), 'localhost.localdomain');
  assert.equal(model('').value('myorigin'), 'localhost.localdomain');
});

test('config_directory, mail_version, process_name, read-only assignments', () => {
  assert.equal(model('', { configDirectory: '/srv/pf' }).value('config_directory'), '/srv/pf');
  assert.equal(model('config_directory = /x\n', { configDirectory: '/srv/pf' }).value('config_directory'), '/x');
  assert.equal(model('').value('config_directory'), '/etc/postfix');
  assert.equal(model('smtp_tls_CAfile = $config_directory/ca.pem\n', { configDirectory: '/srv/pf' }).value('smtp_tls_CAfile'), '/srv/pf/ca.pem');
  assert.equal(model('', {}, '3.7.11').value('mail_version'), '3.7.11');
  assert.equal(model('', {}, '3.9.0').value('mail_version'), '3.9');
  assert.match(model('', {}, '3.7').value('mail_version'), /^3\.7\.\d+$/);
  assert.equal(model('', {}, '3.7.99').value('mail_version'), '3.7.99');
  assert.equal(model('process_name = x\n').value('process_name'), 'postconf');
  assert.equal(model('', { processName: 'smtpd', processId: 42 }).value('process_id'), '42');
  assert.equal(model('x = ${data_directory}/smtpd_scache\n').value('x'), '/var/lib/postfix/smtpd_scache');
});

test('mynetworks: host, subnet and class styles, protocols and interfaces', () => {
  const ifs: InterfaceAddress[] = [
    { family: 'IPv4', address: '127.0.0.1', prefixLength: 8 },
    { family: 'IPv6', address: '::1', prefixLength: 128 },
    { family: 'IPv4', address: '172.20.3.4', prefixLength: 20 },
    { family: 'IPv6', address: '2001:db8:0:1:2:3:4:5', prefixLength: 64 },
  ];
  const at = (settings: Record<string, string>) => defaultMynetworks({ interfaces: ifs }, (n) => settings[n]).trimEnd();
  assert.equal(at({ mynetworks_style: 'host' }), '127.0.0.1/32 172.20.3.4/32 [::1]/128 [2001:db8:0:1:2:3:4:5]/128');
  assert.equal(at({ mynetworks_style: 'subnet' }), '127.0.0.0/8 172.20.0.0/20 [::1]/128 [2001:db8:0:1::]/64');
  assert.equal(at({ mynetworks_style: 'class' }), '127.0.0.0/8 172.20.0.0/16 [::1]/128 [2001:db8:0:1::]/64');
  assert.equal(at({ mynetworks_style: 'subnet', inet_protocols: 'ipv4' }), '127.0.0.0/8 172.20.0.0/20');
  assert.equal(at({ mynetworks_style: 'host', inet_interfaces: 'loopback-only' }), '127.0.0.1/32 [::1]/128');
  assert.equal(at({ mynetworks_style: 'host', inet_interfaces: '172.20.3.4' }), '172.20.3.4/32');
  // The compatibility level decides the style by default: subnet before level 2, host from it.
  assert.equal(model('', { interfaces: ifs }).value('mynetworks'), '127.0.0.0/8 172.20.0.0/20 [::1]/128 [2001:db8:0:1::]/64');
  // Each network ends with a space, which shows where $mynetworks is followed by more text.
  assert.equal(model('x = [$mynetworks]\n', { interfaces: ifs, }).expand('x').value, '[127.0.0.0/8 172.20.0.0/20 [::1]/128 [2001:db8:0:1::]/64 ]');
  assert.equal(model('compatibility_level = 2\n', { interfaces: ifs }).value('mynetworks'), '127.0.0.1/32 172.20.3.4/32 [::1]/128 [2001:db8:0:1:2:3:4:5]/128');
});

test('IPv6 text as glibc inet_ntop() writes it', () => {
  const bytes = (words: number[]) => words.flatMap((w) => [w >> 8, w & 0xff]);
  assert.equal(formatIpv6(bytes([0, 0, 0, 0, 0, 0, 0, 1])), '::1');
  assert.equal(formatIpv6(bytes([0, 0, 0, 0, 0, 0, 0, 0])), '::');
  assert.equal(formatIpv6(bytes([0xfe80, 0, 0, 0, 0, 0, 0, 0])), 'fe80::');
  assert.equal(formatIpv6(bytes([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1])), '2001:db8:0:1::1');
  assert.equal(formatIpv6(bytes([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])), '2001:db8::1:0:0:1');
  assert.equal(formatIpv6(bytes([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1])), '::ffff:127.0.0.1');
  assert.equal(formatIpv6(bytes([0, 0, 0, 0, 0, 0, 0x0102, 0x0304])), '::1.2.3.4');
  assert.equal(formatIpv6(bytes([1, 0, 2, 3, 4, 5, 6, 7])), '1:0:2:3:4:5:6:7');
});

// ------------------------------------------------------------------ against postconf

/** main.cf variants whose computed defaults postconf derives differently. */
const CASES: Record<string, string> = {
  empty: '',
  mydomain: 'mydomain = example.com\n',
  mydomain_ref: 'mydomain = $dom\ndom = example.net\n',
  mydomain_builtin_ref: 'mydomain = x$mail_name\n',
  myhostname: 'myhostname = a.b.example\n',
  myhostname_ref: 'myhostname = $h.example.org\nh = mx7\n',
  config_directory: 'config_directory = /srv/postfix\n',
  host_style: 'mynetworks_style = host\n',
  class_style: 'mynetworks_style = class\ninet_protocols = ipv4\n',
  compat_2: 'compatibility_level = 2\ninet_protocols = ipv6\n',
  loopback: 'inet_interfaces = loopback-only\n',
  mynetworks_in_text: 'smtp_helo_name = [$mynetworks]\nmynetworks_style = host\n',
  read_only: 'process_name = me\nprocess_id = 1\nx = $process_name\n',
};
const NAMES = ['myhostname', 'mydomain', 'myorigin', 'mydestination', 'mynetworks', 'config_directory', 'mail_version', 'process_name', 'smtpd_banner', 'smtp_helo_name', 'x'];

for (const hostname of ['mx1', 'relay.example.com']) {
  test(`computed defaults equal postconf -x with host name ${hostname}`, (t) => {
    if (!havePostconf()) return t.skip(NO_POSTCONF);
    const problems: string[] = [];
    for (const [label, mainCf] of Object.entries(CASES)) {
      const dir = tempConfigDir({ 'main.cf': mainCf, 'master.cf': '' });
      try {
        backdate(dir);
        const [command, argv] = postconfCommand(['-c', dir, '-x', ...NAMES], hostname);
        const theirs = spawnSync(command, argv, { encoding: 'latin1' });
        const ours = runShowCommand(join(dir, 'main.cf'), NAMES, { expand: true, postfixVersion: VERSION, hostname: hostnameFor(hostname) });
        if (ours.stdout !== theirs.stdout) problems.push(`${label}:\n postconf ${JSON.stringify(theirs.stdout)}\n show     ${JSON.stringify(ours.stdout)}`);
        const warnings = (s: string) => s.split('\n').filter((l) => /read-only|unknown parameter/.test(l)).map((l) => l.replace(/^[^:]*: warning: /, '')).sort();
        assert.deepEqual(warnings(ours.stderr), warnings(theirs.stderr), label);
      } finally {
        removeDir(dir);
      }
    }
    assert.deepEqual(problems, []);
    assert.equal(cliEnvironment(hostnameFor(hostname)).hostname, hostnameFor(hostname));
  });
}
