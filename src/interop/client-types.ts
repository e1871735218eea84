/** Shapes of the inbound side: client profiles (data/clients) and inbound predictions (the `handshake --inbound` contract). */
import type { ServerSecurityLevel } from '../model/values/index.js';
import type { PeerGroup, PeerProtocol } from './types.js';

/** A program that connects to our smtpd: a sending MTA, a mail client, a device (schemas/client-profile.schema.json). */
export interface ClientProfile {
  readonly id: string;
  readonly description: string;
  /** What it is: a mail server relaying to our MX, a mail user agent, a device (printer/scanner), an application. */
  readonly kind: 'mta' | 'mua' | 'device' | 'application';
  /** Which of our services it uses: the MX (port 25, no AUTH) or submission (587/465, usually with AUTH). */
  readonly sendsTo: 'mx' | 'submission';
  /** STARTTLS: used when offered (opportunistic), insisted on (required: no STARTTLS means no mail), or never used. */
  readonly starttls: 'opportunistic' | 'required' | 'never';
  /** Can connect with TLS from the first byte (SMTPS / submissions on port 465). */
  readonly implicitTls: boolean;
  /** Authenticates with SMTP AUTH and does not send without it. */
  readonly auth: boolean;
  /** What it does when the TLS handshake fails: retry without TLS, or keep the mail and retry later (or report an error). */
  readonly onTlsFailure: 'plaintext' | 'defer';
  /** Protocol versions it offers. */
  readonly protocols: readonly PeerProtocol[];
  /** Suites in the order it offers them: OpenSSL names, TLS 1.3 suites by their TLS_ names. */
  readonly ciphers: readonly string[];
  /** Key-exchange groups it offers; empty means unknown (treated as compatible). */
  readonly groups: readonly PeerGroup[];
  readonly confidence: 'high' | 'medium' | 'low';
  readonly sources: readonly string[];
  readonly notes?: string;
}

export type InboundOutcome = 'tls' | 'handshake-failure' | 'starttls-required' | 'no-starttls' | 'plaintext';
export type InboundDelivery = 'tls' | 'plaintext' | 'rejected' | 'deferred';

/** One predicted session of a client with one smtpd service (JSON field names are part of the CLI contract). */
export interface InboundPrediction {
  /** Client profile id. */
  readonly client: string;
  /** master.cf service name of the smtpd. */
  readonly service: string;
  /** The smtpd level in force (wrapper mode counts as encrypt); null when the level is invalid. */
  readonly level: ServerSecurityLevel | null;
  readonly outcome: InboundOutcome;
  readonly delivery: InboundDelivery;
  readonly protocol: string | null;
  readonly cipher: string | null;
  readonly reason: string;
  /** An openssl s_client command that plays the client against the live server. */
  readonly confirm: string;
}
