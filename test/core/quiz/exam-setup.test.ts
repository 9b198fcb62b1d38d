// Setting up an exam drill: tasks with nothing in common side by side, tasks that touch the same
// thing one after the other; a rollout the set-up waits for is waited for on the cluster's own
// clock; the drill's clock starts once the tasks are ready; a failed set-up leaves nothing started.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutState, rolloutWait, setupOrder, setUpTasks, taskTouches } from '../../../src/core/quiz/exam-setup.js';
import { startExam } from '../../../src/core/quiz/exam-session.js';
import { loadExamBank } from '../../../src/core/quiz/exam-bank.js';
import type { ExamBank, ExamTask } from '../../../src/core/quiz/types.js';
import { Sandboxes } from '../../../src/core/hosting/sandboxes.js';
import { SandboxClock } from '../../../src/core/hosting/sandbox-clock.js';
import type { Target } from '../../../src/core/lessons/workspace.js';
import type { KubeClient } from '../../../src/core/kube/client.js';
import { kubectlEnv, removeKubectlCaches } from '../../helpers/kubectl.js';

const task = (id: string, extra: Partial<ExamTask> = {}): ExamTask => ({ id, domain: 'design', title: `Task ${id}`, text: '', namespace: `exam-${id}`, checks: [], solution: [], ...extra });

describe('what a task\'s set-up touches', () => {
  it('is its namespace, the cluster-scoped objects it makes or deletes, and the nodes its commands name', () => {
    const cka = loadExamBank('cka');
    const byId = (id: string) => cka.tasks.find((t) => t.id === id)!;
    expect(taskTouches(byId('clusterrole-node-reader'))).toEqual(expect.arrayContaining(['ns/exam-cka-nodereader', 'clusterrolebinding/exam-cka-node-reader', 'clusterrole/exam-cka-node-reader']));
    expect(taskTouches(byId('node-selector'))).toContain('node');
    expect(taskTouches(task('pv', { setup: [{ apply: 'apiVersion: v1\nkind: PersistentVolume\nmetadata: { name: shared-pv }\nspec: {}\n' }] }))).toEqual(['ns/exam-pv', 'persistentvolume/shared-pv']);
  });

  it('is anything at all for a command that names no namespace', () => {
    expect(taskTouches(task('loose', { setup: [{ run: 'kubectl create configmap x' }] }))).toContain('*');
  });
});

describe('the order of a drill\'s set-up', () => {
  it('sets up tasks in different namespaces side by side', () => {
    expect(setupOrder([task('a'), task('b'), task('c')])).toEqual([[], [], []]);
  });

  it('makes a task wait for the earlier ones that touch the same object, node or namespace', () => {
    const pv = (id: string) => task(id, { reset: { delete: [{ kind: 'PersistentVolume', name: 'shared-pv' }] } });
    const node = (id: string) => task(id, { reset: { run: ['kubectl label node kubedojo-worker2 disk-'] } });
    const loose = task('loose', { setup: [{ run: 'kubectl get pods' }] });
    expect(setupOrder([pv('a'), node('b'), pv('c'), node('d'), task('e'), loose])).toEqual([[], [], [0], [1], [], [0, 1, 2, 3, 4]]);
  });

  it('keeps every task of the shipped banks in a namespace of its own, so most are set up at once', () => {
    for (const track of ['cka', 'ckad'] as const) {
      const order = setupOrder(loadExamBank(track).tasks);
      expect(order.filter((waits) => waits.length === 0).length, track).toBeGreaterThan(order.length / 2);
    }
  });
});

