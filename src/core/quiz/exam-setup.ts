// Setting up an exam drill's tasks: each in its namespace, all at once except where two touch the
// same thing (a cluster-scoped object, a node, a namespace), and with a rollout the set-up waits
// for watched through the API, so that the wait is the cluster's own (on a sandbox the bot hurries,
// seconds of simulated time) rather than a kubectl process's in real time.
import type { KubeObject } from '../kube/client.js';
import { kubectlArgs } from '../kube/kubectl.js';
import { Slots } from '../learning/slots.js';
import { clientOf, kubectlOn, manifestObjects, pause, teardown, type Target } from '../lessons/workspace.js';
import { LearnerError } from '../problems.js';
import type { SetupEntry } from '../lessons/types.js';
import type { ExamTask } from './types.js';

/** Anything: a command that names no namespace may reach into any of them. */
const ANYTHING = '*';

// Kinds whose objects live outside namespaces, as exam tasks make and delete them.
const CLUSTER_SCOPED = new Set(['namespace', 'node', 'persistentvolume', 'storageclass', 'clusterrole', 'clusterrolebinding', 'priorityclass', 'ingressclass', 'customresourcedefinition', 'runtimeclass', 'validatingwebhookconfiguration', 'mutatingwebhookconfiguration', 'csidriver', 'apiservice']);
const NODE_WORDS = new Set(['node', 'nodes', 'no']);

/** What a kubectl command line touches: its namespace, or the nodes, or anything at all. */
function commandTouches(line: string): string[] {
  let args: string[];
  try {
    args = kubectlArgs(line);
  } catch {
    return [ANYTHING];
  }
  if (args.some((a) => a === '-A' || a === '--all-namespaces' || a.startsWith('--all-namespaces='))) return [ANYTHING];
  if (['cordon', 'uncordon', 'drain', 'taint'].includes(args[0])) return ['node'];
  if (args.some((a) => NODE_WORDS.has(a.toLowerCase()) || /^(nodes?|no)\//i.test(a))) return ['node'];
  const out: string[] = [];
  args.forEach((a, i) => {
    if ((a === '-n' || a === '--namespace') && args[i + 1]) out.push(`ns/${args[i + 1]}`);
    else if (a.startsWith('--namespace=')) out.push(`ns/${a.slice('--namespace='.length)}`);
    else if (/^-n[^-]/.test(a)) out.push(`ns/${a.slice(2)}`);
  });
  return out.length ? out : [ANYTHING];
}

function objectTouches(obj: { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } }, namespace: string): string {
  const kind = String(obj.kind ?? '').toLowerCase();
  if (CLUSTER_SCOPED.has(kind)) return kind === 'node' ? 'node' : `${kind}/${String(obj.metadata?.name ?? '')}`;
  return `ns/${typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : namespace}`;
}

/**
 * What a task's set-up and reset touch, as keys: `ns/NAME` for a namespace, `kind/NAME` for a
 * cluster-scoped object, `node` for any node, `*` for what cannot be told. Pure.
 */
export function taskTouches(task: ExamTask): string[] {
  const keys = new Set<string>([`ns/${task.namespace}`]);
  for (const entry of task.setup ?? []) {
    if ('apply' in entry) {
      let objs: KubeObject[];
      try {
        objs = manifestObjects(entry.apply);
      } catch {
        // A manifest that cannot be read fails its own set-up; it shares nothing with the others.
        continue;
      }
      for (const obj of objs) keys.add(objectTouches(obj, task.namespace));
    } else if (!rolloutWait(entry)) for (const k of commandTouches(entry.run)) keys.add(k);
  }
  for (const ref of task.reset?.delete ?? []) keys.add(objectTouches({ kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } }, task.namespace));
  for (const line of task.reset?.run ?? []) for (const k of commandTouches(line)) keys.add(k);
  return [...keys];
}

/**
 * For each task, the earlier tasks it must wait for: those touching something it touches. Tasks
 * with nothing in common (in different namespaces, as most are) are set up side by side. Pure.
 */
export function setupOrder(tasks: ExamTask[]): number[][] {
  const touches = tasks.map((t) => new Set(taskTouches(t)));
  const clash = (a: Set<string>, b: Set<string>) => a.has(ANYTHING) || b.has(ANYTHING) || [...a].some((k) => b.has(k));
  return tasks.map((_, i) => touches.slice(0, i).flatMap((earlier, j) => (clash(earlier, touches[i]) ? [j] : [])));
}

/** A set-up step that only waits for a Deployment's rollout: `kubectl rollout status deployment/NAME -n NS`. */
export function rolloutWait(entry: SetupEntry): { name: string; namespace?: string } | undefined {
  if (!('run' in entry)) return undefined;
  let args: string[];
  try {
    args = kubectlArgs(entry.run);
  } catch {
    return undefined;
  }
  if (args[0] !== 'rollout' || args[1] !== 'status') return undefined;
  const rest = args.slice(2);
  let namespace: string | undefined;
  const names: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '-n' || a === '--namespace') namespace = rest[++i];
    else if (a.startsWith('--namespace=')) namespace = a.slice('--namespace='.length);
    // Any other flag (a timeout, a revision, a watch setting) asks for more than this wait does.
    else if (a.startsWith('-')) return undefined;
    else names.push(a);
  }
  const [kind, name] = names.length === 1 ? names[0].split('/') : names;
  if (!name || names.length > 2 || !['deployment', 'deployments', 'deploy'].includes(kind.toLowerCase())) return undefined;
  return { name, namespace };
}

