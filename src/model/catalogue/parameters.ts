/**
 * The TLS parameter catalogue: every TLS-related Postfix parameter of the modelled
 * releases (2.11, 3.0 … 3.11) plus the non-TLS parameters the linter consults, with what
 * rules need to know about them: value type, allowed words, deprecation, summary, role.
 *
 * Defaults and the releases a parameter exists in are not typed here: `defaults` and
 * `until` are read from the generated all-parameter table (all-parameters.ts, from real
 * builds of every release) the first time they are used. `since` is the release that
 * introduced the parameter (postconf(5) "available in Postfix X.Y and later"; for a
 * feature backported to earlier patch releases, the table shows where it first exists).
 *
 * Sources: postfix-tls-facts.md §2–§11, postconf(5) 3.7.11, mail_params.h of the 3.8
 * (20220501) and 3.12 (20260110) snapshots. Uncertain entries are marked "UNCERTAIN".
 */
import type { DefaultSpan, ParameterSpec, ValueType } from './types.js';
import { compareVersions } from '../version.js';
import { defaultSpans } from './release-table.js';

type Role = ParameterSpec['role'];
type Extra = Partial<Pick<ParameterSpec, 'values' | 'deprecated' | 'ignoredSince'>>;

function p(name: string, type: ValueType, since: string, role: Role, summary: string, extra: Extra = {}): ParameterSpec {
  let history: { readonly defaults: readonly DefaultSpan[]; readonly until?: string } | undefined;
  // Read from the table on first use, so that loading the catalogue does not decode the table.
  return {
    name, type, since, role, summary, ...extra,
    get defaults() {
      history ??= defaultSpans(name);
      return history.defaults;
    },
    get until() {
      history ??= defaultSpans(name);
      return history.until;
    },
  };
}

