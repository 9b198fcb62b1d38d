// The namespace controller: a namespace being deleted is emptied — every object in it deleted, pods
// gracefully through their kubelet — while its status conditions tell what is left, and it is
// finalized (removed) once nothing remains (pkg/controller/namespace/deletion). Beside it, the
// root CA publisher puts the kube-root-ca.crt ConfigMap into every active namespace.
import { rfc3339 } from '../clock.js';
import type { Cluster } from '../cluster.js';
import { storageKey } from '../cluster.js';
import { ApiError } from '../errors.js';
import type { ConfigMap, Namespace, NamespaceCondition } from 'kubernetes-types/core/v1.js';
import type { KindDef, Stored } from '../kinds/types.js';
import type { StoreEvent } from '../store.js';
import type { Controller, ControllerContext, Watch } from './manager.js';
import { kind, setCondition, writeStatus } from './util.js';

const ROOT_CA = 'kube-root-ca.crt';
/** How long to wait before looking again at content held by someone else's finalizer. */
const FINALIZER_RECHECK_MS = 15_000;

export function isTerminatingNamespace(cluster: Cluster, name: string | undefined): boolean {
  if (!name) return false;
  const ns: Stored<Namespace> | undefined = cluster.store.get('/namespaces', undefined, name);
  return !ns || !!ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating';
}

/** What a terminating namespace still holds, per resource, and which finalizers hold it. */
export interface Remaining {
  /** `pods.` → 2 (GroupResource as the real controller prints it). */
  resources: Map<string, number>;
  finalizers: Map<string, number>;
}

export function remainingContent(cluster: Cluster, namespace: string): Remaining {
  const resources = new Map<string, number>();
  const finalizers = new Map<string, number>();
  for (const def of namespacedKinds(cluster)) {
    const items = cluster.store.list(storageKey(def), namespace);
    if (!items.length) continue;
    resources.set(`${def.plural}.${def.group}`, items.length);
    for (const o of items) for (const f of o.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
  }
  return { resources, finalizers };
}

/** The deleter's conditions for what remains (deletion.updateNamespaceStatusFunc and friends). */
export function deletionConditions(existing: NamespaceCondition[] | undefined, left: Remaining, now: string): NamespaceCondition[] {
  const list = (m: Map<string, number>, word: string) =>
    [...m.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, n]) => `${k} ${word} ${n} resource instances`)
      .join(', ');
  let c: NamespaceCondition[] | undefined = existing;
  c = setCondition(c, { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' }, now);
  c = setCondition(c, { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' }, now);
  c = setCondition(c, { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' }, now);
  c = setCondition(
    c,
    left.resources.size
      ? { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${list(left.resources, 'has')}` }
      : { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
    now,
  );
  c = setCondition(
    c,
    left.finalizers.size
      ? { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${list(left.finalizers, 'in')}` }
      : { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
    now,
  );
  return c;
}

function namespacedKinds(cluster: Cluster): KindDef[] {
  return cluster.kinds.all().filter((d) => d.namespaced && !d.storedAs && !cluster.computed.has(storageKey(d)));
}

function deleteAll(cluster: Cluster, namespace: string): void {
  for (const def of namespacedKinds(cluster)) {
    for (const o of cluster.store.list(storageKey(def), namespace)) {
      try {
        cluster.delete(def, namespace, o.metadata.name!);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
  }
}

/** A watch per stored namespaced resource: a change in a terminating namespace may finish it. */
function contentWatches(cluster: Cluster): Watch[] {
  const resources = new Set(namespacedKinds(cluster).map(storageKey));
  return [...resources].map((resource) => ({
    resource,
    keys: (e: StoreEvent, ctx: ControllerContext) => {
      const ns = e.object.metadata.namespace;
      return ns && ctx.cluster.store.get('/namespaces', undefined, ns)?.metadata.deletionTimestamp ? [ns] : [];
    },
  }));
}

export function namespaceController(cluster: Cluster): Controller {
  return {
    name: 'namespace-controller',
    watches: [{ resource: '/namespaces', keys: (e) => (e.type === 'DELETED' ? [] : [e.object.metadata.name!]) }, ...contentWatches(cluster)],
    initialKeys: (ctx) => ctx.cluster.store.list('/namespaces').filter((n) => n.metadata.deletionTimestamp).map((n) => n.metadata.name!),
    reconcile(name, ctx) {
      const ns = ctx.cluster.store.get('/namespaces', undefined, name);
      if (!ns?.metadata.deletionTimestamp) return;
      deleteAll(ctx.cluster, name);
      const left = remainingContent(ctx.cluster, name);
      if (!left.resources.size) {
        ctx.cluster.finalizeNamespace(name);
        return;
      }
      const current: Stored<Namespace> = ctx.cluster.store.get('/namespaces', undefined, name)!;
      const status = current.status ?? {};
      writeStatus(ctx.cluster, kind(ctx.cluster, '', 'namespaces'), current, {
        ...status,
        phase: 'Terminating',
        conditions: deletionConditions(status.conditions, left, rfc3339(ctx.now())),
      });
      // Pods and claims tell us when they go; an object held by a foreign finalizer may not.
      if (left.finalizers.size) ctx.requeueAfter(name, FINALIZER_RECHECK_MS);
    },
  };
}

/** The CA bundle every namespace gets, copied from the one kube-system carries. */
function rootCaSource(cluster: Cluster): Stored<ConfigMap> | undefined {
  for (const ns of ['kube-system', 'kube-public', 'default']) {
    const cm = cluster.store.get('/configmaps', ns, ROOT_CA);
    if (cm) return cm;
  }
  return undefined;
}

export const rootCaPublisher: Controller = {
  name: 'root-ca-cert-publisher',
  watches: [
    { resource: '/namespaces', keys: (e) => (e.type === 'DELETED' ? [] : [e.object.metadata.name!]) },
    { resource: '/configmaps', keys: (e) => (e.object.metadata.name === ROOT_CA ? [e.object.metadata.namespace!] : []) },
  ],
  initialKeys: (ctx) => ctx.cluster.store.list('/namespaces').map((n) => n.metadata.name!),
  reconcile(name, ctx) {
    const { cluster } = ctx;
    if (isTerminatingNamespace(cluster, name)) return;
    const source = rootCaSource(cluster);
    if (!source) return;
    const existing: Stored<ConfigMap> | undefined = cluster.store.get('/configmaps', name, ROOT_CA);
    const def = kind(cluster, '', 'configmaps');
    if (!existing) {
      cluster.create(def, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA, namespace: name, annotations: { ...(source.metadata.annotations ?? {}) } }, data: { ...source.data } }, { fieldManager: 'kube-controller-manager' });
    } else if (existing.data?.['ca.crt'] !== source.data?.['ca.crt']) {
      cluster.update(def, name, ROOT_CA, { ...existing, data: { ...(existing.data ?? {}), 'ca.crt': source.data?.['ca.crt'] } }, { fieldManager: 'kube-controller-manager' });
    }
  },
};
