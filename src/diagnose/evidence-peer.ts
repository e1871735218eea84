/**
 * A peer profile built from what the log shows about a failed session, and
 * the handshake predictor's opinion of it: for a cause, a few server shapes
 * that produce it (a TLS 1.0-only server, a server with SHA1 suites only, a
 * 1024-bit DH group, ...) are tried against the effective configuration in
 * order, and the first one the predictor fails in the same way is "that
 * peer". The incident then agrees with `handshake` for that peer by
 * construction, and the policy-entry fix is computed for it. Pure.
 */
import { predictHandshake } from '../interop/predict.js';
import type { ConfigModel } from '../model/config.js';
import type { ClientPrefix } from '../model/client-tls.js';
import type { PeerCertificate, PeerProfile, PeerProtocol, Prediction } from '../interop/types.js';
import type { Facts } from './incidents.js';
import type { Cause } from './types.js';

export interface EvidencePeer {
  readonly peer: PeerProfile;
  /** What the server is assumed to be, in words. */
  readonly shape: string;
}

export interface Agreement {
  readonly peer: EvidencePeer;
  readonly prediction: Prediction;
}

const TLS13 = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'];
/** Static RSA first: a server that only lacks a protocol should not also trip over legacy signatures. */
const BROAD = ['AES256-SHA', 'AES128-SHA', 'AES256-GCM-SHA384', 'AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-SHA', 'ECDHE-RSA-AES128-SHA', ...TLS13];
const MODERN_GROUPS = ['x25519', 'secp256r1', 'secp384r1'] as const;

function certificate(names: readonly string[], extra: Partial<PeerCertificate> = {}): PeerCertificate {
  return { keyType: 'RSA', bits: 2048, names, trusted: true, expired: false, ...extra };
}

function profile(id: string, host: string, nexthop: string, p: Partial<PeerProfile> & Pick<PeerProfile, 'protocols' | 'ciphers'>): PeerProfile {
  return {
    id: `log-evidence-${id}`,
    description: 'a server shaped after the log evidence',
    starttls: true,
    cipherPreference: 'server',
    groups: [],
    certificate: certificate([host, nexthop]),
    hostname: host,
    nexthop,
    confidence: 'low',
    sources: ['postfix-tls-lint diagnose: inferred from the mail log'],
    ...p,
  };
}

function range(protocols: readonly PeerProtocol[]): string {
  return protocols.length === 1 ? protocols[0] : `${protocols[0]}–${protocols[protocols.length - 1]}`;
}

