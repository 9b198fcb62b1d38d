// pods/eviction: a pod leaves unless a PodDisruptionBudget covering it allows no more disruptions,
// in which case the answer is 429, as `kubectl drain` expects and retries. The disruption
// controller keeps the budgets' status; this handler reads it, and claims a disruption when it
// lets a pod go, as the apiserver's eviction REST does.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Eviction, PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import { rfc3339 } from '../../cluster/clock.js';
import type { Cluster } from '../../cluster/cluster.js';
import { ApiError, tooManyRequests } from '../../cluster/errors.js';
import type { KObject } from '../../cluster/kinds/types.js';
import { budgetsFor } from '../../cluster/controllers/disruption.js';
import { isPodReady, kind, writeStatus } from '../../cluster/controllers/util.js';
import { decodeObject, readBody } from '../body.js';
import { CREATED, type SubresourceRequest } from './request.js';

export async function serveEviction(r: SubresourceRequest, pod: KObject): Promise<void> {
  const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], 'Eviction') as Eviction | undefined;
  evictPod(r.cluster, pod, { gracePeriodSeconds: body?.deleteOptions?.gracePeriodSeconds, dryRun: !!body?.deleteOptions?.dryRun?.length || r.q.has('dryRun') });
  r.json(201, CREATED);
}

/**
 * The pod is deleted gracefully unless its budget allows no disruption now. A pod that is not
 * running yet, already finished or already going needs no budget.
 */
export function evictPod(cluster: Cluster, pod: KObject, opts: { gracePeriodSeconds?: number; dryRun?: boolean }): void {
  const phase = (pod as Pod).status?.phase ?? '';
  const free = ['Succeeded', 'Failed', 'Pending'].includes(phase) || !!pod.metadata.deletionTimestamp;
  if (!free) claimDisruption(cluster, pod, !!opts.dryRun);
  cluster.delete(kind(cluster, '', 'pods'), pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: opts.gracePeriodSeconds, dryRun: opts.dryRun });
}

/** Refuses the eviction the pod's budget does not allow, or records it among the budget's disrupted pods. */
function claimDisruption(cluster: Cluster, pod: KObject, dryRun: boolean): void {
  const budgets = budgetsFor(cluster, pod) as PodDisruptionBudget[];
  if (budgets.length > 1) {
    // The handler answers with a Status it makes itself, not an error: a 500 with no reason.
    throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 });
  }
  const pdb = budgets[0];
  if (!pdb) return;
  const status: Partial<PodDisruptionBudgetStatus> = pdb.status ?? {};
  // An unready pod may go while the budget is met: it is not one of the healthy ones counted.
  if (!isPodReady(pod) && (status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0)) return;
  // A budget the controller has not caught up with asks the client to come back in ten seconds
  // (a Retry-After client-go honours by itself); one that allows no disruption suggests no delay,
  // and kubectl drain retries on its own schedule.
  const stale = (status.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 1);
  if (stale || (status.disruptionsAllowed ?? 0) <= 0) {
    const err = tooManyRequests(`Cannot evict pod as it would violate the pod's disruption budget.`, stale ? 10 : 0);
    const cause = stale
      ? `The disruption budget ${pdb.metadata?.name} is still being processed by the server.`
      : `The disruption budget ${pdb.metadata?.name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`;
    err.status.details = { ...(err.status.details ?? {}), causes: [{ reason: 'DisruptionBudget', message: cause }] };
    throw err;
  }
  if (dryRun) return;
  const next = { ...status, disruptionsAllowed: status.disruptionsAllowed! - 1, disruptedPods: { ...(status.disruptedPods ?? {}), [pod.metadata.name!]: rfc3339(cluster.clock.now()) } };
  writeStatus(cluster, kind(cluster, 'policy', 'poddisruptionbudgets'), pdb as KObject, next);
}
