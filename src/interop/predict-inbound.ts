/**
 * Offline prediction of one session of a client (a client profile) with one
 * of our smtpd services: does the client get STARTTLS (or TLS from the first
 * byte in wrapper mode), which protocol and suite are negotiated, and what
 * happens to its mail when TLS does not happen. Pure.
 *
 * The steps follow Postfix 3.7 smtpd (smtpd.c, tls_server.c) and OpenSSL 3.0
 * as the inbound lab observed them (lab/inbound):
 *  1. level: none (no STARTTLS), may, encrypt (530 to MAIL without TLS);
 *     wrapper mode means TLS from the first byte;
 *  2. TLS set up at all? No certificate or an invalid protocol list: STARTTLS
 *     is still advertised but answered "454 4.7.0 TLS not available due to
 *     local problem";
 *  3. cipher grade and exclusions valid? (invalid: the session is dropped
 *     after "220 Ready to start TLS");
 *  4. OpenSSL security level 0 unless the cipher list sets @SECLEVEL; at 1
 *     and above TLS 1.0/1.1 fail ("no suitable signature algorithm");
 *  5. highest protocol both sides enable;
 *  6. suite: the client's order unless tls_preempt_cipherlist = yes, among
 *     the suites smtpd enables that fit its certificate and a shared group;
 *  7. then AUTH (only after STARTTLS with smtpd_tls_auth_only or encrypt)
 *     and what the client does after a failure (retry in plaintext or defer).
 */
import { probeHost, UNKNOWN_SERVER_HOST } from '../model/describe.js';
import type { ServerService } from '../model/server-services.js';
import { smtpdTlsPolicy, type SmtpdTlsPolicy, type CertificateKeyType } from '../model/server-tls.js';
import { exclusionKills, firstUnaryExclusion } from '../model/cipher-policy.js';
import { evaluateCipherString, usableSuites, type EvaluateSuccess, type Suite } from '../ciphers/evaluate.js';
import { clientGroups, EC_GROUPS, formatRange, knob, peerSuites, shellWord, versionRank, type PeerSuite } from './predict.js';
import type { PeerGroup } from './types.js';
import { defaultFor } from '../model/catalogue/index.js';
import type { ClientProfile, InboundDelivery, InboundOutcome, InboundPrediction } from './client-types.js';
import type { ServiceCertificateStatus } from '../model/tls-files.js';

export interface InboundOptions {
  /** Host name for the confirm command when the service does not name one (default: $myhostname). */
  readonly host?: string;
  /** What the certificate files tell, when they were read (src/model/tls-files.ts serviceCertificateStatus). */
  readonly certificates?: ServiceCertificateStatus;
}

interface Ctx {
  readonly service: ServerService;
  readonly client: ClientProfile;
  readonly policy: SmtpdTlsPolicy;
  readonly opts: InboundOptions;
}

interface Built {
  readonly outcome: InboundOutcome;
  readonly delivery: InboundDelivery;
  readonly protocol?: string | null;
  readonly cipher?: string | null;
  readonly reason: string;
}

const SUITE_PROTOCOLS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

