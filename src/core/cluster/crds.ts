// Custom resources: each stored CustomResourceDefinition adds kinds to its cluster (and only to
// it); deleting the CRD removes the kinds and every object of them, as the apiserver does.
import type { Cluster } from './cluster.js';
import { kindsFromCrd } from './kinds/custom-resource.js';
import type { KObject } from './kinds/types.js';

const CRD_RESOURCE = 'apiextensions.k8s.io/customresourcedefinitions';

interface CrdNames {
  group: string;
  plural: string;
}

function namesOf(crd: KObject): CrdNames {
  const spec = crd.spec as { group: string; names: { plural: string } };
  return { group: spec.group, plural: spec.names.plural };
}

export function installCrdSupport(cluster: Cluster): void {
  const register = (crd: KObject) => {
    const { group, plural } = namesOf(crd);
    cluster.kinds.remove(group, plural);
    if (crd.metadata.deletionTimestamp) return;
    for (const def of kindsFromCrd(crd)) cluster.kinds.add(def);
  };
  cluster.store.subscribe(CRD_RESOURCE, (e) => {
    if (e.type !== 'DELETED') return register(e.object);
    const { group, plural } = namesOf(e.object);
    cluster.kinds.remove(group, plural);
    for (const o of cluster.store.list(`${group}/${plural}`)) cluster.store.remove(`${group}/${plural}`, o.metadata.namespace, o.metadata.name!);
  });
  const rebuild = () => {
    for (const def of cluster.kinds.own()) cluster.kinds.remove(def.group, def.plural);
    for (const crd of cluster.store.list(CRD_RESOURCE)) register(crd);
  };
  cluster.reloadHooks.push(rebuild);
  rebuild();
}
