/**
 * The lab matrix: client configurations (main.cf fragments) × lab peers.
 * Not every combination: each cell exercises a prediction path (protocol
 * floor, wrong knob, exclusions, grade, security level, verification,
 * plaintext fallback, STARTTLS missing, tlsproxy reuse).
 */
import { labPeer, type LabPeer } from './peers.js';

export const MEDIUM_CIPHERLIST_37 = 'aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH';

export interface ClientConfig {
  readonly id: string;
  /** main.cf lines added to the instance's main.cf for this config. */
  readonly fragment: readonly (readonly [string, string])[];
  /** Which CA file the client trusts: the lab CA (default) or one that signed no peer. */
  readonly trustAnchor: 'lab-ca' | 'other-ca';
  /** What this config is about. */
  readonly purpose: string;
}

function cfg(id: string, purpose: string, fragment: [string, string][], trustAnchor: ClientConfig['trustAnchor'] = 'lab-ca'): ClientConfig {
  return { id, purpose, fragment, trustAnchor };
}

const L = (level: string): [string, string] => ['smtp_tls_security_level', level];
const REUSE: [string, string] = ['smtp_tls_connection_reuse', 'yes'];

export const CONFIGS: readonly ClientConfig[] = [
  cfg('none', 'TLS off', [L('none')]),
  cfg('may', 'opportunistic TLS, 3.7 defaults', [L('may')]),
  cfg('may-tls12', 'opportunistic floor TLS 1.2', [L('may'), ['smtp_tls_protocols', '>=TLSv1.2']]),
  cfg('may-tls13', 'opportunistic floor TLS 1.3', [L('may'), ['smtp_tls_protocols', '>=TLSv1.3']]),
  cfg('encrypt', 'mandatory encryption, defaults', [L('encrypt')]),
  cfg('encrypt-wrongknob', 'encrypt with the opportunistic knob tightened (ignored at encrypt)', [L('encrypt'), ['smtp_tls_protocols', '>=TLSv1.2']]),
  cfg('encrypt-mand12', 'encrypt with the mandatory floor TLS 1.2', [L('encrypt'), ['smtp_tls_mandatory_protocols', '>=TLSv1.2']]),
  cfg('may-nosha1', 'exclude SHA1 suites', [L('may'), ['smtp_tls_exclude_ciphers', 'SHA1']]),
  cfg('may-nokrsa', 'exclude static RSA key exchange', [L('may'), ['smtp_tls_exclude_ciphers', 'kRSA']]),
  cfg('may-noanull', 'exclude anonymous suites', [L('may'), ['smtp_tls_exclude_ciphers', 'aNULL']]),
  cfg('may-mand-nosha1', 'SHA1 excluded on the mandatory knob only (ignored at may)', [L('may'), ['smtp_tls_mandatory_exclude_ciphers', 'SHA1']]),
  cfg('may-high', 'opportunistic grade high', [L('may'), ['smtp_tls_ciphers', 'high']]),
  cfg('encrypt-high', 'mandatory grade high', [L('encrypt'), ['smtp_tls_mandatory_ciphers', 'high']]),
  cfg('may-seclevel2', '@SECLEVEL=2 appended to tls_medium_cipherlist', [L('may'), ['tls_medium_cipherlist', `${MEDIUM_CIPHERLIST_37}:@SECLEVEL=2`]]),
  cfg('verify', 'verify (lab CA in smtp_tls_CAfile, name = MX host)', [L('verify')]),
  cfg('secure', 'secure (lab CA, name = next hop)', [L('secure')]),
  cfg('verify-untrusted', 'verify with a CAfile that does not hold the lab CA', [L('verify')], 'other-ca'),
  cfg('may-hole', 'a hole in the protocol list (TLS 1.2 disabled)', [L('may'), ['smtp_tls_protocols', '!TLSv1.2']]),
  cfg('may-seclevel3', '@SECLEVEL=3 appended to tls_medium_cipherlist', [L('may'), ['tls_medium_cipherlist', `${MEDIUM_CIPHERLIST_37}:@SECLEVEL=3`]]),
  cfg('may-x448', 'the client offers only the X448 group', [L('may'), ['tls_eecdh_auto_curves', 'X448']]),
  cfg('verify-noca', 'verify without any CA file', [L('verify'), ['smtp_tls_CAfile', '']]),
  cfg('dane', 'dane without DNSSEC (DNS lookups disabled)', [L('dane')]),
  cfg('dane-only', 'dane-only without DNSSEC', [L('dane-only')]),
  cfg('fingerprint-empty', 'fingerprint level without fingerprints', [L('fingerprint')]),
  cfg('may-badproto', 'an unknown protocol name', [L('may'), ['smtp_tls_protocols', '>=TLSv1.4']]),
  cfg('may-badcipherlist', 'a cipher list OpenSSL rejects', [L('may'), ['tls_medium_cipherlist', 'BOGUS']]),
  cfg('encrypt-badexclude', 'an exclusion with a leading "!"', [L('encrypt'), ['smtp_tls_mandatory_exclude_ciphers', '!SHA1']]),
  cfg('encrypt-nokrsa', 'static RSA excluded at encrypt', [L('encrypt'), ['smtp_tls_mandatory_exclude_ciphers', 'kRSA']]),
  cfg('may-reuse', 'connection reuse through tlsproxy', [L('may'), REUSE]),
  cfg('may-reuse-seclevel2', 'reuse through tlsproxy with @SECLEVEL=2 (tlsproxy must see the cipherlist)', [L('may'), REUSE, ['tls_medium_cipherlist', `${MEDIUM_CIPHERLIST_37}:@SECLEVEL=2`]]),
  cfg('encrypt-reuse-mand12', 'reuse through tlsproxy at encrypt with the mandatory floor TLS 1.2', [L('encrypt'), REUSE, ['smtp_tls_mandatory_protocols', '>=TLSv1.2']]),
];

