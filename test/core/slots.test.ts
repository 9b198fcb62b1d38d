import { describe, expect, it } from 'vitest';
import { Slots } from '../../src/core/slots.js';

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
