/**
 * A minimal Dovecot authentication server (the "auth client" protocol
 * Postfix's smtpd_sasl_type = dovecot speaks) on 127.0.0.1, so the lab's
 * smtpd can offer and accept AUTH without a real Dovecot. It offers PLAIN
 * and LOGIN and accepts any user whose password is LAB_PASSWORD.
 */
import { createServer, type Server, type Socket } from 'node:net';

export const LAB_USER = 'scanner@inbound.lab';
export const LAB_PASSWORD = 'lab-password';

export interface AuthServer {
  readonly port: number;
  /** AUTH requests seen: mechanism and whether smtpd marked the session as secured (TLS). */
  readonly requests: { mech: string; secured: boolean; ok: boolean }[];
  close(): Promise<void>;
}

function plainOk(b64: string): boolean {
  const parts = Buffer.from(b64, 'base64').toString('utf8').split('\0');
  return parts.length === 3 && parts[2] === LAB_PASSWORD;
}

export async function startAuthServer(): Promise<AuthServer> {
  const requests: AuthServer['requests'] = [];
  const sockets = new Set<Socket>();
  let spid = 0;
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    spid++;
    sock.write(['VERSION\t1\t2', 'MECH\tPLAIN\tplaintext', 'MECH\tLOGIN\tplaintext', `SPID\t${process.pid}`, `CUID\t${spid}`, `COOKIE\t${'0'.repeat(32)}`, 'DONE', ''].join('\n'));
    let buffer = '';
    sock.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        const eol = buffer.indexOf('\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 1);
        const f = line.split('\t');
        if (f[0] !== 'AUTH') continue;
        const id = f[1];
        const mech = (f[2] ?? '').toUpperCase();
        const secured = f.includes('secured');
        const resp = f.find((x) => x.startsWith('resp='))?.slice(5);
        if (mech === 'PLAIN' && resp !== undefined) {
          const ok = plainOk(resp);
          requests.push({ mech, secured, ok });
          sock.write(ok ? `OK\t${id}\tuser=${LAB_USER}\n` : `FAIL\t${id}\tuser=${LAB_USER}\n`);
        } else {
          requests.push({ mech, secured, ok: false });
          sock.write(`FAIL\t${id}\treason=lab supports AUTH PLAIN with an initial response only\n`);
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('auth server has no port');
  return {
    port: address.port,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
