/**
 * What a loaded chain tells a client: does the server send the issuer of
 * its certificate, in order, and nothing else? A client builds the path
 * leaf -> intermediate(s) -> a root it trusts; the server must send the
 * intermediates because clients have only roots (public CAs never sign
 * server certificates with a root key). Pure.
 */
import { issuedBy, type Certificate } from './objects.js';
import type { LoadedChain, PlacedCertificate } from './load.js';

export interface ChainAnalysis {
  /** leaf, then each issuer found among the sent certificates. */
  readonly path: readonly PlacedCertificate[];
  /** The leaf is not self-signed and no sent certificate issued it. */
  readonly issuerMissing: boolean;
  /** The issuer was not sent but is in the daemon's CA file: OpenSSL completes the chain from it (or it is a private root the clients trust). */
  readonly completedFromCaFile: Certificate | null;
  /** Sent certificates on the path, but not in leaf-to-root order. */
  readonly outOfOrder: boolean;
  /** Sent certificates that are not on the path. */
  readonly unrelated: readonly PlacedCertificate[];
}

/**
 * `caFileCerts`: certificates of the daemon's CAfile; OpenSSL builds the
 * chain from its store when the chain file carries no issuers.
 */
export function analyzeChain(chain: LoadedChain, caFileCerts: readonly Certificate[] = []): ChainAnalysis {
  const path: PlacedCertificate[] = [chain.leaf];
  const pool = [...chain.extra];
  let current = chain.leaf;
  while (!current.cert.selfSigned && pool.length > 0) {
    const i = pool.findIndex((c) => issuedBy(current.cert, c.cert));
    if (i < 0) break;
    current = pool[i];
    path.push(current);
    pool.splice(i, 1);
  }
  const sentOnPath = chain.extra.filter((c) => path.includes(c));
  const outOfOrder = sentOnPath.some((c, i) => c !== path[i + 1]);
  const leafIssuerSent = path.length > 1;
  let completedFromCaFile: Certificate | null = null;
  if (!chain.leaf.cert.selfSigned && !leafIssuerSent && chain.extra.length === 0) {
    completedFromCaFile = caFileCerts.find((c) => issuedBy(chain.leaf.cert, c)) ?? null;
  }
  return {
    path,
    issuerMissing: !chain.leaf.cert.selfSigned && !leafIssuerSent && completedFromCaFile === null,
    completedFromCaFile,
    outOfOrder,
    unrelated: pool,
  };
}
