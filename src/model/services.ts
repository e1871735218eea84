/**
 * Per-service effective settings: for every master.cf service that runs the
 * SMTP/LMTP client or the SMTP server, the main.cf model with that service's
 * `-o name=value` overrides applied, the way the daemon sees them.
 */
import type { MasterCfFile, MasterOverride, ServiceNode } from '../parser/master-cf.js';
import type { Range } from '../parser/types.js';
import type { ConfigModel } from './config.js';
import { isPrintedByPostconfN } from './catalogue/index.js';

export type ServiceRole = 'client-smtp' | 'client-lmtp' | 'server';

export interface ServiceOverride {
  readonly name: string;
  readonly value: string;
  /** The parsed `-o` option, with the ranges of the name, the value and the whole option. */
  readonly node: MasterOverride;
  readonly nameRange: Range;
  readonly valueRange: Range;
  readonly range: Range;
  readonly line: number;
  /** False when a later `-o` in the same entry sets the same name (the last one wins). */
  readonly effective: boolean;
  /**
   * Why the daemon ignores the setting, when it does: the SMTP client reads only
   * `smtp_*` names and the LMTP client only `lmtp_*` names (for their
   * protocol-specific settings), whatever the service is called.
   */
  readonly ignoredBecause?: 'lmtp-name-in-smtp-client' | 'smtp-name-in-lmtp-client' | 'client-name-in-server';
  /** postconf would warn "master.cf: unused parameter: name=value" (no built-in or referenced name). */
  readonly unusedWarning: boolean;
}

export interface ServiceModel {
  /** Field 1, e.g. "smtp", "relay", "submission", "127.0.0.1:10025". */
  readonly service: string;
  readonly type: string;
  /** Field 8 as written, e.g. "smtp" or "lmtp". */
  readonly command: string;
  readonly role: ServiceRole;
  /** Prefix of the protocol-specific parameters this process reads. */
  readonly prefix: 'smtp_' | 'lmtp_' | 'smtpd_';
  readonly node: ServiceNode;
  /** The main.cf model with the -o overrides applied ($name in values expands against both). */
  readonly model: ConfigModel;
  readonly overrides: readonly ServiceOverride[];
}

function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/**
 * The role of a daemon command, from the basename of field 8 (master(8) runs
 * daemon_directory/command). smtp(8) and lmtp(8) are one program that picks
 * its protocol from its own name.
 */
export function serviceRole(command: string): ServiceRole | undefined {
  switch (basename(command)) {
    case 'smtp':
      return 'client-smtp';
    case 'lmtp':
      return 'client-lmtp';
    case 'smtpd':
      return 'server';
    default:
      return undefined;
  }
}

function ignoredBecause(role: ServiceRole, name: string): ServiceOverride['ignoredBecause'] {
  if (role === 'client-smtp' && name.startsWith('lmtp_')) return 'lmtp-name-in-smtp-client';
  if (role === 'client-lmtp' && name.startsWith('smtp_')) return 'smtp-name-in-lmtp-client';
  if (role === 'server' && (name.startsWith('smtp_') || name.startsWith('lmtp_'))) return 'client-name-in-server';
  return undefined;
}

/** Approximates postconf's "unused parameter" check for one master.cf -o name. */
export function isUnusedMasterOverride(name: string, value: string, main: ConfigModel, master: MasterCfFile, service: ServiceNode): boolean {
  const fileParams = new Map<string, string>();
  for (const p of main.file.params) fileParams.set(p.name, p.value);
  if (!fileParams.has(name)) fileParams.set(name, value);
  return !isPrintedByPostconfN(name, fileParams, main.version, {
    masterServices: master.services.map((s) => ({ name: s.name, command: s.command })),
    masterOverrideValues: service.overrides.map((o) => o.value),
  });
}

export function serviceModel(mainModel: ConfigModel, master: MasterCfFile, service: ServiceNode): ServiceModel | undefined {
  const role = serviceRole(service.command);
  if (!role) return undefined;
  const lastIndex = new Map<string, number>();
  service.overrides.forEach((o, i) => lastIndex.set(o.name, i));
  const overrides = service.overrides.map((o, i): ServiceOverride => {
    const why = ignoredBecause(role, o.name);
    return {
      name: o.name,
      value: o.value,
      node: o,
      nameRange: o.nameRange,
      valueRange: o.valueRange,
      range: o.range,
      line: o.line,
      effective: lastIndex.get(o.name) === i,
      ...(why ? { ignoredBecause: why } : {}),
      unusedWarning: isUnusedMasterOverride(o.name, o.value, mainModel, master, service),
    };
  });
  const map = new Map<string, string>();
  for (const o of service.overrides) map.set(o.name, o.value);
  return {
    service: service.name,
    type: service.type,
    command: service.command,
    role,
    prefix: role === 'client-smtp' ? 'smtp_' : role === 'client-lmtp' ? 'lmtp_' : 'smtpd_',
    node: service,
    model: mainModel.withOverrides(map),
    overrides,
  };
}

/**
 * One entry per active master.cf service (the last definition of a name/type
 * pair) that runs smtp, lmtp or smtpd, in file order.
 */
export function serviceModels(mainModel: ConfigModel, master: MasterCfFile): ServiceModel[] {
  const out: ServiceModel[] = [];
  for (const s of master.services) {
    if (!s.active) continue;
    const m = serviceModel(mainModel, master, s);
    if (m) out.push(m);
  }
  return out;
}
