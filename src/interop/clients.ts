/**
 * Client profiles: the shipped ones in data/clients/*.json and user files.
 * Edge I/O lives here and stays small; the inbound predictor is pure.
 *
 * User files are read leniently, like peer files: enum values in any case,
 * OpenSSL group aliases (X25519, P-256, prime256v1, secp256r1), and
 * confidence / sources may be left out (then "low" and the file name).
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { compileProfileSchema, pickDefaults, readProfileJson, readShippedProfiles } from './profile-file.js';
import { describeSchemaErrors, unknownCipherNames } from './peers.js';
import { normaliseGroup, normaliseProtocol } from './profile-normalise.js';
import type { ClientProfile } from './client-types.js';

/**
 * The clients inbound checks use when the user names none: TLS 1.0-era and
 * current senders to the MX (Exchange 2010 on 2008 R2, Exchange 2016 and
 * 2019 on their Windows defaults, Exchange Online, Gmail, a Postfix with
 * OpenSSL 3), and the submission clients people actually run into (Outlook
 * 2010 on Windows 7, a current Thunderbird, a TLS 1.0-only printer, a Java 8
 * mailer). Each one is used against the services of its kind (sendsTo).
 */
export const DEFAULT_CLIENT_IDS: readonly string[] = [
  'exchange-2010-ws2008r2',
  'exchange-2016-ws2016',
  'exchange-2019-ws2019',
  'exchange-online',
  'gmail',
  'postfix-openssl3',
  'outlook-2010-win7',
  'thunderbird-current',
  'printer-tls10',
  'java-8-mailer',
];

export class ClientFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientFileError';
  }
}

let builtinCache: ClientProfile[] | undefined;
let validator: ValidateFunction | undefined;

/** Every shipped profile, sorted by id. */
export function loadBuiltinClients(): readonly ClientProfile[] {
  if (builtinCache) return builtinCache;
  builtinCache = readShippedProfiles<ClientProfile>('clients');
  return builtinCache;
}

export function findBuiltinClient(id: string): ClientProfile | undefined {
  return loadBuiltinClients().find((c) => c.id === id);
}

export function defaultClients(): readonly ClientProfile[] {
  return pickDefaults(DEFAULT_CLIENT_IDS, findBuiltinClient, 'clients');
}

export function clientValidator(): ValidateFunction {
  validator ??= compileProfileSchema('client-profile.schema.json');
  return validator;
}

const LOWER_ENUMS = ['kind', 'sendsTo', 'starttls', 'onTlsFailure', 'confidence'];

/** Protocol and group spellings are read as for peer files (profile-normalise); unknown ones pass to the schema. */
const canonicalProtocol = (v: unknown): unknown => (typeof v === 'string' ? normaliseProtocol(v) ?? v : v);
const canonicalGroup = (v: unknown): unknown => (typeof v === 'string' ? normaliseGroup(v) ?? v : v);

/** Case-insensitive enums and group aliases, before schema validation; other values pass unchanged. */
export function normaliseClientJson(json: unknown, shownPath: string): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const o: Record<string, unknown> = { ...(json as Record<string, unknown>) };
  for (const k of LOWER_ENUMS) if (typeof o[k] === 'string') o[k] = (o[k] as string).toLowerCase();
  if (o.sendsTo === 'submissions') o.sendsTo = 'submission';
  // Spellings of the same item (TLSv1 / TLSv1.0, P-256 / prime256v1) collapse into one.
  if (Array.isArray(o.protocols)) o.protocols = [...new Set(o.protocols.map(canonicalProtocol))];
  if (Array.isArray(o.groups)) o.groups = [...new Set(o.groups.map(canonicalGroup))];
  if (o.confidence === undefined) o.confidence = 'low';
  if (o.sources === undefined) o.sources = [`${shownPath} (no sources given)`];
  return o;
}

/** Validate parsed JSON as a client profile; throws ClientFileError naming each bad field. */
export function parseClientProfile(json: unknown, shownPath: string): ClientProfile {
  const normalised = normaliseClientJson(json, shownPath);
  const validate = clientValidator();
  if (!validate(normalised)) {
    throw new ClientFileError(`${shownPath}: not a valid client profile:\n  ${describeSchemaErrors(validate.errors ?? []).join('\n  ')}`);
  }
  const client = normalised as ClientProfile;
  const problems = unknownCipherNames(client);
  if (problems.length > 0) throw new ClientFileError(`${shownPath}: not a valid client profile:\n  ${problems.join('\n  ')}`);
  return client;
}

/** Read and validate one client profile file. */
export function loadClientFile(path: string): ClientProfile {
  return parseClientProfile(readProfileJson(path, 'client profile', (m) => new ClientFileError(m)), path);
}
