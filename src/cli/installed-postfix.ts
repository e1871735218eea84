/**
 * The one tolerated run-time call to Postfix: `postconf -h mail_version
 * config_directory`, to pick the version to model and to tell a live
 * configuration (the directory Postfix itself reads) from a copy. Works
 * without Postfix (both unknown) and with POSTFIX_TLS_LINT_NO_POSTCONF set.
 * Asked once per process.
 */
import { spawnSync } from 'node:child_process';

export interface InstalledPostfix {
  readonly mailVersion?: string;
  readonly configDirectory?: string;
}

let cached: { readonly key: string; readonly value: InstalledPostfix } | undefined;

/** Forget the answer (see cli/forget-machine-facts.ts). */
export function forgetInstalledPostfix(): void {
  cached = undefined;
}

export function installedPostfix(env: Readonly<Record<string, string | undefined>>): InstalledPostfix {
  const key = `${env.POSTFIX_TLS_LINT_NO_POSTCONF ?? ''}\0${env.PATH ?? ''}`;
  if (cached?.key === key) return cached.value;
  let value: InstalledPostfix = {};
  if (!env.POSTFIX_TLS_LINT_NO_POSTCONF) {
    for (const bin of ['postconf', '/usr/sbin/postconf']) {
      try {
        const r = spawnSync(bin, ['-h', 'mail_version', 'config_directory'], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } });
        if (r.status !== 0) continue;
        const [mailVersion, configDirectory] = (r.stdout ?? '').split('\n').map((s) => s.trim());
        value = { ...(mailVersion ? { mailVersion } : {}), ...(configDirectory?.startsWith('/') ? { configDirectory } : {}) };
        break;
      } catch {
        // not installed: try the next, else unknown
      }
    }
  }
  cached = { key, value };
  return value;
}
