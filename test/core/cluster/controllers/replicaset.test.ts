import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import type { Cluster } from '../../../../src/core/cluster/cluster.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { replicaSet } from '../../../helpers/workloads.js';

type Obj = Record<string, any>;
let cluster: Cluster;
let clock: ManualClock;
const rsDef = () => cluster.kinds.byGroupResource('apps', 'replicasets')!;
const podDef = () => cluster.kinds.byGroupResource('', 'pods')!;
const pods = (ns = 'default') => cluster.store.list('/pods', ns) as Obj[];


beforeEach(() => {
  clock = new ManualClock('2026-03-01T10:00:00Z');
  cluster = newCluster({ clock, empty: true });
  cluster.create(cluster.kinds.byGroupResource('', 'namespaces')!, undefined, { metadata: { name: 'default' } });
});

describe('the ReplicaSet controller', () => {
  it('creates the missing pods, named after the ReplicaSet and owned by it', () => {
    const rs = cluster.create(rsDef(), 'default', replicaSet('web', 3)).object;
    clock.advance(0);
    expect(pods()).toHaveLength(3);
    for (const p of pods()) {
      expect(p.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const status = (cluster.store.get('apps/replicasets', 'default', 'web') as Obj).status;
    expect(status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    const reasons = (cluster.store.list('/events', 'default') as Obj[]).map((e) => `${e.reason}: ${e.message}`);
    expect(reasons.filter((r) => r.startsWith('SuccessfulCreate: Created pod: web-'))).toHaveLength(3);
  });

  it('replaces a deleted pod', () => {
    cluster.create(rsDef(), 'default', replicaSet('web', 2));
    clock.advance(0);
    const victim = pods()[0].metadata.name;
    cluster.delete(podDef(), 'default', victim, { gracePeriodSeconds: 0 });
    clock.advance(0);
    expect(pods()).toHaveLength(2);
    expect(pods().map((p) => p.metadata.name)).not.toContain(victim);
  });

  it('releases a pod whose label no longer matches and starts another in its place', () => {
    cluster.create(rsDef(), 'default', replicaSet('web', 2));
    clock.advance(0);
    const [first] = pods();
    cluster.patch(podDef(), 'default', first.metadata.name, 'merge', { metadata: { labels: { app: 'debug' } } });
    clock.advance(0);
    expect(pods()).toHaveLength(3);
    const released = cluster.store.get('/pods', 'default', first.metadata.name) as Obj;
    expect(released.metadata.ownerReferences).toBeUndefined();
    expect(pods().filter((p) => p.metadata.labels.app === 'web')).toHaveLength(2);
  });

  it('adopts a matching pod that nobody owns instead of starting a new one', () => {
    cluster.create(podDef(), 'default', { metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
    cluster.create(rsDef(), 'default', replicaSet('web', 2));
    clock.advance(0);
    expect(pods()).toHaveLength(2);
    expect((cluster.store.get('/pods', 'default', 'stray') as Obj).metadata.ownerReferences[0].kind).toBe('ReplicaSet');
  });

  it('deletes surplus pods when scaled down, and its pods go with it', () => {
    cluster.create(rsDef(), 'default', replicaSet('web', 4));
    clock.advance(0);
    cluster.patch(rsDef(), 'default', 'web', 'merge', { spec: { replicas: 1 } });
    clock.advance(0);
    expect(pods()).toHaveLength(1);
    cluster.delete(rsDef(), 'default', 'web');
    clock.advance(0);
    expect(pods()).toHaveLength(0);
  });
});
