/**
 * Writes a file in place without ever leaving it half-written: temporary file
 * in the same directory, fsync, rename. Keeps mode and owner, and writes
 * through a symlink to its target instead of replacing the link.
 */
import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export function writeFileAtomic(path: string, data: Buffer): void {
  const target = realpathSync(path);
  const st = statSync(target);
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.postfix-tls-lint-${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', st.mode & 0o7777);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fchmodSync(fd, st.mode & 0o7777);
    try {
      fchownSync(fd, st.uid, st.gid);
    } catch {
      // Not root: the file keeps our uid; mode is still preserved.
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, target);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directory fsync is best effort (not supported everywhere).
  }
}
