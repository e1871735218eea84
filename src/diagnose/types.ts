/**
 * Shapes of `diagnose` (JSON field names and cause names are a public
 * contract: schemas/diagnose-output.schema.json).
 */

export const OUTBOUND_CAUSES = [
  'no-shared-protocol',
  'no-shared-cipher',
  'legacy-signature',
  'dh-key-too-small',
  'certificate-untrusted',
  'certificate-name-mismatch',
  'certificate-expired',
  'starttls-not-offered',
  'starttls-rejected',
  'connection-lost',
  'tlsproxy-unavailable',
  'policy-lookup-error',
  'tls-library-error',
] as const;

export const INBOUND_CAUSES = [
  'client-no-shared-protocol',
  'client-no-shared-cipher',
  'client-lost-connection',
  'starttls-required',
  'auth-without-tls',
  'server-tls-unavailable',
] as const;

export type OutboundCause = (typeof OUTBOUND_CAUSES)[number];
export type InboundCause = (typeof INBOUND_CAUSES)[number];
/** tls-library-error also serves inbound handshakes that fail for any other reason. */
export type Cause = OutboundCause | InboundCause;

export type Direction = 'outbound' | 'inbound';
export type Delivery = 'deferred' | 'plaintext' | 'bounced' | 'rejected' | 'tls' | 'unknown';

/** The cause in words, for people. */
export const CAUSE_WORDS: Readonly<Record<Cause, string>> = {
  'no-shared-protocol': 'no TLS protocol version in common with the server',
  'no-shared-cipher': 'no cipher suite (or key-exchange group) in common with the server',
  'legacy-signature': 'the server signs with a legacy algorithm (MD5+SHA1) that the security level refuses',
  'dh-key-too-small': "the server's DH group is too small for the security level",
  'certificate-untrusted': "the server's certificate is not trusted",
  'certificate-name-mismatch': "the server's certificate does not name the host Postfix expects",
  'certificate-expired': "the server's certificate has expired (or is not yet valid)",
  'starttls-not-offered': 'TLS is required, but the server does not offer STARTTLS',
  'starttls-rejected': 'TLS is required, but the server refused STARTTLS',
  'connection-lost': 'the connection was dropped during STARTTLS or the TLS handshake',
  'tlsproxy-unavailable': 'connection reuse is on, but the tlsproxy(8) service is not reachable',
  'policy-lookup-error': 'the TLS policy for the destination could not be determined',
  'tls-library-error': 'the TLS session failed for another reason',
  'client-no-shared-protocol': 'the client speaks no TLS protocol version this server allows',
  'client-no-shared-cipher': 'the client offers no cipher suite this server allows',
  'client-lost-connection': 'the client dropped the connection during the TLS handshake',
  'starttls-required': 'this server requires STARTTLS and the client did not use it',
  'auth-without-tls': 'the client tried AUTH before STARTTLS and was refused',
  'server-tls-unavailable': "this server's certificate or key could not be loaded",
};

export interface Incident {
  readonly direction: Direction;
  readonly hostname: string | null;
  readonly address: string | null;
  readonly port: number | null;
  /** Syslog name of the process, e.g. postfix/smtp, postfix/submission/smtpd, posttls-finger. */
  readonly service: string;
  readonly cause: Cause;
  readonly count: number;
  /** ISO 8601 (UTC); null for inputs without timestamps (posttls-finger transcripts). */
  readonly first: string | null;
  readonly last: string | null;
  readonly delivery: Delivery;
  /** Up to 5 raw log lines. */
  readonly evidence: readonly string[];
  readonly explanation: string;
  readonly parameter: string | null;
  readonly file: string | null;
  readonly line: number | null;
  readonly fix: string;
  readonly confirm: string;
}

export interface DiagnoseSummary {
  /** Lines read from all inputs. */
  readonly lines: number;
  /** Lines with a syslog, journalctl, maillog_file or posttls-finger header. */
  readonly parsedLines: number;
  /** Lines at or after --since (all parsed lines without --since). */
  readonly consideredLines: number;
  readonly since: string | null;
  readonly incidents: number;
  /** Failed sessions or attempts behind the incidents. */
  readonly occurrences: number;
  readonly byCause: Readonly<Partial<Record<Cause, number>>>;
  /** Delivery attempts of smtp/lmtp: status=sent over TLS or in plaintext, deferred, bounced. */
  readonly outbound: { readonly tls: number; readonly plaintext: number; readonly deferred: number; readonly bounced: number };
  /** smtpd sessions with TLS, and sessions that handed over mail without TLS. */
  readonly inbound: { readonly tls: number; readonly plaintext: number };
  /** More distinct incidents than the limit: the rest are counted in occurrences only. */
  readonly truncated: boolean;
}

export interface DiagnoseOutput {
  readonly schemaVersion: 1;
  readonly incidents: readonly Incident[];
  readonly summary: DiagnoseSummary;
}
