/**
 * Which Postfix version to model when the user does not say: the installed
 * postconf's mail_version when there is one (the single tolerated run-time call
 * to Postfix), else the newest modelled release.
 */
import { NEWEST_VERSION, parseVersion, releaseLine } from '../model/version.js';
import { installedPostfix } from './installed-postfix.js';

export type VersionSource = 'option' | 'postconf' | 'newest';

export function detectInstalledPostfixVersion(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const v = installedPostfix(env).mailVersion;
  return v && parseVersion(v) ? v : undefined;
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
