/**
 * The machine as a Postfix program on it sees it (host name, interface addresses, process id),
 * read here at the edge and handed to the model as data (src/model/environment.ts).
 * --hostname replaces the machine's host name, for reproducible runs.
 */
import { hostname as osHostname, networkInterfaces } from 'node:os';
import type { InterfaceAddress, PostfixEnvironment } from '../model/environment.js';

/** Why a --hostname value is unusable (Postfix's get_hostname() would stop on it), or null. */
export function hostnameProblem(name: string): string | null {
  if (name === '' || name.length > 255) return `--hostname "${name}" must be 1 to 255 characters`;
  if (!/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name) || name.includes('..')) return `--hostname "${name}" is not a valid host name`;
  return null;
}

let interfaces: readonly InterfaceAddress[] | undefined;

/** Local interface addresses in the machine's order (Postfix lists every configured address). */
function machineInterfaces(): readonly InterfaceAddress[] {
  if (!interfaces) {
    const list: InterfaceAddress[] = [];
    try {
      for (const addrs of Object.values(networkInterfaces())) {
        for (const a of addrs ?? []) {
          const prefixLength = Number(a.cidr?.split('/')[1]);
          if (Number.isInteger(prefixLength)) list.push({ family: a.family, address: a.address, prefixLength });
        }
      }
    } catch {
      // no interface list (sandbox): mynetworks falls back to loopback
    }
    interfaces = list.length > 0 ? list : undefined;
  }
  return interfaces ?? [];
}

const byHostname = new Map<string | undefined, PostfixEnvironment>();

/** Forget the host name and interfaces read so far (see cli/forget-machine-facts.ts). */
export function forgetMachineEnvironment(): void {
  byHostname.clear();
  interfaces = undefined;
}

/** The environment of a run: this machine, its host name or --hostname, and the main.cf's directory. */
export function cliEnvironment(hostname: string | undefined, configDirectory?: string): PostfixEnvironment {
  // One object per host name, so that models built for the same run share (and cache on) it.
  if (configDirectory === undefined) {
    let env = byHostname.get(hostname);
    if (!env) {
      env = machineEnvironment(hostname);
      if (byHostname.size < 16) byHostname.set(hostname, env);
    }
    return env;
  }
  return machineEnvironment(hostname, configDirectory);
}

function machineEnvironment(hostname: string | undefined, configDirectory?: string): PostfixEnvironment {
  return {
    hostname: hostname ?? osHostname(),
    // Read when mynetworks is first computed, not on every run.
    interfaces: () => {
      const ifs = machineInterfaces();
      return ifs.length > 0 ? ifs : undefined;
    },
    processId: process.pid,
    ...(configDirectory !== undefined ? { configDirectory } : {}),
  };
}
