// The PersistentVolume controller and its neighbours (pkg/controller/volume/persistentvolume,
// pvcprotection, pvprotection, and kind's local-path provisioner): a pending claim binds to the
// smallest Available volume that fits it, or gets a volume provisioned from its StorageClass — at
// once, or, for WaitForFirstConsumer, once the scheduler has picked a node for a pod using it. A
// released volume is kept (Retain) or deleted (Delete), and protection finalizers keep a claim
// while a pod uses it and a volume while it is bound.
import { randomBytes } from 'node:crypto';
import type { Cluster } from '../cluster.js';
import type { ObjectReference, PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Stored } from '../kinds/types.js';
import { selectorFromLabelSelector } from '../selectors.js';
import type { StoreEvent } from '../store.js';
import { compareQuantities, quantityFromJSON } from '../validation/quantity.js';
import { PV_PROTECTION, PVC_PROTECTION } from '../admission/storage.js';
import type { Controller, ControllerContext } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import { deleteIfPresent, kind, mutate, writeStatus } from './util.js';

type PV = Stored<PersistentVolume>;
type PVC = Stored<PersistentVolumeClaim>;

const CONTROLLER = { component: 'persistentvolume-controller' };
const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
/** The key prefix telling a volume from a claim in this controller's queue. */
const PV = 'pv:';

const claimsOf = (pod: Stored<Pod>): string[] => (pod.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => !!n);
const isTerminal = (pod: Stored<Pod>) => ['Succeeded', 'Failed'].includes(pod.status?.phase ?? '');

/** Pods that use the claim and have not finished (pvcprotection's podUsesPVC). */
export function podsUsingClaim(cluster: Cluster, namespace: string, claim: string): Stored<Pod>[] {
  return cluster.store.list('/pods', namespace).filter((p) => !isTerminal(p) && claimsOf(p).includes(claim));
}

function storageClassOf(cluster: Cluster, claim: PVC): Stored<StorageClass> | undefined {
  const name = claim.spec?.storageClassName;
  return name ? cluster.store.get('storage.k8s.io/storageclasses', undefined, name) : undefined;
}

/** Does this volume satisfy the claim (findMatchingVolume's checks)? */
export function volumeFits(pv: PV, claim: PVC): boolean {
  if (pv.metadata.deletionTimestamp) return false;
  const ref = pv.spec?.claimRef;
  if (ref && !(ref.namespace === claim.metadata.namespace && ref.name === claim.metadata.name && (!ref.uid || ref.uid === claim.metadata.uid))) return false;
  if (!ref && pv.status?.phase !== 'Available') return false;
  if ((pv.spec?.storageClassName ?? '') !== (claim.spec?.storageClassName ?? '')) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = pv.spec?.accessModes ?? [];
  if (!(claim.spec?.accessModes ?? []).every((m) => modes.includes(m))) return false;
  const want = claim.spec?.resources?.requests?.storage;
  const have = pv.spec?.capacity?.storage;
  if (want !== undefined && (have === undefined || compareQuantities(quantityFromJSON(have), quantityFromJSON(want)) < 0)) return false;
  if (claim.spec?.selector && !selectorFromLabelSelector(claim.spec.selector).matches(pv.metadata.labels ?? {})) return false;
  return true;
}

/** The smallest fitting volume; a claim naming a volume only gets that one. */
export function findVolume(volumes: PV[], claim: PVC): PV | undefined {
  const named = claim.spec?.volumeName;
  const fits = volumes.filter((pv) => (!named || pv.metadata.name === named) && volumeFits(pv, claim));
  // A volume pre-bound to this claim wins over any other.
  const prebound = fits.find((pv) => pv.spec?.claimRef);
  if (prebound) return prebound;
  // Every fitting volume has a capacity: a claim must request storage, and volumeFits refuses a volume without one.
  return fits.sort((a, b) => compareQuantities(quantityFromJSON(a.spec!.capacity!.storage), quantityFromJSON(b.spec!.capacity!.storage)))[0];
}

