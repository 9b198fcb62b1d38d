// managedFields of objects with the same shape share their FieldsV1 trees: the pods of one
// ReplicaSet hold one copy, and a write to one pod gives it a tree of its own without touching
// its siblings'.
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import type { Cluster } from '../../../../src/core/cluster/cluster.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { replicaSet } from '../../../helpers/workloads.js';
import { sharedFieldsNode } from '../../../../src/core/cluster/patch/shared-fields.js';

type Obj = Record<string, any>;
let cluster: Cluster;
let clock: ManualClock;
const rsDef = () => cluster.kinds.byGroupResource('apps', 'replicasets')!;
const podDef = () => cluster.kinds.byGroupResource('', 'pods')!;
const pods = (app: string) => (cluster.store.list('/pods', 'default') as Obj[]).filter((p) => p.metadata.labels?.app === app);
const fieldsOf = (p: Obj, manager: string) => p.metadata.managedFields.find((e: Obj) => e.manager === manager).fieldsV1;


beforeEach(() => {
  clock = new ManualClock('2026-03-01T10:00:00Z');
  cluster = newCluster({ clock, empty: true });
  cluster.create(cluster.kinds.byGroupResource('', 'namespaces')!, undefined, { metadata: { name: 'default' } });
});

describe('managedFields shared between objects of the same shape', () => {
  it('gives the pods of one ReplicaSet one FieldsV1 tree for their metadata, and another ReplicaSet its own', () => {
    cluster.create(rsDef(), 'default', replicaSet('web', 3));
    cluster.create(rsDef(), 'default', replicaSet('api', 1));
    clock.advance(0);
    const [a, b, c] = pods('web');
    const [other] = pods('api');
    expect(fieldsOf(a, 'kube-controller-manager')['f:metadata']).toBe(fieldsOf(b, 'kube-controller-manager')['f:metadata']);
    // The service account's volume has a name of its own in each pod; the rest of the spec is shared.
    const tolerations = (p: Obj) => fieldsOf(p, 'kube-controller-manager')['f:spec']['f:tolerations'];
    expect(tolerations(b)).toBeDefined();
    expect(tolerations(b)).toBe(tolerations(c));
    expect(fieldsOf(other, 'kube-controller-manager')['f:metadata']).not.toBe(fieldsOf(a, 'kube-controller-manager')['f:metadata']);
    expect(tolerations(other)).toBe(tolerations(a));
  });

  it('changes only the patched pod: its siblings keep the same tree and the same JSON', () => {
    cluster.create(rsDef(), 'default', replicaSet('web', 2));
    clock.advance(0);
    const [first, second] = pods('web');
    const siblingBefore = JSON.stringify(second);
    const shared = fieldsOf(second, 'kube-controller-manager');
    cluster.patch(podDef(), 'default', first.metadata.name, 'merge', { metadata: { labels: { tier: 'front' } } }, { fieldManager: 'kubectl-label' });
    cluster.update(podDef(), 'default', first.metadata.name, { ...cluster.store.get('/pods', 'default', first.metadata.name), spec: { ...(first.spec as Obj), activeDeadlineSeconds: 60 } }, { fieldManager: 'kubectl-edit' });
    const patched = cluster.store.get('/pods', 'default', first.metadata.name) as Obj;
    expect(fieldsOf(patched, 'kubectl-label')).toEqual({ 'f:metadata': { 'f:labels': { 'f:tier': {} } } });
    expect(fieldsOf(patched, 'kubectl-edit')).toEqual({ 'f:spec': { 'f:activeDeadlineSeconds': {} } });
    const after = cluster.store.get('/pods', 'default', second.metadata.name) as Obj;
    expect(JSON.stringify(after)).toBe(siblingBefore);
    expect(fieldsOf(after, 'kube-controller-manager')).toBe(shared);
    expect(Object.isFrozen(shared)).toBe(true);
  });

  it('shares equal trees again after a great many trees that never repeat', () => {
    const leaf = sharedFieldsNode([]);
    for (let i = 0; i < 20_000; i++) sharedFieldsNode([[`k:{"ip":"10.0.${i >> 8}.${i & 255}"}`, leaf]]);
    const a = sharedFieldsNode([['f:image', sharedFieldsNode([])], ['f:name', sharedFieldsNode([])]]);
    const b = sharedFieldsNode([['f:image', sharedFieldsNode([])], ['f:name', sharedFieldsNode([])]]);
    expect(b).toBe(a);
    expect(JSON.stringify(a)).toBe('{"f:image":{},"f:name":{}}');
    expect(Object.isFrozen(a)).toBe(true);
    expect(sharedFieldsNode([['f:name', sharedFieldsNode([])], ['f:image', sharedFieldsNode([])]])).not.toBe(a);
  });
});
