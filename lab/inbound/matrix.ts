/**
 * The inbound lab matrix: smtpd configurations (-o overrides on one smtpd
 * service each, on top of the lab server's main.cf) × lab clients. Each
 * cell exercises a prediction path: level none/may/encrypt, wrapper mode,
 * the protocol floor and include lists, exclusions, grade, server cipher
 * preference, @SECLEVEL, groups, certificate key type, a missing
 * certificate, AUTH before and after STARTTLS, and broken certificate
 * material: a missing key, a key that does not match, an expired certificate.
 *
 * Certificates are named by `cert`; the lab makes each kind at run time
 * (lab/inbound/certs.ts).
 */
import { labClient, type LabClient } from './clients.js';
import type { InboundCause } from '../../src/diagnose/types.js';

/**
 * rsa: the main.cf default; ecdsa: an ECDSA P-256 chain; none: no certificate;
 * missing-key: smtpd_tls_key_file names a file that does not exist;
 * key-mismatch: chain files with a key that is not the certificate's;
 * expired: a lab CA certificate whose validity ended.
 */
export type CertKind = 'rsa' | 'ecdsa' | 'none' | 'missing-key' | 'key-mismatch' | 'expired';

export interface ServerConfig {
  readonly id: string;
  readonly purpose: string;
  /** master.cf -o settings of the cell service. */
  readonly settings: readonly (readonly [string, string])[];
  /** Which certificate the service loads (rsa: the main.cf default). */
  readonly cert: CertKind;
  /**
   * What `diagnose --config` must say about a client this configuration turns away at the handshake or at
   * STARTTLS: the cause and the setting responsible (lab/inbound/diagnose-check.ts; the causes that follow
   * from the client alone, a plaintext client at encrypt or a STARTTLS client on a wrapper-mode port, are not repeated here).
   */
  readonly turnsAway?: { readonly cause: InboundCause; readonly parameter: string };
}

function cfg(id: string, purpose: string, settings: [string, string][], cert: CertKind = 'rsa', turnsAway?: ServerConfig['turnsAway']): ServerConfig {
  return { id, purpose, settings, cert, ...(turnsAway ? { turnsAway } : {}) };
}

const PROTOCOL = (parameter: string) => ({ cause: 'client-no-shared-protocol' as const, parameter });
const CIPHER = (parameter: string) => ({ cause: 'client-no-shared-cipher' as const, parameter });
const NO_TLS = (parameter: string) => ({ cause: 'server-tls-unavailable' as const, parameter });

const L = (level: string): [string, string] => ['smtpd_tls_security_level', level];
const SASL: [string, string] = ['smtpd_sasl_auth_enable', 'yes'];
const MEDIUM_37 = 'aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH';

export const SERVER_CONFIGS: readonly ServerConfig[] = [
  cfg('none', 'no STARTTLS (level none)', [L('none')]),
  cfg('may', 'opportunistic TLS, Postfix 3.7 defaults (the port-25 role)', [L('may')]),
  cfg('encrypt', 'TLS required', [L('encrypt')]),
  cfg('may-tls12', 'opportunistic floor TLS 1.2', [L('may'), ['smtpd_tls_protocols', '>=TLSv1.2']], 'rsa', PROTOCOL('smtpd_tls_protocols')),
  cfg('may-tls13', 'opportunistic floor TLS 1.3', [L('may'), ['smtpd_tls_protocols', '>=TLSv1.3']], 'rsa', PROTOCOL('smtpd_tls_protocols')),
  cfg('may-include-tls1', 'inclusion list "TLSv1": TLS 1.0 only', [L('may'), ['smtpd_tls_protocols', 'TLSv1']], 'rsa', PROTOCOL('smtpd_tls_protocols')),
  cfg('may-include-tls12', 'inclusion list "TLSv1.2": TLS 1.2 only', [L('may'), ['smtpd_tls_protocols', 'TLSv1.2']], 'rsa', PROTOCOL('smtpd_tls_protocols')),
  cfg('may-nosha1', 'SHA1 excluded', [L('may'), ['smtpd_tls_exclude_ciphers', 'SHA1']], 'rsa', CIPHER('smtpd_tls_exclude_ciphers')),
  cfg('may-nocbc', 'CBC excluded', [L('may'), ['smtpd_tls_exclude_ciphers', 'CBC']], 'rsa', CIPHER('smtpd_tls_exclude_ciphers')),
  cfg('may-nokrsa', 'static RSA key exchange excluded', [L('may'), ['smtpd_tls_exclude_ciphers', 'kRSA']], 'rsa', CIPHER('smtpd_tls_exclude_ciphers')),
  cfg('may-high', 'opportunistic grade high', [L('may'), ['smtpd_tls_ciphers', 'high']], 'rsa', CIPHER('smtpd_tls_ciphers')),
  cfg('may-preempt', 'server cipher preference (tls_preempt_cipherlist = yes)', [L('may'), ['tls_preempt_cipherlist', 'yes']]),
  cfg('may-seclevel1', '@SECLEVEL=1 appended to tls_medium_cipherlist', [L('may'), ['tls_medium_cipherlist', `${MEDIUM_37}:@SECLEVEL=1`]], 'rsa', PROTOCOL('tls_medium_cipherlist')),
  cfg('may-x25519', 'only the X25519 group (tls_eecdh_auto_curves)', [L('may'), ['tls_eecdh_auto_curves', 'X25519']], 'rsa', CIPHER('tls_eecdh_auto_curves')),
  cfg('may-ecdsa', 'an ECDSA (P-256) certificate only', [L('may')], 'ecdsa', CIPHER('smtpd_tls_chain_files')),
  cfg('may-nocert', 'STARTTLS level may without any certificate', [L('may')], 'none', NO_TLS('smtpd_tls_chain_files')),
  cfg('submission', 'the submission role: TLS required, TLS 1.2 floor, AUTH', [L('encrypt'), ['smtpd_tls_mandatory_protocols', '>=TLSv1.2'], SASL], 'rsa', PROTOCOL('smtpd_tls_mandatory_protocols')),
  cfg('submission-tls1', 'submission with the default mandatory floor (TLS 1.0 allowed), AUTH', [L('encrypt'), SASL]),
  cfg('may-sasl', 'AUTH offered before STARTTLS (smtpd_tls_auth_only = no)', [L('may'), SASL]),
  cfg('may-authonly', 'AUTH only after STARTTLS (smtpd_tls_auth_only = yes)', [L('may'), SASL, ['smtpd_tls_auth_only', 'yes']]),
  cfg('wrapper', 'wrapper mode (submissions, port 465 role), AUTH', [['smtpd_tls_wrappermode', 'yes'], SASL]),
  cfg('wrapper-tls12', 'wrapper mode with a TLS 1.2 mandatory floor, AUTH', [['smtpd_tls_wrappermode', 'yes'], ['smtpd_tls_mandatory_protocols', '>=TLSv1.2'], SASL], 'rsa', PROTOCOL('smtpd_tls_mandatory_protocols')),
  cfg('may-missing-key', 'STARTTLS level may, smtpd_tls_key_file names a file that does not exist', [L('may')], 'missing-key', NO_TLS('smtpd_tls_key_file')),
  cfg('may-key-mismatch', 'STARTTLS level may, chain files with a key that is not the certificate\'s', [L('may')], 'key-mismatch', NO_TLS('smtpd_tls_chain_files')),
  cfg('encrypt-key-mismatch', 'TLS required, chain files with a key that is not the certificate\'s', [L('encrypt')], 'key-mismatch', NO_TLS('smtpd_tls_chain_files')),
  cfg('wrapper-key-mismatch', 'wrapper mode, chain files with a key that is not the certificate\'s, AUTH', [['smtpd_tls_wrappermode', 'yes'], SASL], 'key-mismatch', NO_TLS('smtpd_tls_chain_files')),
  cfg('may-expired', 'STARTTLS level may, a certificate that expired', [L('may')], 'expired'),
];

