// Time is a dependency: the cluster reads this clock, never Date.now(), so tests step it by hand
// and `kubedojo serve --speed X` can run it faster than real time. Timers live on the clock too:
// controllers and the kubelet ask to be woken at a simulated time, and an idle cluster has none.

export type Cancel = () => void;

export interface Clock {
  now(): Date;
  /** Runs `fn` once `ms` of this clock's time have passed. */
  after(ms: number, fn: () => void): Cancel;
  /** Asks for `fn` to run soon, outside the current call stack (work queues drain here). */
  soon(fn: () => void): void;
}

/** Real time, optionally sped up from the moment the clock was made. */
export class RealClock implements Clock {
  private readonly start = Date.now();
  constructor(readonly speed = 1) {}
  now(): Date {
    const real = Date.now();
    return new Date(this.start + (real - this.start) * this.speed);
  }
  after(ms: number, fn: () => void): Cancel {
    const t = setTimeout(fn, Math.max(0, ms / this.speed));
    // A pending wake-up must not keep a finished process (a test, a CLI command) alive.
    t.unref();
    return () => clearTimeout(t);
  }
  soon(fn: () => void): void {
    setImmediate(fn);
  }
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that only moves when a test says so; timers fire in order as it is advanced. */
export class ManualClock implements Clock {
  private t: number;
  private timers: Timer[] = [];
  private seq = 0;
  private pending: Array<() => void> = [];
  private scheduled = false;

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  after(ms: number, fn: () => void): Cancel {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  soon(fn: () => void): void {
    this.pending.push(fn);
    // Work queued from an HTTP request still runs without a test's help, as it would in real time.
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Runs all queued work now (what `soon` deferred), until nothing is left. */
  flush(): void {
    this.scheduled = false;
    for (let i = 0; this.pending.length; i++) {
      if (i > 1_000_000) throw new Error('work queue did not settle');
      this.pending.shift()!();
    }
  }

  /** Moves time forward by `ms`, firing each due timer at its own time, and settling after each. */
  advance(ms: number): void {
    const target = this.t + ms;
    this.flush();
    for (;;) {
      let next: Timer | undefined;
      for (const x of this.timers) if (x.at <= target && (!next || x.at < next.at || (x.at === next.at && x.seq < next.seq))) next = x;
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.at);
      next.fn();
      this.flush();
    }
    this.t = target;
    this.flush();
  }

  /** How many timers are waiting (an idle cluster has none that repeat forever). */
  get pendingTimers(): number {
    return this.timers.length;
  }
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(d: Date): string {
  // toISOString always ends in `.sssZ`; every write stamps a time or two.
  const iso = d.toISOString();
  return `${iso.slice(0, -5)}Z`;
}

/** RFC 3339 with microseconds, as metav1.MicroTime serialises. */
export function rfc3339Micro(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
