/**
 * The inbound lab's clients: the shipped client profiles (data/clients),
 * trimmed to what a Node (OpenSSL 3) client can offer: no SSLv3, no
 * RC4/3DES/DES suites (compiled out). Two synthetic clients cover what no
 * shipped profile does: an MTA that never uses STARTTLS, and one that
 * insists on it.
 */
import { findBuiltinClient } from '../../src/interop/clients.js';
import { SUITES_ABSENT_FROM_BUILD } from '../../src/interop/peers.js';
import type { ClientProfile } from '../../src/interop/client-types.js';

export interface LabClient {
  /** Short id used in cell ids and the docs. */
  readonly id: string;
  readonly emulates: string;
  /** The profile as the predictor and the Node client see it. */
  readonly profile: ClientProfile;
}

const LAB_SOURCE = 'inbound lab (lab/inbound/clients.ts): Node.js SMTP client, OpenSSL 3.0';

function derived(id: string, shippedId: string, extra: Partial<ClientProfile> = {}): LabClient {
  const shipped = findBuiltinClient(shippedId);
  if (!shipped) throw new Error(`lab client ${id}: shipped profile ${shippedId} is missing`);
  const profile: ClientProfile = {
    ...shipped,
    id,
    description: `${shipped.description} (lab copy: suites OpenSSL 3 can offer)`,
    protocols: shipped.protocols.filter((p) => p !== 'SSLv3'),
    ciphers: shipped.ciphers.filter((c) => !SUITES_ABSENT_FROM_BUILD.has(c)),
    sources: [LAB_SOURCE, `derived from data/clients/${shippedId}.json`],
    ...extra,
  };
  return { id, emulates: shipped.description, profile };
}

function synthetic(id: string, emulates: string, p: Partial<ClientProfile>): LabClient {
  const base = derived(id, 'postfix-openssl3').profile;
  return { id, emulates, profile: { ...base, description: emulates, sources: [LAB_SOURCE], notes: undefined, ...p } };
}

export const LAB_CLIENTS: readonly LabClient[] = [
  derived('ex2010', 'exchange-2010-ws2008r2'),
  derived('ex2016', 'exchange-2016-ws2016'),
  derived('exo', 'exchange-online'),
  derived('gmail', 'gmail'),
  derived('postfix', 'postfix-openssl3'),
  derived('ossl101', 'openssl101-mta'),
  derived('java8', 'java-8-mailer'),
  derived('printer', 'printer-tls10'),
  derived('outlook2010', 'outlook-2010-win7'),
  derived('thunderbird', 'thunderbird-current'),
  synthetic('plain-mta', 'An MTA that never uses STARTTLS', { starttls: 'never' }),
  synthetic('tls-required-mta', 'An MTA that requires STARTTLS (an MTA-STS enforce or "TLS required" policy), TLS 1.2 and up', { starttls: 'required', onTlsFailure: 'defer', protocols: ['TLSv1.2', 'TLSv1.3'] }),
];

export function labClient(id: string): LabClient {
  const c = LAB_CLIENTS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown lab client ${id}`);
  return c;
}
