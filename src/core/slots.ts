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