/**
 * Where a Deployment's rollout stands, as `kubectl rollout status` judges it: done once the
 * controller has seen the latest spec and every replica is updated and available, with no old
 * one left. Pure.
 */
export function rolloutState(d: { metadata?: unknown; spec?: unknown; status?: unknown } | undefined): 'done' | 'waiting' | { failed: string } {
  if (!d) return { failed: 'it does not exist' };
  const spec = (d.spec ?? {}) as { replicas?: number };
  const status = (d.status ?? {}) as { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: { type?: string; reason?: string; message?: string }[] };
  const generation = (d.metadata as { generation?: number } | undefined)?.generation ?? 0;
  if ((status.observedGeneration ?? 0) < generation) return 'waiting';
  const stuck = status.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  if (stuck) return { failed: stuck.message ?? 'it exceeded its progress deadline' };
  const updated = status.updatedReplicas ?? 0;
  if (updated < (spec.replicas ?? 1)) return 'waiting';
  if ((status.replicas ?? 0) > updated) return 'waiting';
  if ((status.availableReplicas ?? 0) < updated) return 'waiting';
  return 'done';
}

/** How long a set-up waits for a rollout, in real time, before it gives up. */
const ROLLOUT_TIMEOUT_MS = 120_000;
/** Each look at a rollout in progress lets the cluster move on this much. */
const ROLLOUT_STEP_MS = 250;

/**
 * Waits for a Deployment's rollout, however the cluster is best watched: where it lives, or
 * through the API. Resolves to where it ended: done, failed, or still waiting at the deadline.
 */
export type RolloutWaiter = (namespace: string, name: string, timeoutMs: number) => Promise<RolloutState>;

export type RolloutState = ReturnType<typeof rolloutState>;

/** Through the API: a look, then the cluster let move on a little (the target's pause), again. */
function rolloutThroughApi(t: Target): RolloutWaiter {
  return async (namespace, name, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = rolloutState(await clientOf(t).get('deployments', name, namespace));
      if (state !== 'waiting' || Date.now() > deadline) return state;
      await pause(t, ROLLOUT_STEP_MS);
    }
  };
}

export interface SetUpOptions {
  /** How rollouts are waited for (default: through the target's API and its pause). */
  rollout?: RolloutWaiter;
}

async function waitForRollout(wait: { name: string; namespace?: string }, task: ExamTask, t: Target, opts: SetUpOptions): Promise<void> {
  const namespace = wait.namespace ?? task.namespace;
  const state = await (opts.rollout ?? rolloutThroughApi(t))(namespace, wait.name, ROLLOUT_TIMEOUT_MS);
  if (state === 'done') return;
  if (state === 'waiting') throw new LearnerError(`setting up "${task.title}" failed: the Deployment ${wait.name} in ${namespace} was still rolling out after ${ROLLOUT_TIMEOUT_MS / 1000} s`, 'Start the drill again in a minute; the machine may be busy.');
  throw new LearnerError(`setting up "${task.title}" failed: the Deployment ${wait.name} in ${namespace} did not roll out (${state.failed})`, 'Start the drill again; if it fails again, the cluster may lack something the task needs.');
}

/** Sets one task up afresh in its namespace: what a previous attempt left goes first. */
export async function setUpTask(task: ExamTask, t: Target, opts: SetUpOptions = {}): Promise<void> {
  await teardown({ namespaces: [task.namespace], reset: task.reset }, t);
  await clientOf(t).apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: task.namespace, labels: { 'kubedojo.dev/lesson': 'true' } } });
  for (const entry of task.setup ?? []) {
    const rollout = rolloutWait(entry);
    if (rollout) await waitForRollout(rollout, task, t, opts);
    else if ('apply' in entry) for (const obj of manifestObjects(entry.apply)) await clientOf(t).apply(obj, task.namespace);
    else {
      const r = await kubectlOn(t, kubectlArgs(entry.run));
      if (r.code !== 0) throw new LearnerError(`setting up "${task.title}" failed at \`${entry.run}\`: ${r.stderr.trim()}`, 'Start the drill again; if it fails again, the cluster may lack something the task needs.');
    }
  }
}

/** Tasks set up at once at most (each is a few API calls and, for some, a kubectl or a rollout). */
const AT_ONCE = 8;

/**
 * Sets every task up, side by side where they touch nothing in common. When one fails, the rest
 * are let finish (so that clearing up afterwards finds nothing still being made) and the first
 * failure is thrown.
 */
export async function setUpTasks(tasks: ExamTask[], t: Target, opts: SetUpOptions & { atOnce?: number } = {}): Promise<void> {
  const order = setupOrder(tasks);
  const slots = new Slots(opts.atOnce ?? AT_ONCE);
  const done: Promise<void>[] = [];
  tasks.forEach((task, i) => {
    done.push(Promise.allSettled(order[i].map((j) => done[j])).then(() => slots.run(() => setUpTask(task, t, opts))));
  });
  const failed = (await Promise.allSettled(done)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
