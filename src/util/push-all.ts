/** target.push(...items) without spreading: a spread of ~100,000 items overflows the call stack. */
export function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
