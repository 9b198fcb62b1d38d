// Where a lesson (or an exam task) lives in a cluster: its own namespaces, the objects its setup
// creates, and whatever its reset must undo outside them. A lesson never touches other namespaces,
// so the same lesson runs on a learner's real cluster beside their own work.
import { parseAllYamlDocuments } from '../yaml-on-demand.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { kubectlArgs, type KubectlRun } from '../kube/kubectl.js';
import { directRunner, type KubectlRunner, type KubectlTarget } from '../kube/runner.js';
import { LearnerError } from '../problems.js';
import { runChecks, type CheckResult } from './checks.js';
import type { Check, ObjectRef, SetupEntry, SolutionEntry } from './types.js';

export interface Workspace {
  namespaces: string[];
  setup?: SetupEntry[];
  reset?: { delete?: ObjectRef[]; run?: string[] };
}

export interface Target extends KubectlTarget {
  /** Absent for commands that only read the learner's record, which work while no cluster is reachable. */
  client?: KubeClient;
  /** Waits in real time for the cluster to move on (tests on a manual clock step it instead). */
  wait?: (ms: number) => Promise<void>;
  /** How kubectl runs (default: as the learner's own program); the Slack bot's is guarded. */
  runner?: KubectlRunner;
  /** Whose cluster this is, for the runner's fair shares. */
  owner?: string;
}

/** The target's API client, or the learner's error that there is no cluster to reach. */
export function clientOf(t: Target): KubeClient {
  if (!t.client) throw new LearnerError('No cluster is reachable, and this needs one.', 'Start one with `kubedojo serve`, or name one with --kubeconfig and --context, then try again.');
  return t.client;
}

/** Runs kubectl on the target through its runner: lesson and item commands, never a learner's words. */
export function kubectlOn(t: Target, args: string[], input?: string): Promise<KubectlRun> {
  return (t.runner ?? directRunner).run({ args, input, owner: t.owner }, t);
}

/** Lets the cluster move on for a while: real time, or the target's own wait on a manual clock. */
export function pause(t: Target, ms: number): Promise<void> {
  return t.wait ? t.wait(ms) : new Promise<void>((r) => setTimeout(r, ms));
}

/** Creates the namespaces afresh (removing what a previous attempt left) and runs the setup. */
export async function prepare(ws: Workspace, t: Target): Promise<void> {
  await teardown(ws, t);
  for (const ns of ws.namespaces) {
    await clientOf(t).apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubedojo.dev/lesson': 'true' } } });
  }
  for (const entry of ws.setup ?? []) {
    if ('apply' in entry) {
      for (const obj of manifestObjects(entry.apply)) await clientOf(t).apply(obj, ws.namespaces[0]);
    } else {
      const r = await kubectlOn(t, kubectlArgs(entry.run));
      if (r.code !== 0) throw new LearnerError(`setting up failed at \`${entry.run}\`: ${r.stderr.trim()}`, 'Run `kubedojo reset` to try again; if it fails again, the cluster may lack something the lesson needs.');
    }
  }
}

/**
 * Deletes the namespaces and what the reset names, and waits until the namespaces are gone
 * (unless `wait` is false: pods may take their grace period to stop, and whoever prepares the
 * namespaces next waits for them then).
 */
export async function teardown(ws: Workspace, t: Target, opts: { wait?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const { wait: waitForGone = true, timeoutMs = 180_000 } = opts;
  for (const run of ws.reset?.run ?? []) await kubectlOn(t, kubectlArgs(run));
  for (const ref of ws.reset?.delete ?? []) if (ref.name) await clientOf(t).delete(ref.kind, ref.name, ref.namespace);
  for (const ns of ws.namespaces) await clientOf(t).delete('namespaces', ns);
  if (!waitForGone) return;
  const deadline = Date.now() + timeoutMs;
  for (const ns of ws.namespaces) {
    while (await clientOf(t).get('namespaces', ns)) {
      if (Date.now() > deadline) throw new LearnerError(`namespace ${ns} is still terminating after ${timeoutMs / 1000} s`, `Look at \`kubectl get all -n ${ns}\` for what holds it, then try again.`);
      await pause(t, 250);
    }
  }
}

/** The documents of a manifest, without empty ones. */
export function manifestObjects(text: string): KubeObject[] {
  const docs = parseAllYamlDocuments(text);
  const out: KubeObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new LearnerError(`the manifest is not valid YAML: ${doc.errors[0].message}`, 'Check the indentation and the colons.');
    const obj = doc.toJS() as KubeObject | null;
    if (obj === null || obj === undefined) continue;
    if (typeof obj !== 'object' || Array.isArray(obj)) throw new LearnerError('a manifest document is not an object', 'A manifest is a YAML map with apiVersion, kind, metadata and spec.');
    if (obj.kind === 'List' && Array.isArray(obj.items)) out.push(...(obj.items as KubeObject[]));
    else out.push(obj);
  }
  return out;
}

export interface TaskResult {
  text: string;
  checks: CheckResult[];
  passed: boolean;
}

export async function gradeTasks(tasks: { text: string; checks: Check[] }[], namespace: string, t: Target): Promise<TaskResult[]> {
  const out: TaskResult[] = [];
  for (const task of tasks) {
    const checks = await runChecks(task.checks, { client: clientOf(t), namespace });
    out.push({ text: task.text, checks, passed: checks.every((c) => c.passed) });
  }
  return out;
}

/** The command a solution entry stands for, as a learner would type it. */
export function solutionCommand(entry: SolutionEntry, namespace: string): string {
  if (typeof entry === 'string') return entry;
  return `kubectl apply -n ${namespace} -f - <<'EOF'\n${entry.apply.replace(/\n$/, '')}\nEOF`;
}

/** Runs one solution entry with the real kubectl. */
export async function runSolutionEntry(entry: SolutionEntry, namespace: string, t: Target): Promise<KubectlRun> {
  if (typeof entry === 'string') return kubectlOn(t, kubectlArgs(entry));
  return kubectlOn(t, ['apply', '-n', namespace, '-f', '-'], entry.apply);
}
