/**
 * Reads the certificate, key and CA files the configuration names (edge
 * I/O): bytes, mode, owner and group, the symbolic links on the way, the
 * real path and who can traverse the directories above it; the entries of
 * CA directories. With --root DIR, absolute paths (and absolute symlink
 * targets) resolve under DIR, like a chroot; otherwise a path under
 * /etc/postfix is first looked for beside the linted main.cf, like policy
 * tables. The core gets plain FileFacts (src/certs/file-facts.ts).
 */
import { lstatSync, readFileSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import type { DirectoryEntry, FileFacts, FileOwner, FileStore, PathLink } from '../certs/file-facts.js';
import { resolveTablePath } from '../policy/table-ref.js';
import { describeFsError } from './io.js';

export interface TlsFileReadOptions {
  /** --root DIR (absolute), or null. */
  readonly root: string | null;
  /** The linted main.cf's directory (a copy of /etc/postfix), or null. */
  readonly configDir: string | null;
  /** How a host path is shown to the user. */
  readonly shown: (hostPath: string) => string;
}

/** Largest file read whole (a CA bundle is a few hundred kB). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_DIR_ENTRIES = 4096;
const MAX_ENTRY_BYTES = 256 * 1024;
const MAX_LINKS = 40;
/** Names OpenSSL looks up in a CApath (subject hash . n, CRLs . rn), and certificate files. */
const HASH_NAME = /^[0-9a-f]{8}\.r?\d+$/;
const CERT_NAME = /\.(pem|crt|cer)$/i;

interface Resolved {
  /** The file on this machine (under the root). */
  readonly host: string;
  /** The resolved path as Postfix would see it (without the root). */
  readonly real: string;
  readonly links: PathLink[];
  readonly stat?: Stats;
  readonly error?: NodeJS.ErrnoException;
}

function hostPath(root: string | null, p: string): string {
  return root ? posix.join(root, p) : p;
}

/** Follow the path component by component, symlinks included, staying under `root`. */
function resolveUnder(root: string | null, path: string): Resolved {
  const links: PathLink[] = [];
  let pending = path.split('/').filter((c) => c !== '' && c !== '.');
  let current = '/';
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '..') {
      current = posix.dirname(current);
      continue;
    }
    const next = posix.join(current, part);
    let st: Stats;
    try {
      st = lstatSync(hostPath(root, next));
    } catch (e) {
      return { host: hostPath(root, posix.join(next, ...pending)), real: posix.join(next, ...pending), links, error: e as NodeJS.ErrnoException };
    }
    if (st.isSymbolicLink()) {
      if (++hops > MAX_LINKS) return { host: hostPath(root, next), real: next, links, error: Object.assign(new Error('ELOOP'), { code: 'ELOOP' }) };
      const target = readlinkSync(hostPath(root, next));
      links.push({ path: next, target });
      pending = [...target.split('/').filter((c) => c !== '' && c !== '.'), ...pending];
      current = target.startsWith('/') ? '/' : current;
      continue;
    }
    if (pending.length > 0 && !st.isDirectory()) {
      return { host: hostPath(root, next), real: posix.join(next, ...pending), links, error: Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' }) };
    }
    current = next;
    if (pending.length === 0) return { host: hostPath(root, current), real: current, links, stat: st };
  }
  const st = lstatSync(hostPath(root, current));
  return { host: hostPath(root, current), real: current, links, stat: st };
}

/** User and group names from DIR/etc/passwd and DIR/etc/group (the root's own). */
class Names {
  private users: Map<number, string> | null = null;
  private groups: Map<number, string> | null = null;
  constructor(private readonly root: string | null) {}
  private table(file: string): Map<number, string> {
    const m = new Map<number, string>();
    try {
      for (const line of readFileSync(hostPath(this.root, file), 'utf8').split('\n')) {
        const f = line.split(':');
        if (f.length >= 3 && /^\d+$/.test(f[2]) && !m.has(Number(f[2]))) m.set(Number(f[2]), f[0]);
      }
    } catch {
      // no such file: numbers only
    }
    return m;
  }
  owner(st: Stats): FileOwner {
    this.users ??= this.table('/etc/passwd');
    this.groups ??= this.table('/etc/group');
    const user = this.users.get(st.uid);
    const group = this.groups.get(st.gid);
    return { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, ...(user ? { user } : {}), ...(group ? { group } : {}) };
  }
}

function ancestors(root: string | null, real: string, names: Names): FileOwner[] {
  const out: FileOwner[] = [];
  let dir = posix.dirname(real);
  const chain: string[] = [];
  while (true) {
    chain.unshift(dir);
    if (dir === '/') break;
    dir = posix.dirname(dir);
  }
  for (const d of chain) {
    try {
      out.push(names.owner(lstatSync(hostPath(root, d))));
    } catch {
      // unreadable directory: leave it out
    }
  }
  return out;
}

/**
 * The bytes of a hash link or certificate file in a CA directory, read on first use: a rule usually stops
 * at the first CA certificate, and a CApath such as /etc/ssl/certs holds hundreds of links whose path
 * walks and reads cost tens of milliseconds at start-up. Plain data to the core (a memoized property).
 */
function lazyBytes(root: string | null, path: string): () => Uint8Array | undefined {
  let done = false;
  let bytes: Uint8Array | undefined;
  return () => {
    if (done) return bytes;
    done = true;
    const r = resolveUnder(root, path);
    if (r.stat?.isFile() && r.stat.size <= MAX_ENTRY_BYTES) {
      try {
        bytes = new Uint8Array(readFileSync(r.host));
      } catch {
        bytes = undefined;
      }
    }
    return bytes;
  };
}

