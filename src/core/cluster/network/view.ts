// What the network reads of the cluster: Services, their Endpoints, pods, nodes, namespaces and
// NetworkPolicies. DNS, routing and policy are pure functions of a view, so tests hand them plain
// objects and the cluster hands its store.
import type { Cluster } from '../cluster.js';
import type { Obj } from './types.js';

export interface NetView {
  services(namespace?: string): Obj[];
  service(namespace: string, name: string): Obj | undefined;
  endpoints(namespace: string, name: string): Obj | undefined;
  pods(): Obj[];
  pod(namespace: string, name: string): Obj | undefined;
  nodes(): Obj[];
  /** The NetworkPolicies of every namespace; none when absent. */
  networkPolicies?(): Obj[];
  namespace?(name: string): Obj | undefined;
}

/** The live cluster, read from its store at each call (nothing cached, so nothing goes stale). */
export function storeView(cluster: Cluster): NetView {
  const { store } = cluster;
  return {
    services: (ns) => store.list('/services', ns) as Obj[],
    service: (ns, name) => store.get('/services', ns, name) as Obj | undefined,
    endpoints: (ns, name) => store.get('/endpoints', ns, name) as Obj | undefined,
    pods: () => store.list('/pods') as Obj[],
    pod: (ns, name) => store.get('/pods', ns, name) as Obj | undefined,
    nodes: () => store.list('/nodes') as Obj[],
    networkPolicies: () => store.list('networking.k8s.io/networkpolicies') as Obj[],
    namespace: (name) => store.get('/namespaces', undefined, name) as Obj | undefined,
  };
}

/** A view over fixed objects (tests, and anything that already holds the lists). */
export function listView(objs: { services?: Obj[]; endpoints?: Obj[]; pods?: Obj[]; nodes?: Obj[]; networkPolicies?: Obj[]; namespaces?: Obj[] }): NetView {
  const services = objs.services ?? [];
  const endpoints = objs.endpoints ?? [];
  const pods = objs.pods ?? [];
  const find = (list: Obj[], ns: string, name: string) => list.find((o) => o.metadata.namespace === ns && o.metadata.name === name);
  return {
    services: (ns) => (ns === undefined ? services : services.filter((s) => s.metadata.namespace === ns)),
    service: (ns, name) => find(services, ns, name),
    endpoints: (ns, name) => find(endpoints, ns, name),
    pods: () => pods,
    pod: (ns, name) => find(pods, ns, name),
    nodes: () => objs.nodes ?? [],
    networkPolicies: () => objs.networkPolicies ?? [],
    namespace: (name) => (objs.namespaces ?? []).find((n) => n.metadata.name === name),
  };
}

export function nodeIP(node: Obj): string | undefined {
  return ((node.status?.addresses ?? []) as Obj[]).find((a) => a.type === 'InternalIP')?.address;
}
