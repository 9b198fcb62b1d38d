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