function readEntries(root: string | null, real: string): { entries: DirectoryEntry[]; truncated: boolean } {
  const list = readdirSync(hostPath(root, real), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries: DirectoryEntry[] = [];
  for (const d of list.slice(0, MAX_DIR_ENTRIES)) {
    const type: DirectoryEntry['type'] = d.isSymbolicLink() ? 'symlink' : d.isFile() ? 'file' : d.isDirectory() ? 'directory' : 'other';
    const entry: DirectoryEntry = { name: d.name, type };
    if ((type === 'file' || type === 'symlink') && (HASH_NAME.test(d.name) || CERT_NAME.test(d.name))) {
      Object.defineProperty(entry, 'bytes', { get: lazyBytes(root, posix.join(real, d.name)), enumerable: true });
    }
    entries.push(entry);
  }
  return { entries, truncated: list.length > MAX_DIR_ENTRIES };
}

/**
 * What was read per host path in this process, while the file is unchanged: a
 * fleet of configurations naming the same CA bundle or directory reads it once
 * (and the certificate parser's memo, by byte array, then parses it once).
 */
const contentCache = new Map<string, { readonly stamp: string; readonly bytes?: Uint8Array; readonly listing?: { entries: DirectoryEntry[]; truncated: boolean } }>();

function stampOf(st: Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

function cachedBytes(host: string, st: Stats): Uint8Array {
  const hit = contentCache.get(host);
  if (hit?.bytes && hit.stamp === stampOf(st)) return hit.bytes;
  const bytes = new Uint8Array(readFileSync(host));
  contentCache.set(host, { stamp: stampOf(st), bytes });
  return bytes;
}

function cachedEntries(root: string | null, real: string, st: Stats): { entries: DirectoryEntry[]; truncated: boolean } {
  const host = hostPath(root, real);
  const hit = contentCache.get(host);
  if (hit?.listing && hit.stamp === stampOf(st)) return hit.listing;
  const listing = readEntries(root, real);
  contentCache.set(host, { stamp: stampOf(st), listing });
  return listing;
}

function factsAt(path: string, r: Resolved, wantDirectory: boolean, opts: TlsFileReadOptions, names: Names): FileFacts {
  const shown = opts.shown(r.host);
  const base = { path, shown, links: r.links };
  if (r.error || !r.stat) {
    const code = r.error?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ...base, kind: 'missing', reason: r.links.length > 0 ? `a symbolic link on the way points to ${r.real}, which does not exist` : '' };
    return { ...base, kind: 'unreadable', reason: describeFsError(shown, r.error).replace(`${shown}: `, '') };
  }
  const st = r.stat;
  const owner = names.owner(st);
  if (st.isDirectory()) {
    if (!wantDirectory) return { ...base, kind: 'directory', stat: owner, realpath: r.real, entries: [], truncated: false };
    try {
      return { ...base, kind: 'directory', stat: owner, realpath: r.real, ...cachedEntries(opts.root, r.real, st) };
    } catch (e) {
      return { ...base, kind: 'unreadable', reason: describeFsError(shown, e).replace(`${shown}: `, ''), stat: owner, realpath: r.real };
    }
  }
  if (!st.isFile()) return { ...base, kind: 'special', reason: st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device' };
  const above = ancestors(opts.root, r.real, names);
  if (st.size > MAX_FILE_BYTES) return { ...base, kind: 'unreadable', reason: `larger than ${MAX_FILE_BYTES} bytes, not read`, stat: owner, realpath: r.real, ancestors: above };
  try {
    return { ...base, kind: 'file', bytes: cachedBytes(r.host, st), stat: owner, realpath: r.real, ancestors: above };
  } catch (e) {
    return { ...base, kind: 'unreadable', reason: describeFsError(shown, e).replace(`${shown}: `, ''), stat: owner, realpath: r.real, ancestors: above };
  }
}

/** Read every needed path; a path is looked for at its candidates (see the module comment), the first that exists wins. */
const namesByRoot = new Map<string | null, Names>();

/** Forget file contents and user/group names read so far (see cli/forget-machine-facts.ts). */
export function forgetTlsFileContents(): void {
  contentCache.clear();
  namesByRoot.clear();
}

export function readTlsFiles(needed: { readonly files: readonly string[]; readonly directories: readonly string[] }, opts: TlsFileReadOptions): FileStore {
  let names = namesByRoot.get(opts.root);
  if (!names) {
    names = new Names(opts.root);
    namesByRoot.set(opts.root, names);
  }
  const store = new Map<string, FileFacts>();
  const read = (path: string, directory: boolean, names: Names) => {
    if (store.has(path)) return;
    const candidates = opts.root ? [path] : resolveTablePath(path, opts.configDir).candidates;
    let first: FileFacts | null = null;
    for (const c of candidates) {
      const facts = factsAt(path, resolveUnder(opts.root, c), directory, opts, names);
      first ??= facts;
      if (facts.kind !== 'missing') {
        store.set(path, facts);
        return;
      }
    }
    store.set(path, first ?? { path, shown: path, links: [], kind: 'missing', reason: '' });
  };
  for (const f of needed.files) if (f !== '') read(f, false, names);
  for (const d of needed.directories) read(d, true, names);
  return store;
}
