/**
 * Offline prediction of one Postfix SMTP/LMTP client session against a peer
 * profile: will STARTTLS happen, which protocol and suite get negotiated, does
 * verification pass, and how does the message finally leave. Pure.
 *
 * The steps follow Postfix 3.7 (smtp_tls_policy.c, tls_client.c) and OpenSSL
 * 3.0 as observed in the interop lab (/work/shared/reference/interop-lab-notes.md):
 *  1. level (dane without TLSA records becomes may, dane-only defers);
 *  2. STARTTLS offered?
 *  3. protocol list and cipher list valid? (invalid: "aborting TLS session")
 *  4. OpenSSL security level: 0 as the base for opportunistic TLS, @SECLEVEL
 *     in the cipher list if present, but 1 at levels above encrypt;
 *  5. highest protocol both sides enable;
 *  6. suite: both sides have it, valid for that protocol, the peer's
 *     certificate and a shared group; the peer's order or the client's;
 *  7. failures after the suite is picked (legacy sigalg, DH size);
 *  8. certificate verification at verify/secure;
 *  9. delivery: may retries in plaintext later, encrypt and above defer.
 */
import type { ConfigModel } from '../model/config.js';
import { clientLevel, clientTlsPolicy, type ClientPrefix, type ClientTlsPolicy } from '../model/client-tls.js';
import { exclusionKills, firstUnaryExclusion } from '../model/cipher-policy.js';
import {
  COMMA_SPACE,
  isOpportunisticLevel,
  parseBoolean,
  splitTokens,
  verifiesPeer,
  type ClientSecurityLevel,
} from '../model/values/index.js';
import { evaluateCipherString, usableSuites, suiteAllowedAtLevel, type EvaluateSuccess, type Suite } from '../ciphers/evaluate.js';
import { cipherData } from '../ciphers/suites.js';
import { normaliseGroup } from './profile-normalise.js';
import { PEER_FIELDS, type PeerField, type PeerGroup, type PeerProfile, type PeerProtocol, type Prediction, type PredictionDelivery, type PredictionOutcome } from './types.js';

export interface PredictOptions {
  /** Predict at this level instead of the configured one (like a policy-table entry). */
  readonly level?: ClientSecurityLevel;
  readonly prefix?: ClientPrefix;
  /** Directory of the main.cf, for MAIL_CONFIG in the posttls-finger command (omitted for /etc/postfix). */
  readonly configDir?: string;
}

