/**
 * What the CLI found at a path the configuration names (certificate, key,
 * CA file or CA directory): the bytes and the lstat/stat facts, or why
 * there is nothing. Plain data; the CLI builds it (src/cli/tls-files.ts),
 * the core only reads it.
 */

export interface FileOwner {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** User and group names when the CLI could look them up. */
  readonly user?: string;
  readonly group?: string;
}

/** A symbolic link met while resolving the path. */
export interface PathLink {
  readonly path: string;
  readonly target: string;
}

export interface DirectoryEntry {
  readonly name: string;
  readonly type: 'file' | 'symlink' | 'directory' | 'other';
  /**
   * Bytes of the entry (hash links and certificate files, size-limited), undefined when not read. The CLI
   * may supply them as a memoized getter that reads on first use (a big CApath is mostly never looked at).
   */
  readonly bytes?: Uint8Array;
}

interface Located {
  /** The path as the configuration names it (absolute). */
  readonly path: string;
  /** Where it was read, as shown to the user (under --root, or a copy beside main.cf). */
  readonly shown: string;
  /** Symbolic links followed on the way (the path itself or a directory above it). */
  readonly links: readonly PathLink[];
}

export type FileFacts =
  | (Located & {
      readonly kind: 'file';
      readonly bytes: Uint8Array;
      readonly stat: FileOwner;
      readonly realpath: string;
      /** The directories above realpath, outermost first (for who can reach the file). */
      readonly ancestors: readonly FileOwner[];
    })
  | (Located & {
      readonly kind: 'directory';
      readonly stat: FileOwner;
      readonly realpath: string;
      readonly entries: readonly DirectoryEntry[];
      /** More entries than the CLI reads. */
      readonly truncated: boolean;
    })
  /** Nothing there (or a dangling symbolic link). */
  | (Located & { readonly kind: 'missing'; readonly reason: string })
  /** There, but this run could not read it (permission); stat facts when lstat worked. */
  | (Located & {
      readonly kind: 'unreadable';
      readonly reason: string;
      readonly stat?: FileOwner;
      readonly realpath?: string;
      readonly ancestors?: readonly FileOwner[];
    })
  /** A FIFO, socket or device. */
  | (Located & { readonly kind: 'special'; readonly reason: string });

/** Files by the absolute path the configuration names. */
export type FileStore = ReadonlyMap<string, FileFacts>;