/** The lmtp_ twin of an smtp_ client parameter: same syntax and values. */
function lmtpTwin(s: ParameterSpec, override?: { since?: string; summary?: string }): ParameterSpec {
  const name = s.name.replace(/^smtp_/, 'lmtp_');
  // LMTP got TLS in 2.3, so older smtp_ parameters have 2.3 twins.
  const since = override?.since ?? (compareVersions(s.since, '2.3') < 0 ? '2.3' : s.since);
  return p(name, s.type, since, 'client', override?.summary ?? `LMTP version of ${s.name}: ${lowerFirst(s.summary)}`, {
    ...(s.values ? { values: s.values } : {}),
    ...(s.deprecated ? { deprecated: { ...s.deprecated, ...(s.deprecated.replacement ? { replacement: s.deprecated.replacement.replace(/^smtp_/, 'lmtp_') } : {}) } } : {}),
    ...(s.ignoredSince ? { ignoredSince: s.ignoredSince } : {}),
  });
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** A tlsproxy(8) copy whose default is `$<base>`. */
function proxyCopy(name: string, base: ParameterSpec, since: string, extra: Extra = {}): ParameterSpec {
  return p(name, base.type, since, 'tlsproxy', `tlsproxy(8) copy of ${base.name} (default: its value).`, {
    ...(base.values ? { values: base.values } : {}),
    ...extra,
  });
}

const DEPR_39 = (replacement?: string, note?: string): Extra['deprecated'] => ({ since: '3.9', ...(replacement ? { replacement } : {}), ...(note ? { note } : {}) });

const GRADES = ['export', 'low', 'medium', 'high', 'null'] as const;
const CLIENT_LEVELS = ['none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure'] as const;
const SERVER_LEVELS = ['none', 'may', 'encrypt'] as const;

// ---------------------------------------------------------------- smtp(8) client
const SMTP: ParameterSpec[] = [
  p('smtp_tls_security_level', 'client-security-level', '2.3', 'client', 'Default TLS security level of the SMTP client; empty means the obsolete smtp_use_tls/smtp_enforce_tls decide.', { values: CLIENT_LEVELS }),
  p('smtp_use_tls', 'boolean', '2.2', 'client', 'Obsolete: use opportunistic TLS when smtp_tls_security_level is empty.', { deprecated: DEPR_39('smtp_tls_security_level') }),
  p('smtp_enforce_tls', 'boolean', '2.2', 'client', 'Obsolete: require TLS (and, with smtp_tls_enforce_peername, verification) when smtp_tls_security_level is empty.', { deprecated: DEPR_39('smtp_tls_security_level') }),
  p('smtp_tls_enforce_peername', 'boolean', '2.2', 'client', 'Obsolete: with smtp_enforce_tls, also verify the server name.', { deprecated: { since: '3.11', replacement: 'smtp_tls_security_level' } }),
  p('smtp_tls_per_site', 'lookup-table', '2.2', 'client', 'Obsolete per-destination TLS policy (NONE/MAY/MUST_NOPEERMATCH/MUST); ignored when smtp_tls_policy_maps is set.', { deprecated: DEPR_39('smtp_tls_policy_maps') }),
  p('smtp_tls_policy_maps', 'lookup-table', '2.3', 'client', 'Per-next-hop TLS policy tables that override the global client settings.'),
  p('smtp_tls_protocols', 'protocols', '2.6', 'client', 'TLS protocols allowed at opportunistic levels (may, and dane without usable TLSA).'),
  p('smtp_tls_mandatory_protocols', 'protocols', '2.3', 'client', 'TLS protocols allowed at encrypt and stronger levels.'),
  p('smtp_tls_ciphers', 'cipher-grade', '2.6', 'client', 'Minimum cipher grade at opportunistic levels.', { values: GRADES }),
  p('smtp_tls_mandatory_ciphers', 'cipher-grade', '2.3', 'client', 'Minimum cipher grade at encrypt and stronger levels.', { values: GRADES }),
  p('smtp_tls_exclude_ciphers', 'exclusion-list', '2.3', 'client', 'Ciphers or cipher properties excluded at every TLS level.'),
  p('smtp_tls_mandatory_exclude_ciphers', 'exclusion-list', '2.3', 'client', 'Additional exclusions at encrypt and stronger levels.'),
  p('smtp_tls_verify_cert_match', 'name-list', '2.3', 'client', 'Name-matching strategies or patterns for the verify level.'),
  p('smtp_tls_secure_cert_match', 'name-list', '2.3', 'client', 'Name-matching strategies or patterns for the secure level.'),
  p('smtp_tls_fingerprint_cert_match', 'name-list', '2.5', 'client', 'Certificate or public-key fingerprints accepted at the fingerprint level.'),
  p('smtp_tls_fingerprint_digest', 'enum', '2.5', 'client', 'Digest algorithm used for certificate fingerprints.', { values: ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] }),
  p('smtp_tls_dane_insecure_mx_policy', 'enum', '3.1', 'client', 'TLS level for MX hosts found via insecure (non-DNSSEC) MX records when the level is dane.', { values: ['may', 'encrypt', 'dane'] }),
  p('smtp_tls_trust_anchor_file', 'path-list', '2.11', 'client', 'Trust-anchor PEM files that replace the CA store at verify/secure levels.'),
  p('smtp_tls_force_insecure_host_tlsa_lookup', 'boolean', '2.11', 'client', 'Look up TLSA records even for hosts found via insecure DNS.'),
  p('smtp_tls_CAfile', 'path', '2.2', 'client', 'PEM file with trusted CA certificates for server verification.'),
  p('smtp_tls_CApath', 'path', '2.2', 'client', 'Directory of hashed trusted CA certificates.'),
  p('smtp_tls_cert_file', 'path', '2.2', 'client', 'Client RSA certificate (PEM); rarely needed.'),
  p('smtp_tls_key_file', 'path', '2.2', 'client', 'Private key for smtp_tls_cert_file.'),
  p('smtp_tls_dcert_file', 'path', '2.2', 'client', 'Client DSA certificate (PEM).'),
  p('smtp_tls_dkey_file', 'path', '2.2', 'client', 'Private key for smtp_tls_dcert_file.'),
  p('smtp_tls_eccert_file', 'path', '2.6', 'client', 'Client ECDSA certificate (PEM).'),
  p('smtp_tls_eckey_file', 'path', '2.6', 'client', 'Private key for smtp_tls_eccert_file.'),
  p('smtp_tls_chain_files', 'path-list', '3.4', 'client', 'Client key and certificate-chain files; when set, the legacy cert/key parameters are ignored.'),
  p('smtp_tls_loglevel', 'loglevel', '2.2', 'client', 'Amount of SMTP client TLS logging (0-4).'),
  p('smtp_tls_note_starttls_offer', 'boolean', '2.2', 'client', 'Log hosts that offer STARTTLS when TLS is not used.'),
  p('smtp_tls_scert_verifydepth', 'integer', '2.2', 'client', 'Maximum depth of the server certificate chain.'),
  p('smtp_tls_session_cache_database', 'lookup-table', '2.2', 'client', 'tlsmgr(8) database for the client TLS session cache.'),
  p('smtp_tls_session_cache_timeout', 'time', '2.2', 'client', 'Lifetime of cached client TLS sessions.'),
  p('smtp_tls_block_early_mail_reply', 'boolean', '2.7', 'client', 'Defer mail when the server sends a pipelined reply before the TLS handshake.'),
  p('smtp_tls_wrappermode', 'boolean', '3.0', 'client', 'Use SMTPS-style TLS wrapper mode instead of STARTTLS (needs level encrypt or stronger).'),
  p('smtp_tls_servername', 'string', '3.4', 'client', 'SNI name sent to the server: empty, hostname, nexthop or a fixed DNS name.'),
  p('smtp_tls_connection_reuse', 'boolean', '3.4', 'client', 'Hand TLS sessions to tlsproxy(8) so connections can be reused.'),
  p('smtp_tls_enable_rpk', 'boolean', '3.9', 'client', 'Ask servers for RFC 7250 raw public keys instead of certificates.'),
  p('smtp_starttls_timeout', 'time', '2.2', 'client', 'Time limit for the STARTTLS command and the TLS handshake.'),
  p('smtp_sasl_tls_security_options', 'name-list', '2.2', 'client', 'SASL security options on TLS-encrypted sessions.'),
  p('smtp_sasl_tls_verified_security_options', 'name-list', '2.6', 'client', 'SASL security options on TLS sessions with a verified server.'),
  p('smtp_tlsrpt_enable', 'boolean', '3.10', 'client', 'Report TLS handshake results to a TLSRPT collector.'),
  p('smtp_tlsrpt_socket_name', 'path', '3.10', 'client', 'Socket of the local TLSRPT collector.'),
  p('smtp_tlsrpt_skip_reused_handshakes', 'boolean', '3.10', 'client', 'Do not report TLSRPT results for reused TLS sessions.'),
  p('smtp_tls_enforce_sts_mx_patterns', 'boolean', '3.10.5', 'client', 'Enforce MTA-STS mx_host_pattern attributes from policy plug-ins.'),
  p('smtp_log_tls_feature_status', 'boolean', '3.11', 'client', 'Log the per-feature TLS policy status of each delivery.'),
  p('smtp_requiretls_policy', 'lookup-table', '3.11', 'client', 'REQUIRETLS (RFC 8689) enforcement policy per next hop.'),
  // Non-TLS client parameters that TLS rules depend on.
  p('smtp_dns_support_level', 'enum', '2.11', 'client', 'DNS features of the SMTP client; dnssec is required for the dane levels.', { values: ['', 'disabled', 'enabled', 'dnssec'] }),
  p('smtp_host_lookup', 'name-list', '2.1', 'client', 'How the SMTP client finds hosts: dns and/or native; dns is needed for DANE.'),
  p('smtp_sasl_auth_enable', 'boolean', '2.0', 'client', 'Enable SASL authentication in the SMTP client (blocks plaintext fallback after a TLS failure).'),
  p('smtp_cname_overrides_servername', 'boolean', '2.2', 'client', 'Let CNAME lookups replace the server name used for certificate checks.'),
];

