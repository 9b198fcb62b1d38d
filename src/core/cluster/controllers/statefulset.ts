// StatefulSet: pods with stable names (<set>-<ordinal>) and stable storage (one PVC per claim
// template and ordinal, kept when the pod goes). With OrderedReady, ordinal n+1 is created only
// once n is Running and Ready, and scale-down removes the highest ordinal first, one at a time;
// Parallel does both at once. Template versions are ControllerRevisions; RollingUpdate replaces
// pods from the highest ordinal down to the partition, OnDelete waits for the learner
// (pkg/controller/statefulset: stateful_set_control.go, stateful_set_utils.go).
import { ApiError } from '../errors.js';
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { KindDef, KObject, Stored } from '../kinds/types.js';
import { copyJson, own } from '../own.js';
import { selectorFromLabelSelector, type LabelSelectorMatcher } from '../selectors.js';
import { podTemplateHash } from './deployment.js';
import type { Controller, ControllerContext } from './manager.js';
import { podChangeMatters } from './pod-change.js';
import { keyOf, splitKey } from './manager.js';
import { controllerOf, deleteIfPresent, isPodAvailable, isPodReady, kind, mutate, ownerRef, podFromTemplate, sameJson, writeStatus } from './util.js';

type Sts = Stored<StatefulSet>;
type Revision = Stored<ControllerRevision>;
/** The template as a revision stores it: with the patch directive that makes it replace the old one. */
type RevisionTemplate = PodTemplateSpec & { $patch?: string };

const SETS = 'apps/statefulsets';
const REVISIONS = 'apps/controllerrevisions';
const PODS = '/pods';
const CLAIMS = '/persistentvolumeclaims';
const SOURCE = { component: 'statefulset-controller' };
export const HASH_LABEL = 'controller-revision-hash';
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

// ---------------------------------------------------------------- pure helpers

/** `web-3` → 3, for a pod of set `web`; -1 when the name is not one of the set's. */
export function ordinalOf(setName: string, podName: string): number {
  const m = /^(.*)-(\d+)$/.exec(podName);
  return m && m[1] === setName ? Number(m[2]) : -1;
}

export function claimName(template: string, setName: string, ordinal: number): string {
  return `${template}-${setName}-${ordinal}`;
}

const phaseOf = (p: Stored<Pod>): string | undefined => p.status?.phase;
const isFailed = (p: Stored<Pod>) => phaseOf(p) === 'Failed';
const isSucceeded = (p: Stored<Pod>) => phaseOf(p) === 'Succeeded';
const isRunningAndReady = (p: Stored<Pod>) => phaseOf(p) === 'Running' && isPodReady(p);
const revisionOf = (p: KObject) => p.metadata.labels?.[HASH_LABEL];
/** Validation requires every claim template to have a name. */
const templateName = (t: PersistentVolumeClaim) => t.metadata!.name!;

/** What a ControllerRevision of a StatefulSet stores: a patch that puts the template back. */
function revisionData(set: Sts): { spec: { template: RevisionTemplate } } {
  return { spec: { template: { ...copyJson(set.spec?.template ?? {}), $patch: 'replace' } } };
}

/** The pod for one ordinal at a revision: name, hostname/subdomain, labels and claim volumes (newStatefulSetPod). */
export function podForOrdinal(set: Sts, template: PodTemplateSpec, ordinal: number, revision: string, setDef: KindDef): Stored<Pod> {
  const name = `${set.metadata.name}-${ordinal}`;
  const pod = podFromTemplate(template, set, setDef, { name, labels: { [HASH_LABEL]: revision, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) } });
  // podFromTemplate always gives the pod a spec.
  const spec = pod.spec!;
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const volumes: Volume[] = (spec.volumes ?? []).filter((v) => !(set.spec?.volumeClaimTemplates ?? []).some((t) => t.metadata?.name === v.name));
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    volumes.push({ name: templateName(t), persistentVolumeClaim: { claimName: claimName(templateName(t), set.metadata.name!, ordinal) } });
  }
  if (volumes.length) spec.volumes = volumes;
  return pod;
}

