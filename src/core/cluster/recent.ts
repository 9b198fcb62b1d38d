// What was seen lately, kept so that equal values made apart are held once: a bounded map that
// forgets everything at once when full. What repeats is found again at once, while the many
// values that never repeat (a pod's own IP, its own status tree) cost nothing once forgotten,
// with no weak reference or finaliser per entry, which would cost more than most entries do.

export class RecentMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.limit && !this.map.has(key)) this.map.clear();
    this.map.set(key, value);
  }
}

/**
 * The string in one piece: a string joined from parts is a rope of them until read, and reading
 * a character flattens it. For strings kept long (as long as an object is stored or a pod runs).
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/**
 * Strings seen lately, so that equal strings made apart (the same log line printed by many
 * containers, the same time written in many places, the same Service variables in every
 * container's environment) are held once.
 */
export class RecentStrings {
  private readonly seen: RecentMap<string, string>;

  constructor(limit = 4096) {
    this.seen = new RecentMap(limit);
  }

  /** The string held for `s`, or `s` itself (in one piece) the first time. */
  get(s: string): string {
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    this.seen.set(s, flat(s));
    return s;
  }
}
