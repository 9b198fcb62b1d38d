// A scenario being played: its set-up scripts run, and the current step's verify script is its
// check, run live as a lesson's checks are (after each command, and when the cluster changes,
// gathered for a moment). A step passed is kept in the learner's progress and the next opens.
// Scripts run as the learner agreed to (consent.ts): the text read and hashed is the text run.
import { spawn } from 'node:child_process';
import { EventEmitter, setMaxListeners } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeClient } from '../kube/client.js';
import type { ScenarioRecord } from '../progress/scenario-records.js';
import { scenarioPosition } from '../progress/scenario-records.js';
import type { Scenario, ScenarioPage, ScenarioScript } from './format.js';
import { SettledRun } from '../learning/settled-run.js';

/** What a play keeps of the learner's progress (the progress store's LearnerHandle). */
export interface ScenarioProgress {
  scenario(id: string): ScenarioRecord | undefined;
  startScenario(id: string, at: Date): void;
  passScenarioStep(id: string, index: number, steps: number, at: Date): void;
}

/** ○ not yet tried, ✗ checked after a command and not done, ✓ done: the marks lessons use. */
export type StepMark = 'pending' | 'failed' | 'passed';

export interface PlayState {
  /** The step shown; equal to the number of steps once finished. */
  stepIndex: number;
  finished: boolean;
  marks: StepMark[];
}

export interface ScriptRun {
  code: number;
  output: string;
}

export interface PlayOptions {
  scenario: Scenario;
  /** The collection's path and the folder: how progress names it. */
  id: string;
  progress: ScenarioProgress;
  /** The scripts' environment: KUBECONFIG at the scenario's cluster, and the shims on PATH. */
  env: NodeJS.ProcessEnv;
  /** The scripts' working folder (the learner's), where the terminal's scripts are written. */
  home: string;
  /** The scenario's cluster, watched so a change re-runs the step's check. */
  client?: KubeClient;
  /** How long changes are gathered before the check runs, in milliseconds. */
  settleMs?: number;
  /** A script that runs longer is stopped. */
  timeoutMs?: number;
  now?: () => Date;
}

/** What the cluster watch follows: the kinds scenarios' checks read most. */
const WATCHED = ['pods', 'deployments', 'replicasets', 'services', 'configmaps', 'secrets', 'namespaces', 'persistentvolumeclaims', 'jobs', 'statefulsets', 'daemonsets'];

/** Runs a script's text (the text agreed to, not the file as it may be now) with bash. */
export function runScript(script: ScenarioScript, opts: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number }): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script.text, script.file], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer) => {
      output = (output + b.toString('utf8')).slice(-8192);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      output += `\n(stopped after ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s)`;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: 127, output: `${output}${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

/** A background script's failure, in words for the learner. */
export function backgroundProblem(where: string, script: ScenarioScript, run: ScriptRun): string {
  const tail = run.output.trim().split('\n').slice(-6).join('\n');
  return `The scenario's set-up script ${script.file} (${where}) failed with exit code ${run.code}${tail ? `:\n${tail}` : '.'}\nThe steps may not check as they should. Open the scenario again from F4 to start it on a fresh cluster, or carry on and fix what the script could not do.`;
}

export class ScenarioPlay extends EventEmitter<{ state: [PlayState]; problem: [string]; foreground: [string] }> {
  readonly scenario: Scenario;
  private state: PlayState;
  private tried = false;
  /** Foreground scripts typed into the shell: running one is the scenario's doing, not a try. */
  private readonly typed = new Set<string>();
  private stopped = false;
  private watching?: AbortController;
  /** The page's background script: its step is checked only once it has run. */
  private setUp: Promise<void> = Promise.resolve();
  private readonly run: SettledRun;
  private readonly now: () => Date;

  constructor(private readonly opts: PlayOptions) {
    super();
    this.scenario = opts.scenario;
    this.run = new SettledRun(() => this.checkNow(), opts.settleMs ?? 200);
    this.now = opts.now ?? (() => new Date());
    const steps = this.scenario.steps.length;
    const record = opts.progress.scenario(opts.id);
    const { stepIndex, finished } = scenarioPosition(record, steps);
    this.state = { stepIndex, finished, marks: this.scenario.steps.map((_, i) => (record?.passed.includes(i) ? 'passed' : 'pending')) };
  }

