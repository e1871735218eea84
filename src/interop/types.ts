/** Shapes shared by the peer loader, the predictor and the CLI. */
import type { ClientSecurityLevel } from '../model/values/index.js';

export type PeerProtocol = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export type PeerGroup =
  | 'x25519' | 'x448' | 'secp256r1' | 'secp384r1' | 'secp521r1'
  | 'ffdhe2048' | 'ffdhe3072' | 'ffdhe4096' | 'ffdhe6144' | 'ffdhe8192';

export interface PeerCertificate {
  readonly keyType: 'RSA' | 'ECDSA' | 'DSA';
  readonly bits: number;
  /** DNS names (subjectAltName, else CN); "*." wildcards allowed. */
  readonly names: readonly string[];
  /** The chain ends at a CA that a usual trust store holds. */
  readonly trusted: boolean;
  readonly expired: boolean;
}

/** Fields of a profile a prediction can rest on; each may carry its own evidence. */
export type PeerField = 'protocols' | 'ciphers' | 'cipherPreference' | 'groups' | 'dhBits' | 'certificate' | 'starttls';
export const PEER_FIELDS: readonly PeerField[] = ['starttls', 'protocols', 'ciphers', 'cipherPreference', 'groups', 'dhBits', 'certificate'];

/** How well one field of a profile is known, and from where. */
export interface FieldEvidence {
  readonly confidence: 'high' | 'medium' | 'low';
  readonly sources?: readonly string[];
  /** What is uncertain about the field, in a few words (shown with predictions that rest on it). */
  readonly note?: string;
  /**
   * Another value the field may really have (e.g. protocols with TLSv1.3 added, an RSA certificate beside
   * the ECDSA one). A prediction is uncertain exactly when this value would change its outcome.
   */
  readonly alternative?: unknown;
}

/** A remote SMTP server as the Postfix client sees it (schemas/peer-profile.schema.json). */
export interface PeerProfile {
  readonly id: string;
  readonly description: string;
  readonly starttls: boolean;
  readonly protocols: readonly PeerProtocol[];
  /** Preference order; OpenSSL names, TLS 1.3 suites by their TLS_ names. */
  readonly ciphers: readonly string[];
  readonly cipherPreference: 'client' | 'server';
  /** Empty: unknown, treated as compatible with anything. */
  readonly groups: readonly PeerGroup[];
  readonly dhBits?: number;
  /** Required when starttls is true. */
  readonly certificate?: PeerCertificate;
  /** Example MX host the client connects to. */
  readonly hostname?: string;
  /** Example next-hop domain whose MX is `hostname`. */
  readonly nexthop?: string;
  /** The profile as a whole; a field without its own evidence has this confidence. */
  readonly confidence: 'high' | 'medium' | 'low';
  readonly sources: readonly string[];
  /** Per-field confidence and sources, where they differ from the profile's. */
  readonly evidence?: Readonly<Partial<Record<PeerField, FieldEvidence>>>;
  readonly notes?: string;
}

export type PredictionOutcome = 'tls' | 'handshake-failure' | 'verification-failure' | 'no-starttls' | 'plaintext';
export type PredictionDelivery = 'tls' | 'plaintext' | 'deferred';

/** One predicted SMTP client session (JSON field names are part of the CLI contract). */
export interface Prediction {
  /** Peer profile id. */
  readonly peer: string;
  /** The client security level in force; null when the configured level is invalid. */
  readonly level: ClientSecurityLevel | null;
  readonly outcome: PredictionOutcome;
  /** How the message finally leaves (plaintext at `may` happens on a later retry). */
  readonly delivery: PredictionDelivery;
  /** Negotiated protocol when a handshake completes, else null. */
  readonly protocol: string | null;
  /** Negotiated suite (OpenSSL name) when a handshake completes, else null. */
  readonly cipher: string | null;
  readonly reason: string;
  /** Set when the outcome rests on a low-confidence field of the profile: which, and why it is uncertain. */
  readonly uncertain?: string;
  /** A posttls-finger command that checks the handshake part live. */
  readonly confirm: string;
}
