/**
 * Compatibility wrappers over the lossless master.cf parser (master-cf.ts):
 * which services are active (not commented out) and which command each runs.
 */
import { parseMasterCf } from './master-cf.js';

export interface MasterService {
  readonly name: string;
  readonly type: string;
  readonly command: string;
  readonly line: number;
}

/** Service entries with at least the 8 fields, in file order. */
export function listMasterServices(text: string): MasterService[] {
  return parseMasterCf(text).services.map((s) => ({ name: s.name, type: s.type, command: s.command, line: s.line }));
}

export function hasActiveTlsproxy(text: string, serviceName = 'tlsproxy'): boolean {
  return listMasterServices(text).some((s) => s.command === 'tlsproxy' || (s.name === serviceName && s.type === 'unix'));
}
