// What the network reads of the cluster: Services, their Endpoints, pods, nodes, namespaces and
// NetworkPolicies. DNS, routing and policy are pure functions of a view, so tests hand them plain
// objects and the cluster hands its store.
import type { Cluster } from '../cluster.js';
import type { Unstructured } from '../kinds/types.js';

export interface NetView {
  services(namespace?: string): Unstructured[];
  service(namespace: string, name: string): Unstructured | undefined;
  endpoints(namespace: string, name: string): Unstructured | undefined;
  pods(): Unstructured[];
  pod(namespace: string, name: string): Unstructured | undefined;
  nodes(): Unstructured[];
  /** The NetworkPolicies of every namespace; none when absent. */
  networkPolicies?(): Unstructured[];
  namespace?(name: string): Unstructured | undefined;
}

/** The live cluster, read from its store at each call (nothing cached, so nothing goes stale). */
export function storeView(cluster: Cluster): NetView {
  const { store } = cluster;
  return {
    services: (ns) => store.list('/services', ns) as Unstructured[],
    service: (ns, name) => store.get('/services', ns, name) as Unstructured | undefined,
    endpoints: (ns, name) => store.get('/endpoints', ns, name) as Unstructured | undefined,
    pods: () => store.list('/pods') as Unstructured[],
    pod: (ns, name) => store.get('/pods', ns, name) as Unstructured | undefined,
    nodes: () => store.list('/nodes') as Unstructured[],
    networkPolicies: () => store.list('networking.k8s.io/networkpolicies') as Unstructured[],
    namespace: (name) => store.get('/namespaces', undefined, name) as Unstructured | undefined,
  };
}

/** A view over fixed objects (tests, and anything that already holds the lists). */
export function listView(objs: { services?: Unstructured[]; endpoints?: Unstructured[]; pods?: Unstructured[]; nodes?: Unstructured[]; networkPolicies?: Unstructured[]; namespaces?: Unstructured[] }): NetView {
  const services = objs.services ?? [];
  const endpoints = objs.endpoints ?? [];
  const pods = objs.pods ?? [];
  const find = (list: Unstructured[], ns: string, name: string) => list.find((o) => o.metadata.namespace === ns && o.metadata.name === name);
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

export function nodeIP(node: Unstructured): string | undefined {
  return ((node.status?.addresses ?? []) as Unstructured[]).find((a) => a.type === 'InternalIP')?.address;
}