function claimFor(set: Sts, t: PersistentVolumeClaim, ordinal: number): Stored<PersistentVolumeClaim> {
  const labels = { ...(t.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) };
  const claim: Stored<PersistentVolumeClaim> = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claimName(templateName(t), set.metadata.name!, ordinal), namespace: set.metadata.namespace, labels },
    spec: copyJson(t.spec ?? {}),
  };
  if (t.metadata?.annotations) claim.metadata.annotations = { ...t.metadata.annotations };
  return claim;
}

// ---------------------------------------------------------------- the controller

function setKeysForPod(pod: KObject | undefined, ctx: ControllerContext): string[] {
  if (!pod) return [];
  const ref = controllerOf(pod);
  if (ref) return ref.kind === 'StatefulSet' ? [`${pod.metadata.namespace}/${ref.name}`] : [];
  return ctx.cluster.store
    .list(SETS, pod.metadata.namespace)
    .filter((s: Sts) => selectorFromLabelSelector(s.spec?.selector).matches(pod.metadata.labels))
    .map(keyOf);
}

export const statefulSetController: Controller = {
  name: 'statefulset-controller',
  watches: [
    { resource: SETS, keys: (e) => [keyOf(e.object)] },
    { resource: PODS, keys: (e, ctx) => (podChangeMatters(e) ? new Set([...setKeysForPod(e.object, ctx), ...setKeysForPod(e.previous, ctx)]) : []) },
  ],
  initialKeys: (ctx) => ctx.cluster.store.list(SETS).map(keyOf),
  reconcile(key, ctx) {
    const [ns, name] = splitKey(key);
    const set = ctx.cluster.store.get(SETS, ns, name);
    if (!set || set.metadata.deletionTimestamp) return;
    syncStatefulSet(set, ctx);
  },
};

interface Defs {
  set: KindDef;
  pod: KindDef;
  rev: KindDef;
  pvc: KindDef;
}