/** Server shapes that fail with this cause, most common first. */
export function evidencePeers(cause: Cause, facts: Facts, host: string, nexthop: string): EvidencePeer[] {
  const p = (id: string, shape: string, x: Partial<PeerProfile> & Pick<PeerProfile, 'protocols' | 'ciphers'>): EvidencePeer => ({ peer: profile(id, host, nexthop, x), shape });
  switch (cause) {
    case 'no-shared-protocol': {
      const sets: PeerProtocol[][] = [['TLSv1'], ['TLSv1', 'TLSv1.1'], ['TLSv1.1'], ['TLSv1.2'], ['TLSv1.2', 'TLSv1.3'], ['TLSv1.3']];
      return sets.map((s) => p(`protocols-${s.join('-')}`, `a server that speaks only ${range(s)}`, { protocols: s, ciphers: BROAD, groups: [...MODERN_GROUPS] }));
    }
    case 'no-shared-cipher':
      return [
        p('cbc-sha-tls12', 'a TLS 1.2 server with CBC-SHA suites only', { protocols: ['TLSv1.2'], ciphers: ['ECDHE-RSA-AES256-SHA', 'ECDHE-RSA-AES128-SHA', 'AES256-SHA', 'AES128-SHA'] }),
        p('cbc-sha-tls10', 'a TLS 1.0 server with CBC-SHA suites only', { protocols: ['TLSv1'], ciphers: ['ECDHE-RSA-AES256-SHA', 'AES256-SHA', 'AES128-SHA'] }),
        p('static-rsa', 'a server with static-RSA suites only', { protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2'], ciphers: ['AES256-SHA', 'AES128-SHA', 'AES256-GCM-SHA384'] }),
        p('ecdhe-groups', 'a TLS 1.2 server with ECDHE suites and the usual curves only', { protocols: ['TLSv1.2'], ciphers: ['ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256'], groups: [...MODERN_GROUPS] }),
        p('tls13-groups', 'a TLS 1.3 server with the usual groups only', { protocols: ['TLSv1.3'], ciphers: TLS13, groups: [...MODERN_GROUPS] }),
        p('dhe-only', 'a TLS 1.2 server with DHE suites only', { protocols: ['TLSv1.2'], ciphers: ['DHE-RSA-AES256-GCM-SHA384', 'DHE-RSA-AES128-GCM-SHA256'], dhBits: 2048 }),
      ];
    case 'legacy-signature':
      return [
        p('tls10-ecdhe-first', 'a TLS 1.0 server that prefers ECDHE (and also has static RSA)', { protocols: ['TLSv1'], ciphers: ['ECDHE-RSA-AES256-SHA', 'ECDHE-RSA-AES128-SHA', 'AES256-SHA', 'AES128-SHA'] }),
        p('tls11-dhe-first', 'a TLS 1.0/1.1 server that prefers DHE (and also has static RSA)', { protocols: ['TLSv1', 'TLSv1.1'], ciphers: ['DHE-RSA-AES256-SHA', 'AES256-SHA'], dhBits: 2048 }),
      ];
    case 'dh-key-too-small':
      return [p('dhe-1024', 'a server with DHE suites only and a 1024-bit group', { protocols: ['TLSv1.2'], ciphers: ['DHE-RSA-AES256-GCM-SHA384', 'DHE-RSA-AES128-GCM-SHA256'], dhBits: 1024 })];
    case 'certificate-untrusted':
      if (/key too weak|too small/.test(facts.verifyReason ?? '')) {
        return [p('weak-key', 'a server whose certificate key is too small', { protocols: ['TLSv1.2', 'TLSv1.3'], ciphers: BROAD, groups: [...MODERN_GROUPS], certificate: certificate([host, nexthop], { bits: 768 }) })];
      }
      return [p('untrusted', 'a server whose certificate does not chain to a trusted CA', { protocols: ['TLSv1.2', 'TLSv1.3'], ciphers: BROAD, groups: [...MODERN_GROUPS], certificate: certificate([host, nexthop], { trusted: false }) })];
    case 'certificate-name-mismatch':
      return [p('wrong-name', 'a server whose certificate names another host', { protocols: ['TLSv1.2', 'TLSv1.3'], ciphers: BROAD, groups: [...MODERN_GROUPS], certificate: certificate(['certificate-name.invalid']) })];
    case 'certificate-expired':
      return [p('expired', 'a server whose certificate has expired', { protocols: ['TLSv1.2', 'TLSv1.3'], ciphers: BROAD, groups: [...MODERN_GROUPS], certificate: certificate([host, nexthop], { expired: true }) })];
    case 'starttls-not-offered':
      return [p('no-starttls', 'a server that does not offer STARTTLS', { protocols: [], ciphers: [], starttls: false, certificate: undefined })];
    case 'policy-lookup-error':
    case 'tls-library-error':
      // The configuration alone fails: any server shows it.
      return [p('modern', 'any server', { protocols: ['TLSv1.2', 'TLSv1.3'], ciphers: BROAD, groups: [...MODERN_GROUPS] })];
    default:
      return [];
  }
}

/** The cause a prediction describes (the predictor's reasons quote OpenSSL and Postfix the way the log does). */
export function predictedCause(p: Prediction): Cause | null {
  if (p.outcome === 'tls' || p.outcome === 'plaintext') return null;
  if (p.outcome === 'no-starttls') return p.delivery === 'deferred' ? 'starttls-not-offered' : null;
  const r = p.reason;
  if (p.outcome === 'verification-failure') {
    if (/dane-only|fingerprint/.test(r)) return 'policy-lookup-error';
    if (/expired/.test(r)) return 'certificate-expired';
    if (/no certificate name|hostname mismatch/.test(r)) return 'certificate-name-mismatch';
    return 'certificate-untrusted';
  }
  if (/Invalid TLS protocol list|invalid cipher grade|OpenSSL rejects the cipher list|invalid unary|^no session:/.test(r)) return 'tls-library-error';
  if (/no common protocol|enables no protocol/.test(r)) return 'no-shared-protocol';
  if (/legacy sigalg/.test(r)) return 'legacy-signature';
  if (/dh key too small/.test(r)) return 'dh-key-too-small';
  if (/no common (TLS 1\.3 )?cipher suite|no common key-exchange group|no shared ECDHE curve/.test(r)) return 'no-shared-cipher';
  return null;
}

/** The first server shape the predictor fails with the same cause, with its prediction. */
export function agreeingPeer(model: ConfigModel, cause: Cause, facts: Facts, host: string, nexthop: string, opts: { prefix: ClientPrefix; configDir?: string }): Agreement | null {
  for (const candidate of evidencePeers(cause, facts, host, nexthop)) {
    const prediction = predictHandshake(model, candidate.peer, opts);
    if (predictedCause(prediction) === cause) return { peer: candidate, prediction };
  }
  return null;
}
