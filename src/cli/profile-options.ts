/** The profiles a command's --NAME ID / --NAME-file FILE options choose (peers, clients). */
export interface ProfileSource<T> {
  /** "peer" or "client", for messages. */
  readonly what: string;
  readonly find: (id: string) => T | undefined;
  readonly all: () => readonly { readonly id: string }[];
  readonly load: (file: string) => T;
  /** The loader's own error for a bad file (reported as a usage error); anything else is rethrown. */
  readonly isFileError: (e: unknown) => e is Error;
}

/** The chosen profiles in order (shipped ids first, then files), or the usage error to report. */
export function chooseProfiles<T>(ids: readonly string[], files: readonly string[], source: ProfileSource<T>): T[] | { readonly error: string } {
  const out: T[] = [];
  for (const id of ids) {
    const p = source.find(id);
    if (!p) return { error: `unknown ${source.what} "${id}"; valid ${source.what}s: ${source.all().map((x) => x.id).join(', ')}` };
    out.push(p);
  }
  for (const file of files) {
    try {
      out.push(source.load(file));
    } catch (e) {
      if (source.isFileError(e)) return { error: e.message };
      throw e;
    }
  }
  return out;
}
