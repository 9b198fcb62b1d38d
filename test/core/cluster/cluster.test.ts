// The registry logic every kind shares: names, versions, conflicts, selectors, paging,
// finalizers and garbage collection, on a cluster stepped by a manual clock.
import { beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/core/cluster/cluster.js';
import { ManualClock } from '../../../src/core/cluster/clock.js';
import { KindRegistry } from '../../../src/core/cluster/kinds/registry.js';
import { namespace } from '../../../src/core/cluster/kinds/namespace.js';
import { configMap } from '../../../src/core/cluster/kinds/configmap.js';
import { daemonSet } from '../../../src/core/cluster/kinds/daemonset.js';
import { pod } from '../../../src/core/cluster/kinds/pod.js';
import { restoreSnapshot, snapshotOf } from '../../../src/core/cluster/snapshot.js';
import type { KObject } from '../../../src/core/cluster/kinds/types.js';
import { rejection } from '../../helpers/errors.js';

let cluster: Cluster;
let clock: ManualClock;

function cm(name: string, extra: Partial<KObject> = {}): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(extra.metadata ?? {}) }, data: { k: 'v' }, ...extra } as KObject;
}

beforeEach(() => {
  clock = new ManualClock('2026-01-01T00:00:00Z');
  cluster = new Cluster({ kinds: new KindRegistry([namespace, configMap, daemonSet, pod]), clock });
  cluster.create(namespace, undefined, { metadata: { name: 'default' } });
});