function target(ctx: Ctx): string {
  const host = ctx.service.host ?? ctx.opts.host ?? probeHost(ctx.service.model);
  const port = ctx.service.port ?? 25;
  return `${host !== UNKNOWN_SERVER_HOST && host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** openssl s_client playing the client: its protocols, suites in its order, its groups. */
function confirmCommand(ctx: Ctx): string {
  const { client, policy } = ctx;
  const words = ['openssl', 's_client', '-connect', target(ctx)];
  if (!policy.wrappermode) words.push('-starttls', 'smtp');
  const protocols = client.protocols.filter((p) => p !== 'SSLv3');
  if (protocols.length > 0) {
    const sorted = [...protocols].sort((a, b) => versionRank(a) - versionRank(b));
    words.push('-min_protocol', sorted[0], '-max_protocol', sorted[sorted.length - 1]);
  }
  const legacy = client.ciphers.filter((c) => !c.startsWith('TLS_'));
  const tls13 = client.ciphers.filter((c) => c.startsWith('TLS_'));
  // The client is not OpenSSL: level 0 lets s_client offer what it offers (TLS 1.0, SHA-1 signatures).
  if (legacy.length > 0) words.push('-cipher', shellWord(`${legacy.join(':')}:@SECLEVEL=0`));
  if (tls13.length > 0) words.push('-ciphersuites', shellWord(tls13.join(':')));
  const groups = client.groups.map(opensslGroupName);
  if (groups.length > 0) words.push('-groups', groups.join(':'));
  return words.join(' ');
}

function opensslGroupName(g: PeerGroup): string {
  return g === 'secp256r1' ? 'P-256' : g === 'secp384r1' ? 'P-384' : g === 'secp521r1' ? 'P-521' : g === 'x25519' ? 'X25519' : g === 'x448' ? 'X448' : g;
}

function finish(ctx: Ctx, b: Built): InboundPrediction {
  return {
    client: ctx.client.id,
    service: ctx.service.name,
    level: ctx.policy.level,
    outcome: b.outcome,
    delivery: b.delivery,
    protocol: b.protocol ?? null,
    cipher: b.cipher ?? null,
    reason: b.reason,
    confirm: confirmCommand(ctx),
  };
}

/** Can the client get its mail in after the TLS part: AUTH where it needs it. */
function afterSession(ctx: Ctx, secure: boolean): { delivery: InboundDelivery | null; why: string } {
  const { client, policy } = ctx;
  if (!client.auth) return { delivery: null, why: '' };
  if (!policy.saslEnabled) {
    return { delivery: 'rejected', why: ' The client needs AUTH, but this smtpd offers none (smtpd_sasl_auth_enable = no): it cannot send here.' };
  }
  if (!secure && policy.authOnly.value) {
    const because = policy.authOnly.implied ? 'TLS is required here' : 'smtpd_tls_auth_only = yes';
    return { delivery: 'rejected', why: ` Without TLS smtpd does not offer AUTH (${because}), so the client cannot authenticate and gives up.` };
  }
  return { delivery: null, why: '' };
}

function plaintextSession(ctx: Ctx, outcome: InboundOutcome, lead: string): Built {
  const { policy } = ctx;
  if (policy.enforced) {
    return { outcome: outcome === 'plaintext' ? 'starttls-required' : outcome, delivery: 'rejected', reason: `${lead} smtpd requires TLS (level encrypt) and answers MAIL FROM with "530 5.7.0 Must issue a STARTTLS command first"; the sender bounces the message.` };
  }
  const auth = afterSession(ctx, false);
  if (auth.delivery) return { outcome, delivery: auth.delivery, reason: lead + auth.why };
  return { outcome, delivery: 'plaintext', reason: `${lead} The mail arrives in plaintext.` };
}

/** After a failed handshake: the client retries without TLS, or keeps its mail. */
function failed(ctx: Ctx, why: string): Built {
  const { client, policy } = ctx;
  const lead = `the TLS handshake fails: ${why}.`;
  if (client.onTlsFailure === 'defer' || policy.wrappermode) {
    const what = policy.wrappermode ? 'There is no plaintext on a wrapper-mode port: the client keeps the message and retries later.' : 'The client does not retry without TLS: it keeps the message (or reports an error) and tries again later.';
    return { outcome: 'handshake-failure', delivery: 'deferred', reason: `${lead} ${what}` };
  }
  return plaintextSession(ctx, 'handshake-failure', `${lead} The client retries without TLS.`);
}

/** STARTTLS missing (level none) or refused with 454. */
function noStarttls(ctx: Ctx, why: string): Built {
  const { client } = ctx;
  // TLS required here (a certificate that does not load at level encrypt): MAIL FROM gets 530.
  if (ctx.policy.enforced && client.starttls !== 'required') return plaintextSession(ctx, 'no-starttls', `${why}; the client continues without TLS.`);
  if (client.starttls === 'required') {
    return { outcome: 'no-starttls', delivery: 'deferred', reason: `${why}; the client insists on TLS, so it does not send (it keeps the message or reports an error).` };
  }
  const auth = afterSession(ctx, false);
  if (auth.delivery) return { outcome: 'no-starttls', delivery: auth.delivery, reason: `${why}.${auth.why}` };
  return { outcome: 'no-starttls', delivery: 'plaintext', reason: `${why}; the client sends in plaintext.` };
}

/** Whether a suite can be served with smtpd's certificates. */
function fitsCertificate(ps: PeerSuite, keyTypes: readonly CertificateKeyType[]): boolean {
  if (ps.tls13) return keyTypes.length > 0;
  if (ps.au === 'aNULL') return true;
  if (ps.kx === 'kRSA' || ps.au === 'aRSA') return keyTypes.includes('RSA');
  if (ps.au === 'aECDSA') return keyTypes.includes('ECDSA');
  if (ps.au === 'aDSS') return keyTypes.includes('DSA');
  return false; // PSK/SRP: not configured on smtpd
}

function usableAt(protocol: string, suite: Suite): boolean {
  return versionRank(suite.minVersion) <= versionRank(protocol);
}

function handshake(ctx: Ctx): Built {
  const { client, policy, service } = ctx;
  const cipherKnobs = [knob(policy.gradeParam, policy.gradeValue), ...policy.exclusions.filter((e) => e.tokens.length > 0).map((e) => knob(e.param, service.model.value(e.param)))].join(', ');
  if (!policy.cipherString) {
    return failed(ctx, `smtpd rejects ${knob(policy.gradeParam, policy.gradeValue)} ("invalid cipher grade") and drops the connection after "220 Ready to start TLS"`);
  }
  const bad = firstUnaryExclusion(policy.exclusions);
  if (bad) return failed(ctx, `"invalid unary '!+-@' in cipher exclusion" (${bad.token.text} in ${bad.param}): smtpd drops the connection after "220 Ready to start TLS"`);
  const evaluated = evaluateCipherString(policy.cipherString, { securityLevel: 0 });
  if (!evaluated.ok) return failed(ctx, `OpenSSL rejects the cipher list "${policy.cipherString}" (${evaluated.error})`);
  const secLevel = evaluated.securityLevel;

  const serverProtocols = (policy.protocols.enabled as readonly string[]).filter((p) => p !== 'SSLv3');
  // At security level 1 and above OpenSSL 3 finds no signature algorithm it may use before TLS 1.2.
  const allowed = serverProtocols.filter((p) => secLevel < 1 || versionRank(p) >= versionRank('TLSv1.2'));
  const protoKnob = knob(policy.protocolsParam, policy.protocolsValue);
  const clientProtocols = client.protocols.filter((p) => (SUITE_PROTOCOLS as readonly string[]).includes(p));
  const common = allowed.filter((p) => clientProtocols.includes(p as (typeof SUITE_PROTOCOLS)[number]));
  if (common.length === 0) {
    const lostToLevel = serverProtocols.filter((p) => !allowed.includes(p) && clientProtocols.includes(p as (typeof SUITE_PROTOCOLS)[number]));
    const why = lostToLevel.length > 0
      ? `smtpd's protocol list allows ${formatRange(lostToLevel)}, but the cipher list sets @SECLEVEL=${secLevel}, at which OpenSSL has no usable signature algorithm below TLS 1.2 (alert 80 internal_error)`
      : `no common protocol: smtpd allows ${formatRange(allowed)} (${protoKnob}), the client offers only ${formatRange(clientProtocols)} (alert 70 protocol_version)`;
    return failed(ctx, why);
  }
  const protocol = common.reduce((a, b) => (versionRank(b) > versionRank(a) ? b : a));

  const offered = usableSuites(evaluated as EvaluateSuccess);
  const serverGroups = clientGroups(service.model);
  const shared: PeerGroup[] | null = client.groups.length === 0 ? null : serverGroups.filter((g) => client.groups.includes(g));
  // The certificates' real key types when the files were read, else as the configuration suggests.
  const keyTypes = ctx.opts.certificates?.keyTypes ?? policy.certificates.keyTypes;
  const clientSuites = peerSuites(client);

  let chosen: string | undefined;
  if (protocol === 'TLSv1.3') {
    if (shared && shared.length === 0) {
      return failed(ctx, `no common key-exchange group for TLS 1.3: smtpd accepts ${serverGroups.join(', ')} (${knob('tls_eecdh_auto_curves', service.model.value('tls_eecdh_auto_curves'))}), the client offers ${client.groups.join(', ')}`);
    }
    const server13 = offered.filter((s) => s.tls13).map((s) => s.stdName);
    const client13 = clientSuites.filter((s) => s.tls13 && s.suite).map((s) => s.name);
    chosen = policy.serverCipherPreference ? server13.find((n) => client13.includes(n)) : client13.find((n) => server13.includes(n));
    if (!chosen) return failed(ctx, `no common TLS 1.3 cipher suite: smtpd has ${server13.join(', ') || 'none'}, the client offers ${client13.join(', ') || 'none'}`);
  } else {
    const ecOk = !shared || shared.some((g) => EC_GROUPS.has(g));
    const serverOk = offered.filter((s) => !s.tls13 && usableAt(protocol, s));
    const serverNames = new Set(serverOk.map((s) => s.name));
    const fits = (ps: PeerSuite) => !ps.tls13 && ps.suite !== null && versionRank(ps.minVersion) <= versionRank(protocol) && fitsCertificate(ps, keyTypes) && (ps.kx !== 'kECDHE' || ecOk);
    const candidates = clientSuites.filter((ps) => fits(ps) && serverNames.has(ps.name));
    if (candidates.length === 0) {
      const clientAt = clientSuites.filter((ps) => !ps.tls13 && ps.suite !== null && versionRank(ps.minVersion) <= versionRank(protocol));
      const certWords = keyTypes.length > 0 ? `its ${keyTypes.join('/')} certificate` : 'no certificate';
      return failed(ctx, `no shared cipher at ${protocol}: of the client's ${clientAt.length} suite${clientAt.length === 1 ? '' : 's'} for ${protocol} (${shortNames(clientAt.map((p) => p.name))}) smtpd enables none that fits ${certWords}${ecOk ? '' : ' and a shared ECDHE group'} (${cipherKnobs}) — smtpd logs "no shared cipher"`);
    }
    if (policy.serverCipherPreference) {
      chosen = serverOk.map((s) => s.name).find((n) => candidates.some((c) => c.name === n));
    } else {
      chosen = candidates[0].name;
    }
  }
  const cipher = chosen as string;
  const who = policy.serverCipherPreference ? 'smtpd picks the first suite in its own order that the client offers (tls_preempt_cipherlist = yes)' : "smtpd takes the first suite in the client's order that it enables";
  const auth = afterSession(ctx, true);
  const notValid = ctx.opts.certificates?.notValid ?? [];
  const validity = notValid.length > 0 ? ` The handshake does not care that ${notValid.join(' and ')}: this client does not verify it, but senders that do (MTA-STS enforce, DANE-TA, mail clients) refuse to send.` : '';
  return {
    outcome: 'tls',
    delivery: auth.delivery ?? 'tls',
    protocol,
    cipher,
    reason: `${protocol} with ${cipher}: the highest protocol both sides enable (smtpd ${formatRange(allowed)} via ${protoKnob}); ${who}.${auth.why}${validity}`,
  };
}

