import type { PeerProfile } from '../interop/types.js';

/** Context every rule sees besides the model: versions and where mail goes. */
export interface LintFacts {
  /** Postfix version modelled, e.g. "3.7.11". */
  readonly postfixVersion: string;
  /** OpenSSL major generation: 1 (1.1.1) or 3. */
  readonly opensslVersion: number;
  /** master.cf beside main.cf, when there is one. */
  readonly masterCf: MasterCfFacts | null;
  /** Peer profiles interop rules predict handshakes with (the default set unless configured). */
  readonly peers?: readonly PeerProfile[];
}

export interface MasterCfFacts {
  readonly path: string;
  /** An active (not commented out) service running the tlsproxy command. */
  readonly tlsproxyActive: boolean;
}
