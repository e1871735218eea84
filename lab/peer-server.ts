/**
 * A small SMTP server with STARTTLS for the lab, configured from a peer
 * profile: protocol range, suites in the profile's order (server or client
 * preference), ECDHE groups, the lab certificate. It records what it saw on
 * every connection so the lab can cross-check the Postfix log.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext, type SecureContextOptions, type SecureVersion } from 'node:tls';
import type { PeerGroup, PeerProfile } from '../src/interop/types.js';
import type { LabCertificate } from './ca.js';

export interface ConnectionRecord {
  readonly id: number;
  helo: string | null;
  starttlsOffered: boolean;
  starttlsRequested: boolean;
  tls: { protocol: string; cipher: string } | null;
  tlsError: string | null;
  /** One entry per message accepted with DATA. */
  readonly messages: { tls: boolean }[];
}

export interface PeerServer {
  readonly port: number;
  readonly connections: readonly ConnectionRecord[];
  close(): Promise<void>;
}

const PROTOCOL_ORDER: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

const NODE_GROUP: Readonly<Record<PeerGroup, string>> = {
  x25519: 'X25519', x448: 'X448', secp256r1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521',
  ffdhe2048: 'ffdhe2048', ffdhe3072: 'ffdhe3072', ffdhe4096: 'ffdhe4096', ffdhe6144: 'ffdhe6144', ffdhe8192: 'ffdhe8192',
};

/** Node TLS options that make an OpenSSL server behave as the profile says. Pure. */
export function nodeTlsOptions(profile: PeerProfile): Pick<SecureContextOptions, 'minVersion' | 'maxVersion' | 'ciphers' | 'honorCipherOrder' | 'ecdhCurve' | 'dhparam'> {
  const versions = profile.protocols.filter((p): p is SecureVersion => (PROTOCOL_ORDER as readonly string[]).includes(p))
    .sort((a, b) => PROTOCOL_ORDER.indexOf(a) - PROTOCOL_ORDER.indexOf(b));
  if (versions.length === 0) throw new Error(`peer ${profile.id}: no protocol Node can serve`);
  const min = versions[0];
  const max = versions[versions.length - 1];
  if (PROTOCOL_ORDER.indexOf(max) - PROTOCOL_ORDER.indexOf(min) + 1 !== versions.length) {
    throw new Error(`peer ${profile.id}: protocols must be a contiguous range`);
  }
  // The peer stands in for servers without OpenSSL's security levels (Windows SChannel): level 0,
  // which OpenSSL 3 also needs to serve TLS 1.0/1.1 or anonymous suites at all.
  const ciphers = [...profile.ciphers, '@SECLEVEL=0'].join(':');
  const opts: ReturnType<typeof nodeTlsOptions> = {
    minVersion: min,
    maxVersion: max,
    ciphers,
    honorCipherOrder: profile.cipherPreference === 'server',
  };
  if (profile.groups.length > 0) opts.ecdhCurve = profile.groups.map((g) => NODE_GROUP[g]).join(':');
  if (profile.ciphers.some((c) => /^(DHE|EDH|ADH)-/.test(c))) opts.dhparam = 'auto';
  return opts;
}

const CRLF = '\r\n';

/** Start a peer on an ephemeral 127.0.0.1 port. A profile without STARTTLS needs no certificate. */
export async function startPeerServer(profile: PeerProfile, cert: LabCertificate | null, dhparamPem?: string): Promise<PeerServer> {
  let context: SecureContext | null = null;
  if (profile.starttls) {
    if (!cert) throw new Error(`peer ${profile.id}: STARTTLS needs a certificate`);
    context = createSecureContext({ ...nodeTlsOptions(profile), ...(dhparamPem ? { dhparam: dhparamPem } : {}), key: cert.keyPem, cert: cert.certPem });
  }
  const connections: ConnectionRecord[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((raw) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    const rec: ConnectionRecord = { id: connections.length + 1, helo: null, starttlsOffered: false, starttlsRequested: false, tls: null, tlsError: null, messages: [] };
    connections.push(rec);
    speak(raw, rec, false);
    raw.write(`220 ${profile.id}.peer.interoplab.test ESMTP lab${CRLF}`);
  });

  /** The SMTP dialogue on a plain or TLS socket. */
  function speak(sock: Socket, rec: ConnectionRecord, secure: boolean): void {
    let buffer = '';
    let inData = false;
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        const eol = buffer.indexOf('\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol).replace(/\r$/, '');
        buffer = buffer.slice(eol + 1);
        if (inData) {
          if (line === '.') {
            inData = false;
            rec.messages.push({ tls: secure });
            sock.write(`250 2.0.0 Ok: queued by lab peer${CRLF}`);
          }
          continue;
        }
        const verb = line.split(' ')[0].toUpperCase();
        const arg = line.slice(verb.length).trim();
        switch (verb) {
          case 'EHLO': {
            rec.helo = arg;
            const offer = context !== null && !secure;
            if (offer) rec.starttlsOffered = true;
            const caps = ['PIPELINING', 'SIZE 10240000', '8BITMIME', ...(offer ? ['STARTTLS'] : [])];
            sock.write([`250-${profile.id}.peer.interoplab.test`, ...caps.map((c, i) => `${i === caps.length - 1 ? '250 ' : '250-'}${c}`)].join(CRLF) + CRLF);
            break;
          }
          case 'HELO':
            rec.helo = arg;
            sock.write(`250 ${profile.id}.peer.interoplab.test${CRLF}`);
            break;
          case 'STARTTLS':
            if (context === null || secure) {
              sock.write(`502 5.5.1 STARTTLS not available${CRLF}`);
              break;
            }
            rec.starttlsRequested = true;
            // Hand the raw socket to TLS; anything pipelined after STARTTLS is dropped (RFC 3207).
            sock.removeListener('data', onData);
            sock.pause();
            sock.write(`220 2.0.0 Ready to start TLS${CRLF}`, () => upgrade(sock, rec));
            return;
          case 'MAIL':
          case 'RCPT':
          case 'RSET':
          case 'NOOP':
            sock.write(`250 2.0.0 Ok${CRLF}`);
            break;
          case 'DATA':
            inData = true;
            sock.write(`354 End data with <CR><LF>.<CR><LF>${CRLF}`);
            break;
          case 'QUIT':
            // A TLS socket over a wrapped net.Socket does not close the TCP connection on end().
            sock.end(`221 2.0.0 Bye${CRLF}`, () => sock.destroy());
            return;
          default:
            sock.write(`502 5.5.2 Command not recognized${CRLF}`);
        }
      }
    };
    sock.on('data', onData);
    sock.on('error', () => undefined);
  }

  function upgrade(raw: Socket, rec: ConnectionRecord): void {
    const tlsSock = new TLSSocket(raw, { isServer: true, secureContext: context as SecureContext });
    tlsSock.on('secure', () => {
      const c = tlsSock.getCipher();
      rec.tls = { protocol: tlsSock.getProtocol() ?? 'unknown', cipher: c.name };
      speak(tlsSock, rec, true);
    });
    tlsSock.on('error', (e: NodeJS.ErrnoException) => {
      if (!rec.tls && rec.tlsError === null) rec.tlsError = e.code ?? e.message;
    });
    raw.resume();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('peer server has no port');
  return {
    port: address.port,
    connections,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
