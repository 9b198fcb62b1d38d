// ReplicaSet and ReplicationController: keep `replicas` pods that match the selector alive. Pods
// are adopted when their labels match and no controller owns them, and released when their labels
// stop matching (the "relabel a pod to take it out" exercise); missing pods are created, extra ones
// deleted, least valuable first (pkg/controller/replicaset/replica_set.go).
import { ApiError } from '../errors.js';
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import type { KindDef, KObject, Stored } from '../kinds/types.js';
import { selectorFromLabelSelector, selectorFromMap, type LabelSelectorMatcher } from '../selectors.js';
import type { StoreEvent } from '../store.js';
import type { Controller, ControllerContext } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import {
  controllerOf,
  deleteIfPresent,
  isPodActive,
  isPodAvailable,
  isPodReady,
  kind,
  mutate,
  onlyStatusChanged,
  podFromTemplate,
  setCondition,
  writeStatus,
} from './util.js';
import { rfc3339 } from '../clock.js';

/** What the two kinds share: replicas, minReadySeconds, the template and the status. */
type Replicated = Stored<ReplicaSet> | Stored<ReplicationController>;

/** How many pods one reconcile creates at most, as the slow-start batches cap a burst. */
const BURST = 500;

interface Flavour {
  name: string;
  group: string;
  plural: string;
  kind: string;
  /** The kinds' selectors differ: a LabelSelector, or a map defaulting to the template's labels. */
  selector(o: KObject): LabelSelectorMatcher;
}

const FLAVOURS: Flavour[] = [
  { name: 'replicaset-controller', group: 'apps', plural: 'replicasets', kind: 'ReplicaSet', selector: (rs: Stored<ReplicaSet>) => selectorFromLabelSelector(rs.spec?.selector) },
  {
    name: 'replication-controller',
    group: '',
    plural: 'replicationcontrollers',
    kind: 'ReplicationController',
    selector: (rc: Stored<ReplicationController>) => (rc.spec?.selector && Object.keys(rc.spec.selector).length ? selectorFromMap(rc.spec.selector) : selectorFromMap(rc.spec?.template?.metadata?.labels)),
  },
];

/** Rank for scale-down: lower goes first (controller.ActivePodsWithRanks, simplified). */
const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionOrder(a: Stored<Pod>, b: Stored<Pod>): number {
  const assigned = (p: Stored<Pod>) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phaseRank = (p: Stored<Pod>) => PHASE_RANK[String(p.status?.phase)] ?? 0;
  if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b);
  const ready = (p: Stored<Pod>) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const restarts = (p: Stored<Pod>) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp));
}

function makeController(f: Flavour): Controller {
  const resource = `${f.group}/${f.plural}`;
  const ownersOf = (e: StoreEvent, ctx: ControllerContext): string[] => {
    const keys = new Set<string>();
    for (const pod of [e.object, e.previous]) {
      if (!pod) continue;
      const ref = controllerOf(pod);
      if (ref?.kind === f.kind) keys.add(`${pod.metadata.namespace}/${ref.name}`);
      else if (!ref && e.type !== 'DELETED') {
        // An orphan: whichever of this kind selects it may adopt it.
        for (const o of ctx.cluster.store.list(resource, pod.metadata.namespace)) {
          if (f.selector(o).matches(pod.metadata.labels)) keys.add(keyOf(o));
        }
      }
    }
    return [...keys];
  };
  return {
    name: f.name,
    watches: [
      // Its own status writes are not news: reacting to them would retry a refused create at once.
      { resource, keys: (e) => (e.type === 'MODIFIED' && e.previous && onlyStatusChanged(e.previous, e.object) ? [] : [keyOf(e.object)]) },
      { resource: '/pods', keys: ownersOf },
    ],
    initialKeys: (ctx) => ctx.cluster.store.list(resource).map(keyOf),
    reconcile(key, ctx) {
      const [ns, name] = splitKey(key);
      const def = kind(ctx.cluster, f.group, f.plural);
      const owner = ctx.cluster.store.get(resource, ns, name);
      if (!owner || owner.metadata.deletionTimestamp) return;
      reconcileReplicas(f, def, owner, ctx);
    },
  };
}

