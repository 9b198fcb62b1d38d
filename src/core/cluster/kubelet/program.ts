// A container's main process played on the simulated clock. A program is a generator that
// yields output and sleeps (the shell and the images' servers are written that way), so its
// life can be stepped to any simulated time: output is stamped with the time it was written, and
// the kubelet is woken when a sleep ends.
import type { Periodic } from './shell/types.js';

export type Step =
  | { kind: 'stdout'; data: string | Buffer }
  | { kind: 'stderr'; data: string | Buffer }
  | { kind: 'sleep'; ms: number; untilWoken?: boolean; periodic?: Periodic }
  | { kind: 'read' };

export type ProgramGenerator = Generator<Step, number, Buffer | string | undefined>;

export interface Output {
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
  /** A piece of a line too long to wait for its newline (the rest follows). */
  partial?: boolean;
}

export interface Exit {
  at: number;
  code: number;
  /** Set for a kill: the kubelet reports 137 with reason Error, or OOMKilled. */
  signal?: 'TERM' | 'KILL';
}

export class Program {
  /** Simulated time the program has reached. */
  private cursor: number;
  private sleepingUntil: number;
  exit?: Exit;
  private termAt?: number;
  /** A 'read' step is waiting for input that has not come yet. */
  private pendingRead = false;
  /** The program sleeps until something from outside wakes it (a listener's connection). */
  private waitingToBeWoken = false;
  /** The sleep the program is in, until it is resumed from it. */
  private sleep?: Step;

  constructor(
    private readonly gen: ProgramGenerator,
    start: number,
    private readonly write: (o: Output) => void,
    /** Servers stop promptly on SIGTERM; a shell running as PID 1 ignores it until SIGKILL. */
    private readonly handlesTerm = false,
    /**
     * Standard input of an attached container (`stdin: true`): a chunk, undefined for end of
     * input, or null when nothing has been typed yet (the program waits).
     */
    private readonly stdin?: () => Buffer | string | undefined | null,
  ) {
    this.cursor = start;
    this.sleepingUntil = start;
  }

  /** The simulated time the program has reached. */
  get time(): number {
    return this.cursor;
  }

  /** Input (or a connection) arrived for a program waiting on it: it carries on from `t`. Whether it was waiting. */
  wake(t: number): boolean {
    if (!(this.pendingRead || this.waitingToBeWoken) || this.sleepingUntil !== Infinity || this.exit) return false;
    this.sleepingUntil = Math.max(this.cursor, t);
    return true;
  }

  /** Stops the program where it is, from inside one of its own steps (the kernel's OOM killer). */
  halt(at: number): void {
    if (!this.exit) this.exit = { at, code: 137, signal: 'KILL' };
  }

  /** When the program next does something (Infinity: it only waits for a signal). */
  get wakeAt(): number | undefined {
    if (this.exit) return undefined;
    if (this.termAt !== undefined) return Math.min(this.termAt, this.sleepingUntil);
    return this.sleepingUntil;
  }

  /** Runs the program up to simulated time `t`. */
  advance(t: number): void {
    let guard = 0;
    // The periodic sleep the program was last resumed from, and whether it has written since.
    let resumedFrom: Step | undefined;
    let wrote = false;
    let idlePeriod: number | undefined;
    while (!this.exit && this.sleepingUntil <= t) {
      if (this.termAt !== undefined && this.termAt <= this.sleepingUntil) {
        this.exit = { at: this.termAt, code: 0, signal: 'TERM' };
        return;
      }
      const sleep = this.sleep;
      if (sleep?.kind === 'sleep' && sleep.periodic && sleep.ms > 0 && sleep.ms === idlePeriod) {
        let periods = Math.floor((t - this.sleepingUntil) / sleep.ms);
        if (this.termAt !== undefined && this.sleepingUntil + periods * sleep.ms >= this.termAt) periods = Math.max(0, Math.ceil((this.termAt - this.sleepingUntil) / sleep.ms) - 1);
        this.sleepingUntil += periods * sleep.ms;
        sleep.periodic.skipped = periods;
      }
      if (sleep) {
        resumedFrom = sleep.kind === 'sleep' && sleep.periodic ? sleep : undefined;
        wrote = false;
        this.sleep = undefined;
      }
      this.cursor = Math.max(this.cursor, this.sleepingUntil);
      let input: Buffer | string | undefined;
      if (this.pendingRead) {
        const v = this.stdin ? this.stdin() : undefined;
        if (v === null) {
          this.sleepingUntil = Infinity;
          return;
        }
        input = v;
        this.pendingRead = false;
      }
      const r = this.gen.next(input);
      if (this.exit) return;
      if (r.done) {
        this.exit = { at: this.cursor, code: r.value };
        return;
      }
      const step = r.value;
      this.waitingToBeWoken = step.kind === 'sleep' && !!step.untilWoken;
      if (step.kind === 'sleep') {
        if (step.periodic) {
          step.periodic.skipped = 0;
          idlePeriod = resumedFrom?.kind === 'sleep' && !wrote && resumedFrom.ms === step.ms ? step.ms : undefined;
        }
        this.sleep = step;
        this.sleepingUntil = this.cursor + Math.max(0, step.ms);
      } else if (step.kind === 'stdout' || step.kind === 'stderr') {
        wrote = true;
        this.write({ at: this.cursor, stream: step.kind, text: String(step.data) });
      }
      // 'read': a container's main process has no stdin unless attached; it reads end of input.
      else if (step.kind === 'read') this.pendingRead = true;
      if (++guard > 100_000) {
        // A script that loops without sleeping would spin forever; a real one burns a CPU.
        this.sleepingUntil = this.cursor + 1000;
        this.sleep = undefined;
        guard = 0;
      }
    }
    if (this.termAt !== undefined && !this.exit && this.termAt <= t) this.exit = { at: this.termAt, code: 0, signal: 'TERM' };
  }

  /** SIGTERM at `t`: a server exits shortly after; others carry on until killed. */
  terminate(t: number): void {
    if (this.exit || this.termAt !== undefined) return;
    if (this.handlesTerm) this.termAt = t + 100;
  }

  kill(t: number, oom = false): void {
    if (this.exit) return;
    this.advance(t);
    if (!this.exit) this.exit = { at: t, code: 137, signal: 'KILL' };
    if (oom) this.exit.code = 137;
  }
}
