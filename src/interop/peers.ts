/**
 * Peer profiles: the shipped ones in data/peers/*.json and user files.
 * Edge I/O lives here and stays small; the predictor (predict.ts) is pure.
 *
 * Shipped profiles are checked against the schema by the test suite, so
 * loading them does not compile the schema. A user file is validated, and
 * the schema compiled, only when one is loaded (once per process).
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { cipherData } from '../ciphers/suites.js';
import { compileProfileSchema, pickDefaults, readProfileJson, readShippedProfiles } from './profile-file.js';
import { isHistoricSuiteName } from '../ciphers/suite-names.js';
import { normalisePeerProfile } from './profile-normalise.js';
import type { PeerProfile } from './types.js';


/**
 * The peers interop checks use when the user names none: the common
 * real-world Exchange generations on their usual Windows defaults, Exchange
 * Online, Gmail and a current Java MTA. Left out: hardened variants (opt-in),
 * pre-2008 R2 Windows (no shared cipher with OpenSSL 3 at all, whatever the
 * config), and the Cisco ASA (STARTTLS stripped, whatever the config).
 */
export const DEFAULT_PEER_IDS: readonly string[] = [
  'exchange-2010-ws2008r2',
  'exchange-2016-ws2012r2',
  'exchange-2016-ws2016',
  'exchange-2019-ws2019',
  'exchange-online',
  'gmail',
  'java-jdk11-mta',
];

/** Suite names a peer may list that this OpenSSL 3 build has compiled out (RC4, 3DES, DES). */
export const SUITES_ABSENT_FROM_BUILD: ReadonlySet<string> = new Set([
  'RC4-MD5', 'RC4-SHA', 'DES-CBC3-SHA', 'DHE-DSS-DES-CBC3-SHA', 'DHE-RSA-DES-CBC3-SHA', 'EDH-DSS-DES-CBC3-SHA',
  'EDH-RSA-DES-CBC3-SHA', 'ECDHE-RSA-DES-CBC3-SHA', 'ECDHE-ECDSA-DES-CBC3-SHA', 'DES-CBC-SHA', 'ECDHE-RSA-RC4-SHA', 'ECDHE-ECDSA-RC4-SHA',
]);

export class PeerFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeerFileError';
  }
}

let builtinCache: PeerProfile[] | undefined;
let validator: ValidateFunction | undefined;

/** Every shipped profile, sorted by id. */
export function loadBuiltinPeers(): readonly PeerProfile[] {
  if (builtinCache) return builtinCache;
  builtinCache = readShippedProfiles<PeerProfile>('peers');
  return builtinCache;
}

export function listPeers(): readonly PeerProfile[] {
  return loadBuiltinPeers();
}

export function findBuiltinPeer(id: string): PeerProfile | undefined {
  return loadBuiltinPeers().find((p) => p.id === id);
}

export function defaultPeers(): readonly PeerProfile[] {
  return pickDefaults(DEFAULT_PEER_IDS, findBuiltinPeer, 'peers');
}

/** The compiled schema validator (compiled on first use only). */
export function peerValidator(): ValidateFunction {
  validator ??= compileProfileSchema('peer-profile.schema.json');
  return validator;
}

function fieldName(instancePath: string): string {
  if (instancePath === '') return '(top level)';
  return instancePath.slice(1).split('/').map((s) => (/^\d+$/.test(s) ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');
}

/** One line per schema error, naming the field. */
export function describeSchemaErrors(errors: readonly ErrorObject[]): string[] {
  const lines: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue; // the failing "then" branch is reported on its own
    const field = fieldName(e.instancePath);
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        lines.push(`missing field "${e.instancePath ? field + '.' : ''}${String(p.missingProperty)}"`);
        break;
      case 'additionalProperties':
        lines.push(`unknown field "${e.instancePath ? field + '.' : ''}${String(p.additionalProperty)}"`);
        break;
      case 'enum':
        lines.push(`field "${field}" must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
        break;
      default:
        lines.push(`field "${field}" ${e.message ?? 'is invalid'}`);
    }
  }
  return [...new Set(lines)];
}

/** Problems the schema cannot see: suite names this OpenSSL does not know. */
export function unknownCipherNames(peer: Pick<PeerProfile, 'ciphers'>): string[] {
  const data = cipherData();
  const problems: string[] = [];
  peer.ciphers.forEach((name, i) => {
    if (name.startsWith('TLS_')) {
      if (!data.tls13.some((s) => s.stdName === name)) problems.push(`field "ciphers[${i}]": "${name}" is not a TLS 1.3 suite name (TLS 1.2 and older suites take OpenSSL names)`);
    } else if (!data.legacyByName.has(name) && !SUITES_ABSENT_FROM_BUILD.has(name) && !isHistoricSuiteName(name)) {
      problems.push(`field "ciphers[${i}]": "${name}" is not an OpenSSL cipher suite name`);
    }
  });
  return problems;
}

/** Each evidence "alternative" must be a valid value of its field: the profile with it substituted must validate. */
export function alternativeProblems(peer: PeerProfile): string[] {
  const validate = peerValidator();
  const problems: string[] = [];
  for (const [field, ev] of Object.entries(peer.evidence ?? {})) {
    if (ev?.alternative === undefined) continue;
    const { evidence: _e, ...rest } = peer;
    const alt = { ...rest, [field]: ev.alternative };
    if (!validate(alt)) {
      for (const line of describeSchemaErrors((validate.errors ?? []).filter((e) => e.instancePath.startsWith(`/${field}`)))) problems.push(`evidence.${field}.alternative: ${line}`);
    } else problems.push(...unknownCipherNames(alt as PeerProfile).map((l) => `evidence.${field}.alternative: ${l}`));
  }
  return problems;
}

/**
 * Validate parsed JSON as a peer profile written by a user: spellings are normalised first (enum values in
 * any case, OpenSSL group aliases, confidence and sources defaulting to low / "user-supplied"); throws
 * PeerFileError naming each bad field and the allowed values.
 */
export function parsePeerProfile(input: unknown, shownPath: string): PeerProfile {
  const { value: json, problems: spelling } = normalisePeerProfile(input);
  if (spelling.length > 0) throw new PeerFileError(`${shownPath}: not a valid peer profile:\n  ${spelling.join('\n  ')}`);
  const validate = peerValidator();
  if (!validate(json)) {
    throw new PeerFileError(`${shownPath}: not a valid peer profile:\n  ${describeSchemaErrors(validate.errors ?? []).join('\n  ')}`);
  }
  const peer = json as PeerProfile;
  const problems = [...unknownCipherNames(peer), ...alternativeProblems(peer)];
  if (problems.length > 0) throw new PeerFileError(`${shownPath}: not a valid peer profile:\n  ${problems.join('\n  ')}`);
  return peer;
}

/** Read and validate one peer profile file. */
export function loadPeerFile(path: string): PeerProfile {
  return parsePeerProfile(readProfileJson(path, 'peer profile', (m) => new PeerFileError(m)), path);
}
