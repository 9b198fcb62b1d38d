// Proving lessons and exam tasks: on a fresh simulated cluster (manual clock), each one of a step's
// checks must fail before its solution (a check that already holds tests nothing the learner does,
// and gives credit for an untouched exam task) without its label or message giving the answer
// away, and all must pass after it, with the real kubectl running the solution.
import { afterAll, beforeAll, expect } from 'vitest';
import { ClusterHost, type HostedSandbox } from '../../src/core/hosting/cluster-host.js';
import { ManualClock } from '../../src/core/cluster/clock.js';
import { gradeTasks, prepare, runSolutionEntry, teardown, type Target, type TaskResult, type Workspace } from '../../src/core/lessons/workspace.js';
import { kubectlEnv, removeKubectlCaches } from './kubectl.js';
import type { SolutionEntry, Task } from '../../src/core/lessons/types.js';
import { leakedAnswers } from './answers.js';

/** One ClusterHost for a test file (started before, closed after), and a kubectl environment. */
export function useHost(): { readonly host: ClusterHost; readonly env: NodeJS.ProcessEnv } {
  let host: ClusterHost | undefined;
  let env: NodeJS.ProcessEnv | undefined;
  beforeAll(async () => {
    host = await ClusterHost.start();
    env = kubectlEnv();
  });
  afterAll(async () => {
    await host?.close();
    removeKubectlCaches();
  });
  return {
    get host() {
      if (!host) throw new Error('the cluster host has not started (see beforeAll)');
      return host;
    },
    get env() {
      return env ?? kubectlEnv();
    },
  };
}

export interface Proving {
  sandbox: HostedSandbox;
  clock: ManualClock;
  target: Target;
  /** Runs fn while simulated time flows: one second every 5 ms of real time. */
  ticking<T>(fn: () => Promise<T>): Promise<T>;
  dispose(): void;
}

export function freshCluster(host: ClusterHost): Proving {
  const clock = new ManualClock(new Date());
  const sandbox = host.create({ clock });
  // A command run by an exec check takes the time it would take: a wget that times out waits on
  // the cluster's clock, so the clock moves (a second every 25 ms) while the command runs.
  const client = Object.create(sandbox.client) as typeof sandbox.client;
  client.exec = async (...args: Parameters<typeof client.exec>) => {
    const timer = setInterval(() => clock.advance(1000), 25);
    try {
      return await sandbox.client.exec(...args);
    } finally {
      clearInterval(timer);
    }
  };
  const target: Target = {
    client,
    kubeconfig: sandbox.kubeconfig,
    env: kubectlEnv(),
    wait: async () => {
      clock.advance(1000);
      await new Promise((r) => setImmediate(r));
    },
  };
  return {
    sandbox,
    clock,
    target,
    async ticking(fn) {
      const timer = setInterval(() => clock.advance(1000), 5);
      try {
        return await fn();
      } finally {
        clearInterval(timer);
      }
    },
    dispose: () => sandbox.dispose(),
  };
}

function failures(results: TaskResult[]): string[] {
  return results.flatMap((t) => t.checks.filter((c) => !c.passed).map((c) => `${c.label}: ${c.message}`));
}

/** The checks that pass, each with its label and how it is written. */
function holding(tasks: Task[], results: TaskResult[]): string[] {
  return results.flatMap((t, i) => t.checks.flatMap((c, j) => (c.passed ? [`${c.label} ${JSON.stringify(tasks[i].checks[j])}`] : [])));
}

/** The failing checks whose label or message names an answer the task's text does not state. */
function telling(tasks: Task[], results: TaskResult[]): string[] {
  return results.flatMap((t, i) =>
    t.checks.flatMap((c, j) => {
      const check = tasks[i].checks[j];
      // A message made from the check may quote what the learner has; that is theirs, not the answer.
      const message = check.says ?? c.message.replace(/\b(is|printed) `[^`]*`/g, '$1 …');
      const leaked = c.passed ? [] : leakedAnswers(check, `${c.label}\n${message}`, tasks[i].text);
      return leaked.length ? [`"${c.label}" / "${c.message}" names ${leaked.join(', ')}`] : [];
    }),
  );
}

/** Grades until everything passes or `seconds` of simulated time have gone by; returns the last results. */
export async function gradeUntilPass(p: Proving, tasks: Task[], namespace: string, seconds = 600): Promise<TaskResult[]> {
  let results = await gradeTasks(tasks, namespace, p.target);
  for (let waited = 0; waited < seconds && !results.every((r) => r.passed); waited += 5) {
    for (let i = 0; i < 5; i++) p.clock.advance(1000);
    await new Promise((r) => setImmediate(r));
    results = await gradeTasks(tasks, namespace, p.target);
  }
  return results;
}

export async function runSolution(p: Proving, entries: SolutionEntry[], namespace: string): Promise<void> {
  for (const entry of entries) {
    const r = await p.ticking(() => runSolutionEntry(entry, namespace, p.target));
    expect(r.code, `solution \`${typeof entry === 'string' ? entry : 'apply'}\` failed:\n${r.stderr}${r.stdout}`).toBe(0);
  }
}

/** The whole proof for one workspace and its graded parts, in order. */
export async function prove(p: Proving, ws: Workspace, parts: { name: string; tasks: Task[]; solution: SolutionEntry[] }[]): Promise<void> {
  const ns = ws.namespaces[0];
  await p.ticking(() => prepare(ws, p.target));
  for (const part of parts) {
    const before = await gradeTasks(part.tasks, ns, p.target);
    // Soft: the later steps still run, so one run names every check that holds too early.
    expect.soft(holding(part.tasks, before), `${part.name}: checks that already hold before the solution`).toEqual([]);
    expect.soft(telling(part.tasks, before), `${part.name}: checks that give the answer away`).toEqual([]);
    await runSolution(p, part.solution, ns);
    const after = await gradeUntilPass(p, part.tasks, ns);
    expect(failures(after), `${part.name}: checks still failing after the solution`).toEqual([]);
  }
  await p.ticking(() => teardown(ws, p.target));
  for (const n of ws.namespaces) expect(await p.target.client!.get('namespaces', n)).toBeUndefined();
}