  current(): PlayState {
    return { ...this.state, marks: [...this.state.marks] };
  }

  /** Runs the intro's scripts and the current page's, then checks the step. */
  start(): this {
    this.opts.progress.startScenario(this.opts.id, this.now());
    this.setUp = this.runPage('set-up', this.scenario.intro).then(() => this.openPage());
    this.watch();
    this.check();
    return this;
  }

  /** A command ran in the shell: the learner's counts as a try; either way the step is checked. */
  noteCommand(line?: string): void {
    if (!(line !== undefined && this.typed.delete(line.trim()))) this.tried = true;
    this.check();
  }

  /** Checks soon, once changes have settled; one asked for while one runs runs after it. */
  check(): void {
    if (!this.state.finished) this.run.request();
  }

  stop(): void {
    this.stopped = true;
    this.run.stop();
    this.watching?.abort();
  }

  private async checkNow(): Promise<void> {
    await this.setUp;
    const index = this.state.stepIndex;
    const step = this.scenario.steps[index];
    if (this.stopped || !step || this.state.finished) return;
    // A step with no verify script is done when the learner has run something in it.
    const passed = step.verify ? (await runScript(step.verify, this.scriptOpts())).code === 0 : this.tried;
    if (this.stopped || index !== this.state.stepIndex) return;
    if (passed) this.pass(index);
    else if (this.tried && this.state.marks[index] !== 'failed') {
      this.state.marks[index] = 'failed';
      this.emit('state', this.current());
    }
  }

  private pass(index: number): void {
    const steps = this.scenario.steps.length;
    this.opts.progress.passScenarioStep(this.opts.id, index, steps, this.now());
    this.state.marks[index] = 'passed';
    const { stepIndex, finished } = scenarioPosition(this.opts.progress.scenario(this.opts.id), steps);
    this.state = { ...this.state, stepIndex, finished };
    this.tried = false;
    this.setUp = this.openPage();
    this.emit('state', this.current());
    // The next step may be done already (a command that did two steps' work).
    if (!finished) this.check();
  }

  /** The page now shown: a step's, or the finish page's. */
  private openPage(): Promise<void> {
    const i = this.state.stepIndex;
    return this.state.finished ? this.runPage('finish', this.scenario.finish) : this.runPage(`step ${i + 1} set-up`, this.scenario.steps[i]);
  }

  /** A page's foreground script is typed in the learner's terminal; its background one runs hidden. */
  private async runPage(where: string, page: ScenarioPage): Promise<void> {
    if (page.foreground) {
      const command = this.foregroundCommand(where, page.foreground);
      this.typed.add(command);
      this.emit('foreground', command);
    }
    if (!page.background) return;
    const run = await runScript(page.background, this.scriptOpts());
    if (run.code !== 0 && !this.stopped) this.emit('problem', backgroundProblem(`${where}, in the background`, page.background, run));
  }

  /** The command that runs a foreground script in the learner's shell: the agreed text, from a file of the learner's. */
  private foregroundCommand(where: string, script: ScenarioScript): string {
    const dir = path.join(this.opts.home, '.scenario');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${where.replace(/[^a-z0-9]+/gi, '-')}-${path.basename(script.file)}`);
    writeFileSync(file, script.text, { mode: 0o600 });
    return `bash '${file.replace(/'/g, `'\\''`)}'`;
  }

  private scriptOpts() {
    return { env: this.opts.env, cwd: this.opts.home, timeoutMs: this.opts.timeoutMs };
  }

  /** Any change to what scenarios' checks read re-runs the step's check. */
  private watch(): void {
    const client = this.opts.client;
    if (!client) return;
    const abort = (this.watching = new AbortController());
    // One signal ends every watch: more listeners on it than Node's default warning allows.
    setMaxListeners(WATCHED.length * 2, abort.signal);
    for (const kind of WATCHED) client.watch(kind, undefined, () => this.check(), abort.signal);
  }
}
