// A learner's sandbox runs on real time, except that the bot may hurry it through a wait of its
// own making: setting up an exam task that waits for a rollout should take the few seconds of
// simulated time the pods need, not those seconds again in real time behind other learners' work.
// A hurried clock runs ahead of real time; it then stands still until real time catches up, so it
// never runs backwards and is never ahead by more than MAX_LEAD_MS.
import type { Cancel, Clock } from '../cluster/clock.js';

/** How far ahead of real time a hurried clock may get (its cluster stands still this long at most). */
export const MAX_LEAD_MS = 15_000;

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  real?: NodeJS.Timeout;
}

export class SandboxClock implements Clock {
  /** The time the clock was hurried to; real time once that has passed. */
  private ahead = 0;
  private readonly timers = new Set<Timer>();
  private seq = 0;
  private readonly pending: Array<() => void> = [];
  private scheduled = false;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): Date {
    return new Date(this.nowMs());
  }

  private nowMs(): number {
    return Math.max(this.realNow(), this.ahead);
  }

  /** How far ahead of real time the clock is, in ms (0 when it runs on real time). */
  lead(): number {
    return Math.max(0, this.ahead - this.realNow());
  }

  /** How long until the next timer is due, in this clock's time (undefined with none waiting). */
  untilNext(): number | undefined {
    let next: number | undefined;
    for (const x of this.timers) if (next === undefined || x.at < next) next = x.at;
    return next === undefined ? undefined : Math.max(0, next - this.nowMs());
  }

  after(ms: number, fn: () => void): Cancel {
    const timer: Timer = { at: this.nowMs() + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.add(timer);
    // Past the lead, this clock's time is real time: a real timer fires when it is due.
    timer.real = setTimeout(() => this.fire(timer), Math.max(0, timer.at - this.realNow()));
    timer.real.unref();
    return () => {
      clearTimeout(timer.real);
      this.timers.delete(timer);
    };
  }

  soon(fn: () => void): void {
    this.pending.push(fn);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Moves the clock forward by `ms` (less if that would take it past MAX_LEAD_MS ahead of real
   * time), firing each timer due on the way at its own time, with the work it queues run after it.
   * Returns how far the clock moved.
   */
  hurry(ms: number): number {
    const from = this.nowMs();
    const target = Math.min(from + Math.max(0, ms), this.realNow() + MAX_LEAD_MS);
    if (target <= from) return 0;
    this.flush();
    for (;;) {
      let next: Timer | undefined;
      for (const x of this.timers) if (x.at <= target && (!next || x.at < next.at || (x.at === next.at && x.seq < next.seq))) next = x;
      if (!next) break;
      this.ahead = Math.max(this.ahead, next.at);
      this.fire(next);
    }
    this.ahead = Math.max(this.ahead, target);
    return target - from;
  }

  private fire(timer: Timer): void {
    if (!this.timers.delete(timer)) return;
    clearTimeout(timer.real);
    timer.fn();
    this.flush();
  }

  /** Runs the queued work; work that keeps queueing more is left for the next turn of the loop. */
  private flush(): void {
    this.scheduled = false;
    for (let i = 0; this.pending.length && i < 10_000; i++) this.pending.shift()!();
    if (this.pending.length && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }
}
