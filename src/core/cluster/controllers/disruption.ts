// PodDisruptionBudgets (pkg/controller/disruption): the controller keeps each budget's status —
// how many selected pods are healthy, how many must be, and so how many may be disrupted now.
// The eviction subresource that reads it is the API server's: apiserver/subresources/eviction.ts.
import { rfc3339 } from '../clock.js';
import type { Cluster } from '../cluster.js';
import type { ReplicaSet, StatefulSet, Deployment } from 'kubernetes-types/apps/v1.js';
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { Stored } from '../kinds/types.js';
import { selectorFromLabelSelector } from '../selectors.js';
import type { StoreEvent } from '../store.js';
import type { Controller, ControllerContext } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import { controllerOf, isPodReady, kind, setCondition, writeStatus } from './util.js';
import { dict } from '../own.js';

const PDBS = 'policy/poddisruptionbudgets';
/** How long an eviction's claim on the budget holds before the controller stops expecting the pod to go. */
const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** The budgets whose selector takes this pod (in policy/v1 an empty selector takes every pod). */
export function budgetsFor(cluster: Cluster, pod: Stored<Pod>): Stored<PodDisruptionBudget>[] {
  const budgets: Stored<PodDisruptionBudget>[] = cluster.store.list(PDBS, pod.metadata.namespace);
  return budgets.filter((pdb) => pdb.spec?.selector && selectorFromLabelSelector(pdb.spec.selector).matches(pod.metadata.labels ?? {}));
}

function scaled(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const pct = Number(String(value).replace('%', ''));
  const exact = (pct * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** The replicas the pods' controllers want: the expected count a percentage or maxUnavailable reads. */
function expectedScale(cluster: Cluster, pods: Stored<Pod>[]): number {
  const seen = new Map<string, number>();
  let unmanaged = 0;
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) {
      unmanaged++;
      continue;
    }
    if (seen.has(ref.uid)) continue;
    const ns = pod.metadata.namespace;
    let owner: Stored<ReplicaSet | Deployment | StatefulSet | ReplicationController> | undefined;
    if (ref.kind === 'ReplicaSet') {
      const rs = cluster.store.get('apps/replicasets', ns, ref.name);
      const dep = rs && controllerOf(rs);
      owner = dep?.kind === 'Deployment' ? cluster.store.get('apps/deployments', ns, dep.name) : rs;
    } else if (ref.kind === 'StatefulSet') owner = cluster.store.get('apps/statefulsets', ns, ref.name);
    else if (ref.kind === 'ReplicationController') owner = cluster.store.get('/replicationcontrollers', ns, ref.name);
    seen.set(ref.uid, owner ? (owner.spec?.replicas ?? 1) : 1);
  }
  return [...seen.values()].reduce((a, b) => a + b, 0) + unmanaged;
}

/** The status a budget should show (disruption.go's getExpectedPodCount and updatePdbStatus). */
export function budgetStatus(pdb: Stored<PodDisruptionBudget>, pods: Stored<Pod>[], expectedScaleOf: () => number, now: Date) {
  const spec = pdb.spec ?? {};
  let expectedPods: number;
  let desiredHealthy: number;
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    expectedPods = expectedScaleOf();
    desiredHealthy = Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods, true));
  } else if (typeof spec.minAvailable === 'string') {
    expectedPods = expectedScaleOf();
    desiredHealthy = scaled(spec.minAvailable, expectedPods, true);
  } else {
    expectedPods = pods.length;
    desiredHealthy = spec.minAvailable ?? 1;
  }
  const disrupted = dict<string>();
  for (const [name, at] of Object.entries(pdb.status?.disruptedPods ?? {})) {
    const pod = pods.find((p) => p.metadata.name === name);
    // An eviction's claim stands until its pod is on its way out, or it never went.
    if (pod && !pod.metadata.deletionTimestamp && Date.parse(at) + DELETION_TIMEOUT_MS > now.getTime()) disrupted[name] = at;
  }
  const currentHealthy = pods.filter((p) => !p.metadata.deletionTimestamp && isPodReady(p) && !disrupted[p.metadata.name!]).length;
  const disruptionsAllowed = Math.max(0, currentHealthy - desiredHealthy);
  const conditions = setCondition(
    pdb.status?.conditions,
    disruptionsAllowed > 0 ? { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: pdb.metadata.generation } : { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: pdb.metadata.generation },
    rfc3339(now),
  );
  return {
    ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
    disruptionsAllowed,
    currentHealthy,
    desiredHealthy,
    expectedPods,
    conditions,
    observedGeneration: pdb.metadata.generation ?? 1,
  };
}

function selectedPods(cluster: Cluster, pdb: Stored<PodDisruptionBudget>): Stored<Pod>[] {
  if (!pdb.spec?.selector) return [];
  const selector = selectorFromLabelSelector(pdb.spec.selector);
  const pods: Stored<Pod>[] = cluster.store.list('/pods', pdb.metadata.namespace);
  return pods.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? '') && selector.matches(p.metadata.labels ?? {}));
}

function podKeys(e: StoreEvent, ctx: ControllerContext): string[] {
  const keys = new Set<string>();
  for (const pod of [e.object, e.previous]) if (pod) for (const pdb of budgetsFor(ctx.cluster, pod)) keys.add(keyOf(pdb));
  return [...keys];
}

export const disruptionController: Controller = {
  name: 'disruption-controller',
  watches: [
    { resource: PDBS, keys: (e) => (e.type === 'DELETED' ? [] : [keyOf(e.object)]) },
    { resource: '/pods', keys: podKeys },
    // The scale of the pods' controllers sets a percentage's or maxUnavailable's expectations.
    ...['apps/deployments', 'apps/replicasets', 'apps/statefulsets', '/replicationcontrollers'].map((resource) => ({
      resource,
      keys: (e: StoreEvent, ctx: ControllerContext) => ctx.cluster.store.list(PDBS, e.object.metadata.namespace).map(keyOf),
    })),
  ],
  initialKeys: (ctx) => ctx.cluster.store.list(PDBS).map(keyOf),
  reconcile(key, ctx) {
    const [ns, name] = splitKey(key);
    const pdb: Stored<PodDisruptionBudget> | undefined = ctx.cluster.store.get(PDBS, ns, name);
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    const pods = selectedPods(ctx.cluster, pdb);
    const status = budgetStatus(pdb, pods, () => expectedScale(ctx.cluster, pods), ctx.now());
    if (!pods.length) {
      ctx.events.record({ component: 'controllermanager' }, { kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', object: pdb }, 'Normal', 'NoPods', 'No matching pods found');
    }
    writeStatus(ctx.cluster, kind(ctx.cluster, 'policy', 'poddisruptionbudgets'), pdb, status);
    if (status.disruptedPods) ctx.requeueAfter(key, DELETION_TIMEOUT_MS);
  },
};