const bySmtpName = new Map(SMTP.map((s) => [s.name, s]));
function smtpSpec(name: string): ParameterSpec {
  const s = bySmtpName.get(name);
  if (!s) throw new Error(`catalogue: no ${name}`);
  return s;
}

/** smtp_ parameters whose LMTP twin has different facts (defaults come from the table). */
const LMTP_OVERRIDES: Record<string, { since?: string; summary?: string }> = {
  smtp_tls_security_level: { summary: 'Default TLS security level of the LMTP client (no compatibility-level change in 3.11).' },
  smtp_tls_wrappermode: { since: '3.0' },
  smtp_requiretls_policy: { since: '3.11' },
  smtp_dns_support_level: { since: '2.11' },
  smtp_host_lookup: { since: '2.8' },
  smtp_sasl_auth_enable: { since: '2.3' },
};
/** smtp_ parameters without an lmtp_ twin. */
const SMTP_ONLY = new Set(['smtp_tls_dane_insecure_mx_policy']);

const LMTP: ParameterSpec[] = SMTP.filter((s) => !SMTP_ONLY.has(s.name)).map((s) => lmtpTwin(s, LMTP_OVERRIDES[s.name]));

// ---------------------------------------------------------------- smtpd(8) server
const SMTPD: ParameterSpec[] = [
  p('smtpd_tls_security_level', 'server-security-level', '2.3', 'server', 'TLS level of the SMTP server: none, may or encrypt; empty means the obsolete booleans decide.', { values: SERVER_LEVELS }),
  p('smtpd_use_tls', 'boolean', '2.2', 'server', 'Obsolete: offer STARTTLS when smtpd_tls_security_level is empty.', { deprecated: DEPR_39('smtpd_tls_security_level') }),
  p('smtpd_enforce_tls', 'boolean', '2.2', 'server', 'Obsolete: require STARTTLS when smtpd_tls_security_level is empty.', { deprecated: DEPR_39('smtpd_tls_security_level') }),
  p('smtpd_tls_protocols', 'protocols', '2.6', 'server', 'TLS protocols the server accepts when TLS is optional.'),
  p('smtpd_tls_mandatory_protocols', 'protocols', '2.3', 'server', 'TLS protocols the server accepts when TLS is enforced.'),
  p('smtpd_tls_ciphers', 'cipher-grade', '2.6', 'server', 'Minimum cipher grade when TLS is optional.', { values: GRADES }),
  p('smtpd_tls_mandatory_ciphers', 'cipher-grade', '2.3', 'server', 'Minimum cipher grade when TLS is enforced.', { values: GRADES }),
  p('smtpd_tls_exclude_ciphers', 'exclusion-list', '2.3', 'server', 'Ciphers or cipher properties the server always excludes.'),
  p('smtpd_tls_mandatory_exclude_ciphers', 'exclusion-list', '2.3', 'server', 'Additional exclusions when TLS is enforced.'),
  p('smtpd_tls_cert_file', 'path', '2.2', 'server', 'Server RSA certificate chain (PEM), or "none".'),
  p('smtpd_tls_key_file', 'path', '2.2', 'server', 'Private key for smtpd_tls_cert_file.'),
  p('smtpd_tls_dcert_file', 'path', '2.2', 'server', 'Server DSA certificate (PEM).'),
  p('smtpd_tls_dkey_file', 'path', '2.2', 'server', 'Private key for smtpd_tls_dcert_file.'),
  p('smtpd_tls_eccert_file', 'path', '2.6', 'server', 'Server ECDSA certificate (PEM).'),
  p('smtpd_tls_eckey_file', 'path', '2.6', 'server', 'Private key for smtpd_tls_eccert_file.'),
  p('smtpd_tls_chain_files', 'path-list', '3.4', 'server', 'Server key and certificate-chain files; when set, the legacy cert/key parameters are ignored.'),
  p('smtpd_tls_CAfile', 'path', '2.2', 'server', 'PEM file with CA certificates for client-certificate verification.'),
  p('smtpd_tls_CApath', 'path', '2.2', 'server', 'Directory of hashed CA certificates for client-certificate verification.'),
  p('smtpd_tls_ask_ccert', 'boolean', '2.2', 'server', 'Ask remote clients for a certificate.'),
  p('smtpd_tls_req_ccert', 'boolean', '2.2', 'server', 'Require a verified client certificate when TLS is enforced.'),
  p('smtpd_tls_ccert_verifydepth', 'integer', '2.2', 'server', 'Maximum depth of the client certificate chain.'),
  p('smtpd_tls_auth_only', 'boolean', '2.2', 'server', 'Offer SASL AUTH only after STARTTLS.'),
  p('smtpd_tls_dh1024_param_file', 'path', '2.2', 'server', 'File with DH parameters for FFDHE ciphers (best left empty).', { deprecated: DEPR_39(undefined, 'leave at the default') }),
  p('smtpd_tls_dh512_param_file', 'path', '2.2', 'server', 'Obsolete file with 512-bit export DH parameters.', { ignoredSince: '3.6' }),
  p('smtpd_tls_eecdh_grade', 'enum', '2.6', 'server', 'Obsolete ECDHE curve selection (none, strong, ultra, auto).', { values: ['none', 'strong', 'ultra', 'auto'], ignoredSince: '3.6', deprecated: DEPR_39(undefined, 'leave at the default') }),
  p('smtpd_tls_fingerprint_digest', 'enum', '2.5', 'server', 'Digest algorithm for client-certificate fingerprints.', { values: ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] }),
  p('smtpd_tls_loglevel', 'loglevel', '2.2', 'server', 'Amount of SMTP server TLS logging (0-4).'),
  p('smtpd_tls_received_header', 'boolean', '2.2', 'server', 'Record TLS protocol, cipher and client CN in the Received: header.'),
  p('smtpd_tls_session_cache_database', 'lookup-table', '2.2', 'server', 'tlsmgr(8) database for the server TLS session cache.'),
  p('smtpd_tls_session_cache_timeout', 'time', '2.2', 'server', 'Lifetime of cached server TLS sessions.'),
  p('smtpd_tls_always_issue_session_ids', 'boolean', '2.3', 'server', 'Issue TLS session ids even without a session cache.'),
  p('smtpd_tls_wrappermode', 'boolean', '2.2', 'server', 'Run the server in SMTPS wrapper mode (port 465); set it in master.cf.'),
  p('smtpd_tls_enable_rpk', 'boolean', '3.9', 'server', 'Send an RFC 7250 raw public key to clients that ask for it.'),
  p('smtpd_starttls_timeout', 'time', '2.2', 'server', 'Time limit for the server TLS handshake.'),
  p('smtpd_sasl_tls_security_options', 'name-list', '2.2', 'server', 'SASL security options on TLS-encrypted sessions.'),
  p('smtpd_client_new_tls_session_rate_limit', 'integer', '2.3', 'server', 'Per-client limit on new TLS sessions per time unit.'),
];

