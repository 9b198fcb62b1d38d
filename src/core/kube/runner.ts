// How kubectl is run for a learner. On the learner's own machine (the terminal tutor, the CLI)
// the runner is plain: the shell is theirs anyway. Where the machine is someone else's (the Slack
// bot) every learner-triggered kubectl, whatever door it came through (a /kubectl command, a quiz
// answer, a lesson's set-up, an exam task), goes through one GuardedRunner: words a learner wrote
// are read by the policy as kubectl would read them and run in canonical form; every run gets a
// bare environment, bounded time, memory and output, a fair share of the slots, and a jail.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kubectlBinary, runKubectl, type KubectlRun } from './kubectl.js';
import { vetKubectl } from './kubectl-policy.js';
import { DEFAULT_JAIL_LIMITS, Jail, resolveProgram, type JailLimits } from './jail/jail.js';
import { FairSlots } from '../learning/slots.js';
import { BugError } from '../problems.js';

/** Where a kubectl run goes: a kubeconfig (and context), and the API's socket for a jail. */
export interface KubectlTarget {
  kubeconfig?: string;
  context?: string;
  /** The environment kubectl runs in on a plain runner (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The API server's Unix socket: a jailed kubectl reaches the cluster only through it. */
  socket?: string;
}

export interface RunRequest {
  /** kubectl's arguments, without `kubectl`. */
  args: string[];
  input?: string;
  timeoutMs?: number;
  /**
   * Set when the words are a learner's own (not a lesson's or a quiz item's): a guarded runner
   * vets them first. `manifest` is what `-f -` reads; `files` the lesson's own files by name.
   */
  fromLearner?: { manifest?: string; files?: Record<string, string> };
  /** Whose run this is, for fair shares (a learner or a channel). */
  owner?: string;
}

export interface RunResult extends KubectlRun {
  /** What the policy changed or wants said (a capped timeout). */
  notes: string[];
}

export interface KubectlRunner {
  run(req: RunRequest, target: KubectlTarget): Promise<RunResult>;
}

/** Runs kubectl as the learner's own program, on their own machine. */
export const directRunner: KubectlRunner = {
  async run(req, t) {
    const r = await runKubectl(req.args, { kubeconfig: t.kubeconfig, context: t.context, env: t.env, input: req.input, timeoutMs: req.timeoutMs });
    return { ...r, notes: [] };
  },
};

export interface GuardedRunnerOptions {
  /** The jail, or none (`jailless` then says why, and the bot says so loudly at start). */
  jail?: Jail;
  /** Read learners' words with the policy (off only to test the jail alone). */
  policy?: boolean;
  /** The kubectl to run (default: $KUBEDOJO_KUBECTL or kubectl on PATH). */
  kubectl?: string;
  /** The longest any run may take. */
  timeoutMs?: number;
  /** Output beyond this many bytes ends the run. */
  maxOutputBytes?: number;
  /** Runs computing at once; a run's slot is given back after `leaseMs`. */
  slots?: number;
  leaseMs?: number;
  maxRunning?: number;
  perOwner?: number;
  limits?: Partial<JailLimits>;
}

export class GuardedRunner implements KubectlRunner {
  private readonly slots: FairSlots;
  private readonly kubectl: string;
  private readonly timeoutMs: number;
  private readonly maxOutputBytes: number;
  private readonly limits: JailLimits;
  private home?: string;
  /** util-linux's prlimit, where there is one ('' where not). */
  private prlimit?: string;

  constructor(private readonly opts: GuardedRunnerOptions = {}) {
    this.kubectl = opts.kubectl ?? kubectlBinary();
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    this.maxOutputBytes = opts.maxOutputBytes ?? 1024 * 1024;
    this.limits = { ...DEFAULT_JAIL_LIMITS, ...opts.limits };
    this.slots = new FairSlots({ size: opts.slots ?? 2, leaseMs: opts.leaseMs ?? 1000, maxRunning: opts.maxRunning ?? 24, perOwner: opts.perOwner ?? 2 });
  }

