/**
 * OpenSSL error lines as Postfix logs them (tls_misc.c tls_print_errors():
 * "warning: TLS library problem: <ERR_error_string_n>:<file>:<line>:[data:]"),
 * reduced to their reason string and sorted into causes. Pure.
 *
 * Formats (the reason is the fifth colon-separated field in all of them):
 *   OpenSSL 3.x     error:0A00042E:SSL routines::tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1602:SSL alert number 70:
 *   OpenSSL 1.1.1   error:1409442E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1544:SSL alert number 70:
 *   OpenSSL 1.0.x   error:14094410:SSL routines:SSL3_READ_BYTES:sslv3 alert handshake failure:s3_pkt.c:1275:SSL alert number 40:
 *   Postfix 2.x prefixes the line with "<pid>:" ("TLS library problem: 20373:error:...").
 * Every reason string below is in the installed OpenSSL 3.0 libssl (checked with
 * `strings`) and appears with the same spelling in OpenSSL 1.1.1 error output.
 */
import type { Cause } from './types.js';

const REASON = /error:[0-9A-Fa-f]+:[^:]*:[^:]*:([^:]+)/;

/** "tlsv1 alert protocol version" from a TLS library problem line, or null. */
export function opensslReason(text: string): string | null {
  const m = REASON.exec(text);
  return m ? m[1].trim().toLowerCase() : null;
}

type Kind = 'protocol' | 'server-protocol' | 'cipher' | 'legacy-signature' | 'dh' | 'lost' | 'untrusted';

const KINDS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  // The peer's alert 70 (client side) or the server's own check.
  ['tlsv1 alert protocol version', 'protocol'],
  ['unsupported protocol', 'protocol'],
  ['no protocols available', 'protocol'],
  ['version too low', 'protocol'],
  ['version too high', 'protocol'],
  ['wrong ssl version', 'protocol'],
  // Server side only. A TLS 1.0-only smtpd reading a TLS 1.2-only ClientHello (lab: may-include-tls1__exo);
  // on the client side it means the server answered with something that is not TLS, so it is left unclassified there.
  ['wrong version number', 'server-protocol'],
  // Server side: at @SECLEVEL 1 and above OpenSSL 3 has no signature algorithm for TLS 1.0/1.1 (MD5+SHA1, SHA1),
  // so a client that offers only those versions cannot be served (lab: may-seclevel1__ex2010).
  ['no suitable signature algorithm', 'server-protocol'],
  // Alert 40 is what servers send when no suite (or no group) is shared; alert 71 when the offer is too weak.
  ['sslv3 alert handshake failure', 'cipher'],
  ['no shared cipher', 'cipher'],
  ['no ciphers available', 'cipher'],
  ['no suitable key share', 'cipher'],
  ['no shared groups', 'cipher'],
  ['tlsv1 alert insufficient security', 'cipher'],
  ['legacy sigalg disallowed or unsupported', 'legacy-signature'],
  ['dh key too small', 'dh'],
  ['unexpected eof while reading', 'lost'],
  ['certificate verify failed', 'untrusted'],
]);

/** Every reason string the classifier knows. */
export function knownReasons(): string[] {
  return [...KINDS.keys()];
}

const OUTBOUND: Readonly<Partial<Record<Kind, Cause>>> = {
  protocol: 'no-shared-protocol',
  cipher: 'no-shared-cipher',
  'legacy-signature': 'legacy-signature',
  dh: 'dh-key-too-small',
  lost: 'connection-lost',
  untrusted: 'certificate-untrusted',
};

const INBOUND: Readonly<Partial<Record<Kind, Cause>>> = {
  protocol: 'client-no-shared-protocol',
  'server-protocol': 'client-no-shared-protocol',
  cipher: 'client-no-shared-cipher',
  lost: 'client-lost-connection',
};

/** The cause the first recognised reason points to, or null (tls-library-error). */
export function causeOfReasons(reasons: readonly string[], direction: 'outbound' | 'inbound'): Cause | null {
  for (const r of reasons) {
    const k = KINDS.get(r);
    if (!k) continue;
    const c = direction === 'outbound' ? OUTBOUND[k] : INBOUND[k];
    if (c) return c;
  }
  return null;
}

/** The errno text of "SSL_connect error to X: <errno>" that means the peer went away. */
export function isConnectionLoss(detail: string): boolean {
  return /^(lost connection|Connection reset by peer|Connection timed out|Broken pipe|Operation timed out)$/i.test(detail);
}