/** The name of the pod whose lease an external provisioner's events carry, stable per cluster. */
const provisionerIdentity = new WeakMap<Cluster, string>();
function provisionerSource(cluster: Cluster, provisioner: string): { component: string } {
  let id = provisionerIdentity.get(cluster);
  if (!id) {
    const pod = cluster.store.list('/pods', 'local-path-storage')[0];
    id = `${pod?.metadata.name ?? 'local-path-provisioner'}_${pod?.metadata.uid ?? randomBytes(16).toString('hex')}`;
    provisionerIdentity.set(cluster, id);
  }
  return { component: `${provisioner}_${id}` };
}

function claimEvent(ctx: ControllerContext, claim: PVC, type: 'Normal' | 'Warning', reason: string, message: string, source = CONTROLLER): void {
  ctx.events.record(source, { kind: 'PersistentVolumeClaim', apiVersion: 'v1', object: claim }, type, reason, message);
}

function claimRefOf(claim: PVC): ObjectReference {
  return { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion };
}

/** Both halves of a binding: the volume names the claim, the claim names the volume, both Bound. */
function bind(ctx: ControllerContext, claim: PVC, pv: PV): void {
  const { cluster } = ctx;
  const pvDef = kind(cluster, '', 'persistentvolumes');
  const pvcDef = kind(cluster, '', 'persistentvolumeclaims');
  let volume: PV = mutate(cluster, pvDef, pv, (v) => {
    const spec = v.spec!;
    if (!spec.claimRef?.uid) {
      spec.claimRef = claimRefOf(claim);
      v.metadata.annotations = { ...(v.metadata.annotations ?? {}), 'pv.kubernetes.io/bound-by-controller': 'yes' };
    }
  });
  volume = writeStatus(cluster, pvDef, volume, { ...(volume.status ?? {}), phase: 'Bound' });
  let current: PVC = mutate(cluster, pvcDef, claim, (c) => {
    const spec = c.spec!;
    const byController = !spec.volumeName;
    spec.volumeName = pv.metadata.name;
    c.metadata.annotations = { ...(c.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes', ...(byController ? { 'pv.kubernetes.io/bound-by-controller': 'yes' } : {}) };
  });
  current = writeStatus(cluster, pvcDef, current, { ...(current.status ?? {}), phase: 'Bound', accessModes: volume.spec!.accessModes, capacity: { ...volume.spec!.capacity } });
}

/** What kind's local-path provisioner makes: a hostPath directory on the chosen node. */
function provisionedVolume(claim: PVC, sc: Stored<StorageClass>, node: string | undefined): PV {
  const name = `pvc-${claim.metadata.uid}`;
  const ns = claim.metadata.namespace;
  // Validation requires both: a StorageClass's provisioner, a claim's spec.resources.requests.storage.
  const provisioner = sc.provisioner!;
  const claimSpec = claim.spec!;
  const local = provisioner === 'rancher.io/local-path';
  const spec: PersistentVolumeSpec = {
    accessModes: [...(claimSpec.accessModes ?? [])],
    capacity: { storage: claimSpec.resources!.requests!.storage! },
    claimRef: claimRefOf(claim),
    persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
    storageClassName: sc.metadata.name,
    volumeMode: claimSpec.volumeMode ?? 'Filesystem',
  };
  const pv: PV = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: { 'pv.kubernetes.io/provisioned-by': provisioner, ...(local && node ? { 'local.path.provisioner/selected-node': node } : {}) },
    },
    spec,
  };
  if (local) {
    spec.hostPath = { path: `/var/local-path-provisioner/${name}_${ns}_${claim.metadata.name}`, type: 'DirectoryOrCreate' };
    if (node) spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } };
  } else {
    spec.csi = { driver: provisioner, volumeHandle: name, fsType: 'ext4' };
  }
  return pv;
}

