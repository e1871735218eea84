/**
 * What a directory walk saw, so later steps of the same run can answer
 * "is there a master.cf / .postfix-tls-lint.json / .git here?" without a
 * stat per file (a 10,000-file tree otherwise costs tens of thousands of
 * syscalls). Only plain files and directories are recorded as such; anything
 * else (symlinks, FIFOs) is 'other', and callers then ask the file system.
 * A listing belongs to one run: build a new one per run, never keep it.
 */
export type EntryKind = 'file' | 'dir' | 'other';

export class DirListings {
  private readonly byDir = new Map<string, Map<string, EntryKind>>();

  record(dir: string, entries: Iterable<{ readonly name: string; isFile(): boolean; isDirectory(): boolean }>): void {
    const m = new Map<string, EntryKind>();
    for (const e of entries) m.set(e.name, e.isFile() ? 'file' : e.isDirectory() ? 'dir' : 'other');
    this.byDir.set(dir, m);
  }

  /** The recorded listings as plain data (a Map of Maps survives structured cloning to a worker thread). */
  snapshot(): ReadonlyMap<string, ReadonlyMap<string, EntryKind>> {
    return this.byDir;
  }

  static fromSnapshot(byDir: ReadonlyMap<string, ReadonlyMap<string, EntryKind>>): DirListings {
    const listings = new DirListings();
    for (const [dir, m] of byDir) listings.byDir.set(dir, m as Map<string, EntryKind>);
    return listings;
  }

  /** The kind of dir/name as listed; 'absent' when the listing lacks it; undefined when dir was not listed. */
  kind(dir: string, name: string): EntryKind | 'absent' | undefined {
    const m = this.byDir.get(dir);
    if (!m) return undefined;
    return m.get(name) ?? 'absent';
  }
}
