/**
 * Bounded memo for pure functions whose results callers treat as read-only.
 * A fleet run parses the same few values (defaults, common settings) in
 * thousands of files; caching them is what makes such runs fast. The cache is
 * dropped when full, so hostile input cannot grow memory without bound.
 */
export function boundedMemo<A extends unknown[], R>(fn: (...args: A) => R, keyOf: (...args: A) => string, limit = 512): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args: A): R => {
    const key = keyOf(...args);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const result = fn(...args);
    if (cache.size >= limit) cache.clear();
    cache.set(key, result);
    return result;
  };
}

/** Freeze an object and its directly held arrays, so that a caller mutating a shared cached result fails loudly. */
export function freezeShallow<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (Array.isArray(v)) Object.freeze(v);
  return Object.freeze(value);
}