function syncStatefulSet(set: Sts, ctx: ControllerContext): void {
  const { cluster } = ctx;
  const defs: Defs = { set: kind(cluster, 'apps', 'statefulsets'), pod: kind(cluster, '', 'pods'), rev: kind(cluster, 'apps', 'controllerrevisions'), pvc: kind(cluster, '', 'persistentvolumeclaims') };
  // The spec as this sync began; the status is read again below, after the history is written.
  const spec = set.spec;
  const selector = selectorFromLabelSelector(spec?.selector);
  const { update, revisions } = history(set, selector, ctx, defs);
  set = cluster.store.get(SETS, set.metadata.namespace, set.metadata.name!) ?? set;
  const updateRevision = update.metadata.name!;
  const recorded = set.status?.currentRevision;
  const currentRevision: string = recorded && revisions.some((r) => r.metadata.name === recorded) ? recorded : updateRevision;
  // A revision's data is the RawExtension revisionData wrote.
  const templates = new Map(revisions.map((r) => [r.metadata.name!, own<RevisionTemplate>(own(r.data, 'spec'), 'template') ?? {}]));
  const templateOf = (rev: string): PodTemplateSpec => {
    const t: RevisionTemplate = { ...(templates.get(rev) ?? spec?.template ?? {}) };
    delete t.$patch;
    return t;
  };

  const pods = claimPods(set, selector, ctx, defs);
  const replicas: number = spec?.replicas ?? 1;
  const start: number = spec?.ordinals?.start ?? 0;
  const parallel = spec?.podManagementPolicy === 'Parallel';
  const minReady: number = spec?.minReadySeconds ?? 0;
  const now = ctx.now();
  const on = { kind: 'StatefulSet', apiVersion: 'apps/v1', object: set };

  const replicaSlots: Array<Stored<Pod> | undefined> = new Array(replicas).fill(undefined);
  const condemned: Stored<Pod>[] = [];
  for (const p of pods) {
    const ord = ordinalOf(set.metadata.name!, p.metadata.name!);
    if (ord >= start && ord < start + replicas) replicaSlots[ord - start] = p;
    else condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(set.metadata.name!, b.metadata.name!) - ordinalOf(set.metadata.name!, a.metadata.name!));

  // New pods for missing ordinals are made at the current revision, unless the update already
  // reached that ordinal (the partition says which ordinals get the new template).
  const partition: number = spec?.updateStrategy?.type === 'OnDelete' ? Infinity : spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  const revisionFor = (ord: number) => (currentRevision === updateRevision || ord >= start + partition ? updateRevision : currentRevision);

  let waiting = false;
  for (let i = 0; i < replicas; i++) {
    const ord = start + i;
    let pod = replicaSlots[i];
    if (pod && (isFailed(pod) || isSucceeded(pod)) && !pod.metadata.deletionTimestamp) {
      ctx.events.record(SOURCE, on, 'Warning', 'RecreatingFailedPod', `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is recreating ${isFailed(pod) ? 'failed' : 'terminated'} Pod ${pod.metadata.name}`);
      deletePod(pod, set, ctx, defs);
      replicaSlots[i] = undefined;
      waiting = true;
      if (!parallel) break;
      continue;
    }
    if (!pod) {
      if (!createPod(set, templateOf(revisionFor(ord)), ord, revisionFor(ord), ctx, defs)) return;
      waiting = true;
      if (!parallel) break;
      continue;
    }
    // Storage a learner deleted comes back for a live pod.
    ensureClaims(set, ord, pod, ctx, defs);
    if (!parallel && (pod.metadata.deletionTimestamp || !isRunningAndReady(pod) || !isPodAvailable(pod, minReady, now))) {
      waiting = true;
      if (minReady && isRunningAndReady(pod)) ctx.requeueAfter(keyOf(set), minReady * 1000);
      break;
    }
  }
  scaleAndUpdate: {
    // Scale-down: the highest ordinal first; OrderedReady waits for every other pod to be ready.
    if (waiting && !parallel) break scaleAndUpdate;
    for (const p of condemned) {
      if (p.metadata.deletionTimestamp) {
        if (!parallel) break scaleAndUpdate;
        continue;
      }
      if (!parallel && replicaSlots.some((x) => !x || !isRunningAndReady(x))) break scaleAndUpdate;
      deletePod(p, set, ctx, defs);
      if (!parallel) break scaleAndUpdate;
    }
    // RollingUpdate: one pod at a time from the highest ordinal down to the partition.
    if (spec?.updateStrategy?.type === 'OnDelete' || condemned.length) break scaleAndUpdate;
    if (replicaSlots.some((x) => !x || x.metadata.deletionTimestamp || !isRunningAndReady(x))) break scaleAndUpdate;
    for (let i = replicas - 1; i >= Math.max(0, partition); i--) {
      const p = replicaSlots[i]!;
      if (revisionOf(p) !== updateRevision) {
        deletePod(p, set, ctx, defs);
        break;
      }
    }
  }

  updateStatus(set, selector, currentRevision, updateRevision, ctx, defs);
}

