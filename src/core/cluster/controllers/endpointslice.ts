// The EndpointSlice controller: a Service's endpoints as slices of at most 100, one set of slices
// per port mapping, each endpoint with ready/serving/terminating conditions, owned by the Service
// and named after it with a random suffix (pkg/controller/endpointslice, k8s.io/endpointslice).
import { rfc3339 } from '../clock.js';
import type { KObject, Unstructured } from '../kinds/types.js';
import { findPort, isHeadless, isPodReady, serviceSelector, shouldPodBeInEndpoints, shouldSetHostname } from '../network/service-pods.js';
import { HEADLESS_LABEL, TRIGGER_TIME, selectedPods, servicesSelecting } from './endpoints.js';
import type { Controller, ControllerContext } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import { MANAGER, deleteIfPresent, kind, ownerRef, sameJson } from './util.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
const MAX_ENDPOINTS_PER_SLICE = 100;
const SLICES = 'discovery.k8s.io/endpointslices';

export interface DesiredSlice {
  /** null for the placeholder a Service without endpoints keeps. */
  ports: Unstructured[] | null;
  endpoints: Unstructured[];
}

/** One pod as a slice endpoint (podToEndpoint). */
export function podToEndpoint(pod: Unstructured, svc: Unstructured, nodeLabels?: Record<string, string>): Unstructured {
  const publish = !!svc.spec?.publishNotReadyAddresses;
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  // A terminating endpoint is never "ready", unless the Service publishes not-ready ones.
  const ready = publish || (serving && !terminating);
  const ep: Unstructured = {
    addresses: [pod.status.podIP],
    conditions: { ready, serving, terminating },
    ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec.hostname } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
  };
  const zone = nodeLabels?.['topology.kubernetes.io/zone'];
  if (zone) ep.zone = zone;
  return ep;
}

/** The slices a Service should have: endpoints grouped by the ports they serve, 100 to a slice. */
export function desiredSlices(svc: Unstructured, pods: Unstructured[], nodeLabels: (node: string) => Record<string, string> | undefined = () => undefined): DesiredSlice[] {
  const svcPorts: Unstructured[] = svc.spec?.ports ?? [];
  const groups = new Map<string, { ports: Unstructured[]; endpoints: Unstructured[] }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports: Unstructured[] = [];
    for (const sp of svcPorts) {
      const n = findPort(pod, sp);
      if (n === undefined) continue;
      ports.push({ name: sp.name ?? '', port: n, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(podToEndpoint(pod, svc, pod.spec?.nodeName ? nodeLabels(pod.spec.nodeName) : undefined));
  }
  const out: DesiredSlice[] = [];
  for (const g of groups.values()) {
    g.endpoints.sort((a, b) => (a.addresses[0] < b.addresses[0] ? -1 : a.addresses[0] > b.addresses[0] ? 1 : 0));
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
  }
  if (!out.length) out.push({ ports: null, endpoints: [] });
  return out;
}

/** A slice's labels: the Service's, then the ones that tie it to the Service and to this controller. */
export function sliceLabels(svc: Unstructured): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  delete labels[HEADLESS_LABEL];
  labels[MANAGED_BY_LABEL] = MANAGED_BY;
  labels[SERVICE_NAME_LABEL] = svc.metadata.name;
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  return labels;
}

const portsKey = (ports: Unstructured[] | null | undefined) => JSON.stringify(ports ?? null);

/**
 * Makes the slices one manager keeps for a Service match `desired`: slices serving the same ports
 * are updated in place, new port mappings get new slices, the rest are deleted.
 */
function syncSlices(ctx: ControllerContext, ns: string, service: string, managedBy: string, desired: DesiredSlice[], labels: Record<string, string>, owner: Unstructured, annotations: Record<string, string> = {}): void {
  const { cluster } = ctx;
  const def = kind(cluster, 'discovery.k8s.io', 'endpointslices');
  const existing = (cluster.store.list(SLICES, ns) as Unstructured[]).filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === service && s.metadata.labels?.[MANAGED_BY_LABEL] === managedBy);
  const now = rfc3339(ctx.now());
  const pool = new Map<string, Unstructured[]>();
  for (const s of existing) {
    const k = portsKey(s.ports);
    pool.set(k, [...(pool.get(k) ?? []), s]);
  }
  for (const want of desired) {
    const reuse = pool.get(portsKey(want.ports))?.shift();
    if (reuse && sameJson(reuse.endpoints ?? [], want.endpoints) && sameJson(reuse.ports ?? null, want.ports) && sameJson(reuse.metadata.labels, labels) && reuse.metadata.ownerReferences?.[0]?.uid === owner.uid) continue;
    const body: Unstructured = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: reuse ? { ...reuse.metadata } : { generateName: `${service}-`, namespace: ns },
      addressType: 'IPv4',
      endpoints: want.endpoints,
      ports: want.ports,
    };
    body.metadata.labels = labels;
    body.metadata.ownerReferences = [owner];
    const notes = { ...(reuse?.metadata.annotations ?? {}), ...annotations };
    if (managedBy === MANAGED_BY) notes[TRIGGER_TIME] = now;
    if (Object.keys(notes).length) body.metadata.annotations = notes;
    if (reuse) cluster.update(def, ns, reuse.metadata.name, body, { fieldManager: MANAGER });
    else cluster.create(def, ns, body, { fieldManager: MANAGER });
  }
  for (const left of pool.values()) for (const s of left) deleteIfPresent(cluster, def, ns, s.metadata.name);
}