function shortNames(names: readonly string[]): string {
  return names.length <= 4 ? names.join(', ') || 'none' : `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`;
}

/** Why smtpd has no TLS to offer although its level asks for it, or null. */
function tlsUnavailable(policy: SmtpdTlsPolicy, certificates: ServiceCertificateStatus | undefined): string | null {
  if (!policy.protocols.ok) return `smtpd rejects ${knob(policy.protocolsParam, policy.protocolsValue)} ("Invalid TLS protocol list: disabling TLS support")`;
  if (!policy.certificates.configured && !policy.certificates.none) {
    return 'no server certificate is configured (smtpd_tls_cert_file / smtpd_tls_chain_files empty): smtpd logs "No server certs available. TLS won\'t be enabled"';
  }
  const failure = certificates?.loadFailure;
  if (failure) return `smtpd cannot load its private key and certificate (${failure.detail})${failure.log ? `: it logs "${failure.log}"` : ''} and runs without TLS`;
  return null;
}

/** Predict one session of a client with one smtpd service. Never throws for any config. */
export function predictInbound(service: ServerService, client: ClientProfile, opts: InboundOptions = {}): InboundPrediction {
  const ctx: Ctx = { service, client, policy: service.policy, opts };
  return finish(ctx, sessionCached(ctx));
}

