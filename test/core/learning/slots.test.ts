import { describe, expect, it } from 'vitest';
import { FairSlots, Slots } from '../../../src/core/learning/slots.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('slots', () => {
  it('runs no more jobs at once than it has slots, and serves waiters in the order they came', async () => {
    const slots = new Slots(2);
    const started: number[] = [];
    const finish: Array<() => void> = [];
    const jobs = [0, 1, 2, 3].map((n) =>
      slots.run(async () => {
        started.push(n);
        await new Promise<void>((r) => finish.push(r));
        return n;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    finish[1]();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    finish[0]();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    finish[2]();
    finish[3]();
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3]);
  });

  it('gives the slot back when a job throws, and once only when released twice', async () => {
    const slots = new Slots(1);
    await expect(slots.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const release = await slots.take();
    release();
    release();
    const order: string[] = [];
    const a = slots.take().then((r) => (order.push('a'), r));
    const b = slots.take().then((r) => (order.push('b'), r));
    await tick();
    expect(order).toEqual(['a']);
    (await a)();
    await b;
    expect(order).toEqual(['a', 'b']);
  });
});

describe('fair slots', () => {
  const never = () => new Promise<void>(() => undefined);

  it('serves owners in turn, so one owner\'s burst does not wait ahead of another\'s first job', async () => {
    const slots = new FairSlots({ size: 1, leaseMs: 60_000, maxRunning: 10, perOwner: 10 });
    const started: string[] = [];
    const finish: Array<() => void> = [];
    const job = (name: string) => () => {
      started.push(name);
      return new Promise<void>((r) => finish.push(r));
    };
    const all = [slots.run('a', job('a1')), slots.run('a', job('a2')), slots.run('a', job('a3')), slots.run('b', job('b1'))];
    await tick();
    expect(started).toEqual(['a1']);
    finish[0]();
    await tick();
    await tick();
    expect(started).toEqual(['a1', 'b1']);
    finish[1]();
    await tick();
    await tick();
    expect(started).toEqual(['a1', 'b1', 'a2']);
    finish[2]();
    await tick();
    await tick();
    finish[3]();
    await Promise.all(all);
    expect(started).toEqual(['a1', 'b1', 'a2', 'a3']);
  });

  it('gives a slot back once its lease runs out, so jobs that only wait hold nobody back', async () => {
    const slots = new FairSlots({ size: 2, leaseMs: 20, maxRunning: 10, perOwner: 2 });
    // Two commands that wait for ever (kubectl wait --timeout=100h) take both slots…
    void slots.run('slow', never);
    void slots.run('slow', never);
    // …and another learner's quick command still runs, once the leases are out.
    await expect(slots.run('quick', async () => 'done')).resolves.toBe('done');
  });

  it('runs no more than an owner\'s share at once, however many slots are free', async () => {
    const slots = new FairSlots({ size: 4, leaseMs: 60_000, maxRunning: 10, perOwner: 1 });
    const started: string[] = [];
    void slots.run('a', () => (started.push('a1'), never()));
    void slots.run('a', () => (started.push('a2'), never()));
    void slots.run('b', () => (started.push('b1'), never()));
    await tick();
    await tick();
    expect(started).toEqual(['a1', 'b1']);
  });

  it('holds new jobs while the most it may run are running, past their leases too', async () => {
    const slots = new FairSlots({ size: 1, leaseMs: 1, maxRunning: 2, perOwner: 5 });
    let release!: () => void;
    void slots.run('a', never);
    void slots.run('b', () => new Promise<void>((r) => (release = r)));
    let third = false;
    const p = slots.run('c', async () => {
      third = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(third).toBe(false);
    release();
    await p;
    expect(third).toBe(true);
  });
});