function reconcile(key: string, ctx: ControllerContext): void {
  const { cluster } = ctx;
  const [ns, name] = splitKey(key);
  const svc = cluster.store.get('/services', ns, name) as Unstructured | undefined;
  // A deleted Service's slices go with it: the garbage collector follows their owner reference.
  if (!svc || svc.metadata.deletionTimestamp) return;
  if (svc.spec?.type === 'ExternalName' || !serviceSelector(svc)) {
    syncSlices(ctx, ns!, name, MANAGED_BY, [], {}, {});
    return;
  }
  const nodeLabels = (node: string) => cluster.store.get('/nodes', undefined, node)?.metadata.labels as Record<string, string> | undefined;
  const desired = desiredSlices(svc, selectedPods(ctx, svc), nodeLabels);
  syncSlices(ctx, ns!, name, MANAGED_BY, desired, sliceLabels(svc), ownerRef(kind(cluster, '', 'services'), svc as KObject));
}

export const endpointSliceController: Controller = {
  name: 'endpointslice-controller',
  watches: [
    { resource: '/services', keys: (e) => (e.type === 'DELETED' ? [] : [keyOf(e.object)]) },
    { resource: '/pods', keys: servicesSelecting },
    {
      resource: SLICES,
      keys: (e) => {
        const labels = e.object.metadata.labels ?? {};
        const svc = labels[SERVICE_NAME_LABEL];
        return svc && labels[MANAGED_BY_LABEL] === MANAGED_BY ? [`${e.object.metadata.namespace}/${svc}`] : [];
      },
    },
  ],
  initialKeys: (ctx) => ctx.cluster.store.list('/services').map((s: KObject) => keyOf(s)),
  reconcile,
};

export const MIRRORING_MANAGED_BY = 'endpointslicemirroring-controller.k8s.io';

/** The slices mirroring hand-written Endpoints: each address keeps only its readiness. */
export function mirroredSlices(ep: Unstructured): DesiredSlice[] {
  const groups = new Map<string, { ports: Unstructured[]; endpoints: Unstructured[] }>();
  for (const subset of (ep.subsets ?? []) as Unstructured[]) {
    const ports = ((subset.ports ?? []) as Unstructured[]).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    for (const [list, ready] of [[subset.addresses, true], [subset.notReadyAddresses, false]] as Array<[Unstructured[] | undefined, boolean]>) {
      for (const a of list ?? []) {
        g.endpoints.push({
          addresses: [a.ip],
          conditions: { ready },
          ...(a.hostname ? { hostname: a.hostname } : {}),
          ...(a.targetRef ? { targetRef: a.targetRef } : {}),
          ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        });
      }
    }
  }
  const out: DesiredSlice[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
  }
  return out;
}

function mirror(key: string, ctx: ControllerContext): void {
  const { cluster } = ctx;
  const [ns, name] = splitKey(key);
  const svc = cluster.store.get('/services', ns, name) as Unstructured | undefined;
  const ep = cluster.store.get('/endpoints', ns, name) as Unstructured | undefined;
  const mirrored = !!svc && !svc.metadata.deletionTimestamp && !serviceSelector(svc) && svc.spec?.type !== 'ExternalName' && !!ep && ep.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror'] !== 'true' && !ep.metadata.annotations?.['control-plane.alpha.kubernetes.io/leader'];
  if (!mirrored) {
    syncSlices(ctx, ns!, name, MIRRORING_MANAGED_BY, [], {}, {});
    return;
  }
  const labels = { ...(ep!.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MIRRORING_MANAGED_BY };
  const annotations = { ...(ep!.metadata.annotations ?? {}) };
  delete annotations[TRIGGER_TIME];
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const owner = ownerRef(kind(cluster, '', 'endpoints'), ep as KObject);
  syncSlices(ctx, ns!, name, MIRRORING_MANAGED_BY, mirroredSlices(ep!), labels, owner, annotations);
}

/** Mirrors the Endpoints users write for Services without a selector into EndpointSlices. */
export const endpointSliceMirroringController: Controller = {
  name: 'endpointslicemirroring-controller',
  watches: [
    { resource: '/services', keys: (e) => [keyOf(e.object)] },
    { resource: '/endpoints', keys: (e) => [keyOf(e.object)] },
    {
      resource: SLICES,
      keys: (e) => {
        const labels = e.object.metadata.labels ?? {};
        const svc = labels[SERVICE_NAME_LABEL];
        return svc && labels[MANAGED_BY_LABEL] === MIRRORING_MANAGED_BY ? [`${e.object.metadata.namespace}/${svc}`] : [];
      },
    },
  ],
  initialKeys: (ctx) => ctx.cluster.store.list('/endpoints').map((s: KObject) => keyOf(s)),
  reconcile: mirror,
};
