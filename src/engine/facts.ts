import type { PeerProfile } from '../interop/types.js';
import type { ClientProfile } from '../interop/client-types.js';
import type { ServerService, ServerTls } from '../model/server-services.js';

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
  /** The smtpd services of the whole configuration (absent for a lone main.cf model: the stock master.cf is assumed). */
  readonly server?: ServerTls;
  /** Set while server rules run for one smtpd service: the model is that service's (main.cf plus its -o overrides). */
  readonly serverService?: ServerService;
  /** Client profiles the inbound rules predict sessions with (the default set unless configured). */
  readonly clients?: readonly ClientProfile[];
}

export interface MasterCfFacts {
  readonly path: string;
  /** An active (not commented out) service running the tlsproxy command. */
  readonly tlsproxyActive: boolean;
}
