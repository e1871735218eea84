/**
 * A Node SMTP client that behaves like a client profile: it offers the
 * profile's protocols, suites (in its order) and groups, uses STARTTLS the
 * way the profile does (or TLS from the first byte on a wrapper-mode port),
 * authenticates when the profile does, and after a failed handshake either
 * reconnects without TLS or gives up, as the profile says. It records what
 * it saw on the wire, for the comparison with the smtpd log.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type SecureVersion, type TLSSocket } from 'node:tls';
import type { ClientProfile } from '../../src/interop/client-types.js';
import type { PeerGroup } from '../../src/interop/types.js';
import { LAB_PASSWORD, LAB_USER } from './dovecot-auth.js';

export interface SessionRecord {
  /** Local port of the connection (smtpd logs it with smtpd_client_port_logging = yes). */
  readonly localPort: number;
  starttlsOffered: boolean;
  authOffered: boolean;
  /** The reply to STARTTLS, when sent. */
  starttlsReply: string | null;
  tls: { protocol: string; cipher: string } | null;
  /** The server certificate as the client saw it: its end of validity and why it would not verify (the client does not insist). */
  certificate: { notAfter: string; verifyError: string | null } | null;
  tlsError: string | null;
  authReply: string | null;
  mailReply: string | null;
  dataReply: string | null;
  /** The client gave up on its own (no AUTH, no STARTTLS while required). */
  gaveUp: string | null;
}

export interface ClientRun {
  readonly sessions: SessionRecord[];
}

const PROTOCOLS: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const NODE_GROUP: Readonly<Record<PeerGroup, string>> = {
  x25519: 'X25519', x448: 'X448', secp256r1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521',
  ffdhe2048: 'ffdhe2048', ffdhe3072: 'ffdhe3072', ffdhe4096: 'ffdhe4096', ffdhe6144: 'ffdhe6144', ffdhe8192: 'ffdhe8192',
};

/** Node TLS client options that make OpenSSL offer what the profile offers. Pure. */
export function clientTlsOptions(profile: ClientProfile): Pick<ConnectionOptions, 'minVersion' | 'maxVersion' | 'ciphers' | 'ecdhCurve' | 'rejectUnauthorized'> {
  const versions = profile.protocols.filter((p): p is SecureVersion => (PROTOCOLS as readonly string[]).includes(p)).sort((a, b) => PROTOCOLS.indexOf(a) - PROTOCOLS.indexOf(b));
  if (versions.length === 0) throw new Error(`client ${profile.id}: no protocol Node can offer`);
  const min = versions[0];
  const max = versions[versions.length - 1];
  if (PROTOCOLS.indexOf(max) - PROTOCOLS.indexOf(min) + 1 !== versions.length) throw new Error(`client ${profile.id}: protocols must be a contiguous range`);
  const groups = profile.groups.map((g) => NODE_GROUP[g]);
  return {
    minVersion: min,
    maxVersion: max,
    // The client stands in for TLS stacks without OpenSSL's security levels (SChannel, NSS, JSSE).
    ciphers: [...profile.ciphers, '@SECLEVEL=0'].join(':'),
    ...(groups.length > 0 ? { ecdhCurve: groups.join(':') } : {}),
    // MTAs at opportunistic levels do not verify; the lab CA is not what this is about.
    rejectUnauthorized: false,
  };
}

/** Reads SMTP replies (multi-line aware) from a socket. */
class ReplyReader {
  private buffer = '';
  private waiting: ((r: string) => void) | null = null;
  private closed = false;
  private onData = (chunk: Buffer) => {
    this.buffer += chunk.toString('latin1');
    this.pump();
  };
  private onEnd = () => {
    this.closed = true;
    this.pump();
  };
  constructor(private sock: Socket) {
    sock.on('data', this.onData);
    sock.on('end', this.onEnd);
    sock.on('close', this.onEnd);
  }
  detach(): void {
    this.sock.removeListener('data', this.onData);
    this.sock.removeListener('end', this.onEnd);
    this.sock.removeListener('close', this.onEnd);
  }
  private pump(): void {
    if (!this.waiting) return;
    const lines = this.buffer.split('\r\n');
    for (let i = 0; i < lines.length - 1; i++) {
      if (/^\d{3} /.test(lines[i]) || /^\d{3}$/.test(lines[i])) {
        const reply = lines.slice(0, i + 1).join('\n');
        this.buffer = lines.slice(i + 1).join('\r\n');
        const w = this.waiting;
        this.waiting = null;
        w(reply);
        return;
      }
    }
    if (this.closed) {
      const w = this.waiting;
      this.waiting = null;
      w('(connection closed)');
    }
  }
  next(timeoutMs = 15_000): Promise<string> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        resolve('(timeout)');
      }, timeoutMs);
      this.waiting = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.pump();
    });
  }
}

function code(reply: string | null): number {
  return reply ? Number(reply.slice(0, 3)) || 0 : 0;
}

async function command(sock: Socket, reader: ReplyReader, line: string): Promise<string> {
  sock.write(line + '\r\n');
  return reader.next();
}

function upgrade(raw: Socket, profile: ClientProfile, servername: string): Promise<TLSSocket | { error: string }> {
  return new Promise((resolve) => {
    const s = tlsConnect({ socket: raw, servername, ...clientTlsOptions(profile) });
    let done = false;
    s.once('secureConnect', () => {
      done = true;
      resolve(s);
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      if (done) return;
      done = true;
      resolve({ error: e.code ?? e.message });
    });
  });
}