function syncClaim(ctx: ControllerContext, ns: string, name: string): void {
  const { cluster } = ctx;
  const claim: PVC | undefined = cluster.store.get('/persistentvolumeclaims', ns, name);
  if (!claim) return;
  const pvcDef = kind(cluster, '', 'persistentvolumeclaims');
  if (claim.metadata.deletionTimestamp) {
    // pvc-protection: the claim goes once no pod that has not finished uses it.
    if (claim.metadata.finalizers?.includes(PVC_PROTECTION) && !podsUsingClaim(cluster, ns, name).length) {
      mutate(cluster, pvcDef, claim, (c) => {
        c.metadata.finalizers = c.metadata.finalizers!.filter((f) => f !== PVC_PROTECTION);
      });
    }
    return;
  }
  const phase = claim.status?.phase;
  if (phase === 'Bound' || phase === 'Lost') {
    const pv: PV | undefined = cluster.store.get('/persistentvolumes', undefined, claim.spec?.volumeName ?? '');
    if (phase === 'Bound' && (!pv || (pv.spec?.claimRef?.uid && pv.spec.claimRef.uid !== claim.metadata.uid))) {
      writeStatus(cluster, pvcDef, claim, { ...claim.status, phase: 'Lost' });
      claimEvent(ctx, claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    }
    return;
  }
  const volumes: PV[] = cluster.store.list('/persistentvolumes');
  const sc = storageClassOf(cluster, claim);
  const waits = sc?.volumeBindingMode === 'WaitForFirstConsumer';
  const node = claim.metadata.annotations?.[SELECTED_NODE];
  if (waits && !node) {
    claimEvent(ctx, claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    return;
  }
  const match = findVolume(volumes, claim);
  if (match) {
    bind(ctx, claim, match);
    return;
  }
  if (claim.spec?.volumeName) {
    claimEvent(ctx, claim, 'Normal', 'FailedBinding', `volume "${claim.spec.volumeName}" not found`);
    return;
  }
  const className = claim.spec?.storageClassName;
  if (!className) {
    claimEvent(ctx, claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    return;
  }
  if (!sc) {
    claimEvent(ctx, claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
    return;
  }
  if (sc.provisioner === NO_PROVISIONER) {
    claimEvent(ctx, claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    return;
  }
  provision(ctx, claim, sc, node);
}

/** An external provisioner's work, seen through its events, then the binding the controller makes. */
function provision(ctx: ControllerContext, claim: PVC, sc: Stored<StorageClass>, node: string | undefined): void {
  const { cluster } = ctx;
  const pvcDef = kind(cluster, '', 'persistentvolumeclaims');
  // Validation requires a StorageClass's provisioner.
  const provisioner = sc.provisioner!;
  const current: PVC = mutate(cluster, pvcDef, claim, (c) => {
    c.metadata.annotations = { ...(c.metadata.annotations ?? {}), 'volume.beta.kubernetes.io/storage-provisioner': provisioner, 'volume.kubernetes.io/storage-provisioner': provisioner };
  });
  claimEvent(ctx, current, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
  const source = provisionerSource(cluster, provisioner);
  claimEvent(ctx, current, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claim.metadata.namespace}/${claim.metadata.name}"`, source);
  const pvDef = kind(cluster, '', 'persistentvolumes');
  const name = `pvc-${claim.metadata.uid}`;
  if (!cluster.store.get('/persistentvolumes', undefined, name)) {
    const created = cluster.create(pvDef, undefined, provisionedVolume(current, sc, node), { fieldManager: 'local-path-provisioner' }).object;
    writeStatus(cluster, pvDef, created, { phase: 'Bound' });
  }
  claimEvent(ctx, current, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`, source);
  // Created just above, or found there.
  const pv: PV = cluster.store.get('/persistentvolumes', undefined, name)!;
  bind(ctx, current, pv);
}

function syncVolume(ctx: ControllerContext, name: string): void {
  const { cluster } = ctx;
  const pv: PV | undefined = cluster.store.get('/persistentvolumes', undefined, name);
  if (!pv) return;
  const pvDef = kind(cluster, '', 'persistentvolumes');
  const phase = pv.status?.phase;
  if (pv.metadata.deletionTimestamp) {
    // A volume being deleted whose claim has gone is released first, as the PV controller does
    // for any volume; pv-protection then lets it go, since no claim is bound to it any more.
    const ref = pv.spec?.claimRef;
    const claim = ref ? cluster.store.get('/persistentvolumeclaims', ref.namespace, ref.name!) : undefined;
    let current: PV = pv;
    if (phase === 'Bound' && ref?.uid && (!claim || claim.metadata.uid !== ref.uid)) {
      current = writeStatus(cluster, pvDef, current, { ...(pv.status ?? {}), phase: 'Released' });
    }
    if (current.metadata.finalizers?.includes(PV_PROTECTION) && current.status?.phase !== 'Bound') {
      mutate(cluster, pvDef, current, (v) => {
        v.metadata.finalizers = v.metadata.finalizers!.filter((f) => f !== PV_PROTECTION);
      });
    }
    return;
  }
  const ref = pv.spec?.claimRef;
  if (!ref) {
    if (phase !== 'Available') writeStatus(cluster, pvDef, pv, { ...(pv.status ?? {}), phase: 'Available' });
    return;
  }
  const claim: PVC | undefined = cluster.store.get('/persistentvolumeclaims', ref.namespace, ref.name!);
  if (!ref.uid) {
    // Pre-bound by its author: it waits, Available, for that claim to come.
    if (phase !== 'Available' && phase !== 'Bound') writeStatus(cluster, pvDef, pv, { ...(pv.status ?? {}), phase: 'Available' });
    return;
  }
  if (claim && claim.metadata.uid === ref.uid) {
    if (phase !== 'Bound' && claim.spec?.volumeName === name) writeStatus(cluster, pvDef, pv, { ...(pv.status ?? {}), phase: 'Bound' });
    return;
  }
  // The claim is gone: the reclaim policy decides.
  const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
  if (policy === 'Delete') {
    const released = phase === 'Released' ? pv : writeStatus(cluster, pvDef, pv, { ...(pv.status ?? {}), phase: 'Released' });
    deleteIfPresent(cluster, pvDef, undefined, released.metadata.name!);
  } else if (policy === 'Recycle') {
    const cleared = mutate(cluster, pvDef, pv, (v) => {
      delete v.spec!.claimRef;
    });
    writeStatus(cluster, pvDef, cleared, { phase: 'Available' });
  } else if (phase !== 'Released') {
    writeStatus(cluster, pvDef, pv, { ...(pv.status ?? {}), phase: 'Released' });
  }
}

function claimKeysForPod(e: StoreEvent): string[] {
  const ns = e.object.metadata.namespace;
  const names = new Set([...claimsOf(e.object), ...(e.previous ? claimsOf(e.previous) : [])]);
  return [...names].map((n) => `${ns}/${n}`);
}

export const persistentVolumeController: Controller = {
  name: 'persistentvolume-controller',
  watches: [
    { resource: '/persistentvolumeclaims', keys: (e) => [keyOf(e.object), ...(e.type === 'DELETED' ? volumeKeysOf(e.object) : [])] },
    {
      resource: '/persistentvolumes',
      keys: (e, ctx) => {
        const keys = e.type === 'DELETED' ? [] : [PV + e.object.metadata.name];
        // A volume coming free may bind a claim that waits.
        const pv: PV = e.object;
        if (pv.status?.phase === 'Available') {
          const claims: PVC[] = ctx.cluster.store.list('/persistentvolumeclaims');
          for (const c of claims) if (c.status?.phase === 'Pending') keys.push(keyOf(c));
        }
        return keys;
      },
    },
    { resource: '/pods', keys: claimKeysForPod },
  ],
  initialKeys: (ctx) => [...ctx.cluster.store.list('/persistentvolumeclaims').map(keyOf), ...ctx.cluster.store.list('/persistentvolumes').map((v) => PV + v.metadata.name)],
  reconcile(key, ctx) {
    if (key.startsWith(PV)) return syncVolume(ctx, key.slice(PV.length));
    const [ns, name] = splitKey(key);
    syncClaim(ctx, ns!, name);
  },
};

function volumeKeysOf(claim: PVC): string[] {
  const v = claim.spec?.volumeName;
  return v ? [PV + v] : [];
}
