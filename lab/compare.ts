/**
 * What Postfix did in one cell, read from its log (and checked against what
 * the peer itself saw), and the comparison with the prediction. Pure.
 */
import type { PredictionDelivery, PredictionOutcome } from '../src/interop/types.js';
import type { ConnectionRecord } from './peer-server.js';
import { shortSslError, type Attempt, type Trust } from './log.js';

export interface Observed {
  readonly outcome: PredictionOutcome | 'lab-error';
  readonly delivery: PredictionDelivery | 'unknown';
  readonly protocol: string | null;
  readonly cipher: string | null;
  readonly trust: Trust | null;
  /** The client reused a TLS connection (conn_use >= 2 or "TLS connection reused"). */
  readonly reused: boolean;
  /** Short log evidence: the status detail of each attempt and any TLS library error. */
  readonly evidence: string;
  /** Lab integrity problems (no attempt, peer disagrees with the log, ...): the cell fails. */
  readonly problems: readonly string[];
}

function deliveryOf(a: Attempt): PredictionDelivery | 'unknown' {
  if (a.status === 'sent') return a.tls.length > 0 ? 'tls' : 'plaintext';
  if (a.status === 'deferred') return 'deferred';
  return 'unknown';
}

function evidenceOf(attempts: readonly Attempt[]): string {
  return attempts.map((a, i) => {
    const errors = [...new Set(a.libraryErrors.map(shortSslError))].filter((e) => !/^-?\d+$/.test(e));
    const verify = a.verificationFailed ? `verification failed: ${a.verificationFailed}; ` : '';
    const fallback = a.status === 'sent' && a.handshakeFailed ? 'handshake failure, then plaintext; ' : '';
    const tls = a.tls.length > 0 ? `${a.tls[a.tls.length - 1].trust} ${a.tls[a.tls.length - 1].protocol}; ` : '';
    return `#${i + 1} ${tls}${verify}${fallback}status=${a.status} (${a.detail.replace(/ \(queued as [^)]*\)/, '')})${errors.length ? ` [${errors.join('; ')}]` : ''}`;
  }).join(' → ');
}

/**
 * Classify the attempts of one message (first attempt, then the forced retry
 * of a deferred message) against what the peer recorded for this cell.
 */
export function classifyMessage(attempts: readonly Attempt[], peerConnections: readonly ConnectionRecord[]): Observed {
  const problems: string[] = [];
  if (attempts.length === 0) {
    return { outcome: 'lab-error', delivery: 'unknown', protocol: null, cipher: null, trust: null, reused: false, evidence: 'no delivery attempt logged', problems: ['no delivery attempt logged'] };
  }
  const first = attempts[0];
  const last = attempts[attempts.length - 1];
  const session = first.tls.length > 0 ? first.tls[first.tls.length - 1] : null;
  const peerOffered = peerConnections.some((c) => c.starttlsOffered);
  let outcome: Observed['outcome'];
  if (first.status === 'sent') {
    if (session) outcome = 'tls';
    else if (first.handshakeFailed) outcome = 'handshake-failure';
    // The certificate-matching policy cannot be met (dane-only without DNSSEC, fingerprint without
    // fingerprints): Postfix defers without connecting. The predictor files this under verification-failure.
    else if (first.detail === 'client TLS configuration problem') outcome = 'verification-failure'; // fell back within the first attempt
    else outcome = peerOffered ? 'plaintext' : 'no-starttls';
  } else if (first.status === 'deferred') {
    if (first.detail.includes('TLS is required, but was not offered')) outcome = 'no-starttls';
    else if (first.verificationFailed || first.detail.includes('Server certificate not verified')) outcome = 'verification-failure';
    else if (first.handshakeFailed) outcome = 'handshake-failure';
    // The certificate-matching policy cannot be met (dane-only without DNSSEC, fingerprint without
    // fingerprints): Postfix defers without connecting. The predictor files this under verification-failure.
    else if (first.detail === 'client TLS configuration problem') outcome = 'verification-failure';
    else {
      outcome = 'lab-error';
      problems.push(`unexpected deferral: ${first.detail}`);
    }
    if (attempts.length < 2) problems.push('the deferred message got no second attempt');
  } else {
    outcome = 'lab-error';
    problems.push(`unexpected status ${first.status}: ${first.detail}`);
  }
  const delivery = deliveryOf(last);
  const completed = outcome === 'tls' || outcome === 'verification-failure';

  // Cross-check with the peer's own view.
  if (completed && session && !session.reused && !peerConnections.some((c) => c.tls?.protocol === session.protocol && c.tls.cipher === session.cipher)) {
    problems.push(`peer never saw ${session.protocol} with ${session.cipher}`);
  }
  if (delivery === 'tls' && !peerConnections.some((c) => c.messages.some((m) => m.tls))) problems.push('peer received no message over TLS');
  if (delivery === 'plaintext' && !peerConnections.some((c) => c.messages.some((m) => !m.tls))) problems.push('peer received no plaintext message');
  if (outcome === 'handshake-failure' && !peerConnections.some((c) => c.starttlsRequested && c.tls === null)) problems.push('peer saw no failed STARTTLS');
  if (outcome === 'plaintext' && peerConnections.some((c) => c.starttlsRequested)) problems.push('peer saw STARTTLS although the log shows none');

  return {
    outcome,
    delivery,
    protocol: completed && session ? session.protocol : null,
    cipher: completed && session ? session.cipher : null,
    trust: session?.trust ?? null,
    reused: attempts.some((a) => a.connUse >= 2 || a.tls.some((t) => t.reused)),
    evidence: evidenceOf(attempts),
    problems,
  };
}

export interface Comparison {
  readonly match: boolean;
  /** "field: predicted X, observed Y" */
  readonly differences: readonly string[];
}

/** Outcome, delivery, protocol and cipher of a prediction and of what the lab observed (outbound or inbound). */
export interface Comparable {
  readonly outcome: string;
  readonly delivery: string;
  readonly protocol: string | null;
  readonly cipher: string | null;
}

export function compare(p: Comparable, o: Comparable & { readonly problems: readonly string[] }): Comparison {
  const differences: string[] = [];
  const fields = [
    ['outcome', p.outcome, o.outcome],
    ['delivery', p.delivery, o.delivery],
    ['protocol', p.protocol, o.protocol],
    ['cipher', p.cipher, o.cipher],
  ] as const;
  for (const [name, want, got] of fields) {
    if (want !== got) differences.push(`${name}: predicted ${want ?? '-'}, observed ${got ?? '-'}`);
  }
  for (const problem of o.problems) differences.push(`lab: ${problem}`);
  return { match: differences.length === 0, differences };
}