interface Target {
  readonly port: number;
  readonly wrapper: boolean;
  /** EHLO name: names the cell (also in the smtpd log). */
  readonly helo: string;
  readonly recipient: string;
}

/** One connection: returns the record and whether the client wants another (plaintext) attempt. */
async function session(profile: ClientProfile, t: Target, useTls: boolean): Promise<{ record: SessionRecord; retryPlain: boolean }> {
  const raw = netConnect({ host: '127.0.0.1', port: t.port });
  await new Promise<void>((resolve, reject) => {
    raw.once('connect', () => resolve());
    raw.once('error', reject);
  });
  raw.on('error', () => undefined);
  const record: SessionRecord = { localPort: raw.localPort ?? 0, starttlsOffered: false, authOffered: false, starttlsReply: null, tls: null, certificate: null, tlsError: null, authReply: null, mailReply: null, dataReply: null, gaveUp: null };
  const seen = (up: TLSSocket) => {
    record.tls = { protocol: up.getProtocol() ?? 'unknown', cipher: up.getCipher().name };
    const peer = up.getPeerCertificate();
    const err = up.authorizationError as unknown;
    record.certificate = peer && peer.valid_to ? { notAfter: new Date(peer.valid_to).toISOString().slice(0, 10), verifyError: err ? String((err as { code?: string }).code ?? err) : null } : null;
  };
  let sock: Socket = raw;
  const finish = (retryPlain: boolean) => {
    sock.destroy();
    raw.destroy();
    return { record, retryPlain };
  };
  if (t.wrapper && !profile.implicitTls) {
    // A client without implicit TLS speaks SMTP and waits for a greeting that never comes.
    const greeting = await new ReplyReader(raw).next(3_000);
    record.gaveUp = `no greeting (${greeting}): the port expects TLS from the first byte`;
    return finish(false);
  }
  if (t.wrapper) {
    const up = await upgrade(raw, profile, 'localhost');
    if ('error' in up) {
      record.tlsError = up.error;
      return finish(false);
    }
    sock = up;
    seen(up);
  }
  let reader = new ReplyReader(sock);
  const greeting = await reader.next();
  if (code(greeting) !== 220) {
    record.gaveUp = `greeting: ${greeting}`;
    return finish(false);
  }
  let ehlo = await command(sock, reader, `EHLO ${t.helo}`);
  record.starttlsOffered = /^250[ -]STARTTLS$/im.test(ehlo);
  if (!t.wrapper && useTls && profile.starttls !== 'never') {
    if (record.starttlsOffered) {
      record.starttlsReply = await command(sock, reader, 'STARTTLS');
      if (code(record.starttlsReply) === 220) {
        reader.detach();
        const up = await upgrade(raw, profile, 'localhost');
        if ('error' in up) {
          record.tlsError = up.error;
          return finish(profile.onTlsFailure === 'plaintext');
        }
        sock = up;
        seen(up);
        reader = new ReplyReader(sock);
        ehlo = await command(sock, reader, `EHLO ${t.helo}`);
      } else if (profile.starttls === 'required') {
        record.gaveUp = `STARTTLS refused (${record.starttlsReply}) and TLS is required`;
        await command(sock, reader, 'QUIT');
        return finish(false);
      }
    } else if (profile.starttls === 'required') {
      record.gaveUp = 'no STARTTLS offered and TLS is required';
      await command(sock, reader, 'QUIT');
      return finish(false);
    }
  }
  record.authOffered = /^250[ -]AUTH[ =]/im.test(ehlo);
  if (profile.auth) {
    if (!record.authOffered) {
      record.gaveUp = 'no AUTH offered';
      await command(sock, reader, 'QUIT');
      return finish(false);
    }
    record.authReply = await command(sock, reader, `AUTH PLAIN ${Buffer.from(`\0${LAB_USER}\0${LAB_PASSWORD}`).toString('base64')}`);
    if (code(record.authReply) !== 235) {
      record.gaveUp = `AUTH failed: ${record.authReply}`;
      return finish(false);
    }
  }
  record.mailReply = await command(sock, reader, `MAIL FROM:<sender@client.inboundlab.test>`);
  if (code(record.mailReply) !== 250) {
    await command(sock, reader, 'QUIT');
    return finish(false);
  }
  const rcpt = await command(sock, reader, `RCPT TO:<${t.recipient}>`);
  if (code(rcpt) !== 250) {
    record.gaveUp = `RCPT refused: ${rcpt}`;
    await command(sock, reader, 'QUIT');
    return finish(false);
  }
  const data = await command(sock, reader, 'DATA');
  if (code(data) === 354) {
    sock.write(`From: sender@client.inboundlab.test\r\nTo: ${t.recipient}\r\nSubject: inbound lab ${t.helo}\r\nMessage-ID: <${t.helo}.${record.localPort}@client.inboundlab.test>\r\n\r\ninbound lab message\r\n.\r\n`);
    record.dataReply = await reader.next();
  }
  await command(sock, reader, 'QUIT');
  return finish(false);
}

/** The whole delivery attempt of one client: a session, and a plaintext one after a failed handshake if the profile retries so. */
export async function runClient(profile: ClientProfile, t: Target): Promise<ClientRun> {
  const sessions: SessionRecord[] = [];
  const first = await session(profile, t, true);
  sessions.push(first.record);
  if (first.retryPlain) sessions.push((await session(profile, t, false)).record);
  return { sessions };
}
