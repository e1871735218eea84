/**
 * The TLS policy smtpd(8) applies, derived from one model (main.cf, or a
 * master.cf service with its -o overrides) the way smtpd.c and tls_server.c
 * derive it: the level (or the obsolete booleans), wrapper mode, the
 * opportunistic or mandatory protocol list and cipher grade the level
 * selects, the exclusions, the certificates configured, and whether AUTH
 * waits for TLS. Pure.
 */
import type { ConfigModel } from './config.js';
import type { ParamNode } from '../parser/main-cf.js';
import { serverLevel } from './protocol-lists.js';
import { cipherPolicy, type CipherPolicy } from './cipher-policy.js';
import { COMMA_SPACE, parseBoolean, parseProtocols, parseServerSecurityLevel, splitTokens, type ProtocolsResult, type ServerSecurityLevel, type ValueDiagnostic } from './values/index.js';

export type CertificateKeyType = 'RSA' | 'ECDSA' | 'DSA';

/** One certificate smtpd loads, as far as the configuration tells. */
export interface ServerCertificate {
  /** The parameter that names it (smtpd_tls_cert_file, smtpd_tls_eccert_file, smtpd_tls_dcert_file, smtpd_tls_chain_files). */
  readonly param: string;
  readonly path: string;
  readonly keyType: CertificateKeyType;
  /**
   * 'parameter': the parameter fixes the key type (eccert = ECDSA, dcert = DSA);
   * 'assumed': smtpd_tls_cert_file and chain files are taken as RSA (the
   * configuration cannot tell; a file name that says "ec"/"ecdsa" counts as ECDSA).
   */
  readonly keyTypeFrom: 'parameter' | 'assumed';
}

export interface ServerCertificates {
  /** At least one certificate is configured (TLS can start once the files load). */
  readonly configured: boolean;
  /** smtpd_tls_cert_file = none: no certificates on purpose (anonymous suites only). */
  readonly none: boolean;
  readonly list: readonly ServerCertificate[];
  /** Key types smtpd can authenticate with, in the order configured. */
  readonly keyTypes: readonly CertificateKeyType[];
  /** Legacy cert/key parameters set next to smtpd_tls_chain_files: smtpd ignores them with a warning. */
  readonly legacyIgnored: readonly string[];
}

export interface ServerLevelSource {
  readonly param: string;
  readonly node?: ParamNode;
  /** 'legacy': decided by smtpd_use_tls / smtpd_enforce_tls because smtpd_tls_security_level is empty. */
  readonly kind: 'parameter' | 'legacy' | 'default' | 'override';
}

export interface SmtpdTlsPolicy extends CipherPolicy {
  /** The level smtpd works at (fingerprint/verify/secure read as encrypt); null when invalid (smtpd exits). */
  readonly level: ServerSecurityLevel | null;
  readonly levelSource: ServerLevelSource;
  readonly levelDiagnostics: readonly ValueDiagnostic[];
  /** smtpd_tls_wrappermode = yes: TLS from the first byte (port 465), the level is ignored. */
  readonly wrappermode: boolean;
  /** TLS is required: level encrypt or wrapper mode. */
  readonly enforced: boolean;
  /** smtpd offers TLS at all (STARTTLS advertised, or wrapper mode). */
  readonly offersTls: boolean;
  readonly protocolsParam: string;
  readonly protocolsValue: string;
  readonly protocols: ProtocolsResult;
  readonly certificates: ServerCertificates;
  /** tls_preempt_cipherlist = yes: smtpd picks the suite in its own order instead of the client's. */
  readonly serverCipherPreference: boolean;
  /** AUTH only after STARTTLS: smtpd_tls_auth_only, or implied by encrypt / wrapper mode. */
  readonly authOnly: { readonly value: boolean; readonly implied: boolean };
  /** smtpd_sasl_auth_enable = yes. */
  readonly saslEnabled: boolean;
  /** smtpd_tls_ask_ccert = yes (or req_ccert while enforced): client certificates are requested. */
  readonly asksClientCertificate: boolean;
}

function yes(model: ConfigModel, name: string): boolean {
  return parseBoolean(model.value(name)).value === true;
}

/** Key type of a certificate file named by smtpd_tls_cert_file or in chain files: RSA unless the name says EC. */
function assumedKeyType(path: string): CertificateKeyType {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return /(^|[^a-z])(ec|ecc|ecdsa|p256|p384|secp\d+r1|prime256v1)([^a-z]|$)/.test(base) ? 'ECDSA' : 'RSA';
}

