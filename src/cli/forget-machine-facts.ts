/**
 * Drops what a run learned about this machine and remembers for the process: the host name and
 * interfaces, the installed postconf's answer, certificate-file contents and user/group names.
 * The startup snapshot (scripts/snapshot.mjs) calls it after its warm-up lint, so that no fact of
 * the build machine is frozen into the blob; each run then reads them afresh.
 */
import { forgetMachineEnvironment } from './environment.js';
import { forgetInstalledPostfix } from './installed-postfix.js';
import { forgetTlsFileContents } from './tls-files.js';

export function forgetMachineFacts(): void {
  forgetMachineEnvironment();
  forgetInstalledPostfix();
  forgetTlsFileContents();
}
