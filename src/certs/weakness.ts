/**
 * Weak certificate keys and signatures, and which peers reject them. The
 * claims are what OpenSSL 3.0 does when it verifies a certificate at a
 * security level (SSL_CTX_set_security_level(3)); test/certs/openssl-
 * seclevel.test.ts checks each one with openssl s_server/s_client. Pure.
 */
import type { Certificate } from './objects.js';

export interface WeaknessClaim {
  readonly id: 'rsa-below-1024' | 'rsa-below-2048' | 'ec-below-256' | 'md5-signature' | 'sha1-signature';
  /** OpenSSL security level from which a verifying client rejects it (null: handshakes fail at every level). */
  readonly rejectedFromLevel: number | null;
  /** The X.509 verification error (or the alert) a client reports. */
  readonly error: string;
  /** Only clients that verify the certificate are affected. */
  readonly verifyingOnly: boolean;
}

export const WEAKNESS_CLAIMS: Readonly<Record<WeaknessClaim['id'], WeaknessClaim>> = {
  'rsa-below-1024': { id: 'rsa-below-1024', rejectedFromLevel: 1, error: 'key too weak', verifyingOnly: true },
  'rsa-below-2048': { id: 'rsa-below-2048', rejectedFromLevel: 2, error: 'key too weak', verifyingOnly: true },
  // OpenSSL 3 clients offer no signature algorithm for curves below P-256: the handshake fails (alert 40).
  'ec-below-256': { id: 'ec-below-256', rejectedFromLevel: null, error: 'handshake failure (alert 40)', verifyingOnly: false },
  'md5-signature': { id: 'md5-signature', rejectedFromLevel: 1, error: 'CA signature digest algorithm too weak', verifyingOnly: true },
  'sha1-signature': { id: 'sha1-signature', rejectedFromLevel: 1, error: 'CA signature digest algorithm too weak', verifyingOnly: true },
};

export interface Weakness {
  readonly claim: WeaknessClaim;
  /** "RSA 1024-bit key", "sha1WithRSAEncryption signature". */
  readonly what: string;
}

/** The weaknesses of one certificate; `signatureMatters` is false for a self-signed root (nobody checks its signature). */
export function certificateWeaknesses(cert: Certificate, signatureMatters: boolean): Weakness[] {
  const out: Weakness[] = [];
  const { algorithm, bits } = cert.key;
  if ((algorithm === 'RSA' || algorithm === 'RSA-PSS' || algorithm === 'DSA') && bits !== null && bits < 2048) {
    out.push({ claim: WEAKNESS_CLAIMS[bits < 1024 ? 'rsa-below-1024' : 'rsa-below-2048'], what: `${algorithm} ${bits}-bit key` });
  }
  if (algorithm === 'ECDSA' && bits !== null && bits < 256) {
    out.push({ claim: WEAKNESS_CLAIMS['ec-below-256'], what: `ECDSA ${bits}-bit key (${cert.key.curve ?? 'unknown curve'})` });
  }
  if (signatureMatters) {
    const h = cert.signature.hash;
    if (h === 'md5' || h === 'md4' || h === 'md2') out.push({ claim: WEAKNESS_CLAIMS['md5-signature'], what: `${cert.signature.name} signature` });
    if (h === 'sha1') out.push({ claim: WEAKNESS_CLAIMS['sha1-signature'], what: `${cert.signature.name} signature` });
  }
  return out;
}

/** What the claim means for peers, in words. */
export function whoRejects(claim: WeaknessClaim): string {
  if (claim.rejectedFromLevel === null) return `OpenSSL 3 clients offer no signature algorithm for it, so their handshakes fail (${claim.error}) unless another certificate can be used`;
  const level = claim.rejectedFromLevel === 1 ? 'security level 1 and above (the OpenSSL 3 default)' : 'security level 2 and above (the default on Debian and Ubuntu)';
  return `clients that verify certificates with OpenSSL at ${level} reject it ("${claim.error}"); senders that do not verify (opportunistic TLS) still use it`;
}