function createPod(set: Sts, template: PodTemplateSpec, ordinal: number, revision: string, ctx: ControllerContext, defs: Defs): boolean {
  const on = { kind: 'StatefulSet', apiVersion: 'apps/v1', object: set };
  const pod = podForOrdinal(set, template, ordinal, revision, defs.set);
  if (!ensureClaims(set, ordinal, pod, ctx, defs)) return false;
  try {
    ctx.cluster.create(defs.pod, set.metadata.namespace, pod, { fieldManager: 'kube-controller-manager' });
    ctx.events.record(SOURCE, on, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    return true;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    ctx.events.record(SOURCE, on, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${err.status.message}`);
    ctx.requeueAfter(keyOf(set), 10_000);
    return false;
  }
}

/** Creates the pod's missing claims; they outlive the pod (the Retain policy). */
function ensureClaims(set: Sts, ordinal: number, pod: Stored<Pod>, ctx: ControllerContext, defs: Defs): boolean {
  const on = { kind: 'StatefulSet', apiVersion: 'apps/v1', object: set };
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const claim = claimFor(set, t, ordinal);
    // claimFor names every claim.
    if (ctx.cluster.store.get(CLAIMS, set.metadata.namespace, claim.metadata.name!)) continue;
    try {
      ctx.cluster.create(defs.pvc, set.metadata.namespace, claim, { fieldManager: 'kube-controller-manager' });
      ctx.events.record(SOURCE, on, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      ctx.events.record(SOURCE, on, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${err.status.message}`);
      ctx.requeueAfter(keyOf(set), 10_000);
      return false;
    }
  }
  return true;
}

