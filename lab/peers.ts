/**
 * The lab's peers: peer profiles (the predictor's input) that the Node peer
 * server can serve exactly. Where a shipped profile exists (data/peers), the
 * lab peer is derived from it, trimmed to what an RSA-certificate OpenSSL 3
 * server can offer: no SSLv3, no RC4/3DES/DES (compiled out), no ECDSA/DSS
 * suites (the lab certificate is RSA). Every peer is reached as
 * [localhost]:PORT, so the MX host name and the next hop are "localhost".
 */
import { findBuiltinPeer, SUITES_ABSENT_FROM_BUILD } from '../src/interop/peers.js';
import type { PeerProfile } from '../src/interop/types.js';

export const LAB_HOST = 'localhost';
/** Names of the usual lab certificate; the mismatch certificate has only WRONG_NAME. */
export const GOOD_NAMES: readonly string[] = ['localhost', 'peer.interoplab.test'];
export const WRONG_NAME = 'wrong.interoplab.test';

export interface LabPeer {
  /** Short id used in cell ids and the docs. */
  readonly id: string;
  /** What real server it stands for. */
  readonly emulates: string;
  /** The profile as the predictor sees it (certificate.trusted is set per cell). */
  readonly profile: PeerProfile;
  /** Certificate names (none for a peer without STARTTLS). */
  readonly certNames: readonly string[] | null;
  /** RSA key size of the certificate (2048 unless a cell tests a weak key). */
  readonly certBits?: number;
  /** Serve DHE with the RFC 5114 1024-bit group instead of Node's automatic one. */
  readonly dh1024?: boolean;
}

const LAB_SOURCE = 'interop lab (lab/peers.ts): Node.js STARTTLS peer, OpenSSL 3.0, lab CA RSA-2048 certificate';

function labCertificate(names: readonly string[], bits = 2048): NonNullable<PeerProfile['certificate']> {
  return { keyType: 'RSA', bits, names, trusted: true, expired: false };
}

function servable(name: string): boolean {
  if (SUITES_ABSENT_FROM_BUILD.has(name)) return false;
  return !/ECDSA|DSS/.test(name);
}

function derived(labId: string, shippedId: string, emulates: string, extra: Partial<PeerProfile> = {}): LabPeer {
  const shipped = findBuiltinPeer(shippedId);
  if (!shipped) throw new Error(`lab peer ${labId}: shipped profile ${shippedId} is missing`);
  const ciphers = shipped.ciphers.filter(servable);
  const profile: PeerProfile = {
    ...shipped,
    id: labId,
    description: `${shipped.description} (lab copy: servable suites only)`,
    protocols: shipped.protocols.filter((p) => p !== 'SSLv3'),
    ciphers,
    // Node's dhparam 'auto' picks a 2048-bit group for an RSA-2048 key.
    ...(ciphers.some((c) => c.startsWith('DHE-')) ? { dhBits: 2048 } : {}),
    certificate: labCertificate(GOOD_NAMES),
    hostname: LAB_HOST,
    nexthop: LAB_HOST,
    sources: [LAB_SOURCE, `derived from data/peers/${shippedId}.json`],
    notes: undefined,
    ...extra,
  };
  return { id: labId, emulates, profile, certNames: profile.certificate ? profile.certificate.names : null };
}

function synthetic(id: string, emulates: string, p: Pick<PeerProfile, 'protocols' | 'ciphers' | 'cipherPreference' | 'groups'> & Partial<PeerProfile>,
  certNames: readonly string[] = GOOD_NAMES, extra: Pick<LabPeer, 'certBits' | 'dh1024'> = {}): LabPeer {
  const profile: PeerProfile = {
    id,
    description: emulates,
    starttls: true,
    certificate: labCertificate(certNames, extra.certBits),
    hostname: LAB_HOST,
    nexthop: LAB_HOST,
    confidence: 'high',
    sources: [LAB_SOURCE],
    ...p,
  };
  return { id, emulates, profile, certNames, ...extra };
}