/** The same prediction computed afresh (the reference for the memo's tests). */
export function predictInboundUncached(service: ServerService, client: ClientProfile, opts: InboundOptions = {}): InboundPrediction {
  const ctx: Ctx = { service, client, policy: service.policy, opts };
  return finish(ctx, session(ctx));
}

/**
 * Sessions memoized per client profile. The server rules judge each smtpd service and its "what if"
 * variants against every client profile, and a fleet repeats the same policies; a session depends on
 * the client and on what it reads of the service: the policy (as data, without the definition nodes
 * and with each exclusion list as its joined kills), the two values handshake() reads from the model,
 * and the certificate status. Bounded: a full map is dropped.
 */
const sessionsByClient = new WeakMap<ClientProfile, Map<string, Built>>();
const policyKeys = new WeakMap<SmtpdTlsPolicy, string>();
const SESSIONS_PER_CLIENT = 4096;

function policyKey(policy: SmtpdTlsPolicy): string {
  let key = policyKeys.get(policy);
  if (key === undefined) {
    key = JSON.stringify(policy, (name, v: unknown) => {
      if (name === 'node') return undefined;
      if (name === 'exclusions') return (v as SmtpdTlsPolicy['exclusions']).map((e) => [e.param, exclusionKills(e.tokens)]);
      return v;
    });
    policyKeys.set(policy, key);
  }
  return key;
}