/** The certificates smtpd loads (tls_server.c: chain files win over the legacy cert/key parameters). */
export function serverCertificates(model: ConfigModel, prefix: 'smtpd' | 'tlsproxy_tls' = 'smtpd'): ServerCertificates {
  const p = (s: string) => `${prefix}_${prefix === 'smtpd' ? 'tls_' : ''}${s}`;
  const chainParam = p('chain_files');
  const legacy = [p('cert_file'), p('eccert_file'), p('dcert_file')];
  const chain = model.isKnown(chainParam) ? splitTokens(model.value(chainParam), COMMA_SPACE) : [];
  if (chain.length > 0) {
    // Each key is followed by its chain; the certificates are the non-key files (by name, as far as that tells).
    const certs = chain.filter((t) => !/\.key$/i.test(t.text)).map((t) => ({ param: chainParam, path: t.text, keyType: assumedKeyType(t.text), keyTypeFrom: 'assumed' as const }));
    const list = certs.length > 0 ? certs : [{ param: chainParam, path: chain[0].text, keyType: 'RSA' as const, keyTypeFrom: 'assumed' as const }];
    return { configured: true, none: false, list, keyTypes: [...new Set(list.map((c) => c.keyType))], legacyIgnored: legacy.filter((n) => model.value(n).trim() !== '') };
  }
  const certFile = model.value(p('cert_file')).trim();
  const none = certFile.toLowerCase() === 'none';
  const list: ServerCertificate[] = [];
  if (certFile !== '' && !none) list.push({ param: p('cert_file'), path: certFile, keyType: assumedKeyType(certFile), keyTypeFrom: 'assumed' });
  const ec = model.value(p('eccert_file')).trim();
  if (ec !== '') list.push({ param: p('eccert_file'), path: ec, keyType: 'ECDSA', keyTypeFrom: 'parameter' });
  const dsa = model.value(p('dcert_file')).trim();
  if (dsa !== '') list.push({ param: p('dcert_file'), path: dsa, keyType: 'DSA', keyTypeFrom: 'parameter' });
  return { configured: list.length > 0, none, list, keyTypes: [...new Set(list.map((c) => c.keyType))], legacyIgnored: [] };
}

function levelSourceOf(model: ConfigModel, param: string, node: ParamNode | undefined, legacy: boolean): ServerLevelSource {
  const r = model.resolve(param);
  if (r?.source === 'override') return { param, kind: 'override' };
  if (legacy && node) return { param, node, kind: 'legacy' };
  return { param, node, kind: node ? 'parameter' : 'default' };
}

/** smtpd's TLS settings for this model. */
export function smtpdTlsPolicy(model: ConfigModel): SmtpdTlsPolicy {
  const decided = serverLevel(model);
  const parsed = parseServerSecurityLevel(model.value('smtpd_tls_security_level'), model.version);
  const legacy = parsed.ok && parsed.level === null;
  const wrappermode = yes(model, 'smtpd_tls_wrappermode');
  // Wrapper mode ignores the level: TLS is required from the first byte.
  const level: ServerSecurityLevel | null = wrappermode ? 'encrypt' : decided.level;
  const enforced = level === 'encrypt';
  const protocolsParam = enforced ? 'smtpd_tls_mandatory_protocols' : 'smtpd_tls_protocols';
  const protocolsValue = model.value(protocolsParam);
  const reqCcert = enforced && yes(model, 'smtpd_tls_req_ccert');
  const asksClientCertificate = yes(model, 'smtpd_tls_ask_ccert') || reqCcert;
  const ciphers = cipherPolicy(model, {
    gradeParam: enforced ? 'smtpd_tls_mandatory_ciphers' : 'smtpd_tls_ciphers',
    exclusionParams: ['smtpd_tls_exclude_ciphers', ...(enforced ? ['smtpd_tls_mandatory_exclude_ciphers'] : [])],
    automaticExclusion: asksClientCertificate ? 'aNULL' : null,
    role: 'server',
  });
  const authOnlyImplied = enforced;
  return {
    ...ciphers,
    level,
    levelSource: wrappermode
      ? levelSourceOf(model, 'smtpd_tls_wrappermode', model.definition('smtpd_tls_wrappermode'), false)
      : levelSourceOf(model, decided.param, decided.node, legacy),
    levelDiagnostics: parsed.diagnostics,
    wrappermode,
    enforced,
    offersTls: level === 'may' || level === 'encrypt',
    protocolsParam,
    protocolsValue,
    protocols: parseProtocols(protocolsValue, model.version, { role: 'server' }),
    certificates: serverCertificates(model),
    serverCipherPreference: yes(model, 'tls_preempt_cipherlist'),
    authOnly: { value: authOnlyImplied || yes(model, 'smtpd_tls_auth_only'), implied: authOnlyImplied },
    saslEnabled: yes(model, 'smtpd_sasl_auth_enable'),
    asksClientCertificate,
  };
}