const MODERN = {
  protocols: ['TLSv1.2', 'TLSv1.3'],
  ciphers: ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305'],
  cipherPreference: 'client',
  groups: ['x25519', 'secp256r1', 'secp384r1'],
} as const;

export const LAB_PEERS: readonly LabPeer[] = [
  derived('ex2010', 'exchange-2010-ws2008r2', 'Exchange 2010 on Windows 2008 R2 defaults: TLS 1.0 only, ECDHE-RSA and RSA CBC-SHA suites, server order'),
  derived('ex2007', 'exchange-2007-ws2008', 'Exchange 2007 on Windows 2008: TLS 1.0 only, static RSA first (server order), ECDHE-RSA later'),
  synthetic('tls10-rsa', 'TLS 1.0 only, static-RSA CBC-SHA suites only', {
    protocols: ['TLSv1'], ciphers: ['AES256-SHA', 'AES128-SHA'], cipherPreference: 'server', groups: [],
  }),
  synthetic('ex2019', 'Exchange 2019 hardened to TLS 1.2 with ECDHE-RSA-AES-GCM only', {
    protocols: ['TLSv1.2'], ciphers: ['ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256'], cipherPreference: 'server',
    groups: ['x25519', 'secp256r1', 'secp384r1'],
  }),
  synthetic('tls12-cbcsha', 'TLS 1.2 with CBC-SHA suites only (ECDHE-RSA and static RSA)', {
    protocols: ['TLSv1.2'], ciphers: ['ECDHE-RSA-AES256-SHA', 'ECDHE-RSA-AES128-SHA', 'AES256-SHA', 'AES128-SHA'], cipherPreference: 'client', groups: [],
  }),
  derived('ws2012r2', 'exchange-2016-ws2012r2', 'Exchange 2016 on Windows 2012 R2 defaults: TLS 1.0-1.2, no ECDHE-RSA-AES-GCM, server order'),
  synthetic('modern', 'TLS 1.3-capable MTA (OpenSSL defaults, client order)', { ...MODERN, protocols: [...MODERN.protocols], ciphers: [...MODERN.ciphers], groups: [...MODERN.groups] }),
  synthetic('modern-wrongname', 'TLS 1.3-capable MTA whose certificate names another host', {
    ...MODERN, protocols: [...MODERN.protocols], ciphers: [...MODERN.ciphers], groups: [...MODERN.groups],
  }, [WRONG_NAME]),
  synthetic('anon-first', 'TLS 1.2 server preferring anonymous DH (ADH) over ECDHE-RSA', {
    protocols: ['TLSv1.2'], ciphers: ['ADH-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'], cipherPreference: 'server', groups: [],
    dhBits: 3072,
  }),
  synthetic('weak-key', 'TLS 1.2 server with an RSA-768 certificate', {
    protocols: ['TLSv1.2'], ciphers: ['ECDHE-RSA-AES256-GCM-SHA384'], cipherPreference: 'server', groups: [],
  }, GOOD_NAMES, { certBits: 768 }),
  synthetic('dhe-1024', 'TLS 1.2 server with DHE-RSA only and a 1024-bit DH group', {
    protocols: ['TLSv1.2'], ciphers: ['DHE-RSA-AES256-GCM-SHA384', 'DHE-RSA-AES128-GCM-SHA256'], cipherPreference: 'server', groups: [],
    dhBits: 1024,
  }, GOOD_NAMES, { dh1024: true }),
  {
    id: 'no-starttls',
    emulates: 'SMTP server that does not offer STARTTLS',
    certNames: null,
    profile: {
      id: 'no-starttls', description: 'no STARTTLS', starttls: false, protocols: [], ciphers: [], cipherPreference: 'server', groups: [],
      hostname: LAB_HOST, nexthop: LAB_HOST, confidence: 'high', sources: [LAB_SOURCE],
    },
  },
];

export function labPeer(id: string): LabPeer {
  const p = LAB_PEERS.find((x) => x.id === id);
  if (!p) throw new Error(`unknown lab peer ${id}`);
  return p;
}
