/**
 * Which Postfix version to model when the user does not say: the installed
 * postconf's mail_version when there is one (the single tolerated run-time call
 * to Postfix), else the newest modelled release.
 */
import { spawnSync } from 'node:child_process';
import { NEWEST_VERSION, parseVersion, releaseLine } from '../model/version.js';

export type VersionSource = 'option' | 'postconf' | 'newest';

export function detectInstalledPostfixVersion(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.POSTFIX_TLS_LINT_NO_POSTCONF) return undefined;
  for (const bin of ['postconf', '/usr/sbin/postconf']) {
    try {
      const r = spawnSync(bin, ['-h', 'mail_version'], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] });
      const v = (r.stdout ?? '').trim();
      if (r.status === 0 && parseVersion(v)) return v;
    } catch {
      // not installed: fall through
    }
  }
  return undefined;
}

export function choosePostfixVersion(
  requested: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { version: string; source: VersionSource } {
  if (requested) return { version: requested, source: 'option' };
  const installed = detectInstalledPostfixVersion(env);
  if (installed && releaseLine(installed)) return { version: installed, source: 'postconf' };
  return { version: NEWEST_VERSION, source: 'newest' };
}