function sessionKey(ctx: Ctx): string {
  const { policy, service, opts } = ctx;
  const model = service.model;
  const values = policy.exclusions.map((e) => (e.tokens.length > 0 ? model.value(e.param) : ''));
  return [policyKey(policy), model.value('tls_eecdh_auto_curves'), ...values, opts.certificates === undefined ? '-' : JSON.stringify(opts.certificates)].join('\0');
}

function sessionCached(ctx: Ctx): Built {
  let sessions = sessionsByClient.get(ctx.client);
  if (!sessions) sessionsByClient.set(ctx.client, (sessions = new Map()));
  const key = sessionKey(ctx);
  let built = sessions.get(key);
  if (!built) {
    built = session(ctx);
    if (sessions.size >= SESSIONS_PER_CLIENT) sessions.clear();
    sessions.set(key, built);
  }
  return built;
}

/** What happens in the session (finish() adds who, where and the confirm command). */
function session(ctx: Ctx): Built {
  const { client, policy, opts } = ctx;
  if (policy.level === null) {
    const why = policy.levelDiagnostics[0]?.message ?? 'smtpd_tls_security_level is invalid';
    return { outcome: 'handshake-failure', delivery: 'deferred', reason: `no session: ${why} The client cannot connect and retries later.` };
  }
  const unavailable = policy.offersTls ? tlsUnavailable(policy, opts.certificates) : null;

  if (policy.wrappermode) {
    if (!client.implicitTls || client.starttls === 'never') {
      return { outcome: 'handshake-failure', delivery: 'deferred', reason: 'the service runs in wrapper mode (TLS from the first byte, port 465) and the client speaks plain SMTP there: smtpd waits for a TLS ClientHello, the client for a greeting, and the connection times out. The client keeps its mail.' };
    }
    if (unavailable) return { outcome: 'handshake-failure', delivery: 'deferred', reason: `no TLS in wrapper mode: ${unavailable}, so smtpd drops every connection. The client keeps its mail.` };
    return handshake(ctx);
  }
  if (client.starttls === 'never') {
    return plaintextSession(ctx, 'plaintext', 'the client does not use STARTTLS.');
  }
  if (policy.level === 'none') return noStarttls(ctx, 'smtpd does not offer STARTTLS (level none)');
  if (unavailable) return noStarttls(ctx, `smtpd advertises STARTTLS but answers it with "454 4.7.0 TLS not available due to local problem" because ${unavailable}`);
  return handshake(ctx);
}

