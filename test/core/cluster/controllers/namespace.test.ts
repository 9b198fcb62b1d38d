// The namespace controller's account of a namespace being emptied, and its end.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { deletionConditions } from '../../../../src/core/cluster/controllers/namespace.js';
import { isNamespaceTerminating, type ApiError } from '../../../../src/core/cluster/errors.js';

type Obj = Record<string, any>;

describe('namespace deletion conditions', () => {
  it('lists what remains and which finalizers hold it, sorted, as the real controller words it', () => {
    const conditions = deletionConditions(undefined, { resources: new Map([['pods.', 2], ['configmaps.', 1]]), finalizers: new Map([['example.com/hold', 1]]) }, '2026-03-01T10:00:00Z');
    const byType = Object.fromEntries(conditions.map((c) => [c.type, c]));
    expect(byType.NamespaceContentRemaining.message).toBe('Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances');
    expect(byType.NamespaceFinalizersRemaining.message).toBe('Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    expect(conditions.map((c) => c.type)).toEqual([
      'NamespaceDeletionDiscoveryFailure',
      'NamespaceDeletionGroupVersionParsingFailure',
      'NamespaceDeletionContentFailure',
      'NamespaceContentRemaining',
      'NamespaceFinalizersRemaining',
    ]);
  });
});

describe('the namespace controller', () => {
  it('waits on content held by a finalizer, and removes the namespace once it is released', () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const cluster = newCluster({ clock });
    const ns = cluster.kinds.byGroupResource('', 'namespaces')!;
    const cm = cluster.kinds.byGroupResource('', 'configmaps')!;
    cluster.create(ns, undefined, { metadata: { name: 'team' } });
    cluster.create(cm, 'team', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    clock.advance(0);
    expect(cluster.store.get('/serviceaccounts', 'team', 'default')).toBeDefined();
    cluster.delete(ns, undefined, 'team');
    clock.advance(1000);
    const terminating = cluster.store.get('/namespaces', undefined, 'team') as Obj;
    expect(terminating.status.phase).toBe('Terminating');
    expect(terminating.status.conditions.find((c: Obj) => c.type === 'NamespaceFinalizersRemaining')).toMatchObject({ status: 'True', reason: 'SomeFinalizersRemain' });
    expect(cluster.store.list('/serviceaccounts', 'team')).toEqual([]);
    cluster.patch(cm, 'team', 'held', 'merge', { metadata: { finalizers: null } });
    clock.advance(0);
    expect(cluster.store.get('/namespaces', undefined, 'team')).toBeUndefined();
  });
});

describe('new content in a namespace being deleted', () => {
  it('is refused with the NamespaceTerminating cause, which controllers take as no fault of theirs', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const cluster = newCluster({ clock });
    const ns = cluster.kinds.byGroupResource('', 'namespaces')!;
    const cm = cluster.kinds.byGroupResource('', 'configmaps')!;
    const svc = cluster.kinds.byGroupResource('', 'services')!;
    cluster.create(ns, undefined, { metadata: { name: 'closing' } });
    cluster.create(cm, 'closing', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    // A Service held by a finalizer outlives its Endpoints: the endpoint controller then tries to make them again.
    cluster.create(svc, 'closing', { metadata: { name: 'web', finalizers: ['example.com/hold'] }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    clock.advance(1000);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      cluster.delete(ns, undefined, 'closing');
      clock.advance(1000);
      let refusal: unknown;
      try {
        cluster.create(cm, 'closing', { metadata: { name: 'late' } });
      } catch (err) {
        refusal = err;
      }
      expect(isNamespaceTerminating(refusal)).toBe(true);
      expect((refusal as ApiError).status.details?.causes).toEqual([
        { reason: 'NamespaceTerminating', message: 'unable to create new content in namespace closing because it is being terminated', field: 'metadata.namespace' },
      ]);
      clock.advance(5000);
      // Warnings are emitted on a later tick.
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('could not reconcile'))).toEqual([]);
  });
});
