/**
 * What an incident means, the smallest fix and the live check, from the log
 * alone (without --config: parameter, file and line stay null). Pure.
 */
import type { IncidentRecord } from './incidents.js';
import { CAUSE_WORDS, type Delivery, type Incident } from './types.js';

export type Explained = Pick<Incident, 'explanation' | 'parameter' | 'file' | 'line' | 'fix' | 'confirm'>;

/** "[mx.example.com]:587", or "[mx.example.com]" for port 25: a posttls-finger destination. */
export function fingerTarget(rec: Pick<IncidentRecord, 'hostname' | 'address' | 'port'>): string {
  const host = rec.hostname ?? rec.address ?? 'mx.example.com';
  return rec.port !== null && rec.port !== 25 ? `[${host}]:${rec.port}` : `[${host}]`;
}

/** The next hop a per-destination policy entry should name, as far as the log tells. */
export function guessDestination(rec: IncidentRecord): string {
  if (rec.facts.policyDestination) return rec.facts.policyDestination;
  // Mail to a domain's MX goes to port 25 and is looked up by the recipient domain.
  if ((rec.port === null || rec.port === 25) && rec.facts.recipientDomain) return rec.facts.recipientDomain;
  return fingerTarget(rec);
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function who(rec: IncidentRecord): string {
  const name = rec.hostname ?? 'unknown';
  const at = rec.address ? `[${rec.address}]` : '';
  return `${name}${at}${rec.port !== null ? `:${rec.port}` : ''}`;
}

function reasonText(rec: IncidentRecord): string {
  const r = rec.facts.reasons.filter((x) => !/^system lib$/.test(x));
  if (r.length > 0) return `OpenSSL: "${r[0]}"`;
  if (rec.facts.handshakeDetail && rec.facts.handshakeDetail !== '-1') return `"${rec.facts.handshakeDetail}"`;
  return 'no library detail logged';
}

export function deliverySentence(d: Delivery, direction: 'outbound' | 'inbound'): string {
  if (direction === 'inbound') {
    switch (d) {
      case 'plaintext': return 'The client then handed over its mail without TLS.';
      case 'tls': return 'Its next session used TLS.';
      case 'rejected': return 'The command was refused.';
      default: return '';
    }
  }
  switch (d) {
    case 'plaintext': return 'Postfix then delivered the message in plaintext (opportunistic TLS falls back on a later attempt).';
    case 'deferred': return 'The message stays deferred.';
    case 'bounced': return 'The message bounced.';
    case 'tls': return 'A later attempt delivered it over TLS.';
    default: return '';
  }
}

function outbound(rec: IncidentRecord): { why: string; fix: string; confirm: string } {
  const dest = guessDestination(rec);
  const target = `"${fingerTarget(rec)}"`;
  const f = rec.facts;
  const entry = (value: string) => `a TLS policy entry "${dest} ${value}" (smtp_tls_policy_maps) rather than weakening main.cf`;
  const exact = ' With --config, diagnose names the setting responsible and the exact entry.';
  switch (rec.cause) {
    case 'no-shared-protocol':
      return {
        why: `The TLS handshake with ${who(rec)} failed (${reasonText(rec)}, alert 70): the server and this client share no protocol version. Usually the server only speaks TLS 1.0/1.1 while smtp_tls_protocols (smtp_tls_mandatory_protocols at encrypt and above) starts higher, or an @SECLEVEL in the cipher list removed the old versions.`,
        fix: `Add ${entry('may protocols=>=TLSv1')}.${exact}`,
        confirm: `posttls-finger -c -l may -p '>=TLSv1' ${target}`,
      };
    case 'no-shared-cipher':
      return {
        why: `The TLS handshake with ${who(rec)} failed (${reasonText(rec)}${f.reasons[0] === 'sslv3 alert handshake failure' ? ', alert 40' : ''}): the server found no cipher suite (or key-exchange group) it shares with this client. Usually smtp_tls_exclude_ciphers / smtp_tls_mandatory_exclude_ciphers, a higher cipher grade or tls_eecdh_auto_curves removed what an older server needs.`,
        fix: `Add ${entry('may exclude=')}.${exact}`,
        confirm: `posttls-finger -c -l may -g medium ${target}`,
      };
    case 'legacy-signature':
      return {
        why: `OpenSSL refused the signature of ${who(rec)} (${reasonText(rec)}): below TLS 1.2 the server signs its (EC)DHE key exchange with MD5+SHA1, which OpenSSL 3 rejects at security level 1 and above. Postfix runs at level 1 at verify and secure, or at the @SECLEVEL of its cipher list.`,
        fix: `Remove @SECLEVEL from the cipher list, or add ${entry('encrypt exclude=kEECDH:kEDH')}, so the server picks a static-RSA suite; better, the server enables TLS 1.2.${exact}`,
        confirm: `posttls-finger -c -l may ${target}`,
      };
    case 'dh-key-too-small':
      return {
        why: `${who(rec)} offered a DHE group smaller than the security level allows (${reasonText(rec)}): @SECLEVEL=2 in a cipher list refuses groups below 2048 bits.`,
        fix: `Remove the @SECLEVEL from the cipher list, or add ${entry('may exclude=kEDH')}; the server should use a 2048-bit group.${exact}`,
        confirm: `posttls-finger -c -l may ${target}`,
      };
    case 'certificate-untrusted':
      return {
        why: `Postfix could not verify the certificate of ${who(rec)} (${f.verifyReason ?? 'Server certificate not verified'}): its chain does not end at a CA that smtp_tls_CAfile / smtp_tls_CApath hold, and the security level for this destination requires verification.`,
        fix: `Point smtp_tls_CAfile at a CA bundle that holds the server's CA (e.g. /etc/ssl/certs/ca-certificates.crt). If authentication is not needed for this server: ${entry('encrypt')}.`,
        confirm: `posttls-finger -c -l secure -P /etc/ssl/certs ${target}`,
      };
    case 'certificate-name-mismatch':
      return {
        why: `The certificate of ${who(rec)} does not name the host Postfix checks (${f.verifyReason ?? 'name mismatch'}): smtp_tls_verify_cert_match / smtp_tls_secure_cert_match, or match= in a policy entry, decide which names are accepted.`,
        fix: `Ask its admin for a certificate with the right name. Once you have checked it is the right server, you can accept the name its certificate carries: ${entry('secure match=NAME')}.`,
        confirm: `posttls-finger -c -l verify -P /etc/ssl/certs ${target}`,
      };
    case 'certificate-expired':
      return {
        why: `The certificate of ${who(rec)} is outside its validity period (${f.verifyReason ?? 'expired'}); the security level for this destination requires a valid certificate.`,
        fix: `Ask the server's admin to renew the certificate. Until then only a lower level delivers, encrypted but not authenticated: ${entry('encrypt')}.`,
        confirm: `posttls-finger -c -l secure -P /etc/ssl/certs ${target}`,
      };
    case 'starttls-not-offered':
      return {
        why: `${who(rec)} did not offer STARTTLS, and TLS is required for this destination. Either the server has no TLS, or something between (a firewall's SMTP inspection) strips STARTTLS from its EHLO reply; no setting on this side breaks TLS here.`,
        fix: `Check what this host sees (the EHLO reply must list STARTTLS) and ask the server's admin to enable it. Only if plaintext is acceptable for this server: ${entry('may')}.`,
        confirm: `posttls-finger -l may ${target}`,
      };
    case 'starttls-rejected':
      return {
        why: `${who(rec)} offered STARTTLS but refused it${f.reply ? ` ("${f.reply}")` : ''}, and TLS is required for this destination. The server's own TLS is broken (often its certificate or key did not load); no setting on this side causes it.`,
        fix: `Tell the server's admin. Only if plaintext is acceptable meanwhile: ${entry('may')}.`,
        confirm: `posttls-finger -l may ${target}`,
      };
    case 'connection-lost':
      return {
        why: `The connection to ${who(rec)} was closed during STARTTLS or the TLS handshake (${f.statusDetail && /STARTTLS/.test(f.statusDetail) ? f.statusDetail : reasonText(rec)}). No setting on this side explains it: the server, or a middlebox (firewall, SMTP proxy, load balancer), dropped the connection.`,
        fix: 'No configuration change: find out what closes the connection (run the check below from this host and from another network, and ask the server\'s admin).',
        confirm: `posttls-finger -c -Ldebug -l may ${target}`,
      };
    case 'tlsproxy-unavailable':
      return {
        why: 'Connection reuse (smtp_tls_connection_reuse = yes, or connection_reuse=yes in a policy entry) hands TLS to the tlsproxy(8) service, but smtp(8) could not reach it; Postfix does not fall back to its in-process TLS.',
        fix: 'Add the service to master.cf: "tlsproxy  unix  -  -  n  -  0  tlsproxy" (then postfix reload), or set smtp_tls_connection_reuse = no.',
        confirm: 'postconf -M tlsproxy/unix',
      };
    case 'policy-lookup-error':
      return policyLookup(rec, dest);
    default:
      return libraryError(rec, target);
  }
}

function policyLookup(rec: IncidentRecord, dest: string): { why: string; fix: string; confirm: string } {
  const f = rec.facts;
  const target = `"${fingerTarget(rec)}"`;
  switch (f.policyProblem) {
    case 'dane-only':
      return {
        why: `The TLS policy for ${dest} is dane-only (or dane that cannot ignore MX lookup errors), but DNSSEC lookups are off (smtp_dns_support_level is not dnssec): Postfix cannot look up TLSA records and defers without connecting ("client TLS configuration problem").`,
        fix: 'Set smtp_dns_support_level = dnssec with a validating resolver, or use level dane (which falls back to may) for this destination.',
        confirm: `posttls-finger -c -l dane-only ${target}`,
      };
    case 'fingerprint':
      return {
        why: `The TLS policy for ${dest} is fingerprint, but no fingerprint is configured (smtp_tls_fingerprint_cert_match and match= are empty): Postfix defers without connecting.`,
        fix: 'Add the server\'s certificate fingerprint with match= in its policy entry (get it with the check below), or use another level.',
        confirm: `posttls-finger -c -l may ${target}`,
      };
    case 'table':
      return {
        why: `The TLS policy table could not be read for ${dest}${tableOf(rec) ? ` (${tableOf(rec)})` : ''}: Postfix defers every message that needs the lookup ("client TLS configuration problem").`,
        fix: 'Create or rebuild the table (postmap TYPE:PATH for indexed types), check its permissions, then postfix reload.',
        confirm: tableOf(rec) ? `postmap -q ${shellQuote(dest)} ${shellQuote(tableOf(rec) as string)}` : `postmap -q ${shellQuote(dest)} TYPE:PATH`,
      };
    case 'entry':
      return {
        why: `The TLS policy entry for ${dest} is invalid (see the evidence): Postfix defers the mail ("client TLS configuration problem").`,
        fix: 'Correct the entry (postfix-tls-lint lints policy tables too).',
        confirm: `posttls-finger -c -l may ${target}`,
      };
    default:
      return {
        why: `Postfix could not determine the TLS policy for ${dest} ("client TLS configuration problem"); see the evidence.`,
        fix: 'Correct the TLS policy setting the warnings name.',
        confirm: `posttls-finger -c -l may ${target}`,
      };
  }
}

/** "hash:/etc/postfix/tls_policy" from "warning: hash:/etc/postfix/tls_policy is unavailable. ..." */
function tableOf(rec: IncidentRecord): string | null {
  for (const l of rec.evidence) {
    const m = /warning: (\w+:\S+) (?:is unavailable|lookup error for)/.exec(l);
    if (m) return m[1];
  }
  return null;
}

function libraryError(rec: IncidentRecord, target: string): { why: string; fix: string; confirm: string } {
  const f = rec.facts;
  switch (f.configProblem) {
    case 'protocols':
      return {
        why: `Postfix rejected its own protocol list "${f.configValue ?? ''}" ("Invalid TLS protocol list ...: aborting TLS session"), so no TLS session can start.`,
        fix: 'Correct smtp_tls_protocols / smtp_tls_mandatory_protocols (for example >=TLSv1.2; protocol names are SSLv2, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3).',
        confirm: `posttls-finger -c -l may ${target}`,
      };
    case 'cipherlist':
    case 'grade':
      return {
        why: f.configProblem === 'grade'
          ? `Postfix rejected the cipher grade "${f.configValue ?? ''}" ("invalid cipher grade"), so no TLS session can start.`
          : `OpenSSL rejected the cipher list of grade "${f.configValue ?? ''}" (${reasonText(rec)}): tls_${f.configValue ?? 'medium'}_cipherlist (with the exclusions appended) selects no cipher, so no TLS session can start.`,
        fix: f.configProblem === 'grade' ? 'Use one of the grades export, low, medium, high or null.' : `Correct tls_${f.configValue ?? 'medium'}_cipherlist (or remove it: the default is right for almost everyone).`,
        confirm: `posttls-finger -c -l may ${target}`,
      };
    case 'exclusion':
      return {
        why: `Postfix rejected the cipher exclusion "${f.configValue ?? ''}" ("invalid unary '!+-@' in cipher exclusion"): exclusions are written without "!", so no TLS session can start.`,
        fix: `Write the exclusion without the leading character (e.g. ${(f.configValue ?? '!X').replace(/^[!+\-@]/, '')}).`,
        confirm: `posttls-finger -c -l may ${target}`,
      };
    case 'client-engine':
      return {
        why: 'The SMTP client\'s TLS engine did not start (see the warnings before the status line: usually smtp_tls_cert_file / smtp_tls_key_file or smtp_tls_chain_files could not be loaded), and TLS is required.',
        fix: 'Fix or remove the client certificate settings the warnings name, then postfix reload.',
        confirm: `posttls-finger -c -l may ${target}`,
      };
    default:
      return otherFailure(rec, 'See the evidence and run the check below; the handshake debug output shows where it stops.', target);
  }
}

/** tls-library-error without a known configuration problem. */
function otherFailure(rec: IncidentRecord, fix: string, target: string): { why: string; fix: string; confirm: string } {
  return {
    why: `The TLS session with ${who(rec)} failed (${reasonText(rec)}), for a reason none of the known causes covers; see the evidence.`,
    fix,
    confirm: `posttls-finger -c -Ldebug -l may ${target}`,
  };
}

/** Said of a client that dropped the handshake when the log alone cannot say why (--config may know better). */
export const LOST_UNEXPLAINED = "Nothing on this server explains it: the client gave up (often it rejected this server's certificate) or a middlebox interfered.";

function inbound(rec: IncidentRecord): { why: string; fix: string; confirm: string } {
  const f = rec.facts;
  const client = `The client ${who(rec)}`;
  const self = '"[127.0.0.1]:25"';
  switch (rec.cause) {
    case 'client-no-shared-protocol':
      return {
        why: f.reasons.includes('no suitable signature algorithm')
          ? `${client} offered only protocol versions this server cannot sign for (${reasonText(rec)}): below TLS 1.2 the handshake is signed with MD5+SHA1 or SHA1, which OpenSSL 3 refuses at @SECLEVEL=1 and above (an @SECLEVEL in tls_*_cipherlist), so a TLS 1.0/1.1 client fails although smtpd_tls_protocols allows its version.`
          : `${client} asked for a TLS protocol version this server does not allow (${reasonText(rec)}): smtpd_tls_protocols (smtpd_tls_mandatory_protocols at encrypt) excludes what it speaks, usually TLS 1.0/1.1.`,
        fix: 'Nothing, if the floor is intended: at smtpd_tls_security_level = may the client can still deliver in plaintext. To accept it over TLS, allow its version on this service (e.g. -o smtpd_tls_protocols=>=TLSv1 on the service in master.cf).',
        confirm: `posttls-finger -c -l may -p '<=TLSv1.1' ${self}`,
      };
    case 'client-no-shared-cipher':
      return {
        why: `${client} offered no cipher suite this server allows (${reasonText(rec)}): smtpd_tls_exclude_ciphers (smtpd_tls_mandatory_exclude_ciphers at encrypt), the grade in smtpd_tls_ciphers or tls_*_cipherlist removed what it offers.`,
        fix: 'Nothing, if intended (the client can fall back to plaintext at level may). To accept it over TLS, widen the opportunistic exclusions or grade for this service; leave the mandatory ones alone.',
        confirm: `posttls-finger -c -l may -Ldebug ${self}`,
      };
    case 'client-lost-connection':
      return {
        why: `${client} closed the connection during the TLS handshake (${reasonText(rec)}). ${LOST_UNEXPLAINED}`,
        fix: 'No server change. If many clients do it, check that the certificate chain is complete and valid (the check below shows it).',
        confirm: `posttls-finger -c -l secure -P /etc/ssl/certs ${self}`,
      };
    case 'starttls-required':
      return {
        why: f.inferred
          ? `${client} sent MAIL without STARTTLS and was refused. smtpd does not log the "530 5.7.0 Must issue a STARTTLS command first" reply: the command counts (mail=0/N, no starttls) show it, and no session on this service delivered without TLS.`
          : `${client} did not use STARTTLS and was refused ("Session encryption is required").`,
        fix: 'Intended on a submission service: configure the client to use STARTTLS (or implicit TLS on port 465). To accept plaintext here, lower smtpd_tls_security_level to may for this service (not advisable for submission).',
        confirm: `posttls-finger -l may "[127.0.0.1]:587"`,
      };
    case 'auth-without-tls':
      return {
        why: `${client} tried AUTH before STARTTLS and was refused: with smtpd_tls_auth_only = yes (or level encrypt) AUTH is only available over TLS. smtpd does not log the "503 5.5.1 Error: authentication not enabled" reply: the command counts (auth=0/N, no starttls) show it, and other sessions on this service used AUTH after STARTTLS.`,
        fix: 'Configure the client to use STARTTLS before AUTH (or implicit TLS on port 465); keep smtpd_tls_auth_only = yes.',
        confirm: `posttls-finger -l may "[127.0.0.1]:587"`,
      };
    case 'server-tls-unavailable': {
      const loaded = rec.evidence.find((l) => /cannot get|error opening chain file|error loading|does not match (?:public key|next certificate)|No server certs|disabling TLS support|No PEM data|No private key|No certs for key/.test(l));
      const what = loaded ? loaded.replace(/^.*?warning: /, '') : '';
      const wrapper = rec.evidence.some((l) => /Wrapper-mode request dropped/.test(l));
      const consequence = wrapper
        ? 'In wrapper mode (port 465) smtpd then drops every connection ("Wrapper-mode request dropped ... TLS context initialization failed"): no client can send here.'
        : /disabling TLS support|No server certs available/.test(what)
          ? 'TLS is off in that smtpd process: it still offers STARTTLS but answers it with 454 4.7.0 "TLS not available due to local problem".'
          : /chain file|No PEM data|No certs for key|No private key/.test(what)
            ? 'Without a certificate smtpd is left with anonymous suites only, which a client that wants a certificate cannot use ("no shared cipher").'
            : 'Without it smtpd either refuses STARTTLS (454 "TLS not available due to local problem") or is left with anonymous suites only ("no shared cipher").';
      const mismatch = rec.evidence.some((l) => /does not match (?:public key|next certificate)|private key mismatch/.test(l));
      const files = f.serverFile ? `"${f.serverFile}"` : 'the certificate and key files';
      return {
        why: loaded
          ? `This smtpd could not load its certificate or key (${what}). ${consequence}`
          : wrapper
            ? `This smtpd had no TLS context when a client connected in wrapper mode: its certificate or key failed to load when the process started, before the log begins. ${consequence}`
            : 'This smtpd refused STARTTLS without a handshake (starttls=0/N in the command counts): its TLS set-up failed when the process started, before the log begins (look for "cannot get ... certificate" or "error opening chain file").',
        fix: mismatch
          ? `Pair each private key with its own certificate (smtpd_tls_chain_files: each key followed by its certificate chain; or smtpd_tls_key_file and smtpd_tls_cert_file from the same pair), check with postfix-tls-lint --files on, then postfix reload.`
          : `Make ${files} exist and be readable (smtpd_tls_chain_files, or smtpd_tls_cert_file and smtpd_tls_key_file), then postfix reload.`,
        confirm: `posttls-finger -c -l may ${self}`,
      };
    }
    default:
      return otherFailure(rec, 'See the evidence; raise smtpd_tls_loglevel to 2 for the handshake details.', self);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function explainFromLog(rec: IncidentRecord, delivery: Delivery): Explained {
  const e = rec.direction === 'outbound' ? outbound(rec) : inbound(rec);
  const tail = deliverySentence(delivery, rec.direction);
  return {
    explanation: `${capitalize(CAUSE_WORDS[rec.cause])}. ${e.why}${tail ? ` ${tail}` : ''}`,
    parameter: null,
    file: null,
    line: null,
    fix: e.fix,
    confirm: e.confirm,
  };
}