// ---------------------------------------------------------------- postscreen(8)
const POSTSCREEN: ParameterSpec[] = [
  p('postscreen_tls_security_level', 'server-security-level', '2.8', 'server', 'postscreen(8) TLS level (default: the smtpd value).', { values: SERVER_LEVELS }),
  p('postscreen_use_tls', 'boolean', '2.8', 'server', 'Obsolete postscreen(8) copy of smtpd_use_tls.', { deprecated: DEPR_39('postscreen_tls_security_level') }),
  p('postscreen_enforce_tls', 'boolean', '2.8', 'server', 'Obsolete postscreen(8) copy of smtpd_enforce_tls.', { deprecated: DEPR_39('postscreen_tls_security_level') }),
];

// ---------------------------------------------------------------- global tls_*
const GLOBAL: ParameterSpec[] = [
  p('tls_high_cipherlist', 'cipher-list', '2.3', 'global', 'OpenSSL cipher list behind the "high" grade.'),
  p('tls_medium_cipherlist', 'cipher-list', '2.3', 'global', 'OpenSSL cipher list behind the "medium" grade.'),
  p('tls_low_cipherlist', 'cipher-list', '2.3', 'global', 'OpenSSL cipher list behind the "low" grade (ignored since 3.8: low = medium).', { ignoredSince: '3.8' }),
  p('tls_export_cipherlist', 'cipher-list', '2.3', 'global', 'OpenSSL cipher list behind the "export" grade (ignored since 3.8: export = medium).', { ignoredSince: '3.8' }),
  p('tls_null_cipherlist', 'cipher-list', '2.3', 'global', 'OpenSSL cipher list behind the "null" grade (no encryption).'),
  p('tls_eecdh_auto_curves', 'name-list', '3.2', 'global', 'ECDHE curves/groups offered, in preference order.'),
  p('tls_eecdh_strong_curve', 'string', '2.6', 'global', 'Curve for the obsolete "strong" eecdh grade.', { ignoredSince: '3.6' }),
  p('tls_eecdh_ultra_curve', 'string', '2.6', 'global', 'Curve for the obsolete "ultra" eecdh grade.', { ignoredSince: '3.6' }),
  p('tls_ffdhe_auto_groups', 'name-list', '3.8', 'global', 'FFDHE groups offered with OpenSSL 3, in preference order.'),
  p('tls_preempt_cipherlist', 'boolean', '2.8', 'global', 'Let the server choose the cipher by its own preference.'),
  p('tls_disable_workarounds', 'name-list', '2.8', 'global', 'OpenSSL bug workarounds to turn off (names or hex mask).'),
  p('tls_ssl_options', 'name-list', '2.11', 'global', 'Extra OpenSSL SSL_OP_* options (names or hex mask).'),
  p('tls_dane_digests', 'name-list', '2.11', 'global', 'Digest algorithms usable in DANE TLSA records, in preference order.'),
  p('tls_wildcard_matches_multiple_labels', 'boolean', '2.11', 'global', 'Let a certificate wildcard match more than one DNS label.'),
  p('tls_legacy_public_key_fingerprints', 'boolean', '2.9.6', 'global', 'Migration aid for the incorrect Postfix 2.9.0-2.9.5 public-key fingerprints.'),
  p('tls_session_ticket_cipher', 'string', '3.0', 'global', 'Cipher used to encrypt RFC 5077 session tickets.'),
  p('tls_server_sni_maps', 'lookup-table', '3.4', 'global', 'Tables that map SNI names to server key/certificate chains.'),
  p('tls_append_default_CA', 'boolean', '2.4.15', 'global', 'Also trust the OpenSSL default CA store.'),
  p('tls_config_file', 'path', '3.9', 'global', 'OpenSSL configuration file for Postfix: default, none or an absolute path (backported to 3.5.20, 3.6.10, 3.7.6, 3.8.1).'),
  p('tls_config_name', 'string', '3.9', 'global', 'Application name looked up in tls_config_file (backported like tls_config_file).'),
  p('tls_fast_shutdown_enable', 'boolean', '3.5', 'global', 'Skip waiting for the peer close_notify (backported to 3.1.14, 3.2.11, 3.3.6 and 3.4.7).'),
  p('tls_required_enable', 'boolean', '3.10', 'global', 'Honour the RFC 8689 "TLS-Required: no" header.'),
  p('requiretls_enable', 'boolean', '3.11', 'global', 'Support the RFC 8689 REQUIRETLS ESMTP extension.'),
  p('requiretls_redact_dsn', 'boolean', '3.11', 'global', 'Redact delivery status notifications for REQUIRETLS mail.'),
  p('requiretls_esmtp_header', 'boolean', '3.11', 'global', 'Record REQUIRETLS in a message header (UNCERTAIN semantics).'),
  p('tls_random_source', 'string', '2.2', 'global', 'Entropy source for the TLS PRNG.'),
  p('tls_random_bytes', 'integer', '2.2', 'global', 'Bytes read from tls_random_source per reseed.'),
  p('tls_random_exchange_name', 'path', '2.2', 'global', 'PRNG state file shared between Postfix processes.'),
  p('tls_random_prng_update_period', 'time', '2.2', 'global', 'How often tlsmgr(8) saves the PRNG state.'),
  p('tls_random_reseed_period', 'time', '2.2', 'global', 'Maximum time between PRNG reseeds in tlsmgr(8).'),
  p('tls_daemon_random_bytes', 'integer', '2.2', 'global', 'Bytes of entropy a TLS daemon requests at startup.'),
  p('tlsmgr_service_name', 'string', '2.11', 'global', 'master.cf service name of tlsmgr(8).'),
  p('tlsproxy_service_name', 'string', '2.8', 'tlsproxy', 'master.cf service name of tlsproxy(8).'),
  p('tlsproxy_watchdog_timeout', 'time', '2.8', 'tlsproxy', 'How long a tlsproxy(8) process may stay busy.'),
  // Non-TLS globals the linter consults.
  p('compatibility_level', 'string', '3.0', 'global', 'Backwards-compatibility level; decides level-dependent defaults such as fingerprint digest and (3.11) the client TLS level.'),
  p('relayhost', 'string', '2.0', 'client', 'Default next hop for non-local mail.'),
  p('parent_domain_matches_subdomains', 'name-list', '2.0', 'global', 'Parameters where "example.com" also matches subdomains.'),
  p('minimal_backoff_time', 'time', '2.0', 'global', 'Minimum retry delay; gates the plaintext fallback after a failed opportunistic handshake (3.0+).'),
  p('disable_dns_lookups', 'boolean', '2.0', 'client', 'Obsolete switch to turn off DNS lookups in the SMTP client.', { deprecated: DEPR_39('smtp_dns_support_level') }),
];

