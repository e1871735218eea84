/**
 * Per-process state for the log readers, looked up by pid for every line of a
 * large log: a Map keyed by the number (no key string to build and hash), the
 * syslog host and name checked on each hit; a pid seen with another host or
 * name (a log gathered from several machines) goes to a second table. When
 * the table is full its older half is handed to `evict` in one pass (evicting
 * one entry at a time from the front of a Map costs a scan over the deleted
 * slots each time). Pure.
 */
interface Slot<T> {
  readonly host: string;
  readonly program: string;
  readonly state: T;
}

export class ProcessTable<T> {
  private readonly byPid = new Map<number, Slot<T>>();
  private readonly collisions = new Map<string, Slot<T>>();

  constructor(private readonly max: number, private readonly create: () => T, private readonly evict: (state: T, program: string) => void) {}

  get(host: string, pid: number, program: string): T {
    const slot = this.byPid.get(pid);
    if (slot && slot.host === host && slot.program === program) return slot.state;
    if (!slot) {
      if (this.byPid.size >= this.max) this.evictOldest(this.byPid);
      const s: Slot<T> = { host, program, state: this.create() };
      this.byPid.set(pid, s);
      return s.state;
    }
    const key = `${host} ${pid} ${program}`;
    let other = this.collisions.get(key);
    if (!other) {
      if (this.collisions.size >= this.max) this.evictOldest(this.collisions);
      other = { host, program, state: this.create() };
      this.collisions.set(key, other);
    }
    return other.state;
  }

  /** The state of a process if it is known (no entry is made). */
  find(host: string, pid: number, program: string): T | undefined {
    const slot = this.byPid.get(pid);
    if (slot && slot.host === host && slot.program === program) return slot.state;
    return this.collisions.get(`${host} ${pid} ${program}`)?.state;
  }

  remove(host: string, pid: number, program: string): void {
    const slot = this.byPid.get(pid);
    if (slot && slot.host === host && slot.program === program) this.byPid.delete(pid);
    else this.collisions.delete(`${host} ${pid} ${program}`);
  }

  /** Every process, with its syslog name (for the end of input). */
  *all(): Generator<[T, string]> {
    for (const s of this.byPid.values()) yield [s.state, s.program];
    for (const s of this.collisions.values()) yield [s.state, s.program];
  }

  private evictOldest<K>(map: Map<K, Slot<T>>): void {
    let n = Math.max(1, map.size >> 1);
    for (const [key, slot] of map) {
      if (n-- <= 0) break;
      map.delete(key);
      this.evict(slot.state, slot.program);
    }
  }
}