function deletePod(p: KObject, set: KObject, ctx: ControllerContext, defs: Defs): void {
  deleteIfPresent(ctx.cluster, defs.pod, p.metadata.namespace, p.metadata.name!);
  ctx.events.record(SOURCE, { kind: 'StatefulSet', apiVersion: 'apps/v1', object: set }, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${set.metadata.name} successful`);
}

/** Owned pods that still match, plus adopted orphans whose names are the set's. */
function claimPods(set: Sts, selector: LabelSelectorMatcher, ctx: ControllerContext, defs: Defs): Stored<Pod>[] {
  const { cluster } = ctx;
  const out: Stored<Pod>[] = [];
  for (const pod of cluster.dependentsOf(set.metadata.uid!, PODS)) {
    if (controllerOf(pod)?.uid !== set.metadata.uid) continue;
    if (selector.matches(pod.metadata.labels) && ordinalOf(set.metadata.name!, pod.metadata.name!) >= 0) out.push(pod);
    else if (!pod.metadata.deletionTimestamp) {
      mutate(cluster, defs.pod, pod, (p) => {
        // Controlled by this set, so it has ownerReferences.
        p.metadata.ownerReferences = p.metadata.ownerReferences!.filter((r) => r.uid !== set.metadata.uid);
        if (!p.metadata.ownerReferences.length) delete p.metadata.ownerReferences;
      });
    }
  }
  for (const pod of ctx.pods.orphansIn(set.metadata.namespace!)) {
    if (pod.metadata.deletionTimestamp || !selector.matches(pod.metadata.labels) || ordinalOf(set.metadata.name!, pod.metadata.name!) < 0) continue;
    out.push(mutate(cluster, defs.pod, pod, (p) => (p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), ownerRef(defs.set, set)])));
  }
  return out;
}

// ---------------------------------------------------------------- history

/** The revision of the current template (created if new, renumbered last if it came back) and all revisions. */
function history(set: Sts, selector: LabelSelectorMatcher, ctx: ControllerContext, defs: Defs): { update: Revision; revisions: Revision[] } {
  const { cluster } = ctx;
  const revisions: Revision[] = cluster.dependentsOf(set.metadata.uid!, REVISIONS).filter((h) => controllerOf(h)?.uid === set.metadata.uid);
  for (const h of cluster.store.list(REVISIONS, set.metadata.namespace)) {
    if (controllerOf(h) || h.metadata.deletionTimestamp || !selector.matches(h.metadata.labels)) continue;
    revisions.push(mutate(cluster, defs.rev, h, (o) => (o.metadata.ownerReferences = [...(o.metadata.ownerReferences ?? []), ownerRef(defs.set, set)])));
  }
  const data = revisionData(set);
  const max = Math.max(0, ...revisions.map((h) => Number(h.revision ?? 0)));
  let update = revisions.find((h) => sameJson(h.data, data));
  if (update) {
    if (Number(update.revision) < max) {
      const renumbered = mutate(cluster, defs.rev, update, (o) => (o.revision = max + 1));
      revisions[revisions.indexOf(update)] = renumbered;
      update = renumbered;
    }
  } else {
    const collisions: number = set.status?.collisionCount ?? 0;
    const hash = podTemplateHash(set.spec?.template ?? {}, collisions);
    const body: Revision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `${set.metadata.name}-${hash}`,
        namespace: set.metadata.namespace,
        labels: { ...(set.spec?.template?.metadata?.labels ?? {}), [HASH_LABEL]: `${set.metadata.name}-${hash}` },
        ownerReferences: [ownerRef(defs.set, set)],
      },
      data,
      revision: max + 1,
    };
    update = cluster.create(defs.rev, set.metadata.namespace, body, { fieldManager: 'kube-controller-manager' }).object;
    revisions.push(update);
  }
  cleanupHistory(set, revisions, update, ctx, defs);
  return { update, revisions };
}

/** Keeps revisionHistoryLimit revisions besides the ones live pods or the status still use. */
function cleanupHistory(set: Sts, revisions: Revision[], update: Revision, ctx: ControllerContext, defs: Defs): void {
  const limit: number = set.spec?.revisionHistoryLimit ?? 10;
  const live = new Set<string>([update.metadata.name!, set.status?.currentRevision, set.status?.updateRevision].filter((r): r is string => !!r));
  for (const p of ctx.cluster.dependentsOf(set.metadata.uid!, PODS)) if (revisionOf(p)) live.add(revisionOf(p)!);
  const idle = revisions.filter((r) => !live.has(r.metadata.name!)).sort((a, b) => Number(a.revision) - Number(b.revision));
  for (const r of idle.slice(0, Math.max(0, idle.length - limit))) deleteIfPresent(ctx.cluster, defs.rev, r.metadata.namespace, r.metadata.name!);
}

// ---------------------------------------------------------------- status

function updateStatus(set: Sts, selector: LabelSelectorMatcher, currentRevision: string, updateRevision: string, ctx: ControllerContext, defs: Defs): void {
  const fresh: Sts | undefined = ctx.cluster.store.get(SETS, set.metadata.namespace, set.metadata.name!);
  if (!fresh) return;
  const now = ctx.now();
  const minReady: number = fresh.spec?.minReadySeconds ?? 0;
  const pods: Stored<Pod>[] = ctx.cluster
    .dependentsOf(fresh.metadata.uid!, PODS)
    .filter((p) => controllerOf(p)?.uid === fresh.metadata.uid && selector.matches(p.metadata.labels) && !p.metadata.deletionTimestamp && !isFailed(p) && !isSucceeded(p));
  const ready = pods.filter(isPodReady);
  const available = ready.filter((p) => isPodAvailable(p, minReady, now));
  const current = pods.filter((p) => revisionOf(p) === currentRevision).length;
  const updated = pods.filter((p) => revisionOf(p) === updateRevision).length;
  const replicas: number = fresh.spec?.replicas ?? 1;
  // The update is complete once every wanted pod runs the new revision and is ready.
  const done = updated === replicas && ready.length === replicas && pods.length === replicas;
  const status: StatefulSetStatus = {
    observedGeneration: fresh.metadata.generation ?? 1,
    replicas: pods.length,
    ...(ready.length ? { readyReplicas: ready.length } : {}),
    availableReplicas: available.length,
    currentReplicas: done ? updated : current,
    ...(updated ? { updatedReplicas: updated } : {}),
    currentRevision: done ? updateRevision : currentRevision,
    updateRevision,
    collisionCount: fresh.status?.collisionCount ?? 0,
  };
  if (!status.currentReplicas) delete status.currentReplicas;
  writeStatus(ctx.cluster, defs.set, fresh, status);
}
