// The endpoints controller: keeps an Endpoints object beside every Service with a selector, listing
// the selected pods' addresses, ready ones apart from not-ready ones, per port set
// (pkg/controller/endpoint). Services without a selector keep the Endpoints their users write.
import { rfc3339 } from '../clock.js';
import type { KObject, Unstructured } from '../kinds/types.js';
import { findPort, isHeadless, isPodReady, selects, serviceSelector, shouldPodBeInEndpoints, shouldSetHostname } from '../network/service-pods.js';
import type { StoreEvent } from '../store.js';
import type { Controller, ControllerContext } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import { podsInNamespace, reindexPods } from './pods-by-namespace.js';
import { MANAGER, deleteIfPresent, kind, sameJson } from './util.js';

export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

/** The keys of the Services in the pod's namespace that select it, before or after the change. */
export function servicesSelecting(e: StoreEvent, ctx: ControllerContext): string[] {
  const ns = e.object.metadata.namespace;
  const keys: string[] = [];
  for (const svc of ctx.cluster.store.list('/services', ns)) {
    const sel = serviceSelector(svc as Unstructured);
    if (!sel) continue;
    if (selects(sel, e.object as Unstructured) || (e.previous && selects(sel, e.previous as Unstructured))) keys.push(keyOf(svc));
  }
  return keys;
}

/** Pods of the Service's namespace its selector picks. */
export function selectedPods(ctx: ControllerContext, svc: Unstructured): Unstructured[] {
  const sel = serviceSelector(svc);
  if (!sel) return [];
  return (podsInNamespace(ctx.cluster.store, svc.metadata.namespace) as Unstructured[]).filter((p) => selects(sel, p));
}

interface Entry {
  address: Unstructured;
  ready: boolean;
  port?: Unstructured;
}

/**
 * The subsets of a Service's Endpoints: each pod's address under every port it serves, then
 * packed so addresses sharing the same ports share a subset (endpoints.RepackSubsets). An address
 * not ready on some port is not ready on it, whatever other ports say.
 */
export function endpointSubsets(svc: Unstructured, pods: Unstructured[]): Unstructured[] {
  const publish = !!svc.spec?.publishNotReadyAddresses;
  const ports: Unstructured[] = svc.spec?.ports ?? [];
  const entries: Entry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publish)) continue;
    const address: Unstructured = {
      ip: pod.status.podIP,
      ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec.hostname } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    };
    const ready = publish || isPodReady(pod);
    if (!ports.length) {
      // A headless Service may have no ports: its endpoints are bare addresses.
      if (svc.spec?.clusterIP === 'None') entries.push({ address, ready });
      continue;
    }
    for (const sp of ports) {
      const n = findPort(pod, sp);
      if (n === undefined) continue;
      entries.push({ address, ready, port: { ...(sp.name ? { name: sp.name } : {}), port: n, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) } });
    }
  }
  // port → address key → ready
  const byPort = new Map<string, { port?: Unstructured; addrs: Map<string, { address: Unstructured; ready: boolean }> }>();
  for (const e of entries) {
    const pk = e.port ? JSON.stringify(e.port) : '';
    let group = byPort.get(pk);
    if (!group) byPort.set(pk, (group = { port: e.port, addrs: new Map() }));
    const ak = `${e.address.ip}/${e.address.targetRef.uid}`;
    const seen = group.addrs.get(ak);
    group.addrs.set(ak, { address: e.address, ready: seen ? seen.ready && e.ready : e.ready });
  }
  // address set → ports
  const subsets = new Map<string, { addrs: Array<{ address: Unstructured; ready: boolean }>; ports: Unstructured[] }>();
  for (const { port, addrs } of byPort.values()) {
    const list = [...addrs.values()].sort((a, b) => compareAddress(a.address, b.address));
    const key = list.map((a) => `${a.address.ip}/${a.address.targetRef.uid}/${a.ready}`).join(',');
    let s = subsets.get(key);
    if (!s) subsets.set(key, (s = { addrs: list, ports: [] }));
    if (port) s.ports.push(port);
  }
  const out = [...subsets.values()].map(({ addrs, ports: ps }) => {
    const ready = addrs.filter((a) => a.ready).map((a) => a.address);
    const notReady = addrs.filter((a) => !a.ready).map((a) => a.address);
    const subset: Unstructured = {};
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    if (ps.length) subset.ports = ps.sort((a, b) => String(a.name ?? '').localeCompare(String(b.name ?? '')) || a.port - b.port || String(a.protocol).localeCompare(String(b.protocol)));
    return subset;
  });
  const first = (s: Unstructured) => (s.addresses ?? s.notReadyAddresses)[0];
  return out.sort((a, b) => compareAddress(first(a), first(b)));
}

function compareAddress(a: Unstructured, b: Unstructured): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/** Endpoints carry the Service's labels, plus the headless mark where the Service has no IP. */
export function endpointsLabels(svc: Unstructured): Record<string, string> | undefined {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return Object.keys(labels).length ? labels : undefined;
}

function reconcile(key: string, ctx: ControllerContext): void {
  const { cluster } = ctx;
  const [ns, name] = splitKey(key);
  const def = kind(cluster, '', 'endpoints');
  const svc = cluster.store.get('/services', ns, name) as Unstructured | undefined;
  if (!svc) {
    // The Service is gone: so are its Endpoints, managed or not.
    deleteIfPresent(cluster, def, ns, name);
    return;
  }
  if (svc.spec?.type === 'ExternalName' || !serviceSelector(svc)) return;
  const subsets = endpointSubsets(svc, selectedPods(ctx, svc));
  const labels = endpointsLabels(svc);
  const current = cluster.store.get('/endpoints', ns, name) as Unstructured | undefined;
  if (current && sameJson(current.subsets ?? [], subsets) && sameJson(current.metadata.labels ?? {}, labels ?? {})) return;
  const annotations = { ...(current?.metadata.annotations ?? {}), [TRIGGER_TIME]: rfc3339(ctx.now()) };
  const body: Unstructured = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { ...(current?.metadata ?? { name, namespace: ns }), annotations },
  };
  if (labels) body.metadata.labels = labels;
  else delete body.metadata.labels;
  if (subsets.length) body.subsets = subsets;
  if (current) cluster.update(def, ns, name, body, { fieldManager: MANAGER });
  else {
    delete body.metadata.resourceVersion;
    cluster.create(def, ns, body, { fieldManager: MANAGER });
  }
}

export const endpointsController: Controller = {
  name: 'endpoint-controller',
  watches: [
    { resource: '/services', keys: (e) => [keyOf(e.object)] },
    { resource: '/pods', keys: servicesSelecting },
    // A managed Endpoints object someone deleted comes back.
    { resource: '/endpoints', keys: (e) => (e.type === 'DELETED' ? [keyOf(e.object)] : []) },
  ],
  initialKeys: (ctx) => {
    reindexPods(ctx.cluster.store);
    return ctx.cluster.store.list('/services').map((s: KObject) => keyOf(s));
  },
  reconcile,
};
