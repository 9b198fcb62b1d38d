// Storage admission, as the apiserver's plugins do it on create: DefaultStorageClass gives a claim
// without a class the cluster's default one, and StorageObjectInUseProtection puts the protection
// finalizers on claims and volumes so neither vanishes while in use.
import type { AdmissionRequest, Cluster } from '../cluster.js';
import { isDefaultClass } from '../kinds/storageclass.js';
import type { Unstructured } from '../kinds/types.js';


export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';

/** The newest default class, as the plugin picks when several are marked default. */
export function defaultStorageClass(cluster: Cluster): Unstructured | undefined {
  const defaults = cluster.store.list('storage.k8s.io/storageclasses').filter((sc) => isDefaultClass(sc as Unstructured)) as Unstructured[];
  return defaults.sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)))[0];
}

function addFinalizer(o: Unstructured, f: string): void {
  const list: string[] = o.metadata.finalizers ?? [];
  if (!list.includes(f)) o.metadata.finalizers = [...list, f];
}

export function storageAdmission(cluster: Cluster) {
  return (req: AdmissionRequest): void => {
    if (req.operation !== 'CREATE' || req.def.group !== '') return;
    const o = req.object as Unstructured;
    if (req.def.plural === 'persistentvolumeclaims') {
      // An explicit "" asks for no class at all; only a missing class gets the default.
      if (o.spec && o.spec.storageClassName === undefined) {
        const sc = defaultStorageClass(cluster);
        if (sc) o.spec.storageClassName = sc.metadata.name;
      }
      addFinalizer(o, PVC_PROTECTION);
    } else if (req.def.plural === 'persistentvolumes') {
      addFinalizer(o, PV_PROTECTION);
    }
  };
}
