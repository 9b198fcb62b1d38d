// A FIFO semaphore: at most `size` jobs run at once, and waiters are served in the order they came.
export class Slots {
  private busy = 0;
  private readonly queue: Array<() => void> = [];
  constructor(private readonly size: number) {}

  async take(): Promise<() => void> {
    if (this.busy >= this.size) await new Promise<void>((r) => this.queue.push(r));
    else this.busy++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next();
      else this.busy--;
    };
  }

  /** Runs fn in a slot, giving the slot back however fn ends. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.take();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

export interface FairSlotsOptions {
  /** Jobs holding a slot at once (the CPU they may share). */
  size: number;
  /**
   * A job gives its slot back after this long even if it is still running: by then it is waiting
   * (on a watch, a rollout, a timeout), not computing, and must not hold others back.
   */
  leaseMs: number;
  /** Jobs running at once, in a slot or past their lease (the memory they may share). */
  maxRunning: number;
  /** Jobs one owner may have running at once. */
  perOwner: number;
}

/**
 * Slots shared fairly between owners (learners): waiters are served owner by owner in turn, not
 * in the order they came, so one owner's burst or slow commands never hold another's back.
 */
export class FairSlots {
  private holding = 0;
  private running = 0;
  private readonly runningBy = new Map<string, number>();
  /** Owners with jobs waiting, in the order they first came. */
  private readonly waiting = new Map<string, Array<() => void>>();
  /** When each owner was last served, as a serial number. */
  private readonly served = new Map<string, number>();
  private serial = 0;

  constructor(private readonly opts: FairSlotsOptions) {}

  run<T>(owner: string, fn: () => Promise<T>): Promise<T> {
    return new Promise<void>((start) => {
      const q = this.waiting.get(owner);
      if (q) q.push(start);
      else this.waiting.set(owner, [start]);
      this.dispatch();
    }).then(async () => {
      let holding = true;
      const giveBack = () => {
        if (!holding) return;
        holding = false;
        this.holding--;
        this.dispatch();
      };
      const lease = setTimeout(giveBack, this.opts.leaseMs);
      lease.unref();
      try {
        return await fn();
      } finally {
        clearTimeout(lease);
        this.running--;
        const n = (this.runningBy.get(owner) ?? 1) - 1;
        if (n) this.runningBy.set(owner, n);
        else this.runningBy.delete(owner);
        if (holding) giveBack();
        else this.dispatch();
      }
    });
  }

  private dispatch(): void {
    while (this.holding < this.opts.size && this.running < this.opts.maxRunning) {
      // The waiting owner with the fewest jobs running goes first; between equals, the one served
      // least recently: a learner's third command waits behind another's first.
      let best: string | undefined;
      for (const o of this.waiting.keys()) {
        const n = this.runningBy.get(o) ?? 0;
        if (n >= this.opts.perOwner) continue;
        if (best === undefined) best = o;
        else {
          const m = this.runningBy.get(best) ?? 0;
          if (n < m || (n === m && (this.served.get(o) ?? -1) < (this.served.get(best) ?? -1))) best = o;
        }
      }
      if (best === undefined) return;
      const q = this.waiting.get(best)!;
      const start = q.shift()!;
      if (!q.length) this.waiting.delete(best);
      this.served.set(best, ++this.serial);
      this.holding++;
      this.running++;
      this.runningBy.set(best, (this.runningBy.get(best) ?? 0) + 1);
      start();
    }
  }
}