/** Which clients each configuration meets. */
const PLAN: Readonly<Record<string, readonly string[]>> = {
  none: ['gmail', 'postfix', 'plain-mta', 'tls-required-mta', 'thunderbird'],
  may: ['ex2010', 'ex2016', 'exo', 'gmail', 'postfix', 'ossl101', 'plain-mta', 'tls-required-mta', 'printer'],
  encrypt: ['ex2010', 'gmail', 'plain-mta', 'postfix'],
  'may-tls12': ['ex2010', 'ex2016', 'exo', 'gmail', 'postfix', 'ossl101'],
  'may-tls13': ['ex2016', 'exo', 'gmail', 'postfix', 'tls-required-mta'],
  'may-include-tls1': ['ex2010', 'ex2016', 'gmail', 'exo'],
  'may-include-tls12': ['ex2016', 'gmail', 'postfix', 'ex2010'],
  'may-nosha1': ['ex2010', 'ex2016', 'gmail', 'printer'],
  'may-nocbc': ['ex2010', 'ex2016', 'ossl101'],
  'may-nokrsa': ['printer', 'ex2010', 'java8'],
  'may-high': ['ex2010', 'printer', 'gmail'],
  'may-preempt': ['ex2010', 'ex2016', 'gmail', 'postfix'],
  'may-seclevel1': ['ex2010', 'ex2016', 'postfix'],
  'may-x25519': ['ex2010', 'ex2016', 'gmail', 'printer'],
  'may-ecdsa': ['ex2016', 'gmail', 'printer', 'ex2010'],
  'may-nocert': ['gmail', 'tls-required-mta', 'thunderbird'],
  submission: ['outlook2010', 'thunderbird', 'printer', 'java8'],
  'submission-tls1': ['outlook2010', 'printer', 'java8'],
  'may-sasl': ['thunderbird', 'printer', 'java8'],
  'may-authonly': ['thunderbird', 'printer', 'outlook2010'],
  wrapper: ['thunderbird', 'outlook2010', 'printer', 'java8'],
  'wrapper-tls12': ['thunderbird', 'outlook2010', 'printer'],
  'may-missing-key': ['gmail', 'postfix', 'tls-required-mta'],
  'may-key-mismatch': ['gmail', 'ex2016', 'tls-required-mta'],
  'encrypt-key-mismatch': ['gmail', 'postfix'],
  'wrapper-key-mismatch': ['thunderbird'],
  'may-expired': ['gmail', 'postfix', 'tls-required-mta', 'ex2010'],
};

export interface InboundCell {
  /** "<config>__<client>" */
  readonly id: string;
  readonly config: ServerConfig;
  readonly client: LabClient;
  /** master.cf service of the configuration (one per config): s01, s02, ... */
  readonly service: string;
}

/** Every cell, numbered in a stable order. Pure. */
export function buildInboundCells(filter?: (c: InboundCell) => boolean): InboundCell[] {
  const cells: InboundCell[] = [];
  SERVER_CONFIGS.forEach((config, i) => {
    const service = `s${String(i + 1).padStart(2, '0')}`;
    for (const clientId of PLAN[config.id] ?? []) cells.push({ id: `${config.id}__${clientId}`, config, client: labClient(clientId), service });
  });
  return filter ? cells.filter(filter) : cells;
}
