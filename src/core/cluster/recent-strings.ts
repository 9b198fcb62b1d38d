// Strings seen lately, so that equal strings made apart (the same log line printed by many
// containers, the same time written in many places, the same Service variables in every
// container's environment) are held once. Bounded, and emptied when full: what repeats is found
// again at once.

export class RecentStrings {
  private readonly seen = new Map<string, string>();

  constructor(private readonly limit = 4096) {}

  /** The string held for `s`, or `s` itself (in one piece) the first time. */
  get(s: string): string {
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    // A string joined from parts is a rope of them until read: reading a character flattens it.
    s.charCodeAt(0);
    if (this.seen.size >= this.limit) this.seen.clear();
    this.seen.set(s, s);
    return s;
  }
}
