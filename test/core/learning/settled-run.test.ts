import { describe, expect, it } from 'vitest';
import { SettledRun } from '../../../src/core/learning/settled-run.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('work run once changes have settled', () => {
  it('joins the asks that come while it waits into one run', async () => {
    let runs = 0;
    const run = new SettledRun(async () => void runs++, 20);
    for (let i = 0; i < 5; i++) run.request();
    await sleep(80);
    expect(runs).toBe(1);
  });

  it('never runs twice at once, and runs once more after when asked meanwhile', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    let release!: () => void;
    const run = new SettledRun(async () => {
      runs++;
      most = Math.max(most, ++running);
      if (runs === 1) await new Promise<void>((r) => (release = r));
      running--;
    }, 5);
    run.request();
    await sleep(30);
    run.request();
    run.request();
    await sleep(30);
    expect(runs).toBe(1);
    release();
    await sleep(40);
    expect(runs).toBe(2);
    expect(most).toBe(1);
  });

  it('runs nothing once stopped, not even what was asked before', async () => {
    let runs = 0;
    const run = new SettledRun(async () => void runs++, 10);
    run.request();
    run.stop();
    run.request();
    await sleep(50);
    expect(runs).toBe(0);
  });
});