  /** A guarded runner with the jail this machine allows; `reason` says why there is none. */
  static create(opts: Omit<GuardedRunnerOptions, 'jail'> & { jail?: boolean; env?: NodeJS.ProcessEnv } = {}): { runner: GuardedRunner; jailless?: string } {
    const { jail: wanted, env, ...rest } = opts;
    const kubectl = opts.kubectl ?? kubectlBinary(env);
    if (wanted === false) return { runner: new GuardedRunner({ ...rest, kubectl }), jailless: 'the jail was turned off (KUBEDOJO_JAIL=off)' };
    const found = Jail.detect({ kubectl, env, limits: opts.limits });
    if ('reason' in found) return { runner: new GuardedRunner({ ...rest, kubectl }), jailless: found.reason };
    return { runner: new GuardedRunner({ ...rest, kubectl, jail: found.jail }) };
  }

  get jailed(): boolean {
    return this.opts.jail !== undefined;
  }

  async run(req: RunRequest, t: KubectlTarget): Promise<RunResult> {
    let args = req.args;
    let input = req.input;
    let notes: string[] = [];
    if (req.fromLearner && this.opts.policy !== false) {
      const vetted = vetKubectl(args, req.fromLearner);
      args = vetted.args;
      input = vetted.stdin;
      notes = vetted.notes;
    }
    if (!t.kubeconfig) throw new BugError('a guarded kubectl run needs the kubeconfig of the cluster it may reach');
    if (t.context) args = [`--context=${t.context}`, ...args];
    const timeoutMs = Math.min(req.timeoutMs ?? this.timeoutMs, this.timeoutMs);
    const command = this.command(args, t);
    const run = await this.slots.run(req.owner ?? '', () => spawnBounded(command, { input, timeoutMs, maxOutputBytes: this.maxOutputBytes }));
    return { ...run, args, notes };
  }

  private command(args: string[], t: KubectlTarget): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
    if (this.opts.jail) {
      if (!t.socket) throw new BugError('a jailed kubectl run needs the API server\'s socket');
      return { ...this.opts.jail.command(args, { kubeconfig: t.kubeconfig!, socket: t.socket }), env: {} };
    }
    // No jail: at least none of this process's environment (Slack's secrets), no inherited
    // KUBECONFIG, and a home of its own for kubectl's cache; memory and CPU bounded by prlimit.
    this.home ??= mkdtempSync(path.join(os.tmpdir(), 'kubedojo-kubectl-'));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.home, KUBECONFIG: t.kubeconfig! };
    this.prlimit ??= resolveProgram('prlimit', env) ?? '';
    if (!this.prlimit) return { file: this.kubectl, args, env };
    return { file: this.prlimit, args: [`--data=${this.limits.dataBytes}`, `--cpu=${this.limits.cpuSeconds}`, '--core=0', '--', this.kubectl, ...args], env };
  }
}

/** Runs a program to its end, its time and output bounded; a run past either is killed. */
function spawnBounded(c: { file: string; args: string[]; env: NodeJS.ProcessEnv }, o: { input?: string; timeoutMs: number; maxOutputBytes: number }): Promise<KubectlRun> {
  return new Promise((resolve) => {
    const child = execFile(c.file, c.args, { env: c.env, timeout: o.timeoutMs, killSignal: 'SIGKILL', maxBuffer: o.maxOutputBytes, encoding: 'utf8' }, (err, stdout, stderr) => {
      let code = 0;
      if (err) {
        const e = err as NodeJS.ErrnoException & { code?: unknown; killed?: boolean; signal?: string };
        if (e.code === 'ENOENT') {
          resolve({ args: [], code: 127, stdout: '', stderr: `${c.file} is not installed or not on PATH.\n` });
          return;
        }
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') stderr += `\nkubedojo: the output passed ${Math.round(o.maxOutputBytes / 1024)} KiB and the command was stopped; ask for less (a selector, --tail, -o name).\n`;
        else if (e.killed || e.signal === 'SIGKILL') stderr += `\nkubedojo: the command ran longer than ${Math.round(o.timeoutMs / 1000)} s and was stopped.\n`;
        code = typeof e.code === 'number' ? e.code : 1;
      }
      resolve({ args: [], code, stdout, stderr });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(o.input ?? '');
  });
}