describe('creating objects', () => {
  it('stamps uid, resourceVersion and creationTimestamp from the cluster clock', () => {
    const { object } = cluster.create(configMap, 'default', cm('a'));
    expect(object.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(object.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(object.metadata.creationTimestamp).toBe('2026-01-01T00:00:00Z');
  });

  it('makes a name from generateName with five random characters', () => {
    const { object } = cluster.create(configMap, 'default', { metadata: { generateName: 'web-' } });
    expect(object.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('refuses a second object of the same name with AlreadyExists', () => {
    cluster.create(configMap, 'default', cm('a'));
    const err = rejection(() => cluster.create(configMap, 'default', cm('a')));
    expect(err.status).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'configmaps "a" already exists' });
  });

  it('refuses objects in a namespace that does not exist', () => {
    const err = rejection(() => cluster.create(configMap, 'nowhere', cm('a')));
    expect(err.status).toMatchObject({ code: 404, message: 'namespaces "nowhere" not found' });
  });

  it('stores nothing on a dry run', () => {
    const { object } = cluster.create(configMap, 'default', cm('a'), { dryRun: true });
    expect(object.metadata.name).toBe('a');
    expect(cluster.read(configMap, 'default', 'a')).toBeUndefined();
  });
});

describe('updating objects', () => {
  it('rejects an update carrying an old resourceVersion with Conflict', () => {
    const first = cluster.create(configMap, 'default', cm('a')).object;
    cluster.update(configMap, 'default', 'a', { ...cm('a'), data: { k: 'w' }, metadata: { name: 'a', resourceVersion: first.metadata.resourceVersion } });
    const err = rejection(() => cluster.update(configMap, 'default', 'a', { ...cm('a'), metadata: { name: 'a', resourceVersion: first.metadata.resourceVersion } }));
    expect(err.status.reason).toBe('Conflict');
  });

  it('bumps generation only when the spec changes, not for labels or status', () => {
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ds' },
      spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    const created = cluster.create(daemonSet, 'default', ds).object;
    expect(created.metadata.generation).toBe(1);
    const labelled = cluster.patch(daemonSet, 'default', 'ds', 'merge', { metadata: { labels: { a: 'b' } } }).object;
    expect(labelled.metadata.generation).toBe(1);
    const changed = cluster.patch(daemonSet, 'default', 'ds', 'merge', { spec: { minReadySeconds: 5 } }).object;
    expect(changed.metadata.generation).toBe(2);
  });

  it('keeps the stored spec itself on a status write, ignoring a spec sent with it, and gives the writer the status fields alone', () => {
    const created = cluster.create(pod, 'default', { metadata: { name: 'p', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, { fieldManager: 'kubectl-create' }).object;
    const body = { ...created, spec: { ...(created.spec as object), activeDeadlineSeconds: 5 }, status: { ...(created.status as object), phase: 'Running', podIP: '10.244.1.5' } };
    const written = cluster.update(pod, 'default', 'p', body, { fieldManager: 'kubelet' }, 'status').object;
    expect(written.spec).toBe(created.spec);
    expect(written.metadata.labels).toBe(created.metadata.labels);
    expect(written.status).toMatchObject({ phase: 'Running', podIP: '10.244.1.5' });
    type Entry = { manager: string; subresource?: string; fieldsV1: Record<string, object> };
    const entries = written.metadata.managedFields as Entry[];
    const kubelet = entries.find((e) => e.manager === 'kubelet')!;
    expect(kubelet.subresource).toBe('status');
    expect(Object.keys(kubelet.fieldsV1)).toEqual(['f:status']);
    expect(Object.keys(kubelet.fieldsV1['f:status'])).toEqual(['f:phase', 'f:podIP']);
    expect(entries.find((e) => e.manager === 'kubectl-create')!.fieldsV1).toEqual((created.metadata.managedFields as Entry[])[0].fieldsV1);
  });

  it('leaves a stored spec undefaulted on a status write, as one saved by an older version may be', () => {
    const created = cluster.create(pod, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }).object;
    const { enableServiceLinks: _dropped, ...older } = created.spec as Record<string, unknown>;
    const stored = cluster.store.put('/pods', { ...created, spec: older });
    const written = cluster.update(pod, 'default', 'p', { ...stored, status: { ...(stored.status as object), phase: 'Running' } }, { fieldManager: 'kubelet' }, 'status').object;
    expect(written.status).toMatchObject({ phase: 'Running' });
    expect(written.spec).toBe(stored.spec);
    expect(written.spec).not.toHaveProperty('enableServiceLinks');
  });

  it('keeps the object as it was when an update changes nothing', () => {
    const first = cluster.create(configMap, 'default', cm('a')).object;
    const again = cluster.patch(configMap, 'default', 'a', 'merge', { data: { k: 'v' } }).object;
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });
});

describe('listing', () => {
  beforeEach(() => {
    for (const [name, tier] of [['a', 'web'], ['b', 'db'], ['c', 'web'], ['d', 'cache']]) {
      cluster.create(configMap, 'default', cm(name, { metadata: { name, labels: { tier } } } as Partial<KObject>));
    }
  });

  it('filters by equality and set-based label selectors', () => {
    const names = (sel: string) => cluster.list(configMap, 'default', { labelSelector: sel }).items.map((o) => o.metadata.name);
    expect(names('tier=web')).toEqual(['a', 'c']);
    expect(names('tier in (db,cache)')).toEqual(['b', 'd']);
    expect(names('tier!=web')).toEqual(['b', 'd']);
    expect(names('!tier')).toEqual([]);
  });

  it('pages with limit and continue', () => {
    const first = cluster.list(configMap, 'default', { limit: 3 });
    expect(first.items.map((o) => o.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(first.remainingItemCount).toBe(1);
    const rest = cluster.list(configMap, 'default', { limit: 3, continue: first.continue });
    expect(rest.items.map((o) => o.metadata.name)).toEqual(['d']);
    expect(rest.continue).toBeUndefined();
  });

  it('pages through one namespace without straying into a neighbour whose name shares its prefix', () => {
    for (const ns of ['default-x', 'd']) {
      cluster.create(namespace, undefined, { metadata: { name: ns } });
      cluster.create(configMap, ns, cm('z'));
    }
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const page = cluster.list(configMap, 'default', { limit: 1, continue: next });
      seen.push(...page.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
      next = page.continue;
    } while (next);
    expect(seen).toEqual(['default/a', 'default/b', 'default/c', 'default/d']);
    expect(cluster.list(configMap, undefined, {}).items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['d/z', 'default-x/z', 'default/a', 'default/b', 'default/c', 'default/d']);
  });

  it('pages a selected list without counting what remains, as the apiserver does', () => {
    const first = cluster.list(configMap, 'default', { labelSelector: 'tier=web', limit: 1 });
    expect(first.items.map((o) => o.metadata.name)).toEqual(['a']);
    expect(first.remainingItemCount).toBeUndefined();
    const rest = cluster.list(configMap, 'default', { labelSelector: 'tier=web', limit: 1, continue: first.continue });
    expect(rest.items.map((o) => o.metadata.name)).toEqual(['c']);
  });

  it('answers an unsupported field selector with BadRequest, in the default conversion\'s words for a kind with no fields of its own', () => {
    const err = rejection(() => cluster.list(configMap, 'default', { fieldSelector: 'spec.foo=bar' }));
    expect(err.status).toMatchObject({ code: 400, message: '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"' });
  });
});

describe('deleting', () => {
  function owned(name: string, owner: KObject): KObject {
    return cm(name, { metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name!, uid: owner.metadata.uid! }] } } as Partial<KObject>);
  }

  it('collects dependents in the background once their owner is gone', () => {
    const owner = cluster.create(configMap, 'default', cm('owner')).object;
    cluster.create(configMap, 'default', owned('child', owner));
    cluster.delete(configMap, 'default', 'owner');
    expect(cluster.read(configMap, 'default', 'child')).toBeUndefined();
  });

  it('orphans dependents when asked, removing only the owner reference', () => {
    const owner = cluster.create(configMap, 'default', cm('owner')).object;
    cluster.create(configMap, 'default', owned('child', owner));
    cluster.delete(configMap, 'default', 'owner', { propagationPolicy: 'Orphan' });
    expect(cluster.read(configMap, 'default', 'owner')).toBeUndefined();
    const child = cluster.read(configMap, 'default', 'child')!;
    expect(child.metadata.ownerReferences).toBeUndefined();
  });

  it('removes dependents before the owner in foreground deletion', () => {
    const owner = cluster.create(configMap, 'default', cm('owner')).object;
    cluster.create(configMap, 'default', owned('child', owner));
    cluster.delete(configMap, 'default', 'owner', { propagationPolicy: 'Foreground' });
    expect(cluster.read(configMap, 'default', 'child')).toBeUndefined();
    expect(cluster.read(configMap, 'default', 'owner')).toBeUndefined();
  });

  it('keeps an object with a finalizer until the finalizer is removed', () => {
    cluster.create(configMap, 'default', cm('held', { metadata: { name: 'held', finalizers: ['example.com/hold'] } } as Partial<KObject>));
    const marked = cluster.delete(configMap, 'default', 'held').object;
    expect(marked.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(cluster.read(configMap, 'default', 'held')).toBeDefined();
    cluster.patch(configMap, 'default', 'held', 'merge', { metadata: { finalizers: null } });
    expect(cluster.read(configMap, 'default', 'held')).toBeUndefined();
  });

  it('deletes everything inside a namespace with it', () => {
    cluster.create(namespace, undefined, { metadata: { name: 'team' } });
    cluster.create(configMap, 'team', cm('a'));
    cluster.delete(namespace, undefined, 'team');
    expect(cluster.read(configMap, 'team', 'a')).toBeUndefined();
    expect(cluster.read(namespace, undefined, 'team')).toBeUndefined();
  });
});

describe('watching and snapshots', () => {
  it('delivers store events in resourceVersion order', () => {
    const seen: string[] = [];
    cluster.store.subscribe('/configmaps', (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    cluster.create(configMap, 'default', cm('a'));
    cluster.patch(configMap, 'default', 'a', 'merge', { data: { k: 'w' } });
    cluster.delete(configMap, 'default', 'a');
    expect(seen).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
  });

  it('restores a saved state exactly, without the changes made after saving', () => {
    cluster.create(configMap, 'default', cm('a'));
    const snap = JSON.parse(JSON.stringify(snapshotOf(cluster)));
    cluster.create(configMap, 'default', cm('b'));
    restoreSnapshot(cluster, snap);
    expect(cluster.list(configMap, 'default').items.map((o) => o.metadata.name)).toEqual(['a']);
    expect(Number(cluster.store.resourceVersion)).toBeGreaterThan(snap.resourceVersion);
  });
});
