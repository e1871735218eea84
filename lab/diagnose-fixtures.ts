/**
 * Real Postfix log fixtures for `diagnose` (test/fixtures/diagnose/), made by a
 * private Postfix 3.7 instance on 127.0.0.1 that is both an SMTP server
 * (smtpd services for the inbound causes) and an SMTP client (the outbound
 * causes the interop lab has no cell for), plus posttls-finger transcripts.
 *
 *   npm run lab:diagnose-fixtures [-- --keep]            (builds first; needs root)
 *   node dist/lab/diagnose-fixtures.js --from-lab DIR    (import a lab directory kept by `npm run lab -- --keep`)
 *
 * Everything it starts (the Postfix instance, Node peers, clients) listens on
 * 127.0.0.1 only, lives below one temporary directory and is stopped before
 * it exits. The temporary directory is written as /srv/lab in the fixtures.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLabCa, type LabCa, type LabCertificate } from './ca.js';
import { startPeerServer, type PeerServer } from './peer-server.js';
import { GOOD_NAMES, labPeer } from './peers.js';
import { baseMainCf, masterCf, PostfixInstance, sleep } from './postfix-instance.js';
import { buildCells } from './matrix.js';

const OUT = fileURLToPath(new URL('../../test/fixtures/diagnose/', import.meta.url));
export const ANON_ROOT = '/srv/lab';

/**
 * Replace the temporary lab root (the only thing that differs between runs):
 * its etc/ becomes /etc/postfix, so tables named in the fixture configuration
 * are found beside it (postfix-tls-lint maps /etc/postfix/X to the linted
 * directory), and the rest becomes /srv/lab.
 */
export function anonymise(text: string, root: string): string {
  return text.split(`${root}/etc`).join('/etc/postfix').split(root).join(ANON_ROOT);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const a = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  if (a === null || typeof a === 'string') throw new Error('no port');
  return a.port;
}

