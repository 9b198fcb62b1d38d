// A container's main process on the simulated clock: a sleep marked untilWoken ends when
// something from outside (a connection) wakes it, while an ordinary endless sleep does not.
import { describe, expect, it } from 'vitest';
import { Program, type ProgramGenerator } from '../../../../src/core/cluster/kubelet/program.js';

describe('Program.wake', () => {
  it('resumes a program waiting to be woken, at the time it is woken', () => {
    const lines: string[] = [];
    const gen: ProgramGenerator = (function* () {
      yield { kind: 'sleep', ms: Infinity, untilWoken: true };
      yield { kind: 'stdout', data: 'woken\n' };
      return 0;
    })();
    const p = new Program(gen, 1000, (o) => lines.push(`${o.at}:${o.text}`));
    p.advance(5000);
    expect(p.wakeAt).toBe(Infinity);
    expect(p.wake(7000)).toBe(true);
    p.advance(7000);
    expect(lines).toEqual(['7000:woken\n']);
    expect(p.exit).toEqual({ at: 7000, code: 0 });
  });

  it('leaves an endless sleep (sleep infinity) asleep', () => {
    const gen: ProgramGenerator = (function* () {
      yield { kind: 'sleep', ms: Infinity };
      return 0;
    })();
    const p = new Program(gen, 0, () => undefined);
    p.advance(1000);
    expect(p.wake(2000)).toBe(false);
    p.advance(3000);
    expect(p.exit).toBeUndefined();
  });
});

describe('Program with a periodic sleep (a poll such as CoreDNS reload)', () => {
  // A poll every 30 s that says when it finds the watched text changed, and counts its looks.
  const poller = (watched: { text: string }) => {
    const state = { looks: 0, at: 0 };
    const gen: ProgramGenerator = (function* () {
      let seen = watched.text;
      for (;;) {
        const periodic = { skipped: 0 };
        yield { kind: 'sleep', ms: 30_000, periodic };
        state.at += 30_000 * (1 + periodic.skipped);
        state.looks++;
        if (watched.text !== seen) {
          seen = watched.text;
          yield { kind: 'stdout', data: `changed at ${state.at}\n` };
        }
      }
    })();
    return { gen, state };
  };

  it('looks twice, not once per period, across an advance of a thousand quiet periods, and ends at the last period due', () => {
    const { gen, state } = poller({ text: 'a' });
    const p = new Program(gen, 0, () => undefined);
    p.advance(30_000 * 1000 + 10_000);
    expect(state.looks).toBe(2);
    expect(state.at).toBe(30_000 * 1000);
    expect(p.wakeAt).toBe(30_000 * 1001);
  });

  it('still sees a change at the first period after the advance that follows it', () => {
    const watched = { text: 'a' };
    const lines: string[] = [];
    const { gen } = poller(watched);
    const p = new Program(gen, 0, (o) => lines.push(`${o.at}:${o.text}`));
    p.advance(30_000 * 500 + 5_000);
    watched.text = 'b';
    p.advance(30_000 * 900);
    expect(lines).toEqual([`${30_000 * 501}:changed at ${30_000 * 501}\n`]);
    watched.text = 'c';
    p.advance(30_000 * 2000);
    expect(lines[1]).toBe(`${30_000 * 901}:changed at ${30_000 * 901}\n`);
  });
});