/** Which peers each config meets. */
const PLAN: Readonly<Record<string, readonly string[]>> = {
  none: ['ex2010', 'modern', 'anon-first'],
  may: ['ex2010', 'ex2007', 'tls10-rsa', 'ex2019', 'tls12-cbcsha', 'ws2012r2', 'modern', 'modern-wrongname', 'anon-first', 'weak-key', 'dhe-1024', 'no-starttls'],
  'may-tls12': ['ex2010', 'tls10-rsa', 'ex2019', 'ws2012r2', 'modern'],
  'may-tls13': ['ex2019', 'ws2012r2', 'modern', 'no-starttls'],
  encrypt: ['ex2010', 'tls10-rsa', 'ex2019', 'modern', 'anon-first', 'no-starttls'],
  'encrypt-wrongknob': ['ex2010', 'tls10-rsa', 'modern'],
  'encrypt-mand12': ['ex2010', 'tls10-rsa', 'ex2019', 'ws2012r2'],
  'may-nosha1': ['ex2010', 'ex2007', 'tls12-cbcsha', 'ws2012r2', 'ex2019'],
  'may-nokrsa': ['ex2007', 'tls10-rsa', 'ws2012r2'],
  'may-noanull': ['anon-first', 'modern'],
  'may-mand-nosha1': ['tls12-cbcsha', 'ex2010'],
  'may-high': ['tls10-rsa', 'tls12-cbcsha'],
  'encrypt-high': ['ex2010', 'tls12-cbcsha', 'ex2019'],
  'may-seclevel2': ['ex2010', 'ex2007', 'tls10-rsa', 'ws2012r2', 'modern', 'weak-key', 'dhe-1024'],
  verify: ['ex2010', 'tls10-rsa', 'ex2019', 'modern', 'anon-first', 'modern-wrongname', 'weak-key'],
  secure: ['ex2010', 'ex2007', 'ex2019', 'modern', 'modern-wrongname', 'dhe-1024'],
  'verify-untrusted': ['modern', 'ex2019'],
  'may-hole': ['modern', 'ws2012r2', 'ex2019'],
  'may-seclevel3': ['ws2012r2', 'modern', 'tls10-rsa'],
  'may-x448': ['ex2019', 'ws2012r2', 'modern'],
  'verify-noca': ['modern'],
  dane: ['ex2010'],
  'dane-only': ['ex2019'],
  'fingerprint-empty': ['modern'],
  'may-badproto': ['modern'],
  'may-badcipherlist': ['ex2019'],
  'encrypt-badexclude': ['modern'],
  'encrypt-nokrsa': ['tls10-rsa', 'ex2007'],
  'may-reuse': ['ex2010', 'ex2019', 'modern', 'no-starttls'],
  'may-reuse-seclevel2': ['ex2010', 'tls10-rsa'],
  'encrypt-reuse-mand12': ['tls10-rsa', 'modern'],
};

export interface Cell {
  /** "<config>__<peer>" */
  readonly id: string;
  readonly config: ClientConfig;
  readonly peer: LabPeer;
  /** master.cf service / transport name: c01, c02, ... */
  readonly service: string;
  /** Recipient domain routed to this cell's peer. */
  readonly domain: string;
  /** Messages per cell: reuse cells queue several so a connection can be reused. */
  readonly messages: number;
}

export function reuses(config: ClientConfig): boolean {
  return config.fragment.some(([n, v]) => n === 'smtp_tls_connection_reuse' && v === 'yes');
}

/** Every cell, numbered in a stable order. Pure. */
export function buildCells(filter?: (c: Cell) => boolean): Cell[] {
  const cells: Cell[] = [];
  for (const config of CONFIGS) {
    for (const peerId of PLAN[config.id] ?? []) {
      const n = String(cells.length + 1).padStart(2, '0');
      const cell: Cell = {
        id: `${config.id}__${peerId}`,
        config,
        peer: labPeer(peerId),
        service: `c${n}`,
        domain: `c${n}.${config.id}.${peerId}.lab`,
        messages: reuses(config) ? 3 : 1,
      };
      cells.push(cell);
    }
  }
  return filter ? cells.filter(filter) : cells;
}
