/**
 * Contract of the TLS parameter catalogue: every TLS-related Postfix parameter with
 * its value type, its default per Postfix version (from the generated table) and the
 * version that added it.
 */
export type ValueType =
  | 'client-security-level' // none|may|encrypt|dane|dane-only|fingerprint|verify|secure (smtp_/lmtp_/tlsproxy_client_)
  | 'server-security-level' // none|may|encrypt (smtpd_, tlsproxy_tls_)
  | 'protocols' // !SSLv2, !SSLv3 / >=TLSv1.2 <=TLSv1.3
  | 'cipher-grade' // export|low|medium|high|null
  | 'cipher-list' // an OpenSSL cipher string (tls_*_cipherlist, legacy *_tls_cipherlist)
  | 'exclusion-list' // names/A+B combos separated by whitespace, comma or colon
  | 'boolean' // yes|no
  | 'path' // a file or directory name
  | 'path-list' // several files (e.g. *_tls_chain_files)
  | 'lookup-table' // type:name, possibly several
  | 'time' // e.g. 3600s
  | 'integer'
  | 'loglevel' // 0-4 (or words)
  | 'enum' // one of `values`
  | 'name-list' // free list of names (curves, options, match strategies)
  | 'string';

export interface DefaultSpan {
  /** First release this default applies to: a line ("2.11", "3.9") for its first release, else a patch release ("3.5.20"). */
  readonly from: string;
  /** The default text exactly as `postconf -d` of that release prints it (may hold $name and ${…} expressions). */
  readonly value: string;
}

export interface ParameterSpec {
  readonly name: string;
  readonly type: ValueType;
  /** Allowed words for type 'enum' (lower case). */
  readonly values?: readonly string[];
  /** Release that introduced the parameter, e.g. "2.2", "3.4". */
  readonly since: string;
  /** Defaults over time, oldest first; the last span whose `from` <= version applies (empty: in no modelled release). */
  readonly defaults: readonly DefaultSpan[];
  /** First release in which the parameter no longer exists (undefined: still there in the newest modelled release). */
  readonly until?: string;
  /** Release from which postconf warns that the parameter is deprecated, and what replaces it. */
  readonly deprecated?: { readonly since: string; readonly replacement?: string; readonly note?: string };
  /** Release from which Postfix ignores the parameter (still accepted). */
  readonly ignoredSince?: string;
  /** One sentence on what it does. */
  readonly summary: string;
  /** Which side reads it. */
  readonly role: 'client' | 'server' | 'global' | 'tlsproxy';
}
