// Proving lessons and exam tasks: on a fresh simulated cluster (manual clock), a step's checks must
// fail before its solution and pass after it, with the real kubectl running the solution.
import { afterAll, beforeAll, expect } from 'vitest';
import { ClusterHost, type HostedSandbox } from '../../src/core/hosting/cluster-host.js';
import { ManualClock } from '../../src/core/cluster/clock.js';
import { gradeTasks, prepare, runSolutionEntry, teardown, type Target, type TaskResult, type Workspace } from '../../src/core/lessons/workspace.js';
import { kubectlEnv, removeKubectlCaches } from './kubectl.js';
import type { SolutionEntry, Task } from '../../src/core/lessons/types.js';

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
  const target: Target = {
    client: sandbox.client,
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
    expect(before.every((t) => t.passed), `${part.name}: its checks already pass before the solution`).toBe(false);
    await runSolution(p, part.solution, ns);
    const after = await gradeUntilPass(p, part.tasks, ns);
    expect(failures(after), `${part.name}: checks still failing after the solution`).toEqual([]);
  }
  await p.ticking(() => teardown(ws, p.target));
  for (const n of ws.namespaces) expect(await p.target.client!.get('namespaces', n)).toBeUndefined();
}