function reconcileReplicas(f: Flavour, def: KindDef, owner: KObject, ctx: ControllerContext): void {
  const { cluster } = ctx;
  const podDef = kind(cluster, '', 'pods');
  const o: Replicated = owner;
  const selector = f.selector(owner);
  const ns = owner.metadata.namespace!;
  const source = { component: f.name };
  const on = { kind: f.kind, apiVersion: f.group ? `${f.group}/v1` : 'v1', object: owner };

  // Claim: keep what still matches, release what does not, adopt matching orphans.
  const owned: KObject[] = [];
  for (const pod of cluster.dependentsOf(owner.metadata.uid!, '/pods')) {
    if (controllerOf(pod)?.uid !== owner.metadata.uid) continue;
    if (selector.matches(pod.metadata.labels)) owned.push(pod);
    else if (!pod.metadata.deletionTimestamp) {
      mutate(cluster, podDef, pod, (p) => {
        // Controlled by this owner, so it has ownerReferences.
        p.metadata.ownerReferences = p.metadata.ownerReferences!.filter((r) => r.uid !== owner.metadata.uid);
        if (!p.metadata.ownerReferences.length) delete p.metadata.ownerReferences;
      });
    }
  }
  for (const pod of ctx.pods.orphansIn(ns)) {
    if (pod.metadata.deletionTimestamp || !selector.matches(pod.metadata.labels)) continue;
    owned.push(
      mutate(cluster, podDef, pod, (p) => {
        p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), { apiVersion: on.apiVersion, kind: f.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }];
      }),
    );
  }

  const active = owned.filter(isPodActive);
  const want = o.spec?.replicas ?? 1;
  let failure: string | undefined;
  if (active.length < want) {
    const template = o.spec?.template ?? {};
    for (let i = 0; i < Math.min(want - active.length, BURST); i++) {
      try {
        const pod = cluster.create(podDef, ns, podFromTemplate(template, owner, def), { fieldManager: 'kube-controller-manager', fromControlPlane: true }).object;
        active.push(pod);
        ctx.events.record(source, on, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        failure = err.status.message;
        ctx.events.record(source, on, 'Warning', 'FailedCreate', `Error creating: ${failure}`);
        // Quota or admission may let it through later; try again as the controller would.
        ctx.requeueAfter(keyOf(owner), 10_000);
        break;
      }
    }
  } else if (active.length > want) {
    const doomed = [...active].sort(deletionOrder).slice(0, active.length - want);
    for (const pod of doomed) {
      deleteIfPresent(cluster, podDef, ns, pod.metadata.name!);
      ctx.events.record(source, on, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    }
  }

  const current = cluster.store.get(`${f.group}/${f.plural}`, ns, owner.metadata.name!);
  if (!current) return;
  const now = ctx.now();
  const minReady = o.spec?.minReadySeconds ?? 0;
  const pods = owned.map((p) => cluster.store.get('/pods', ns, p.metadata.name!)).filter((p): p is KObject => !!p && isPodActive(p));
  const templateLabels = selectorFromMap(o.spec?.template?.metadata?.labels);
  const ready = pods.filter(isPodReady);
  const available = ready.filter((p) => isPodAvailable(p, minReady, now));
  if (available.length < ready.length) ctx.requeueAfter(keyOf(owner), 1000);
  const stored: Replicated = current;
  let conditions: ReplicaSetCondition[] | undefined = stored.status?.conditions;
  if (failure) conditions = setCondition(conditions, { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: failure }, rfc3339(now));
  else if (conditions) conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => templateLabels.matches(p.metadata.labels)).length,
    ...(ready.length ? { readyReplicas: ready.length } : {}),
    ...(available.length ? { availableReplicas: available.length } : {}),
    observedGeneration: current.metadata.generation ?? 1,
    ...(conditions?.length ? { conditions } : {}),
  };
  if (status.fullyLabeledReplicas === 0) delete status.fullyLabeledReplicas;
  writeStatus(cluster, def, current, status);
}

export const replicaSetController = makeController(FLAVOURS[0]);
export const replicationControllerController = makeController(FLAVOURS[1]);