const VERSION_ORDER: readonly PeerProtocol[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export function versionRank(v: string): number {
  // Suite tables call the SSLv3-era minimum "SSLv3"; "unknown" never negotiates.
  const i = VERSION_ORDER.indexOf(v as PeerProtocol);
  return i < 0 ? 99 : i;
}

export function formatRange(list: readonly string[]): string {
  if (list.length === 0) return 'nothing';
  const sorted = [...list].sort((a, b) => versionRank(a) - versionRank(b));
  const contiguous = sorted.every((v, i) => i === 0 || versionRank(v) === versionRank(sorted[i - 1]) + 1);
  if (sorted.length === 1) return sorted[0];
  return contiguous ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted.join(', ');
}

export function knob(param: string, value: string): string {
  return `${param} = ${value === '' ? '(empty)' : value}`;
}

function shortList(names: readonly string[], max = 4): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** OpenSSL 3.0's own default, used if no configured curve is usable. */
const OPENSSL_DEFAULT_GROUPS: readonly PeerGroup[] = ['x25519', 'secp256r1', 'x448', 'secp521r1', 'secp384r1'];

/** The groups the client offers: tls_eecdh_auto_curves, unknown names skipped as Postfix does. */
export function clientGroups(model: ConfigModel): PeerGroup[] {
  const groups: PeerGroup[] = [];
  for (const t of splitTokens(model.value('tls_eecdh_auto_curves'), COMMA_SPACE + ':')) {
    const g = normaliseGroup(t.text);
    if (g && !groups.includes(g)) groups.push(g);
  }
  return groups.length > 0 ? groups : [...OPENSSL_DEFAULT_GROUPS];
}

/** Minimum key sizes per OpenSSL security level (index = level). */
const MIN_RSA_DH_BITS = [0, 1024, 2048, 3072, 7680, 15360];
const MIN_EC_BITS = [0, 160, 224, 256, 384, 512];

interface Ctx {
  readonly model: ConfigModel;
  readonly peer: PeerProfile;
  /** The profile itself (not watched) and the fields the prediction read. */
  readonly profile: PeerProfile;
  readonly read: Set<PeerField>;
  /** The level option the caller gave (predicting again with an alternative uses the same). */
  readonly levelOption?: ClientSecurityLevel;
  readonly prefix: ClientPrefix;
  /** Level as configured or requested (reported in the prediction). */
  readonly level: ClientSecurityLevel | null;
  /** Level Postfix ends up using (dane without TLSA records → may). */
  readonly effective: ClientSecurityLevel | null;
  readonly configDir?: string;
  policy?: ClientTlsPolicy;
}

function host(peer: PeerProfile): string {
  return peer.hostname ?? 'mx.example.com';
}

function nexthop(peer: PeerProfile): string {
  return peer.nexthop ?? 'example.com';
}

export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Recent -o words by cipher list, with the token arrays they were built from (shared: parsed lists are memoized). */
const excludedWords = new Map<string, { lists: readonly (readonly unknown[])[]; word: string }[]>();

/** "-o" value emulating the exclusion lists on the grade's cipher list, built once per lists (it grows with them). */
function excludedCipherlistWord(policy: ClientTlsPolicy): string {
  const key = `${policy.cipherlistParam}\0${policy.cipherlistValue}`;
  const lists = policy.exclusions.map((e) => e.tokens);
  let known = excludedWords.get(key);
  const hit = known?.find((k) => k.lists.length === lists.length && k.lists.every((l, i) => l === lists[i]));
  if (hit) return hit.word;
  const word = shellWord(`${policy.cipherlistParam}=${[policy.cipherlistValue, ...lists.filter((l) => l.length > 0).map(exclusionKills)].join(':')}`);
  if (excludedWords.size >= 64) excludedWords.clear();
  if (!known || known.length >= 16) excludedWords.set(key, (known = []));
  known.push({ lists, word });
  return word;
}

/** The posttls-finger command that shows the handshake part live (see posttls-finger(1)). */
function confirmCommand(ctx: Ctx, outcome: PredictionOutcome): string {
  const { model, peer, prefix } = ctx;
  const words: string[] = [];
  if (ctx.configDir && ctx.configDir !== '/etc/postfix') words.push(`MAIL_CONFIG=${shellWord(ctx.configDir)}`);
  words.push('posttls-finger');
  if (prefix === 'lmtp') words.push('-S');
  const destination = (d: string) => (prefix === 'lmtp' ? `"inet:${d}"` : `"${d}"`);
  const level = ctx.effective;
  if (level === null || level === 'none' || outcome === 'no-starttls') {
    // Without -c the EHLO reply is shown: does it list STARTTLS?
    words.push('-l', 'may', destination(`[${host(peer)}]`));
    return words.join(' ');
  }
  words.push('-c', '-l', level);
  const policy = ctx.policy ?? clientTlsPolicy(model, prefix, level);
  if (policy.protocolsValue !== '') words.push('-p', shellWord(policy.protocolsValue));
  if (policy.grade.effectiveGrade && policy.grade.effectiveGrade !== 'medium') words.push('-g', policy.grade.effectiveGrade);
  // posttls-finger ignores *_exclude_ciphers: emulate them on the grade's cipher list (interop-lab-notes §5).
  if (policy.cipherlistParam && policy.exclusions.some((e) => e.tokens.length > 0)) words.push('-o', excludedCipherlistWord(policy));
  const verifying = level === 'verify' || level === 'secure';
  if (verifying) {
    // posttls-finger does not read smtp_tls_CAfile/CApath from main.cf.
    const caFile = model.value(`${prefix}_tls_CAfile`);
    const caPath = model.value(`${prefix}_tls_CApath`);
    const ta = model.value(`${prefix}_tls_trust_anchor_file`);
    if (caFile) words.push('-F', shellWord(caFile));
    if (caPath) words.push('-P', shellWord(caPath));
    for (const t of splitTokens(ta, COMMA_SPACE)) words.push('-A', shellWord(t.text));
    // An MX lookup of the next-hop domain reproduces the names Postfix checks.
    words.push(destination(nexthop(peer)));
    const matchParam = level === 'verify' ? `${prefix}_tls_verify_cert_match` : `${prefix}_tls_secure_cert_match`;
    if (ctx.model.isSet(matchParam)) {
      for (const p of matchPatterns(model.value(matchParam), peer)) words.push(shellWord(p.parent ? '.' + p.name : p.name));
    }
    return words.join(' ');
  }
  words.push(destination(`[${host(peer)}]`));
  if (level === 'fingerprint') {
    for (const t of splitTokens(model.value(`${prefix}_tls_fingerprint_cert_match`), COMMA_SPACE)) words.push(shellWord(t.text));
  }
  return words.join(' ');
}

interface Built {
  outcome: PredictionOutcome;
  delivery: PredictionDelivery;
  protocol?: string | null;
  cipher?: string | null;
  reason: string;
}

function finish(ctx: Ctx, b: Built): Prediction {
  const uncertain = uncertainty(ctx, b);
  return {
    peer: ctx.peer.id,
    level: ctx.level,
    outcome: b.outcome,
    delivery: b.delivery,
    protocol: b.protocol ?? null,
    cipher: b.cipher ?? null,
    reason: b.reason,
    ...(uncertain ? { uncertain } : {}),
    confirm: confirmCommand(ctx, b.outcome),
  };
}

/**
 * Why a prediction is uncertain, or undefined: a field with an alternative value that would change the
 * outcome (checked by predicting again with it), or a low-confidence field without one that the prediction read.
 */
function uncertainty(ctx: Ctx, b: Built): string | undefined {
  const { profile, read } = ctx;
  const parts: string[] = [];
  let inherited = false;
  for (const f of PEER_FIELDS) {
    const ev = profile.evidence?.[f];
    if (!read.has(f)) continue;
    if (ev?.alternative !== undefined) {
      const alt = alternativeProfile(profile, f, ev.alternative);
      const other = predictHandshake(ctx.model, alt, { ...(ctx.levelOption ? { level: ctx.levelOption } : {}), prefix: ctx.prefix, ...(ctx.configDir ? { configDir: ctx.configDir } : {}) });
      // Only a different end for the message counts (TLS 1.2 instead of 1.3 is still TLS).
      if (other.delivery !== b.delivery || other.outcome !== b.outcome) {
        const result = other.delivery === 'tls' ? `TLS (${other.protocol} with ${other.cipher})` : `${other.outcome}, delivery ${other.delivery}`;
        parts.push(`if its ${f} were ${describeValue(ev.alternative)}${ev.note ? ` (${ev.note})` : ''}, the result would be ${result}`);
      }
    } else if (ev?.confidence === 'low') {
      parts.push(`it rests on the profile's ${f}, known only with low confidence${ev.note ? ` (${ev.note})` : ''}`);
    } else if (!ev && profile.confidence === 'low' && f !== 'starttls') {
      inherited = true;
    }
  }
  if (inherited) parts.unshift('the profile is known only with low confidence (unverified)');
  return parts.length > 0 ? `uncertain: ${parts.join('; ')}` : undefined;
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  if (v && typeof v === 'object') {
    const c = v as Partial<NonNullable<PeerProfile['certificate']>>;
    if (c.keyType) return `an ${c.keyType}${c.bits ? `-${c.bits}` : ''} certificate`;
    return JSON.stringify(v);
  }
  return String(v);
}

const alternatives = new WeakMap<PeerProfile, Map<PeerField, PeerProfile>>();

/** The profile with one field replaced by its alternative (and no alternatives of its own, so no recursion). */
function alternativeProfile(profile: PeerProfile, field: PeerField, value: unknown): PeerProfile {
  let byField = alternatives.get(profile);
  if (!byField) alternatives.set(profile, (byField = new Map()));
  let alt = byField.get(field);
  if (!alt) {
    const { evidence: _e, ...rest } = profile;
    alt = { ...rest, [field]: value } as PeerProfile;
    byField.set(field, alt);
  }
  return alt;
}

/** The peer as the predictor reads it: every profile field it looks at is noted (see uncertainty()). */
function watched(peer: PeerProfile, read: Set<PeerField>): PeerProfile {
  return new Proxy(peer, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && (PEER_FIELDS as readonly string[]).includes(prop)) read.add(prop as PeerField);
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** What happens to the message after the TLS session failed (handshake or library setup). */
function afterHandshakeFailure(ctx: Ctx): { delivery: PredictionDelivery; text: string } {
  const level = ctx.effective ?? 'encrypt';
  if (isOpportunisticLevel(level)) {
    const sasl = parseBoolean(ctx.model.value(`${ctx.prefix}_sasl_auth_enable`)).value === true
      ? ' (Unless SASL credentials exist for this server: then Postfix never falls back to plaintext and the message stays deferred.)'
      : '';
    return {
      delivery: 'plaintext',
      text: ` At level ${level} the first attempt is deferred (4.7.5 "Cannot start TLS: handshake failure"); a later retry, once the message is ${'$'}minimal_backoff_time old, delivers it in plaintext.${sasl}`,
    };
  }
  return { delivery: 'deferred', text: ` At level ${level} TLS is mandatory: the message stays deferred (4.7.5 "Cannot start TLS: handshake failure") until the peer or the policy changes.` };
}

function handshakeFailure(ctx: Ctx, reason: string): Built {
  const after = afterHandshakeFailure(ctx);
  return { outcome: 'handshake-failure', delivery: after.delivery, reason: reason + after.text };
}

/** A peer's suite by name, or a stand-in for the RC4/3DES/DES suites this OpenSSL build lacks. */
export interface PeerSuite {
  readonly name: string;
  readonly suite: Suite | null;
  readonly minVersion: string;
  readonly kx: string;
  readonly au: string;
  readonly tls13: boolean;
}

export function peerSuites(peer: Pick<PeerProfile, 'ciphers'>): PeerSuite[] {
  const data = cipherData();
  return peer.ciphers.map((name) => {
    if (name.startsWith('TLS_')) {
      const s = data.tls13.find((t) => t.stdName === name) ?? null;
      return { name, suite: s, minVersion: 'TLSv1.3', kx: 'kANY', au: 'aANY', tls13: true };
    }
    const i = data.legacyByName.get(name);
    if (i !== undefined) {
      const s = data.legacy[i].suite;
      return { name, suite: s, minVersion: s.minVersion, kx: s.kx, au: s.au, tls13: false };
    }
    // Compiled out of OpenSSL 3 (RC4, 3DES, DES): only the certificate type matters for the explanation.
    const au = name.startsWith('DHE-DSS') || name.startsWith('EDH-DSS') ? 'aDSS' : name.startsWith('ECDHE-ECDSA') ? 'aECDSA' : 'aRSA';
    const kx = name.startsWith('ECDHE') ? 'kECDHE' : name.startsWith('DHE') || name.startsWith('EDH') ? 'kDHE' : 'kRSA';
    return { name, suite: null, minVersion: 'SSLv3', kx, au, tls13: false };
  });
}

/** Whether the peer's certificate can serve this suite (ECDSA suites need an ECDSA key, RSA kx/auth an RSA key). */
function certFits(ps: PeerSuite, peer: PeerProfile): boolean {
  const key = peer.certificate?.keyType ?? 'RSA';
  if (ps.tls13) return true;
  if (ps.kx === 'kRSA' && key !== 'RSA') return false;
  if (ps.au === 'aRSA') return key === 'RSA';
  if (ps.au === 'aECDSA') return key === 'ECDSA';
  if (ps.au === 'aDSS') return key === 'DSA';
  return true; // aNULL, PSK: no certificate involved
}

function sharedGroups(client: readonly PeerGroup[], peer: PeerProfile): PeerGroup[] | null {
  if (peer.groups.length === 0) return null; // unknown: assume a shared one
  return client.filter((g) => peer.groups.includes(g));
}

export const EC_GROUPS: ReadonlySet<PeerGroup> = new Set(['x25519', 'x448', 'secp256r1', 'secp384r1', 'secp521r1']);

/** Why a peer suite (usable at the protocol with its certificate) is not among the suites Postfix offers. */
function whyNotOffered(ps: PeerSuite, ctx: Ctx, policy: ClientTlsPolicy, secLevel: number, baseNames: ReadonlySet<string>): string {
  if (!ps.suite) return 'compiled out of OpenSSL 3 (RC4/3DES/DES)';
  if (!baseNames.has(ps.name)) return `not in the ${policy.gradeValue || 'configured'} grade (${knob(policy.cipherlistParam ?? 'cipher list', policy.cipherlistValue)})`;
  for (const e of policy.exclusions) {
    for (const t of e.tokens) {
      const r = evaluateCipherString(`${policy.cipherlistValue}:!${t.text}`, { securityLevel: 0 });
      if (r.ok && !r.suites.some((s) => s.name === ps.name)) return `excluded by ${knob(e.param, ctx.model.value(e.param))}`;
      if (!r.ok) return `excluded by ${knob(e.param, ctx.model.value(e.param))}`;
    }
  }
  if (policy.automaticExclusion) return `excluded automatically (!${policy.automaticExclusion} at level ${ctx.effective})`;
  if (!suiteAllowedAtLevel(ps.suite, secLevel)) return `not allowed at OpenSSL security level ${secLevel}`;
  return 'not offered by Postfix';
}

function explainNoCipher(
  ctx: Ctx,
  policy: ClientTlsPolicy,
  protocol: string,
  secLevel: number,
  fitting: readonly PeerSuite[],
  offeredNames: ReadonlySet<string>,
  groups: readonly PeerGroup[],
): string {
  const { peer } = ctx;
  const key = peer.certificate?.keyType ?? 'RSA';
  if (fitting.length === 0) {
    return `no common cipher suite: the peer has no suite for ${protocol} with its ${key} certificate`;
  }
  const base = evaluateCipherString(policy.cipherlistValue, { securityLevel: 0 });
  const baseNames = new Set(base.ok ? base.suites.map((s) => s.name) : []);
  const byWhy = new Map<string, string[]>();
  const add = (why: string, name: string) => {
    const list = byWhy.get(why);
    if (list) list.push(name);
    else byWhy.set(why, [name]);
  };
  const shared = sharedGroups(groups, peer);
  for (const ps of fitting) {
    if (offeredNames.has(ps.name)) {
      if (ps.kx === 'kECDHE' && shared && !shared.some((g) => EC_GROUPS.has(g))) {
        add(`no shared ECDHE curve (peer: ${peer.groups.join(', ')}; ${knob('tls_eecdh_auto_curves', ctx.model.value('tls_eecdh_auto_curves'))})`, ps.name);
      } else {
        add('not selectable', ps.name);
      }
    } else {
      add(whyNotOffered(ps, ctx, policy, secLevel, baseNames), ps.name);
    }
  }
  const parts = [...byWhy].map(([why, names]) => `${shortList(names)}: ${why}`);
  const cipherKnobs = [knob(policy.gradeParam, policy.gradeValue), ...policy.exclusions.filter((e) => e.tokens.length > 0).map((e) => knob(e.param, ctx.model.value(e.param)))];
  return `no common cipher suite at ${protocol} (Postfix: ${cipherKnobs.join(', ')}): the peer's ${fitting.length} suite${fitting.length === 1 ? '' : 's'} for ${protocol} with its ${key} certificate — ${parts.join('; ')}`;
}

/** Certificate name patterns Postfix checks: strategies expanded, literal names kept. */
interface NamePattern {
  readonly name: string;
  /** ".example.com": any name below it. */
  readonly parent: boolean;
}

function matchPatterns(value: string, peer: PeerProfile): NamePattern[] {
  const out: NamePattern[] = [];
  for (const t of splitTokens(value, COMMA_SPACE + ':')) {
    const w = t.text.toLowerCase();
    if (w === 'hostname') out.push({ name: host(peer).toLowerCase(), parent: false });
    else if (w === 'nexthop') out.push({ name: nexthop(peer).toLowerCase(), parent: false });
    else if (w === 'dot-nexthop') out.push({ name: nexthop(peer).toLowerCase(), parent: true });
    else if (w.startsWith('.') && w.length > 1) out.push({ name: w.slice(1), parent: true });
    else if (w !== '.') out.push({ name: w, parent: false });
  }
  return out;
}

function nameMatches(certName: string, p: NamePattern, multiLabelWildcards: boolean): boolean {
  const n = certName.toLowerCase();
  if (p.parent) return n.endsWith('.' + p.name);
  if (n === p.name) return true;
  if (n.startsWith('*.')) {
    const domain = n.slice(2);
    if (!p.name.endsWith('.' + domain)) return false;
    const labels = p.name.slice(0, -(domain.length + 1));
    return labels.length > 0 && (multiLabelWildcards || !labels.includes('.'));
  }
  return false;
}

function verification(ctx: Ctx, protocol: string, cipher: string): Built | null {
  const { model, peer, prefix } = ctx;
  const level = ctx.effective;
  const cert = peer.certificate;
  if (!cert) return null;
  if (level === 'fingerprint') return null; // judged before connecting (see predictHandshake)
  if (level !== 'verify' && level !== 'secure') return null;
  const fail = (why: string): Built => ({
    outcome: 'verification-failure',
    delivery: 'deferred',
    protocol,
    cipher,
    reason: `the handshake completes (${protocol} with ${cipher}) but ${why}; at level ${level} Postfix defers the message (4.7.5 "Server certificate not verified").`,
  });
  const caFile = model.value(`${prefix}_tls_CAfile`);
  const caPath = model.value(`${prefix}_tls_CApath`);
  const ta = model.value(`${prefix}_tls_trust_anchor_file`);
  const appendDefault = parseBoolean(model.value('tls_append_default_CA')).value === true;
  if (!caFile && !caPath && !ta && !appendDefault) {
    return fail(`no CA is configured (${prefix}_tls_CAfile and ${prefix}_tls_CApath are empty, tls_append_default_CA = no), so Postfix trusts no certificate`);
  }
  if (!cert.trusted) return fail('the peer certificate does not chain to a trusted CA ("Untrusted TLS connection")');
  // OpenSSL checks the key size during chain verification at the security level in force, which is 1
  // at verify/secure: "num=66:EE certificate key too weak" (lab cell verify__weak-key, RSA-768).
  const minKeyBits = (cert.keyType === 'ECDSA' ? MIN_EC_BITS : MIN_RSA_DH_BITS)[1];
  if (cert.bits < minKeyBits) return fail(`the peer's ${cert.bits}-bit ${cert.keyType} key is below the ${minKeyBits} bits OpenSSL security level 1 requires ("EE certificate key too weak")`);
  if (cert.expired) return fail('the peer certificate has expired');
  const matchParam = level === 'verify' ? `${prefix}_tls_verify_cert_match` : `${prefix}_tls_secure_cert_match`;
  const patterns = matchPatterns(model.value(matchParam), peer);
  const multi = parseBoolean(model.value('tls_wildcard_matches_multiple_labels')).value !== false;
  const matched = cert.names.find((n) => patterns.some((p) => nameMatches(n, p, multi)));
  if (!matched) {
    const wanted = patterns.map((p) => (p.parent ? '.' + p.name : p.name)).join(', ') || '(nothing)';
    return fail(`no certificate name (${cert.names.join(', ')}) matches ${wanted} (${knob(matchParam, model.value(matchParam))}; next hop ${nexthop(peer)}, MX ${host(peer)}) — "hostname mismatch"`);
  }
  return null;
}

/** Predict one session of the Postfix client against a peer. Never throws for any config. */
export function predictHandshake(model: ConfigModel, profile: PeerProfile, opts: PredictOptions = {}): Prediction {
  const prefix = opts.prefix ?? 'smtp';
  const decided = clientLevel(model, prefix);
  const level = opts.level ?? decided.level;
  const effective: ClientSecurityLevel | null = level === 'dane' ? 'may' : level;
  const read = new Set<PeerField>();
  const peer = watched(profile, read);
  const ctx: Ctx = { model, peer, profile, read, prefix, level, effective, configDir: opts.configDir, ...(opts.level ? { levelOption: opts.level } : {}) };

  if (level === null) {
    const why = decided.diagnostics[0]?.message ?? `${prefix}_tls_security_level is invalid`;
    return finish(ctx, { outcome: 'handshake-failure', delivery: 'deferred', reason: `no session: ${why}` });
  }
  if (level === 'none') {
    return finish(ctx, { outcome: 'plaintext', delivery: 'plaintext', reason: `TLS is off (${prefix}_tls_security_level = none or unset): Postfix never sends STARTTLS and delivers in plaintext.` });
  }
  if (level === 'dane-only') {
    // Without DNSSEC lookups Postfix never asks for TLSA records: "dane-only configured with dnssec
    // lookups disabled", deferred as "client TLS configuration problem" (lab cell dane-only__ex2019).
    const dnssec = model.value(`${prefix}_dns_support_level`) === 'dnssec';
    return finish(ctx, {
      outcome: 'verification-failure',
      delivery: 'deferred',
      reason: dnssec
        ? 'level dane-only needs DNSSEC-signed TLSA records for the MX host; the profile assumes none, so Postfix defers without connecting (4.7.5 "no TLSA records found").'
        : `level dane-only with ${prefix}_dns_support_level = ${model.value(`${prefix}_dns_support_level`) || '(empty)'}: Postfix never looks up TLSA records, logs "dane-only configured with dnssec lookups disabled" and defers without connecting (4.7.5 "client TLS configuration problem").`,
    });
  }
  const daneNote = level === 'dane' ? 'level dane without usable TLSA records for this peer (assumed) acts as may. ' : '';
  if (level === 'fingerprint' && splitTokens(model.value(`${prefix}_tls_fingerprint_cert_match`), COMMA_SPACE).length === 0) {
    return finish(ctx, {
      outcome: 'verification-failure',
      delivery: 'deferred',
      reason: `level fingerprint with ${prefix}_tls_fingerprint_cert_match empty (and no policy match=): "configured at fingerprint security level, but with no fingerprints to match", so Postfix defers (4.7.5 "client TLS configuration problem").`,
    });
  }

  if (!peer.starttls) {
    const opportunistic = isOpportunisticLevel(effective ?? 'encrypt');
    return finish(ctx, {
      outcome: 'no-starttls',
      delivery: opportunistic ? 'plaintext' : 'deferred',
      reason: daneNote + (opportunistic
        ? `the peer does not offer STARTTLS; at level may Postfix delivers in plaintext.`
        : `the peer does not offer STARTTLS; at level ${level} Postfix defers (4.7.4 "TLS is required, but was not offered by host").`),
    });
  }

  const eff = effective as ClientSecurityLevel;
  const policy = clientTlsPolicy(model, prefix, eff);
  ctx.policy = policy;
  const protoKnob = knob(policy.protocolsParam, policy.protocolsValue);

  // tls_client_start(): the protocol list is checked first, then the cipher list.
  if (!policy.protocols.ok) {
    return finish(ctx, handshakeFailure(ctx, `${daneNote}Postfix rejects ${protoKnob}: "Invalid TLS protocol list ...: aborting TLS session".`));
  }
  if (!policy.cipherString) {
    return finish(ctx, handshakeFailure(ctx, `${daneNote}invalid cipher grade (${knob(policy.gradeParam, policy.gradeValue)}): Postfix aborts the TLS session.`));
  }
  const badExclusion = firstUnaryExclusion(policy.exclusions);
  if (badExclusion) {
    return finish(ctx, handshakeFailure(ctx, `${daneNote}"invalid unary '!+-@' in cipher exclusion: ${badExclusion.token.text}" (${badExclusion.param}): Postfix aborts the TLS session.`));
  }
  // Postfix sets the context to security level 0 before applying the cipher list, so only @SECLEVEL changes it here.
  const evaluated = evaluateCipherString(policy.cipherString, { securityLevel: 0 });
  if (!evaluated.ok) {
    return finish(ctx, handshakeFailure(ctx, `${daneNote}OpenSSL rejects the cipher list "${policy.cipherString}" (${evaluated.error}): Postfix logs "error setting cipher grade" and aborts the TLS session.`));
  }
  // tls_client.c: "SSL_set_security_level(con, 1)" when the level is above encrypt, applied to the
  // connection after the cipher list, so it overrides any @SECLEVEL there (lab: secure + @SECLEVEL=0
  // still failed; interop-lab-notes §0 finding 2, peer-profiles §4.2).
  const secLevel = verifiesPeer(eff) ? 1 : evaluated.securityLevel;
  const secWhy = verifiesPeer(eff)
    ? `at level ${eff} Postfix runs OpenSSL at security level 1`
    : `the cipher list sets @SECLEVEL=${secLevel}`;

  // OpenSSL's security callback also removes protocol versions: SSLv3 at >= 2, TLS 1.0 at >= 3, TLS 1.1 at >= 4.
  const clientProtocols = (policy.protocols.enabled as readonly string[]).filter((p) => {
    const r = versionRank(p);
    if (secLevel >= 2 && r <= versionRank('SSLv3')) return false;
    if (secLevel >= 3 && r <= versionRank('TLSv1')) return false;
    if (secLevel >= 4 && r <= versionRank('TLSv1.1')) return false;
    return true;
  });
  if (clientProtocols.length === 0) {
    return finish(ctx, handshakeFailure(ctx, `${daneNote}Postfix enables no protocol (${protoKnob}${policy.protocols.enabled.length > 0 ? `; ${secWhy}, which disallows ${formatRange(policy.protocols.enabled)}` : ''}): "no protocols available".`));
  }
  const common = clientProtocols.filter((p) => peer.protocols.includes(p as PeerProtocol));
  if (common.length === 0) {
    // When the security level (not the protocol list) removed the peer's versions, say so instead of
    // suggesting a protocols= entry that cannot help (lab cell may-seclevel3__tls10-rsa).
    const removedBySecLevel = (policy.protocols.enabled as readonly string[]).filter((p) => !clientProtocols.includes(p) && peer.protocols.includes(p as PeerProtocol));
    // Remedies are proposed by the callers, after checking them with this same prediction (interop/remedy.ts).
    const hint = removedBySecLevel.length > 0 ? ` Postfix's protocol list allows ${formatRange(removedBySecLevel)}, but ${secWhy}, which disallows it.` : '';
    return finish(ctx, handshakeFailure(ctx, `${daneNote}no common protocol: Postfix offers ${formatRange(clientProtocols)} (${protoKnob}), the peer speaks only ${formatRange(peer.protocols)} (alert 70 protocol_version).${hint}`));
  }
  const protocol = common.reduce((a, b) => (versionRank(b) > versionRank(a) ? b : a));

  const offered = usableSuites({ ...(evaluated as EvaluateSuccess), securityLevel: secLevel });
  const offeredNames = new Set(offered.map((s) => s.tls13 ? s.stdName : s.name));
  const groups = clientGroups(model);
  const shared = sharedGroups(groups, peer);
  const all = peerSuites(peer);
  const key = peer.certificate?.keyType ?? 'RSA';

  let chosen: PeerSuite | undefined;
  if (protocol === 'TLSv1.3') {
    if (shared && shared.length === 0) {
      return finish(ctx, handshakeFailure(ctx, `${daneNote}no common key-exchange group for TLSv1.3: Postfix offers ${groups.join(', ')} (${knob('tls_eecdh_auto_curves', model.value('tls_eecdh_auto_curves'))}), the peer accepts ${peer.groups.join(', ')}.`));
    }
    const peer13 = all.filter((p) => p.tls13 && p.suite);
    const candidates = peer13.filter((p) => offeredNames.has(p.name));
    if (candidates.length === 0) {
      return finish(ctx, handshakeFailure(ctx, `${daneNote}no common TLS 1.3 cipher suite: Postfix offers ${offered.filter((s) => s.tls13).map((s) => s.stdName).join(', ') || 'none'} (OpenSSL's TLS 1.3 list), the peer ${peer13.map((p) => p.name).join(', ') || 'lists none'}.`));
    }
    chosen = peer.cipherPreference === 'server'
      ? candidates[0]
      : offered.filter((s) => s.tls13).map((s) => candidates.find((c) => c.name === s.stdName)).find((c) => c !== undefined);
  } else {
    const fitting = all.filter((p) => !p.tls13 && versionRank(p.minVersion) <= versionRank(protocol) && certFits(p, peer));
    const groupOk = (p: PeerSuite) => p.kx !== 'kECDHE' || !shared || shared.some((g) => EC_GROUPS.has(g));
    const candidates = fitting.filter((p) => offeredNames.has(p.name) && groupOk(p));
    if (candidates.length === 0) {
      return finish(ctx, handshakeFailure(ctx, daneNote + explainNoCipher(ctx, policy, protocol, secLevel, fitting, offeredNames, groups) + ' (alert 40 handshake_failure).'));
    }
    if (peer.cipherPreference === 'server') chosen = candidates[0];
    else {
      for (const s of offered) {
        const c = candidates.find((p) => p.name === s.name);
        if (c) {
          chosen = c;
          break;
        }
      }
    }
  }
  if (!chosen) chosen = all[0]; // unreachable: candidates is never empty here
  const cipher = chosen.name;

  // Failures after the peer picked its suite.
  const kxIsEphemeral = chosen.kx === 'kECDHE' || chosen.kx === 'kDHE';
  if (secLevel >= 1 && versionRank(protocol) < versionRank('TLSv1.2') && kxIsEphemeral && chosen.au !== 'aNULL') {
    // Lab (interop-lab-notes §0 finding 2; peer-profiles §0.3, §4.1): before TLS 1.2 the server signs its
    // (EC)DHE parameters with MD5+SHA1, which OpenSSL 3 refuses at security level >= 1:
    // "legacy sigalg disallowed or unsupported". Static-RSA key exchange still works.
    const fix = verifiesPeer(eff)
      ? ' Appending @SECLEVEL=0 to the cipher list does not help (Postfix sets level 1 afterwards); a per-destination exclude=kEECDH:kEDH makes the peer fall back to static RSA, if it has such a suite.'
      : ' Remove @SECLEVEL from the cipher list, or exclude kEECDH:kEDH for this destination.';
    return finish(ctx, {
      ...handshakeFailure(ctx, `${daneNote}the peer picks ${cipher} at ${protocol}, but ${secWhy}, which rejects the MD5+SHA1 signature on a TLS 1.0/1.1 (EC)DHE key exchange: "legacy sigalg disallowed or unsupported".${fix}`),
    });
  }
  if (chosen.kx === 'kDHE' && peer.dhBits !== undefined && secLevel >= 1 && peer.dhBits < MIN_RSA_DH_BITS[Math.min(secLevel, 5)]) {
    return finish(ctx, handshakeFailure(ctx, `${daneNote}the peer picks ${cipher} with a ${peer.dhBits}-bit DH group, below the ${MIN_RSA_DH_BITS[Math.min(secLevel, 5)]} bits OpenSSL security level ${secLevel} requires (${secWhy}): "dh key too small".`));
  }
  // The peer's key size is no handshake matter: OpenSSL checks it during chain verification, and
  // Postfix's verify callback only records the error (see verification()). Lab cells
  // may-seclevel2__weak-key (RSA-768) and may-seclevel3__ws2012r2 (RSA-2048 at level 3) deliver over TLS.

  const failedVerification = verification(ctx, protocol, cipher);
  if (failedVerification) return finish(ctx, failedVerification);

  const holder = protocol === 'TLSv1.3' ? 'the peer' : `the peer (${key} certificate)`;
  const who = peer.cipherPreference === 'server'
    ? `${holder} picks the first suite in its own order that Postfix also offers`
    : `${holder} takes the first suite in Postfix's order that it supports`;
  let trust = '';
  if (eff === 'verify' || eff === 'secure') trust = '; the certificate is trusted and its name matches';
  else if (eff === 'fingerprint') trust = `; verified only if ${prefix}_tls_fingerprint_cert_match lists this server's fingerprint (not predictable offline)`;
  return finish(ctx, {
    outcome: 'tls',
    delivery: 'tls',
    protocol,
    cipher,
    reason: `${daneNote}${protocol} with ${cipher}: the highest protocol both sides enable (Postfix ${formatRange(clientProtocols)} via ${protoKnob}); ${who}${trust}.`,
  });
}

/** Predictions for every peer, in order. */
export function predictForConfig(model: ConfigModel, peers: readonly PeerProfile[], opts: PredictOptions = {}): Prediction[] {
  return peers.map((p) => predictHandshake(model, p, opts));
}
