// Small readings of pod state that many controllers share, and the writes they all make.
import type { Pod, PodCondition, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Cluster } from '../cluster.js';
import { ApiError } from '../errors.js';
import type { KindDef, KObject, OwnerReference, Stored } from '../kinds/types.js';
import { apiVersionOf } from '../kinds/types.js';
import { deepEqual } from '../patch/merge-patch.js';
import { copyJson } from '../own.js';

export const MANAGER = 'kube-controller-manager';

export function kind(cluster: Cluster, group: string, plural: string): KindDef {
  const def = cluster.kinds.byGroupResource(group, plural);
  if (!def) throw new Error(`no kind for ${group}/${plural}`);
  return def;
}

export function isTerminating(o: KObject): boolean {
  return !!o.metadata.deletionTimestamp;
}

/** Counted by a ReplicaSet, Job or DaemonSet: neither finished nor on its way out (controller.IsPodActive). */
export function isPodActive(pod: Stored<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !isTerminating(pod);
}

export function podCondition(pod: Stored<Pod>, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

export function isPodReady(pod: Stored<Pod>): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: Stored<Pod>, minReadySeconds: number, now: Date): boolean {
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now.getTime();
}

export function controllerOf(o: KObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

export function ownerRef(def: KindDef, owner: KObject): OwnerReference {
  return { apiVersion: apiVersionOf(def), kind: def.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** Writes `status` through the status subresource when it differs from what is stored. */
export function writeStatus(cluster: Cluster, def: KindDef, obj: KObject, status: object): KObject {
  if (sameJson(obj.status ?? {}, status)) return obj;
  // A status write takes nothing from the body but its status (and the name): the rest stays
  // shared with the stored object; the status is the write's own (it may hold stored parts).
  const next = { ...obj, metadata: { ...obj.metadata }, status: copyJson(status) };
  return cluster.update(def, obj.metadata.namespace, obj.metadata.name!, next, { fieldManager: MANAGER, fromControlPlane: true }, 'status').object;
}

/** Applies `change` to a copy of the stored object and updates it, unless nothing changed. */
export function mutate<T extends KObject>(cluster: Cluster, def: KindDef, obj: T, change: (o: T) => void, subresource?: string): KObject {
  const next = copyJson(obj);
  // Ownership is the server's to record: the stored entries go along as they are, so that the
  // write finds them as it wrote them and need not read them again.
  if (obj.metadata.managedFields) next.metadata.managedFields = obj.metadata.managedFields;
  change(next);
  if (sameJson(next, obj)) return obj;
  return cluster.update(def, obj.metadata.namespace, obj.metadata.name!, next, { fieldManager: MANAGER, keepStatus: true, fromControlPlane: true }, subresource).object;
}

/** Deletes, and treats "already gone" as done. */
export function deleteIfPresent(cluster: Cluster, def: KindDef, namespace: string | undefined, name: string, opts: Parameters<Cluster['delete']>[3] = {}): void {
  try {
    cluster.delete(def, namespace, name, opts);
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 404)) throw err;
  }
}

/** A pod template whose spec may be partial: podFromTemplate copies the spec as it is. */
export type PartialPodTemplate = Omit<PodTemplateSpec, 'spec'> & { spec?: Partial<PodSpec> };

/** A new pod from a workload's template, owned by it (controller.GetPodFromTemplate). */
export function podFromTemplate(template: PartialPodTemplate, owner: KObject, ownerDef: KindDef, extra: { name?: string; generateName?: string; labels?: Record<string, string>; annotations?: Record<string, string> } = {}): Stored<Pod> {
  const meta = template.metadata ?? {};
  // Built as a KObject: a template without a spec still gives the pod an empty one ({}), which
  // pod validation then refuses with the API server's own message.
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(extra.name ? { name: extra.name } : { generateName: extra.generateName ?? `${owner.metadata.name}-` }),
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}), ...(extra.labels ?? {}) },
      ownerReferences: [ownerRef(ownerDef, owner)],
    },
    spec: copyJson(template.spec ?? {}),
  };
  const annotations = { ...(meta.annotations ?? {}), ...(extra.annotations ?? {}) };
  if (Object.keys(annotations).length) pod.metadata.annotations = annotations;
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}

/** Structural equality of JSON values, whatever the order of members. */
export const sameJson = deepEqual;

/** What every kind's condition holds; `lastUpdateTime` only where the kind has one (Deployment). */
interface Condition {
  type?: string;
  status?: string;
  /** The scheduler writes null here, as kube-scheduler does. */
  lastProbeTime?: string | null;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

/** When a condition of this type last changed, kept when its status did not change. */
export function setCondition<C extends Condition, N extends Condition>(conditions: readonly C[] | undefined, next: N, now: string): Array<C | N> {
  const list: Array<C | N> = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  const old = i >= 0 ? list[i] : undefined;
  const same = old && old.status === next.status;
  // lastUpdateTime keeps the place `next` gives it, after the spread, as an assignment would.
  const merged: N = {
    ...next,
    lastTransitionTime: same ? old.lastTransitionTime : now,
    ...('lastUpdateTime' in next ? { lastUpdateTime: same && old.reason === next.reason && old.message === next.message ? old.lastUpdateTime ?? now : now } : {}),
  };
  if (i >= 0) list[i] = merged;
  else list.push(merged);
  return list;
}

/** Whether an update changed nothing but status (and the bookkeeping that comes with any write). */
export function onlyStatusChanged(before: KObject, after: KObject): boolean {
  const strip = (o: KObject) => {
    const { status: _s, metadata, ...rest } = o;
    const { resourceVersion: _rv, managedFields: _mf, ...meta } = metadata;
    return { ...rest, metadata: meta };
  };
  return deepEqual(strip(before), strip(after));
}