describe('a rollout the set-up waits for', () => {
  it('is read from `kubectl rollout status` of a Deployment, and nothing else', () => {
    expect(rolloutWait({ run: 'kubectl rollout status deployment/web -n exam-ckad-undo' })).toEqual({ name: 'web', namespace: 'exam-ckad-undo' });
    expect(rolloutWait({ run: 'kubectl rollout status deploy web' })).toEqual({ name: 'web', namespace: undefined });
    expect(rolloutWait({ run: 'kubectl rollout status daemonset/agent -n x' })).toBeUndefined();
    expect(rolloutWait({ run: 'kubectl rollout status deployment/web --timeout=10s' })).toBeUndefined();
    expect(rolloutWait({ run: 'kubectl set image deployment/web web=nginx' })).toBeUndefined();
  });

  it('is done once the latest spec is seen and every replica is updated and available, with no old one left', () => {
    const d = (status: object, generation = 2) => ({ metadata: { generation }, spec: { replicas: 2 }, status: { observedGeneration: 2, ...status } });
    expect(rolloutState(d({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 }))).toBe('done');
    expect(rolloutState(d({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 }, 3))).toBe('waiting');
    expect(rolloutState(d({ replicas: 3, updatedReplicas: 2, availableReplicas: 2 }))).toBe('waiting');
    expect(rolloutState(d({ replicas: 2, updatedReplicas: 1, availableReplicas: 2 }))).toBe('waiting');
    expect(rolloutState(d({ replicas: 2, updatedReplicas: 2, availableReplicas: 1 }))).toBe('waiting');
    expect(rolloutState(d({ conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded', message: 'too slow' }] }))).toEqual({ failed: 'too slow' });
    expect(rolloutState(undefined)).toEqual({ failed: 'it does not exist' });
  });
});

// Sandboxes whose real time stands still: only a hurry moves their clocks, so a set-up that waits
// for pods can only finish if its waits are on the cluster's clock.
let home: string;
let sandboxes: Sandboxes;
let env: NodeJS.ProcessEnv;
const STILL = Date.now();
beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-exam-setup-'));
  env = { ...kubectlEnv(), KUBEDOJO_HOME: home };
  sandboxes = await Sandboxes.start({ env, clock: () => new SandboxClock(() => STILL) });
});
afterAll(async () => {
  await sandboxes?.close();
  rmSync(home, { recursive: true, force: true });
  removeKubectlCaches();
});

let learners = 0;
async function stillCluster(): Promise<{ target: Target; key: string; client: KubeClient }> {
  const key = `slack:T1:USETUP${++learners}`;
  const sb = await sandboxes.get(key);
  const target: Target = {
    client: sb.client,
    kubeconfig: sb.kubeconfig,
    socket: sb.socket,
    env,
    wait: async (ms) => {
      await sandboxes.hurry(key, ms);
      await new Promise((r) => setImmediate(r));
    },
  };
  return { target, key, client: sb.client };
}

/** Counts the API writes in flight at once on a client (the real one underneath). */
function countingWrites(client: KubeClient): { client: KubeClient; most: () => number } {
  let now = 0;
  let most = 0;
  const counted = Object.create(client) as KubeClient;
  counted.apply = async (...args: Parameters<KubeClient['apply']>) => {
    most = Math.max(most, ++now);
    try {
      return await client.apply(...args);
    } finally {
      now--;
    }
  };
  return { client: counted, most: () => most };
}

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { a: b }\n`;

describe('setting a drill up on a sandbox', () => {
  it('waits for a rollout on the cluster\'s clock: it finishes while real time stands still', async () => {
    const c = await stillCluster();
    const deploy = task('rolled', {
      setup: [
        { apply: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 2\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers:\n        - { name: web, image: "httpd:2.4" }\n' },
        { run: 'kubectl rollout status deployment/web -n exam-rolled' },
      ],
    });
    await setUpTasks([deploy], c.target, { rollout: (ns, name, ms) => sandboxes.awaitRollout(c.key, ns, name, ms) });
    const d = await c.client.get('deployments', 'web', 'exam-rolled');
    expect(rolloutState(d)).toBe('done');
    expect((d?.status as { availableReplicas?: number }).availableReplicas).toBe(2);
  });

  it('sets tasks in different namespaces up side by side, and one touching the same object after the other', async () => {
    const c = await stillCluster();
    const apart = countingWrites(c.client);
    await setUpTasks([1, 2, 3, 4].map((n) => task(`apart${n}`, { setup: [{ apply: configMap('one') }, { apply: configMap('two') }] })), { ...c.target, client: apart.client });
    expect(apart.most()).toBeGreaterThan(1);

    const shared = countingWrites(c.client);
    const pv = (n: number) => task(`pv${n}`, { setup: [{ apply: configMap('one') }], reset: { delete: [{ kind: 'PersistentVolume', name: 'exam-shared-pv' }] } });
    await setUpTasks([pv(1), pv(2), pv(3)], { ...c.target, client: shared.client });
    expect(shared.most()).toBe(1);
  });

  it('starts the drill\'s clock once the tasks are ready, not before', async () => {
    const c = await stillCluster();
    const bank: ExamBank = { ...loadExamBank('ckad'), domains: [{ id: 'design', name: 'Design', weight: 100 }], tasks: [task('clocked', { setup: [{ apply: configMap('ready') }] })] };
    const readings: string[] = [];
    const now = () => {
      readings.push('read');
      return new Date('2026-12-06T10:00:00Z');
    };
    const probe = countingWrites(c.client);
    const counted = probe.client;
    const apply = counted.apply;
    counted.apply = async (...args) => {
      readings.push('set up');
      return apply(...args);
    };
    const { exam } = await startExam(bank, { ...c.target, client: counted }, { now, seed: 1, count: 1 });
    expect(readings.at(-1)).toBe('read');
    expect(readings.filter((r) => r === 'read')).toHaveLength(1);
    expect(exam.startedAt).toBe('2026-12-06T10:00:00.000Z');
    expect(exam.deadline).toBe(new Date(Date.parse('2026-12-06T10:00:00Z') + bank.minutes * 60_000).toISOString());
  });

  it('says which task failed in words, and clears what the others made, when one cannot be set up', async () => {
    const c = await stillCluster();
    const bank: ExamBank = {
      ...loadExamBank('ckad'),
      domains: [{ id: 'design', name: 'Design', weight: 100 }],
      tasks: [task('fine', { setup: [{ apply: configMap('made') }] }), task('broken', { title: 'A broken task', setup: [{ run: 'kubectl get configmap missing -n exam-broken' }] })],
    };
    await expect(startExam(bank, c.target, { now: () => new Date(), seed: 1, count: 2 })).rejects.toThrow(/setting up "A broken task" failed at `kubectl get configmap missing -n exam-broken`/);
    for (const ns of ['exam-fine', 'exam-broken']) {
      const left = await c.client.get('namespaces', ns);
      expect(left === undefined || Boolean(left.metadata?.deletionTimestamp), `${ns} is gone or going`).toBe(true);
    }
  });
});
