// The volume binder's choice of volume for a claim, and the controller binding, releasing and
// protecting on a cluster stepped by a manual clock.
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import type { Cluster } from '../../../../src/core/cluster/cluster.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { findVolume, volumeFits } from '../../../../src/core/cluster/controllers/volumes.js';
import type { Stored } from '../../../../src/core/cluster/kinds/types.js';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';

type Obj = Record<string, any>;

const pv = (name: string, size: string, extra: Obj = {}): Stored<PersistentVolume> => ({
  metadata: { name, labels: extra.labels ?? {} },
  spec: { capacity: { storage: size }, accessModes: extra.accessModes ?? ['ReadWriteOnce'], storageClassName: extra.storageClassName ?? 'manual', persistentVolumeReclaimPolicy: extra.policy ?? 'Retain', hostPath: { path: `/d/${name}` } },
  status: { phase: 'Available' },
});
const pvc = (name: string, size: string, extra: Obj = {}): Stored<PersistentVolumeClaim> => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, storageClassName: 'manual', ...extra },
});

describe('choosing a volume for a claim', () => {
  it('takes the smallest Available volume with enough capacity, the same class and the modes asked for', () => {
    const volumes = [pv('huge', '100Gi'), pv('fits', '2Gi'), pv('small', '1Mi'), pv('rwx', '1500Mi', { accessModes: ['ReadWriteMany'] }), pv('other', '2Gi', { storageClassName: 'fast' })];
    expect(findVolume(volumes, pvc('c', '1Gi'))?.metadata.name).toBe('fits');
  });

  it('honours a claim\'s selector and volumeName', () => {
    const volumes = [pv('a', '1Gi'), pv('b', '5Gi', { labels: { tier: 'gold' } })];
    expect(findVolume(volumes, pvc('c', '1Gi', { selector: { matchLabels: { tier: 'gold' } } }))?.metadata.name).toBe('b');
    expect(findVolume(volumes, pvc('c', '1Gi', { volumeName: 'b' }))?.metadata.name).toBe('b');
    expect(findVolume(volumes, pvc('c', '10Gi', { volumeName: 'b' }))).toBeUndefined();
  });

  it('never takes a volume bound or pre-bound to another claim', () => {
    const taken = pv('t', '1Gi');
    taken.spec = { ...taken.spec, claimRef: { namespace: 'default', name: 'someone-else' } };
    expect(volumeFits(taken, pvc('c', '1Gi'))).toBe(false);
    expect(volumeFits(taken, pvc('someone-else', '1Gi'))).toBe(true);
  });
});

describe('the persistent volume controller', () => {
  let cluster: Cluster;
  let clock: ManualClock;
  const def = (p: string) => cluster.kinds.byGroupResource('', p)!;
  const get = (p: string, ns: string | undefined, n: string) => cluster.store.get(`/${p}`, ns, n) as Obj | undefined;

  beforeEach(() => {
    clock = new ManualClock('2026-03-01T10:00:00Z');
    cluster = newCluster({ clock });
  });

  it('binds both halves, and deletes a Delete volume once its claim is gone', () => {
    cluster.create(def('persistentvolumes'), undefined, pv('vol', '1Gi', { policy: 'Delete' }));
    cluster.create(def('persistentvolumeclaims'), 'default', { metadata: { name: 'c' }, spec: pvc('c', '1Gi').spec });
    clock.advance(0);
    expect(get('persistentvolumeclaims', 'default', 'c')?.status.phase).toBe('Bound');
    expect(get('persistentvolumes', undefined, 'vol')?.spec.claimRef.name).toBe('c');
    cluster.delete(def('persistentvolumeclaims'), 'default', 'c');
    clock.advance(0);
    expect(get('persistentvolumeclaims', 'default', 'c')).toBeUndefined();
    expect(get('persistentvolumes', undefined, 'vol')).toBeUndefined();
  });

  it('keeps a claim used by a running pod until the pod is gone', () => {
    cluster.create(def('persistentvolumes'), undefined, pv('vol', '1Gi'));
    cluster.create(def('persistentvolumeclaims'), 'default', { metadata: { name: 'c' }, spec: pvc('c', '1Gi').spec });
    cluster.create(def('pods'), 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'p', image: 'nginx' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'c' } }] } });
    for (let i = 0; i < 10; i++) clock.advance(1000);
    cluster.delete(def('persistentvolumeclaims'), 'default', 'c');
    clock.advance(0);
    expect(get('persistentvolumeclaims', 'default', 'c')?.metadata.deletionTimestamp).toBeTruthy();
    cluster.delete(def('pods'), 'default', 'p', { gracePeriodSeconds: 0 });
    clock.advance(0);
    expect(get('persistentvolumeclaims', 'default', 'c')).toBeUndefined();
    expect(get('persistentvolumes', undefined, 'vol')?.status.phase).toBe('Released');
  });
});
