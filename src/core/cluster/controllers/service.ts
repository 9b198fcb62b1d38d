// The service controller of a kind cluster's cloud-provider-kind: a LoadBalancer Service gets a
// load balancer (a proxy container on the kind network) and, a few seconds later, its address in
// status.loadBalancer.ingress. The cleanup finalizer keeps the Service until its load balancer
// is gone; turning the Service into another type removes the load balancer too
// (k8s.io/cloud-provider/controllers/service, sigs.k8s.io/cloud-provider-kind).
import type { KObject, Unstructured } from '../kinds/types.js';
import type { Controller, ControllerContext } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import { kind, mutate, writeStatus } from './util.js';

export const LB_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
/** How long cloud-provider-kind takes to start a load balancer's proxy container. */
export const LB_PROVISION_MS = 5_000;
/** The kind docker network: the gateway is .1 and the nodes take the next addresses. */
const KIND_NETWORK = '172.18.0.';

const SOURCE = { component: 'service-controller' };

/** The next free address of the kind network, after the nodes' and other load balancers' (as docker hands them out). */
export function nextLoadBalancerIP(taken: Set<string>): string {
  for (let i = 2; i < 255; i++) {
    const ip = `${KIND_NETWORK}${i}`;
    if (!taken.has(ip)) return ip;
  }
  for (let i = 0; i < 255; i++) {
    const ip = `172.18.1.${i}`;
    if (!taken.has(ip)) return ip;
  }
  throw new Error('the kind network has no free address');
}

/** The status cloud-provider-kind reports for a load balancer at `ip`. */
export function loadBalancerStatus(svc: Unstructured, ip: string): Unstructured {
  const ports = ((svc.spec?.ports ?? []) as Unstructured[]).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));
  return { loadBalancer: { ingress: [{ ip, ipMode: 'Proxy', ports }] } };
}

function ingressIPs(svc: Unstructured): string[] {
  return ((svc.status?.loadBalancer?.ingress ?? []) as Unstructured[]).map((i) => i.ip).filter(Boolean);
}

function takenAddresses(ctx: ControllerContext, except: string): Set<string> {
  const taken = new Set<string>([`${KIND_NETWORK}1`]);
  for (const n of ctx.cluster.store.list('/nodes') as Unstructured[]) for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP') taken.add(a.address);
  for (const s of ctx.cluster.store.list('/services') as Unstructured[]) if (s.metadata.uid !== except) for (const ip of ingressIPs(s)) taken.add(ip);
  return taken;
}

export function serviceController(): Controller {
  /** Load balancers being provisioned: service uid → when they are ready. */
  const provisioning = new Map<string, number>();
  /** The type each Service had when last seen (by key), for the "Type" event on a change. */
  const lastType = new Map<string, string>();

  function reconcile(key: string, ctx: ControllerContext): void {
    const { cluster } = ctx;
    const [ns, name] = splitKey(key);
    const def = kind(cluster, '', 'services');
    const svc = cluster.store.get('/services', ns, name) as Unstructured | undefined;
    if (!svc) {
      lastType.delete(key);
      return;
    }
    const uid: string = svc.metadata.uid;
    const on = { kind: 'Service', apiVersion: 'v1', object: svc as KObject };
    const type: string = svc.spec?.type ?? 'ClusterIP';
    const before = lastType.get(key);
    // Only a change to or from LoadBalancer concerns this controller, so only that one is told.
    if (before && before !== type && (before === 'LoadBalancer' || type === 'LoadBalancer')) ctx.events.record(SOURCE, on, 'Normal', 'Type', `${before} -> ${type}`);
    lastType.set(key, type);

    const wanted = type === 'LoadBalancer' && !svc.metadata.deletionTimestamp;
    const hasFinalizer = (svc.metadata.finalizers ?? []).includes(LB_FINALIZER);
    if (!wanted) {
      provisioning.delete(uid);
      if (!hasFinalizer && !ingressIPs(svc).length) return;
      ctx.events.record(SOURCE, on, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
      let current = svc as KObject;
      if (ingressIPs(svc).length) current = writeStatus(cluster, def, current, { ...(svc.status ?? {}), loadBalancer: {} });
      ctx.events.record(SOURCE, { ...on, object: current }, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
      if (hasFinalizer) {
        mutate(cluster, def, current, (o) => {
          o.metadata.finalizers = (o.metadata.finalizers as string[]).filter((f) => f !== LB_FINALIZER);
          if (!o.metadata.finalizers.length) delete o.metadata.finalizers;
        });
      }
      return;
    }

    let current = svc as KObject;
    if (!hasFinalizer) current = mutate(cluster, def, current, (o) => (o.metadata.finalizers = [...(o.metadata.finalizers ?? []), LB_FINALIZER]));
    if (ingressIPs(current as Unstructured).length) return;
    const now = ctx.now().getTime();
    const due = provisioning.get(uid);
    if (due === undefined) {
      ctx.events.record(SOURCE, { ...on, object: current }, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
      provisioning.set(uid, now + LB_PROVISION_MS);
      ctx.requeueAfter(key, LB_PROVISION_MS);
      return;
    }
    if (now < due) {
      ctx.requeueAfter(key, due - now);
      return;
    }
    provisioning.delete(uid);
    const requested: string | undefined = (current as Unstructured).spec?.loadBalancerIP;
    const ip = requested || nextLoadBalancerIP(takenAddresses(ctx, uid));
    current = writeStatus(cluster, def, current, { ...((current as Unstructured).status ?? {}), ...loadBalancerStatus(current as Unstructured, ip) });
    ctx.events.record(SOURCE, { ...on, object: current }, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
  }

  return {
    name: 'service-controller',
    watches: [{ resource: '/services', keys: (e) => [keyOf(e.object)] }],
    initialKeys: (ctx) => ctx.cluster.store.list('/services').map((s: KObject) => keyOf(s)),
    reconcile,
  };
}
