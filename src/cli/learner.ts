// The CLI's learner (the local user) and their tutor on the cluster the command names.
import { ClusterHost, LearnerError, type LearnerRecord, openLearnerRecord, type Target, Tutor } from '../core/index.js';
import { cliTarget } from './target.js';

export function openLearner(env: NodeJS.ProcessEnv = process.env): LearnerRecord {
  return openLearnerRecord(env);
}

/**
 * The tutor for this command. Commands that only read the learner's record (hint, solution,
 * lessons, quiz) do not need the cluster, and work while it is down; those that never read it
 * (`readsCluster: false`) do not even read the kubeconfig. A scratch-cluster host for grading
 * command and manifest answers starts on first use; `close` stops it.
 */
export function openSession(values: { kubeconfig?: string; context?: string }, opts: { needCluster?: boolean; readsCluster?: boolean } = {}): { session: Tutor['session']; tutor: Tutor; close(): Promise<void> } {
  let target: Target = {};
  try {
    if (opts.readsCluster !== false) target = cliTarget(values);
  } catch (err) {
    // Without a cluster the target has no client; what needs one says so when it is asked.
    if (opts.needCluster === false && err instanceof LearnerError) target = {};
    else throw err;
  }
  let host: Promise<ClusterHost> | undefined;
  const tutor = new Tutor({ target, learner: openLearner(), host: () => (host ??= ClusterHost.start()) });
  return { session: tutor.session, tutor, close: async () => host && (await host).close() };
}