// ---------------------------------------------------------------- tlsproxy(8) copies
const SMTPD_BY_NAME = new Map(SMTPD.map((s) => [s.name, s]));
function smtpdSpec(name: string): ParameterSpec {
  const s = SMTPD_BY_NAME.get(name);
  if (!s) throw new Error(`catalogue: no ${name}`);
  return s;
}

const TLSPROXY_SERVER_SUFFIXES = [
  'CAfile', 'CApath', 'always_issue_session_ids', 'ask_ccert', 'ccert_verifydepth', 'cert_file', 'ciphers', 'dcert_file',
  'dh1024_param_file', 'dh512_param_file', 'dkey_file', 'eccert_file', 'eckey_file', 'eecdh_grade', 'exclude_ciphers',
  'fingerprint_digest', 'key_file', 'loglevel', 'mandatory_ciphers', 'mandatory_exclude_ciphers', 'mandatory_protocols',
  'protocols', 'req_ccert', 'security_level',
] as const;

const TLSPROXY: ParameterSpec[] = [
  ...TLSPROXY_SERVER_SUFFIXES.map((sfx) => {
    const base = smtpdSpec(`smtpd_tls_${sfx}`);
    return proxyCopy(`tlsproxy_tls_${sfx}`, base, '2.8', base.ignoredSince ? { ignoredSince: base.ignoredSince } : {});
  }),
  proxyCopy('tlsproxy_tls_chain_files', smtpdSpec('smtpd_tls_chain_files'), '3.4'),
  proxyCopy('tlsproxy_tls_enable_rpk', smtpdSpec('smtpd_tls_enable_rpk'), '3.9'),
  // In the 3.12 snapshot, in no modelled release (not in any 3.11.x build).
  proxyCopy('tlsproxy_tls_received_header', smtpdSpec('smtpd_tls_received_header'), '3.12'),
  proxyCopy('tlsproxy_use_tls', smtpdSpec('smtpd_use_tls'), '2.8', { deprecated: DEPR_39('tlsproxy_tls_security_level') }),
  proxyCopy('tlsproxy_enforce_tls', smtpdSpec('smtpd_enforce_tls'), '2.8', { deprecated: DEPR_39('tlsproxy_tls_security_level') }),
  ...(['CAfile', 'CApath', 'cert_file', 'dcert_file', 'dkey_file', 'eccert_file', 'eckey_file', 'fingerprint_digest', 'key_file', 'loglevel', 'scert_verifydepth'] as const).map((sfx) =>
    proxyCopy(`tlsproxy_client_${sfx}`, smtpSpec(`smtp_tls_${sfx}`), '3.4'),
  ),
  proxyCopy('tlsproxy_client_chain_files', smtpSpec('smtp_tls_chain_files'), '3.4'),
  proxyCopy('tlsproxy_client_per_site', smtpSpec('smtp_tls_per_site'), '3.4', { deprecated: DEPR_39('tlsproxy_client_policy_maps') }),
  proxyCopy('tlsproxy_client_use_tls', smtpSpec('smtp_use_tls'), '3.4', { deprecated: DEPR_39('tlsproxy_client_security_level') }),
  proxyCopy('tlsproxy_client_enforce_tls', smtpSpec('smtp_enforce_tls'), '3.4', { deprecated: DEPR_39('tlsproxy_client_security_level') }),
  p('tlsproxy_client_loglevel_parameter', 'string', '3.4', 'tlsproxy', 'Name of the parameter whose value tlsproxy(8) uses as the client TLS log level.'),
  // 3.4-3.6 used tlsproxy_client_level / tlsproxy_client_policy; 3.7 renamed them and kept the old names as legacy fallbacks.
  p('tlsproxy_client_level', 'client-security-level', '3.4', 'tlsproxy', 'tlsproxy(8) client TLS level in 3.4-3.6; from 3.7 a legacy fallback of tlsproxy_client_security_level.', { values: CLIENT_LEVELS }),
  p('tlsproxy_client_policy', 'lookup-table', '3.4', 'tlsproxy', 'tlsproxy(8) client TLS policy tables in 3.4-3.6; from 3.7 a legacy fallback of tlsproxy_client_policy_maps.'),
  p('tlsproxy_client_security_level', 'client-security-level', '3.7', 'tlsproxy', 'tlsproxy(8) client TLS level (falls back to the legacy tlsproxy_client_level, then smtp_tls_security_level).', { values: CLIENT_LEVELS }),
  p('tlsproxy_client_policy_maps', 'lookup-table', '3.7', 'tlsproxy', 'tlsproxy(8) client TLS policy tables (falls back to the legacy tlsproxy_client_policy, then smtp_tls_policy_maps).'),
];

export const PARAMETERS: readonly ParameterSpec[] = Object.freeze([...SMTP, ...LMTP, ...SMTPD, ...POSTSCREEN, ...GLOBAL, ...TLSPROXY]);
