// A sandbox's clock: real time, hurried through the bot's own waits, never backwards and never
// further ahead of real time than its limit; once ahead it stands still until real time catches up.
import { describe, expect, it } from 'vitest';
import { MAX_LEAD_MS, SandboxClock } from '../../../src/core/hosting/sandbox-clock.js';

/** Real time that a test moves by hand. */
function realTime(start = 1_000_000) {
  let t = start;
  return { now: () => t, pass: (ms: number) => void (t += ms) };
}

describe('a sandbox clock', () => {
  it('reads real time until it is hurried', () => {
    const real = realTime();
    const clock = new SandboxClock(real.now);
    expect(clock.now().getTime()).toBe(real.now());
    real.pass(1234);
    expect(clock.now().getTime()).toBe(real.now());
  });

  it('fires the timers a hurry passes, each at its own time and in order, with the work each queues run after it', () => {
    const real = realTime();
    const clock = new SandboxClock(real.now);
    const seen: string[] = [];
    clock.after(3000, () => seen.push(`b@${clock.now().getTime() - 1_000_000}`));
    clock.after(1000, () => {
      seen.push(`a@${clock.now().getTime() - 1_000_000}`);
      clock.soon(() => seen.push('a queued'));
      clock.after(500, () => seen.push(`c@${clock.now().getTime() - 1_000_000}`));
    });
    clock.after(9000, () => seen.push('too late'));
    expect(clock.hurry(4000)).toBe(4000);
    expect(seen).toEqual(['a@1000', 'a queued', 'c@1500', 'b@3000']);
    expect(clock.now().getTime()).toBe(real.now() + 4000);
    expect(clock.lead()).toBe(4000);
  });

  it('stands still while ahead, and runs on real time again once real time has caught up', () => {
    const real = realTime();
    const clock = new SandboxClock(real.now);
    clock.hurry(2000);
    const ahead = clock.now().getTime();
    real.pass(1500);
    expect(clock.now().getTime()).toBe(ahead);
    real.pass(1000);
    expect(clock.now().getTime()).toBe(real.now());
    expect(clock.lead()).toBe(0);
  });

  it(`is never hurried more than ${MAX_LEAD_MS / 1000} s ahead of real time`, () => {
    const real = realTime();
    const clock = new SandboxClock(real.now);
    expect(clock.hurry(MAX_LEAD_MS - 1000)).toBe(MAX_LEAD_MS - 1000);
    expect(clock.hurry(5000)).toBe(1000);
    expect(clock.hurry(5000)).toBe(0);
    expect(clock.lead()).toBe(MAX_LEAD_MS);
  });

  it('fires a timer in real time when nobody hurries it', async () => {
    const clock = new SandboxClock();
    const fired = await new Promise<number>((resolve) => {
      const from = Date.now();
      clock.after(30, () => resolve(Date.now() - from));
    });
    expect(fired).toBeGreaterThanOrEqual(25);
  });

  it('does not fire a timer that was cancelled', () => {
    const real = realTime();
    const clock = new SandboxClock(real.now);
    let fired = false;
    const cancel = clock.after(100, () => (fired = true));
    cancel();
    clock.hurry(1000);
    expect(fired).toBe(false);
  });

  it('says how long until its next timer, so a wait can be hurried no further than the next event', () => {
    const real = realTime();
    const clock = new SandboxClock(real.now);
    expect(clock.untilNext()).toBeUndefined();
    clock.after(700, () => undefined);
    clock.after(300, () => undefined);
    expect(clock.untilNext()).toBe(300);
    clock.hurry(300);
    expect(clock.untilNext()).toBe(400);
  });
});
