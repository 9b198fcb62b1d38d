// The CLI's learner (the local user) and their tutor on the cluster the command names.
import { ClusterHost } from '../core/cluster-host.js';
import { openLearnerRecord } from '../core/learner-record.js';
import { Tutor, type LearnerRecord } from '../core/tutor.js';
import type { Target } from '../core/lessons/workspace.js';
import { LearnerError } from '../core/problems.js';
import { KubeClient } from '../core/kube/client.js';
import { cliTarget } from './target.js';

export function openLearner(env: NodeJS.ProcessEnv = process.env): LearnerRecord {
  return openLearnerRecord(env);
}

let host: Promise<ClusterHost> | undefined;

/** Runs `fn` with a scratch-cluster host that is closed afterwards. */
export async function withHost<T>(fn: (host: ClusterHost) => Promise<T>): Promise<T> {
  const h = await ClusterHost.start();
  try {
    return await fn(h);
  } finally {
    await h.close();
  }
}

/**
 * The tutor for this command. Commands that only read the learner's record (hint, solution,
 * lessons) do not need the cluster, and work while it is down.
 */
export function openSession(values: { kubeconfig?: string; context?: string }, opts: { needCluster?: boolean } = {}): { session: Tutor['session']; tutor: Tutor } {
  let target: Target;
  try {
    target = cliTarget(values);
  } catch (err) {
    if (opts.needCluster === false && err instanceof LearnerError) target = { client: undefined as unknown as KubeClient };
    else throw err;
  }
  const tutor = new Tutor({ target, learner: openLearner(), host: () => (host ??= ClusterHost.start()) });
  return { session: tutor.session, tutor };
}
