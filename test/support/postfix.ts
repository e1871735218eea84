/** Oracles: the real postconf/postmap, when installed. Tests skip with a message otherwise. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync, utimesSync, readdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

let cached: boolean | undefined;
export function havePostconf(): boolean {
  if (cached === undefined) {
    const r = spawnSync('postconf', ['-h', 'mail_version'], { encoding: 'utf8' });
    cached = r.status === 0;
  }
  return cached;
}
export const NO_POSTCONF = 'postconf (Postfix) is not installed: differential test skipped; .ci/run installs it';

export function tempConfigDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptl-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
    // Postfix waits about a second before reading a file modified within the last second
    // ("hot" file); back-date the files so postconf answers at once.
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, name), past, past);
  }
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface PostconfRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Back-date every file in DIR: Postfix stalls about a second on files modified in the last second. */
export function backdate(dir: string): void {
  const past = new Date(Date.now() - 60_000);
  for (const name of readdirSync(dir)) {
    try {
      utimesSync(join(dir, name), past, past);
    } catch {
      // a dangling symlink or a vanished file: nothing to back-date
    }
  }
}

let canPinHostname: boolean | undefined;

/**
 * Whether postconf can run with a host name of our choosing: in a new UTS namespace
 * (`unshare --uts`, needs root, which CI has). postconf takes myhostname, mydomain and
 * myorigin from gethostname(); without this, tests compare with this machine's name.
 */
export function canRunWithHostname(): boolean {
  if (canPinHostname === undefined) {
    const r = spawnSync('unshare', ['--uts', 'sh', '-c', 'hostname pin-test.example && hostname'], { encoding: 'utf8' });
    canPinHostname = r.status === 0 && r.stdout.trim() === 'pin-test.example';
  }
  return canPinHostname;
}

/**
 * The command that runs `postconf ARGS` as if the machine were called `hostname`:
 * [command, argv]. Without a host name, or when that is impossible, plain postconf
 * (then `hostnameFor` tells which name postconf sees).
 */
export function postconfCommand(args: readonly string[], hostname?: string): [string, string[]] {
  if (hostname === undefined || !canRunWithHostname()) return ['postconf', [...args]];
  return ['unshare', ['--uts', 'sh', '-c', 'hostname "$0" && exec postconf "$@"', hostname, ...args]];
}

/** The host name postconf sees when asked to run with `wanted`. */
export function hostnameFor(wanted: string): string {
  return canRunWithHostname() ? wanted : hostname();
}

/** Run postconf -c DIR with args; output as binary strings. */
export function postconf(dir: string, args: string[]): PostconfRun {
  backdate(dir);
  const r = spawnSync('postconf', ['-c', dir, ...args], { encoding: 'latin1', env: { ...process.env, LANG: 'C' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** postconf -n output minus the config_directory line that -c adds. */
export function postconfLines(stdout: string, dir: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '' && l !== `config_directory = ${dir}`);
}
