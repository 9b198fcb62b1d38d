// The aggregator's APIServices for a cluster: the local ones derived, when read, from the kinds
// the cluster serves (built-in and CRD groups alike), and those a learner created, read from the
// store with the Available condition the availability controller would give them.
import { createHash } from 'node:crypto';
import type { Cluster } from './cluster.js';
import { alreadyExists, forbidden } from './errors.js';
import { APISERVICE_GROUP, availability, localApiServices } from './kinds/apiservice.js';
import type { KObject } from './kinds/types.js';

const KEY = `${APISERVICE_GROUP}/apiservices`;
const RESOURCE = { group: APISERVICE_GROUP, resource: 'apiservices' };

export function installApiServices(cluster: Cluster): void {
  const bornAt = cluster.clock.now().toISOString().replace(/\.\d+Z$/, 'Z');
  cluster.computed.set(KEY, () => {
    const kubeSystem = cluster.store.get('/namespaces', undefined, 'kube-system');
    const since = kubeSystem?.metadata.creationTimestamp ?? bornAt;
    const seed = kubeSystem?.metadata.uid ?? since;
    const local = localApiServices(cluster.kinds.all(), since, (name) => stableUid(seed, name));
    const localNames = new Set(local.map((o) => o.metadata.name));
    const serviceIP = (namespace: string, name: string) => {
      const svc = cluster.store.get('/services', namespace, name) as { spec?: { clusterIP?: string } } | undefined;
      return svc ? (svc.spec?.clusterIP ?? '') : undefined;
    };
    const created = cluster.store
      .list(KEY)
      .filter((o) => !localNames.has(o.metadata.name))
      .map((o) => ({ ...o, status: { conditions: [availability(o, serviceIP)] } }) as KObject);
    return [...local, ...created].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  });
}

/** The local APIService of this name, if the cluster keeps one. */
function isLocal(cluster: Cluster, name: string): boolean {
  return localApiServices(cluster.kinds.all(), '', () => '').some((o) => o.metadata.name === name);
}

/**
 * The refusals this cluster adds for its local APIServices. A real apiserver lets an admin change
 * or delete one, and then stops serving that group/version until it restarts: a learner's cluster
 * keeps serving, so they are kept as they are. Creating one that exists is AlreadyExists there too.
 */
export function guardLocalApiService(cluster: Cluster, verb: string, name: string | undefined): void {
  if (!name || !isLocal(cluster, name)) return;
  if (verb === 'create') throw alreadyExists(RESOURCE, name);
  if (verb === 'update' || verb === 'patch' || verb === 'delete') {
    throw forbidden(
      RESOURCE,
      name,
      'this cluster keeps the APIServices of the groups its API server serves itself (on a real cluster, changing or deleting one stops that API until kube-apiserver restarts); create an APIService of your own to practise with',
    );
  }
}

/**
 * The APIService a learner created for a group/version this cluster does not serve, if it names a
 * Service: requests for that group/version are answered as the aggregator answers for an
 * unavailable one.
 */
export function unavailableApiService(cluster: Cluster, group: string, version: string): KObject | undefined {
  const obj = cluster.store.get(KEY, undefined, `${version}.${group}`);
  return obj && (obj.spec as { service?: unknown } | undefined)?.service ? obj : undefined;
}

/** A UUID-shaped id that stays the same for the same cluster and name. */
function stableUid(seed: string, name: string): string {
  const h = createHash('sha1').update(`${seed}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
