/** Postfix release versions this linter models, oldest first. */
export const MODELLED_VERSIONS = ['2.11', '3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9', '3.10', '3.11'] as const;
export type ModelledVersion = (typeof MODELLED_VERSIONS)[number];
export const NEWEST_VERSION: ModelledVersion = '3.11';

// Rules compare versions thousands of times per file; a run sees only a handful of version strings.
const parsedVersions = new Map<string, readonly number[] | null>();

/** Parse "3.7", "3.7.11", "3.10-20250101" into numeric parts; null when malformed. */
export function parseVersion(v: string): readonly number[] | null {
  const cached = parsedVersions.get(v);
  if (cached !== undefined) return cached;
  const m = /^(\d{1,4})(?:\.(\d{1,4}))?(?:\.(\d{1,4}))?(?:[-.][0-9A-Za-z]{1,20})?$/.exec(v.trim());
  const parts = m ? Object.freeze([Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)]) : null;
  if (parsedVersions.size >= 256) parsedVersions.clear(); // bounded: versions may come from user input
  parsedVersions.set(v, parts);
  return parts;
}

/** Numeric comparison of dotted versions: -1, 0, 1. Malformed versions sort lowest. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a) ?? [-1];
  const pb = parseVersion(b) ?? [-1];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function versionAtLeast(v: string, min: string): boolean {
  return compareVersions(v, min) >= 0;
}

/** The modelled release line a concrete version belongs to ("3.7.11" -> "3.7"); null when outside the model. */
export function releaseLine(v: string): ModelledVersion | null {
  const p = parseVersion(v);
  if (!p) return null;
  const line = `${p[0]}.${p[1]}`;
  if ((MODELLED_VERSIONS as readonly string[]).includes(line)) return line as ModelledVersion;
  if (compareVersions(line, NEWEST_VERSION) > 0) return NEWEST_VERSION;
  return null;
}