async function issueExpired(ca: LabCa, id: string, names: readonly string[]): Promise<LabCertificate> {
  // `openssl ca` can set validity dates in the past; `openssl x509 -req` cannot.
  const dir = ca.dir;
  const conf = [
    '[ca]', 'default_ca = lab', '[lab]', `dir = ${dir}`, 'database = $dir/index.txt', 'new_certs_dir = $dir',
    'certificate = $dir/ca.crt', 'private_key = $dir/ca.key', 'serial = $dir/serial.txt', 'default_md = sha256',
    'policy = any', 'copy_extensions = none', 'x509_extensions = leaf', '[any]', 'commonName = supplied',
    '[leaf]', `subjectAltName = ${names.map((n) => `DNS:${n}`).join(',')}`, 'extendedKeyUsage = serverAuth', 'basicConstraints = CA:FALSE', '',
  ].join('\n');
  writeFileSync(join(dir, 'expired-ca.cnf'), conf);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial.txt'), '1000\n');
  const run = (args: string[]) => new Promise<void>((resolve, reject) => execFile('openssl', args, { cwd: dir }, (e) => (e ? reject(e) : resolve())));
  await run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${names[0]}`]);
  await run(['ca', '-batch', '-config', 'expired-ca.cnf', '-in', `${id}.csr`, '-out', `${id}.crt`, '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-notext']);
  return { names, keyPem: readFileSync(join(dir, `${id}.key`), 'utf8'), certPem: readFileSync(join(dir, `${id}.crt`), 'utf8') };
}

/** A scripted SMTP server: offers STARTTLS, then misbehaves the way a broken middlebox does. */
function startMisbehavingPeer(mode: 'drop-after-220' | 'hangup-on-starttls'): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let buf = '';
    let inData = false;
    let dropping = false;
    sock.on('data', (d: Buffer) => {
      if (dropping) {
        sock.destroy();
        return;
      }
      buf += d.toString('latin1');
      for (let eol = buf.indexOf('\n'); eol >= 0; eol = buf.indexOf('\n')) {
        const line = buf.slice(0, eol).replace(/\r$/, '');
        buf = buf.slice(eol + 1);
        if (inData) {
          if (line === '.') {
            inData = false;
            sock.write('250 2.0.0 Ok: queued\r\n');
          }
          continue;
        }
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') sock.write('250-middlebox.interoplab.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n');
        else if (verb === 'STARTTLS') {
          if (mode === 'hangup-on-starttls') {
            sock.destroy();
            return;
          }
          dropping = true; // the ClientHello that follows is answered by closing the connection
          sock.write('220 2.0.0 Ready to start TLS\r\n');
          return;
        } else if (verb === 'DATA') {
          inData = true;
          sock.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          sock.end('221 2.0.0 Bye\r\n');
          return;
        } else sock.write('250 2.0.0 Ok\r\n');
      }
    });
    sock.write('220 middlebox.interoplab.test ESMTP\r\n');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({
      port: a !== null && typeof a !== 'string' ? a.port : 0,
      close: () => new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
    });
  }));
}

/** A minimal SMTP client for the inbound scenarios: one reply per command, optional STARTTLS. */
class SmtpClient {
  private buf = '';
  private waiters: ((reply: string) => void)[] = [];
  private sock: Socket | TLSSocket;
  closed = false;

  private constructor(sock: Socket) {
    this.sock = sock;
    this.attach(sock);
  }

  /** Each scenario connects from its own loopback address, so the log tells the clients apart. */
  static async open(port: number, from: string): Promise<SmtpClient> {
    const sock = netConnect({ port, host: '127.0.0.1', localAddress: from });
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', () => resolve());
      sock.once('error', reject);
    });
    const c = new SmtpClient(sock);
    await c.reply();
    return c;
  }

  private attach(sock: Socket | TLSSocket): void {
    sock.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      for (;;) {
        const m = /(^|\n)(\d{3}) [^\n]*\n/.exec(this.buf);
        if (!m) return;
        const end = m.index + m[0].length;
        const reply = this.buf.slice(0, end);
        this.buf = this.buf.slice(end);
        this.waiters.shift()?.(reply.trim());
      }
    });
    sock.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w('(closed)');
    });
    sock.on('error', () => undefined);
  }

  reply(): Promise<string> {
    return new Promise((resolve) => {
      if (this.closed) resolve('(closed)');
      else this.waiters.push(resolve);
    });
  }

  async cmd(line: string): Promise<string> {
    const r = this.reply();
    this.sock.write(`${line}\r\n`);
    return r;
  }

  /** STARTTLS and a handshake with these options; resolves to null or the TLS error. */
  async starttls(opts: ConnectionOptions): Promise<string | null> {
    const r = await this.cmd('STARTTLS');
    if (!r.startsWith('220')) return `STARTTLS refused: ${r}`;
    const raw = this.sock as Socket;
    raw.removeAllListeners('data');
    const t = tlsConnect({ socket: raw, rejectUnauthorized: false, servername: 'localhost', ...opts });
    const err = await new Promise<string | null>((resolve) => {
      t.once('secureConnect', () => resolve(null));
      t.once('error', (e) => resolve(e.message));
    });
    if (err === null) {
      this.sock = t;
      this.attach(t);
    }
    return err;
  }

  /** Close right after STARTTLS was accepted, before any ClientHello. */
  async starttlsThenHangUp(): Promise<void> {
    await this.cmd('STARTTLS');
    this.sock.destroy();
  }

  async quit(): Promise<void> {
    if (!this.closed) await this.cmd('QUIT');
    this.sock.destroy();
  }

  destroy(): void {
    this.sock.destroy();
  }
}

async function sendMessage(c: SmtpClient, rcpt: string): Promise<string[]> {
  const replies = [await c.cmd('MAIL FROM:<client@remote.interoplab.test>'), await c.cmd(`RCPT TO:<${rcpt}>`), await c.cmd('DATA')];
  if (replies[2].startsWith('354')) replies.push(await c.cmd('Subject: diagnose fixture\r\n\r\nfixture message\r\n.'));
  return replies;
}

interface InboundPorts {
  readonly smtp: number;
  readonly submission: number;
  readonly msa: number;
  readonly mx2: number;
  readonly mx3: number;
}

/** The inbound scenarios, one client after the other, each tagged in the index by its EHLO name. */
async function runInboundClients(p: InboundPorts, note: (what: string) => void): Promise<void> {
  const ehlo = async (c: SmtpClient, name: string) => c.cmd(`EHLO ${name}`);
  const legacy12: ConnectionOptions = { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' };

  // client-no-shared-protocol: a TLS 1.0-only client against smtpd_tls_protocols = >=TLSv1.2, then its plaintext retry.
  let c = await SmtpClient.open(p.smtp, '127.0.0.10');
  await ehlo(c, 'legacy-tls10.remote.interoplab.test');
  note(`smtp tls10 client: ${await c.starttls(legacy12)}`);
  c.destroy();
  await sleep(300);
  c = await SmtpClient.open(p.smtp, '127.0.0.10');
  await ehlo(c, 'legacy-tls10.remote.interoplab.test');
  note(`smtp tls10 client plaintext retry: ${(await sendMessage(c, 'user@inbound.test')).join(' | ')}`);
  await c.quit();

  // client-no-shared-cipher: TLS 1.2 with only a SHA1 suite against smtpd_tls_exclude_ciphers = SHA1.
  c = await SmtpClient.open(p.smtp, '127.0.0.11');
  await ehlo(c, 'sha1-only.remote.interoplab.test');
  note(`smtp sha1-only client: ${await c.starttls({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA:@SECLEVEL=0' })}`);
  c.destroy();

  // client-lost-connection: STARTTLS accepted, then the client goes away.
  c = await SmtpClient.open(p.smtp, '127.0.0.12');
  await ehlo(c, 'flaky.remote.interoplab.test');
  await c.starttlsThenHangUp();
  note('smtp flaky client hung up after 220');

  // Fine: TLS 1.3 and a message (no incident).
  c = await SmtpClient.open(p.smtp, '127.0.0.13');
  await ehlo(c, 'good.remote.interoplab.test');
  note(`smtp good client: ${await c.starttls({})}`);
  await ehlo(c, 'good.remote.interoplab.test');
  note(`smtp good client message: ${(await sendMessage(c, 'user@inbound.test')).join(' | ')}`);
  await c.quit();

  // starttls-required: MAIL before STARTTLS on the submission service (smtpd_tls_security_level = encrypt).
  c = await SmtpClient.open(p.submission, '127.0.0.14');
  await ehlo(c, 'plain-msa-client.remote.interoplab.test');
  note(`submission plaintext MAIL: ${(await sendMessage(c, 'user@inbound.test')).join(' | ')}`);
  await c.quit();
  // ... while a client that uses STARTTLS is served.
  c = await SmtpClient.open(p.submission, '127.0.0.15');
  await ehlo(c, 'tls-msa-client.remote.interoplab.test');
  note(`submission STARTTLS: ${await c.starttls({})}`);
  await ehlo(c, 'tls-msa-client.remote.interoplab.test');
  note(`submission over TLS: ${(await sendMessage(c, 'user@inbound.test')).join(' | ')}`);
  await c.quit();

  // auth-without-tls: AUTH before STARTTLS on msa (smtpd_tls_auth_only = yes).
  c = await SmtpClient.open(p.msa, '127.0.0.16');
  await ehlo(c, 'plain-auth-client.remote.interoplab.test');
  note(`msa AUTH in plaintext: ${await c.cmd('AUTH PLAIN AHVzZXIAcGFzc3dvcmQ=')}`);
  await c.quit();
  // ... AUTH after STARTTLS is offered (and fails: the lab has no SASL users).
  c = await SmtpClient.open(p.msa, '127.0.0.17');
  await ehlo(c, 'tls-auth-client.remote.interoplab.test');
  note(`msa STARTTLS: ${await c.starttls({})}`);
  await ehlo(c, 'tls-auth-client.remote.interoplab.test');
  note(`msa AUTH over TLS: ${await c.cmd('AUTH PLAIN AHVzZXIAcGFzc3dvcmQ=')}`);
  await c.quit();

  // server-tls-unavailable: mx2's certificate file is missing; STARTTLS is refused, the client carries on in plaintext.
  c = await SmtpClient.open(p.mx2, '127.0.0.18');
  note(`mx2 EHLO: ${(await ehlo(c, 'sender.remote.interoplab.test')).replace(/\r?\n/g, ' / ')}`);
  note(`mx2 STARTTLS: ${await c.starttls({})}`);
  note(`mx2 plaintext message: ${(await sendMessage(c, 'user@inbound.test')).join(' | ')}`);
  await c.quit();

  // server-tls-unavailable, the other way: mx3's chain file is missing, so only anonymous suites are left.
  c = await SmtpClient.open(p.mx3, '127.0.0.19');
  await ehlo(c, 'sender.remote.interoplab.test');
  note(`mx3 STARTTLS: ${await c.starttls({})}`);
  c.destroy();
}

function posttlsFinger(etc: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('posttls-finger', [...args], { env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin', MAIL_CONFIG: etc, LANG: 'C' }, timeout: 20_000 }, (_e, stdout, stderr) => {
      // posttls-finger writes its log to stderr and the chat (off with -c) to stdout.
      resolve(String(stderr) + String(stdout));
    });
  });
}

function write(rel: string, text: string): void {
  const p = join(OUT, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
}

async function generate(keep: boolean): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), 'pftls-diag-'));
  chmodSync(root, 0o755);
  const ca = createLabCa(join(root, 'certs'));
  const good = ca.issue('peer-good', GOOD_NAMES);
  const server = ca.issue('server', ['localhost', 'mx.interoplab.test']);
  writeFileSync(join(root, 'certs', 'server.pem'), server.keyPem + server.certPem);
  const expiredCert = await issueExpired(ca, 'peer-expired', GOOD_NAMES);

  const peers: PeerServer[] = [];
  const misbehaving: { close(): Promise<void> }[] = [];
  let instance: PostfixInstance | null = null;
  const notes: string[] = [];
  const kill = () => instance?.killAllNow();
  process.on('exit', kill);
  try {
    const modern = labPeer('modern');
    const expiredPeer = await startPeerServer(modern.profile, expiredCert);
    const ex2010 = await startPeerServer(labPeer('ex2010').profile, good);
    const modernPeer = await startPeerServer(modern.profile, good);
    peers.push(expiredPeer, ex2010, modernPeer);
    const drop = await startMisbehavingPeer('drop-after-220');
    const hangup = await startMisbehavingPeer('hangup-on-starttls');
    misbehaving.push(drop, hangup);
    const ports: InboundPorts = { smtp: await freePort(), submission: await freePort(), msa: await freePort(), mx2: await freePort(), mx3: await freePort() };

    const etc = join(root, 'etc');
    const policy = [
      '# per-destination TLS policy (smtp_tls_policy_maps)',
      `[localhost]:${expiredPeer.port}\tverify`,
      `[127.0.0.1]:${ports.mx2}\tencrypt`,
      `[localhost]:${ex2010.port}\tencrypt protocols=>=TLSv1.2`,
      '',
    ].join('\n');
    const extra = [
      'smtp_tls_security_level = may',
      `smtp_tls_policy_maps = texthash:${etc}/tls_policy`,
      // The inbound half: a hardened port-25 server.
      `smtpd_tls_chain_files = ${root}/certs/server.pem`,
      'mynetworks = 127.0.0.0/8',
      'smtpd_tls_security_level = may',
      'smtpd_tls_protocols = >=TLSv1.2',
      'smtpd_tls_exclude_ciphers = SHA1',
      'smtpd_tls_loglevel = 1',
      'smtpd_sasl_type = cyrus',
      'smtpd_sasl_path = smtpd',
      `cyrus_sasl_config_path = ${etc}/sasl`,
    ];
    const mainCf = baseMainCf(root, ca.caFile, extra);
    instance = new PostfixInstance(root, mainCf);
    const svc = (name: string, opts: [string, string][]) => ({ name, overrides: opts, privateTlsproxy: false });
    // Stock services without tlsproxy: connection reuse has nothing to go through (tlsproxy-unavailable).
    const master = masterCf([
      svc('reuse', [['smtp_tls_connection_reuse', 'yes']]),
      svc('badmap', [['smtp_tls_policy_maps', `hash:${etc}/missing_policy`]]),
    ]).split('\n').filter((l) => !/^tlsproxy\s/.test(l)).join('\n')
      + [
        `127.0.0.1:${ports.smtp} inet n - n - - smtpd`,
        '  -o content_filter=discard:',
        `127.0.0.1:${ports.submission} inet n - n - - smtpd`,
        '  -o syslog_name=postfix/submission',
        '  -o smtpd_tls_security_level=encrypt',
        '  -o smtpd_sasl_auth_enable=yes',
        '  -o content_filter=discard:',
        `127.0.0.1:${ports.msa} inet n - n - - smtpd`,
        '  -o syslog_name=postfix/msa',
        '  -o smtpd_tls_auth_only=yes',
        '  -o smtpd_sasl_auth_enable=yes',
        '  -o content_filter=discard:',
        // mx2: the legacy certificate parameters name files that are not there: TLS is off, STARTTLS gets 454.
        `127.0.0.1:${ports.mx2} inet n - n - - smtpd`,
        '  -o syslog_name=postfix/mx2',
        '  -o smtpd_tls_chain_files=',
        `  -o smtpd_tls_cert_file=${root}/certs/mx2.crt`,
        `  -o smtpd_tls_key_file=${root}/certs/mx2.key`,
        '  -o content_filter=discard:',
        // mx3: the chain file is missing: smtpd carries on with anonymous suites only.
        `127.0.0.1:${ports.mx3} inet n - n - - smtpd`,
        '  -o syslog_name=postfix/mx3',
        `  -o smtpd_tls_chain_files=${root}/certs/mx3.pem`,
        '  -o content_filter=discard:',
        '',
      ].join('\n');
    const routes = [
      { domain: 'expired.test', service: 'smtp', port: expiredPeer.port },
      { domain: 'legacy.test', service: 'smtp', port: ex2010.port },
      { domain: 'drop.test', service: 'smtp', port: drop.port },
      { domain: 'hangup.test', service: 'smtp', port: hangup.port },
      { domain: 'ok.test', service: 'smtp', port: ports.smtp },
      { domain: 'reuse.test', service: 'reuse', port: modernPeer.port },
      { domain: 'badmap.test', service: 'badmap', port: modernPeer.port },
    ];
    instance.writeFiles(master, routes);
    // STARTTLS refused by a real Postfix (mx2 has no certificate): the next hop is an address literal.
    const transport = readFileSync(join(etc, 'transport'), 'utf8') + `nocert.test smtp:[127.0.0.1]:${ports.mx2}\ninbound.test discard:\n`;
    mkdirSync(join(etc, 'sasl'), { recursive: true });
    const files: [string, string][] = [
      ['transport', transport],
      ['tls_policy', policy],
      ['sasl/smtpd.conf', `pwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: PLAIN LOGIN\nsasldb_path: ${etc}/sasl/sasldb2\n`],
    ];
    const past = new Date(Date.now() - 10_000);
    for (const [name, text] of files) {
      writeFileSync(join(etc, name), text);
      utimesSync(join(etc, name), past, past);
    }
    await instance.start();
    await sleep(500);

    await runInboundClients(ports, (n) => notes.push(n));

    const domains = ['expired.test', 'legacy.test', 'drop.test', 'hangup.test', 'ok.test', 'reuse.test', 'badmap.test', 'nocert.test'];
    for (const d of domains) await instance.submit(`user@${d}`, `${d}.${process.pid}@client.interoplab.test`);

    const statusCount = new Map<string, number>();
    const lastStatus = new Map<string, string>();
    const qids = new Map<string, string>();
    const log: string[] = [];
    const pump = () => {
      for (const raw of (instance as PostfixInstance).readNewLog()) {
        log.push(raw);
        const m = /cleanup\[\d+\]: ([0-9A-F]+): message-id=<([^>]*)>/.exec(raw);
        if (m) qids.set(m[2].split('@')[0], m[1]);
        const s = /\/smtp\[\d+\]: ([0-9A-F]+): to=<[^>]*@([^>]*)>.* status=(\w+)/.exec(raw);
        if (s) {
          statusCount.set(s[2], (statusCount.get(s[2]) ?? 0) + 1);
          lastStatus.set(s[2], s[3]);
        }
      }
    };
    const waitFor = async (done: () => boolean, what: string) => {
      const deadline = Date.now() + 40_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${(instance as PostfixInstance).tailOfLog(30)}`);
        await sleep(50);
        pump();
      }
    };
    await waitFor(() => domains.every((d) => (statusCount.get(d) ?? 0) >= 1), 'first attempts');
    // One forced retry of each deferred message once it is older than minimal_backoff_time (plaintext fallback at may).
    await sleep(2_200);
    pump();
    const retried = domains.filter((d) => lastStatus.get(d) === 'deferred');
    for (const d of retried) {
      const q = qids.get(`${d}.${process.pid}`);
      if (q) await instance.requeue(q);
    }
    await waitFor(() => retried.every((d) => (statusCount.get(d) ?? 0) >= 2), 'retries');

    // posttls-finger transcripts against the same peers.
    const fingerCommands: Record<string, string[]> = {
      'no-shared-protocol': ['-c', '-Ldebug', '-h', 'native', '-l', 'may', '-p', '>=TLSv1.2', `[127.0.0.1]:${ex2010.port}`],
      'certificate-expired': ['-c', '-Ldebug', '-h', 'native', '-l', 'secure', '-F', ca.caFile, `[127.0.0.1]:${expiredPeer.port}`, 'localhost'],
      'certificate-name-mismatch': ['-c', '-Ldebug', '-h', 'native', '-l', 'secure', '-F', ca.caFile, `[127.0.0.1]:${modernPeer.port}`, 'mx.other.test'],
      ok: ['-c', '-Ldebug', '-h', 'native', '-l', 'may', `[127.0.0.1]:${ports.smtp}`],
    };
    const ptf: Record<string, string> = {};
    for (const [name, args] of Object.entries(fingerCommands)) ptf[name] = await posttlsFinger(etc, args);
    await sleep(300);
    pump();
    await instance.stop();
    pump();

    const anon = (t: string) => anonymise(t, root);
    write('generated/maillog', anon(log.join('\n') + '\n'));
    write('generated/etc/main.cf', anon(mainCf));
    write('generated/etc/master.cf', anon(master));
    write('generated/etc/tls_policy', anon(policy));
    write('generated/etc/transport', anon(transport));
    for (const [name, text] of Object.entries(ptf)) write(`posttls-finger/${name}.txt`, anon(text));
    write('generated/run.json', JSON.stringify({
      postfix: '3.7.11',
      inbound: ports,
      posttlsFinger: Object.fromEntries(Object.entries(fingerCommands).map(([k, a]) => [k, anon(`posttls-finger ${a.map((x) => (/^[\w@%+=:,./-]+$/.test(x) ? x : `'${x}'`)).join(' ')}`)])),
      outbound: { expired: expiredPeer.port, ex2010: ex2010.port, drop: drop.port, hangup: hangup.port, modern: modernPeer.port },
      notes: notes.map(anon),
    }, null, 2) + '\n');
    process.stdout.write(`diagnose-fixtures: wrote ${OUT}generated/ and ${OUT}posttls-finger/ (${log.length} log lines)\n${notes.map((n) => `  ${n}`).join('\n')}\n`);
    return 0;
  } finally {
    await instance?.stop();
    await Promise.all([...peers.map((p) => p.close()), ...misbehaving.map((m) => m.close())]);
    process.off('exit', kill);
    if (keep) process.stdout.write(`diagnose-fixtures: kept ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  }
}