/** The clients a service meets by default: MTAs at the MX, submission clients at submission ports. */
export function clientsForService(service: ServerService, clients: readonly ClientProfile[]): ClientProfile[] {
  if (service.role === 'public-mx') return clients.filter((c) => c.sendsTo === 'mx');
  if (service.role === 'submission' || service.role === 'submissions') return clients.filter((c) => c.sendsTo === 'submission');
  return [...clients];
}

/** The same service with some settings changed (to ask "what if"). */
export function serviceWithSettings(service: ServerService, settings: ReadonlyMap<string, string>): ServerService {
  const model = service.model.withOverrides(settings);
  return { ...service, model, policy: smtpdTlsPolicy(model) };
}

/** Clients that get TLS with `better` but not with `service`, with their predictions for `service`. */
export function clientsLosingTls(service: ServerService, better: ServerService, clients: readonly ClientProfile[]): InboundPrediction[] {
  const out: InboundPrediction[] = [];
  for (const c of clientsForService(service, clients)) {
    const now = predictInbound(service, c);
    if (now.outcome === 'tls') continue;
    if (predictInbound(better, c).outcome === 'tls') out.push(now);
  }
  return out;
}

const DELIVERY_WORDS: Readonly<Record<InboundDelivery, string>> = {
  tls: 'still TLS',
  plaintext: 'handshake fails; the sender retries in plaintext',
  deferred: 'handshake fails; the mail stays queued at the sender and bounces when it expires',
  rejected: 'the mail is refused; the sender bounces it',
};

/** "exchange-2010-ws2008r2 and outlook-2010-win7 keep their mail queued ...; gmail falls back to plaintext". */
export function describeLostClients(predictions: readonly InboundPrediction[]): string {
  const parts: string[] = [];
  for (const d of ['deferred', 'rejected', 'plaintext'] as const) {
    const ids = predictions.filter((p) => p.delivery === d).map((p) => p.client);
    if (ids.length > 0) parts.push(`${ids.join(', ')} (${DELIVERY_WORDS[d]})`);
  }
  return parts.join('; ');
}

/** The TLS 1.2-and-older suites smtpd can serve with its certificates (null when its cipher list is unusable). */
export function servableLegacySuites(service: ServerService): Suite[] | null {
  const { policy } = service;
  if (!policy.cipherString) return null;
  const evaluated = evaluateCipherString(policy.cipherString, { securityLevel: 0 });
  if (!evaluated.ok) return null;
  const names = usableSuites(evaluated).filter((s) => !s.tls13).map((s) => s.name);
  return peerSuites({ ciphers: names }).filter((ps) => ps.suite !== null && ps.au !== 'aNULL' && fitsCertificate(ps, policy.certificates.keyTypes)).map((ps) => ps.suite as Suite);
}

/** smtpd settings that narrow what clients can negotiate: judged one at a time against their defaults. */
const NARROWING = ['smtpd_tls_protocols', 'smtpd_tls_mandatory_protocols', 'smtpd_tls_ciphers', 'smtpd_tls_mandatory_ciphers', 'smtpd_tls_exclude_ciphers', 'smtpd_tls_mandatory_exclude_ciphers'];

/** The service with every narrowing setting at the version's default. */
export function referenceService(service: ServerService): ServerService {
  return serviceWithSettings(service, new Map(NARROWING.map((n) => [n, defaultFor(n, service.model.version) ?? ''])));
}

/**
 * Clients that get TLS with default protocol and cipher settings but lose it
 * when only `settings` are applied: the effect of these settings alone, not
 * of another setting that already locks the same clients out.
 */
export function clientsLostBy(service: ServerService, settings: ReadonlyMap<string, string>, clients: readonly ClientProfile[]): InboundPrediction[] {
  const reference = referenceService(service);
  return clientsLosingTls(serviceWithSettings(reference, settings), reference, clients);
}
