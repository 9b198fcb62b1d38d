// timeout: runs a program and stops it when its time is up. The two families differ where scripts
// notice: coreutils exits 124 when the time ran out (128+9 for KILL, the command's own status with
// --preserve-status), while busybox execs the program itself, so the shell sees the signal's
// 128+N; busybox has no long options.
import { err, sleep, type Gen } from '../io.js';
import type { StdinChunk } from '../types.js';
import type { Program, Sys } from './types.js';

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, CONT: 18, STOP: 19 };
const UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

const BUSYBOX_USAGE = 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS\n\nRun PROG. Send SIG to it if it is not gone in SECS seconds.\nDefault SIG: TERM.If it still exists in KILL_SECS seconds, send KILL.\n';

/** A duration as both families write it: a decimal number with an optional s, m, h or d. Milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(text);
  return m ? Math.round(Number(m[1]) * UNITS[m[2]] * 1000) : undefined;
}

/** A signal by name (TERM, SIGTERM) or number, as its name and number. */
export function parseSignal(text: string): { name: string; number: number } | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    const name = Object.keys(SIGNALS).find((k) => SIGNALS[k] === n);
    return name ? { name, number: n } : undefined;
  }
  const name = text.toUpperCase().replace(/^SIG/, '');
  return Object.hasOwn(SIGNALS, name) ? { name, number: SIGNALS[name] } : undefined;
}

interface Options {
  signal: { name: string; number: number };
  killAfterMs?: number;
  preserve: boolean;
  verbose: boolean;
  durationMs: number;
  command: string[];
}

function* usageError(sys: Sys, message: string): Gen<number> {
  if (sys.toolset === 'gnu') {
    yield* err(`timeout: ${message}\nTry 'timeout --help' for more information.\n`);
    return 125;
  }
  yield* err(`timeout: ${message}\n${BUSYBOX_USAGE}`);
  return 1;
}

function* parse(argv: string[], sys: Sys): Gen<Options | number> {
  const gnu = sys.toolset === 'gnu';
  const o: Partial<Options> & { signal: Options['signal'] } = { signal: { name: 'TERM', number: 15 }, preserve: false, verbose: false };
  let i = 1;
  const value = (a: string, inline: string): string | undefined => (inline ? inline : argv[++i]);
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (gnu && a.startsWith('--')) {
      const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (name === '--preserve-status') o.preserve = true;
      else if (name === '--verbose') o.verbose = true;
      else if (name === '--foreground') continue;
      else if (name === '--signal' || name === '--kill-after') {
        const v = inline ?? argv[++i];
        if (v === undefined) return yield* usageError(sys, `option '${name}' requires an argument`);
        if (name === '--signal') {
          const s = parseSignal(v);
          if (!s) return yield* usageError(sys, `${v}: invalid signal`);
          o.signal = s;
        } else {
          const d = parseDuration(v);
          if (d === undefined) return yield* usageError(sys, `invalid time interval '${v}'`);
          o.killAfterMs = d;
        }
      } else return yield* usageError(sys, `unrecognized option '${a}'`);
      continue;
    }
    if (!a.startsWith('-') || a === '-' || /^-\d/.test(a)) break;
    if (!gnu && a.startsWith('--')) return yield* usageError(sys, 'unrecognized option: -');
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 's' || f === 'k') {
        const v = value(a, a.slice(j + 1));
        if (v === undefined) return yield* usageError(sys, gnu ? `option requires an argument -- '${f}'` : `option requires an argument: ${f}`);
        if (f === 's') {
          const s = parseSignal(v);
          if (!s) return yield* usageError(sys, gnu ? `${v}: invalid signal` : `bad signal name '${v}'`);
          o.signal = s;
        } else {
          const d = parseDuration(v);
          if (d === undefined) return yield* usageError(sys, gnu ? `invalid time interval '${v}'` : `invalid number '${v}'`);
          o.killAfterMs = d;
        }
        break;
      }
      if (gnu && f === 'v') o.verbose = true;
      else return yield* usageError(sys, gnu ? `invalid option -- '${f}'` : `unrecognized option: ${f}`);
    }
  }
  const rest = argv.slice(i);
  if (!rest.length) return yield* usageError(sys, 'missing operand');
  const d = parseDuration(rest[0]);
  if (d === undefined) return yield* usageError(sys, gnu ? `invalid time interval '${rest[0]}'` : `invalid number '${rest[0]}'`);
  if (rest.length < 2) return yield* usageError(sys, `missing operand after '${rest[0]}'`);
  return { ...o, durationMs: d, command: rest.slice(1) } as Options;
}

/**
 * Plays a child process until it ends or `ms` of simulated time have passed: the child's result,
 * or 'timeout' once it has been stopped (its cleanup runs, as a killed process's would).
 */
export function* runFor(child: Gen<number>, ms: number, now: () => number): Gen<number | 'timeout'> {
  const deadline = now() + ms;
  let reply: StdinChunk | undefined;
  let thrown: { error: unknown } | undefined;
  for (;;) {
    const r = thrown ? child.throw(thrown.error) : child.next(reply);
    thrown = undefined;
    reply = undefined;
    if (r.done) return r.value;
    const s = r.value;
    if (s.kind === 'sleep') {
      const left = deadline - now();
      if (s.ms >= left) {
        if (left > 0) yield* sleep(left);
        child.return(143);
        return 'timeout';
      }
    }
    try {
      reply = yield s;
    } catch (error) {
      // ^C from a terminal reaches the child, as it would the whole foreground group.
      thrown = { error };
    }
  }
}

export const timeoutProgram: Program = function* (argv, sys) {
  const parsed = yield* parse(argv, sys);
  if (typeof parsed === 'number') return parsed;
  const child = sys.exec(parsed.command);
  // A duration of 0 means no limit.
  const result = parsed.durationMs === 0 ? yield* child : yield* runFor(child, parsed.durationMs, () => sys.now());
  if (result !== 'timeout') return result;
  if (parsed.verbose) yield* err(`timeout: sending signal ${parsed.signal.name} to command '${parsed.command[0]}'\n`);
  // The program dies of the signal (the simulated programs handle none): busybox's exit is its death.
  if (sys.toolset !== 'gnu') return 128 + parsed.signal.number;
  if (parsed.signal.name === 'KILL') return 137;
  return parsed.preserve ? 128 + parsed.signal.number : 124;
};
