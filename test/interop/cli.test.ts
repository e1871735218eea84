import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handshakeCommand } from '../../src/cli/handshake-command.js';
import { peersCommand } from '../../src/cli/peers-command.js';
import { DEFAULT_PEER_IDS, listPeers } from '../../src/interop/peers.js';
import { memoryIo } from './helpers.js';

function configDir(mainCf: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hs-'));
  writeFileSync(join(dir, 'main.cf'), mainCf);
  return dir;
}

const SEED = 'smtp_tls_security_level = may\nsmtp_tls_protocols = >=TLSv1.2\nsmtp_tls_exclude_ciphers = SHA1\n';

test('handshake: JSON array for the default peers; exit 1 when any peer falls back', () => {
  const dir = configDir(SEED);
  const io = memoryIo();
  const code = handshakeCommand(dir, { format: 'json', postfixVersion: '3.7' }, io);
  assert.equal(code, 1);
  const preds = JSON.parse(io.out());
  assert.deepEqual(preds.map((p: { peer: string }) => p.peer), [...DEFAULT_PEER_IDS]);
  const ex2010 = preds.find((p: { peer: string }) => p.peer === 'exchange-2010-ws2008r2');
  assert.equal(ex2010.outcome, 'handshake-failure');
  assert.equal(ex2010.delivery, 'plaintext');
  assert.match(ex2010.confirm, new RegExp(`^MAIL_CONFIG=${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} posttls-finger -c -l may -p '>=TLSv1\\.2'`));
  assert.equal(io.err(), '');
});

test('handshake: exit 0 when every prediction is TLS; stylish table', () => {
  const file = join(configDir('smtp_tls_security_level = may\n'), 'main.cf');
  const io = memoryIo();
  const code = handshakeCommand(file, { peer: ['exchange-2019-ws2019', 'gmail'], postfixVersion: '3.7' }, io);
  assert.equal(code, 0);
  const out = io.out();
  assert.match(out, /^PEER\s+LEVEL\s+OUTCOME\s+DELIVERY\s+PROTOCOL\s+CIPHER\n/);
  assert.match(out, /exchange-2019-ws2019\s+may\s+tls\s+tls\s+TLSv1\.2\s+ECDHE-RSA-AES256-GCM-SHA384/);
  assert.match(out, /check live: (MAIL_CONFIG=\S+ )?posttls-finger/);
  assert.match(out, /All 2 peers get TLS\./);
});

test('handshake: --level overrides the configured level', () => {
  const dir = configDir(SEED);
  const io = memoryIo();
  assert.equal(handshakeCommand(dir, { peer: ['exchange-2010-ws2008r2'], level: 'encrypt', format: 'json', postfixVersion: '3.7' }, io), 1);
  const [p] = JSON.parse(io.out());
  assert.equal(p.level, 'encrypt');
  assert.equal(p.delivery, 'deferred');
});

test('handshake: usage and input errors exit 2', () => {
  const dir = configDir(SEED);
  let io = memoryIo();
  assert.equal(handshakeCommand(dir, { peer: ['exchange-1999'], postfixVersion: '3.7' }, io), 2);
  assert.match(io.err(), /unknown peer "exchange-1999"; valid peers: .*exchange-2019-ws2019/);
  io = memoryIo();
  assert.equal(handshakeCommand(dir, { level: 'bogus', postfixVersion: '3.7' }, io), 2);
  assert.match(io.err(), /invalid --level "bogus"/);
  io = memoryIo();
  assert.equal(handshakeCommand('/nonexistent/dir/main.cf', { postfixVersion: '3.7' }, io), 2);
  assert.match(io.err(), /no such file or directory/);
  io = memoryIo();
  const bad = join(dir, 'bad-peer.json');
  writeFileSync(bad, JSON.stringify({ id: 'x' }));
  assert.equal(handshakeCommand(dir, { peerFile: [bad], postfixVersion: '3.7' }, io), 2);
  assert.match(io.err(), /missing field "description"/);
  io = memoryIo();
  assert.equal(handshakeCommand(dir, { postfixVersion: '1.0' }, io), 2);
});

test('handshake: a peer file is used as given', () => {
  const dir = configDir('smtp_tls_security_level = encrypt\n');
  const file = join(dir, 'asa.json');
  writeFileSync(file, JSON.stringify({ id: 'office-asa', description: 'our ASA', starttls: false, protocols: [], ciphers: [], cipherPreference: 'server', groups: [], confidence: 'high', sources: ['ops'] }));
  const io = memoryIo();
  assert.equal(handshakeCommand(dir, { peerFile: [file], format: 'json', postfixVersion: '3.7' }, io), 1);
  const [p] = JSON.parse(io.out());
  assert.deepEqual([p.peer, p.outcome, p.delivery], ['office-asa', 'no-starttls', 'deferred']);
});

test('peers: lists every profile with protocols and confidence, marks the defaults', () => {
  const io = memoryIo();
  assert.equal(peersCommand(io), 0);
  const out = io.out();
  for (const p of listPeers()) assert.match(out, new RegExp(`^[* ] ${p.id}\\s`, 'm'));
  assert.match(out, /^\* exchange-2010-ws2008r2\s+SSLv3,TLSv1\s+high\s+Exchange 2010/m);
  assert.match(out, /cisco-asa-esmtp-inspect\s+no STARTTLS/);
  const json = memoryIo();
  peersCommand(json, { format: 'json' });
  const list = JSON.parse(json.out());
  assert.equal(list.length, listPeers().length);
  assert.deepEqual(Object.keys(list[0]).sort(), ['confidence', 'default', 'description', 'id', 'protocols']);
});