/** Copy a kept lab directory's log and configuration, with the cell behind each master.cf service. */
function fromLab(dir: string): number {
  const log = readFileSync(join(dir, 'log', 'maillog'), 'latin1');
  const root = dir.replace(/\/$/, '');
  write('lab/maillog', anonymise(log, root));
  write('lab/etc/main.cf', anonymise(readFileSync(join(dir, 'etc', 'main.cf'), 'latin1'), root));
  write('lab/etc/master.cf', anonymise(readFileSync(join(dir, 'etc', 'master.cf'), 'latin1'), root));
  write('lab/etc/transport', anonymise(readFileSync(join(dir, 'etc', 'transport'), 'latin1'), root));
  const cells = buildCells().map((c) => ({ service: c.service, cell: c.id, config: c.config.id, peer: c.peer.id }));
  write('lab/cells.json', JSON.stringify(cells, null, 2) + '\n');
  process.stdout.write(`diagnose-fixtures: imported ${dir} into ${OUT}lab/ (${cells.length} cells)\n`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const i = argv.indexOf('--from-lab');
  if (i >= 0) {
    if (!argv[i + 1] || !existsSync(join(argv[i + 1], 'log', 'maillog'))) {
      process.stderr.write('diagnose-fixtures: --from-lab needs a lab directory kept by `npm run lab -- --keep`\n');
      return 2;
    }
    return fromLab(argv[i + 1]);
  }
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    process.stdout.write('diagnose-fixtures: skipped: not root (a private Postfix instance needs root)\n');
    return 0;
  }
  return generate(argv.includes('--keep'));
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (e) => {
  process.stderr.write(`diagnose-fixtures: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
