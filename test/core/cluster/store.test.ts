// The store keeps each written object frozen and shares the parts a write leaves as they were,
// with the version before and with a sibling of the same generateName, so that a big cluster
// holds what its objects have in common once. Sharing must never show: member order, values and
// what a later write to one object does to another stay as if every object were a copy.
import { beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/core/cluster/store.js';
import { Cluster } from '../../../src/core/cluster/cluster.js';
import { ManualClock } from '../../../src/core/cluster/clock.js';
import { KindRegistry } from '../../../src/core/cluster/kinds/registry.js';
import { namespace } from '../../../src/core/cluster/kinds/namespace.js';
import { configMap } from '../../../src/core/cluster/kinds/configmap.js';
import type { KObject } from '../../../src/core/cluster/kinds/types.js';
import { newCluster } from '../../../src/core/cluster/factory.js';
import { replicaSet } from '../../helpers/workloads.js';

type Pod = KObject & { spec: { containers: Array<Record<string, unknown>>; tolerations: Array<Record<string, unknown>> }; status?: Record<string, unknown> };

/** A pod as a ReplicaSet stamps it: the same template, its own name and volume. */
function pod(name: string, volume: string, status?: Record<string, unknown>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', generateName: 'web-6d4cf56db6-', labels: { app: 'web' } },
    spec: {
      containers: [{ name: 'web', image: 'nginx:1.27', resources: {}, volumeMounts: [{ name: volume, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    ...(status ? { status } : {}),
  };
}

/** A fresh, unshared copy, as a writer hands the store a new object. */
const copy = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

describe('sharing what a write leaves unchanged', () => {
  let store: Store;
  beforeEach(() => {
    store = new Store();
  });

  it('keeps the spec of the version before when a write changes only the status', () => {
    const first = store.put('/pods', pod('web-1', 'kube-api-access-aaaaa')) as Pod;
    const second = store.put('/pods', { ...copy(first), status: { phase: 'Running' } }) as Pod;
    expect(second.spec).toBe(first.spec);
    expect(second.metadata.labels).toBe(first.metadata.labels);
    expect(second.status).toEqual({ phase: 'Running' });
    expect(second.metadata.resourceVersion).not.toBe(first.metadata.resourceVersion);
  });

  it('gives a new pod the parts it has in common with its sibling of the same generateName', () => {
    const a = store.put('/pods', pod('web-1', 'kube-api-access-aaaaa')) as Pod;
    const b = store.put('/pods', pod('web-2', 'kube-api-access-bbbbb')) as Pod;
    expect(b.spec.tolerations).toBe(a.spec.tolerations);
    expect(b.spec.containers[0].resources).toBe(a.spec.containers[0].resources);
    // The containers differ in their volume's name, so they are their own.
    expect(b.spec.containers).not.toBe(a.spec.containers);
    expect((b.spec.containers[0].volumeMounts as Array<{ name: string }>)[0].name).toBe('kube-api-access-bbbbb');
  });

  it('keeps the member order of what was written, even when the values equal the version before', () => {
    const first = store.put('/pods', pod('web-1', 'kube-api-access-aaaaa')) as Pod;
    const reordered = copy(first);
    const [t] = reordered.spec.tolerations;
    reordered.spec.tolerations[0] = { effect: t.effect, key: t.key, operator: t.operator, tolerationSeconds: t.tolerationSeconds };
    const second = store.put('/pods', reordered) as Pod;
    expect(Object.keys(second.spec.tolerations[0])).toEqual(['effect', 'key', 'operator', 'tolerationSeconds']);
    expect(second.spec.tolerations[1]).toBe(first.spec.tolerations[1]);
    expect(JSON.stringify(second.spec.tolerations[0])).toBe('{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300}');
  });

  it('stores every part frozen, shared or new', () => {
    store.put('/pods', pod('web-1', 'kube-api-access-aaaaa'));
    const b = store.put('/pods', pod('web-2', 'kube-api-access-bbbbb')) as Pod;
    const stack: unknown[] = [b];
    while (stack.length) {
      const v = stack.pop();
      if (v && typeof v === 'object') {
        expect(Object.isFrozen(v)).toBe(true);
        stack.push(...Object.values(v));
      }
    }
  });

  it('tells a change from an equal value of another type', () => {
    const first = store.put('/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { n: '1', list: [] } } as KObject);
    const second = store.put('/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { n: 1, list: {} } } as unknown as KObject);
    expect(JSON.stringify(second.data)).toBe('{"n":1,"list":{}}');
    expect(second.data).not.toBe(first.data);
  });
});

describe('writing one of two objects that share parts', () => {
  it('changes only the object written', () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const cluster = new Cluster({ kinds: new KindRegistry([namespace, configMap]), clock });
    cluster.create(namespace, undefined, { metadata: { name: 'default' } });
    const data = { a: 'one', b: 'two', nested: '{"x":1}' };
    const first = cluster.create(configMap, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'settings-' }, data }).object;
    const second = cluster.create(configMap, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'settings-' }, data }).object;
    expect(second.data).toBe(first.data);
    cluster.patch(configMap, 'default', second.metadata.name!, 'merge', { data: { a: 'changed' } });
    cluster.patch(configMap, 'default', first.metadata.name!, 'json', [{ op: 'remove', path: '/data/b' }]);
    expect(cluster.store.get('/configmaps', 'default', first.metadata.name!)!.data).toEqual({ a: 'one', nested: '{"x":1}' });
    expect(cluster.store.get('/configmaps', 'default', second.metadata.name!)!.data).toEqual({ a: 'changed', b: 'two', nested: '{"x":1}' });
    expect(first.data).toEqual(data);
  });
});

describe('the pods of one ReplicaSet', () => {
  it('share their template\'s parts, and a patch to one pod leaves its sibling as it was', () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const cluster = newCluster({ clock, empty: true });
    cluster.create(cluster.kinds.byGroupResource('', 'namespaces')!, undefined, { metadata: { name: 'default' } });
    cluster.create(cluster.kinds.byGroupResource('apps', 'replicasets')!, 'default', replicaSet('web', 2));
    clock.advance(0);
    const [a, b] = cluster.store.list('/pods', 'default') as Pod[];
    expect(b.spec.tolerations).toBe(a.spec.tolerations);
    expect(b.spec.containers[0].resources).toBe(a.spec.containers[0].resources);
    const siblingBefore = JSON.stringify(b);
    cluster.patch(cluster.kinds.byGroupResource('', 'pods')!, 'default', a.metadata.name!, 'json', [
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' },
      { op: 'replace', path: '/spec/tolerations/0/tolerationSeconds', value: 60 },
    ]);
    const patched = cluster.store.get('/pods', 'default', a.metadata.name!) as Pod;
    expect(patched.spec.containers[0].image).toBe('nginx:1.27');
    expect(patched.spec.tolerations[0].tolerationSeconds).toBe(60);
    expect(patched.spec.tolerations[1]).toBe(a.spec.tolerations[1]);
    expect(JSON.stringify(cluster.store.get('/pods', 'default', b.metadata.name!))).toBe(siblingBefore);
    expect(a.spec.tolerations[0].tolerationSeconds).toBe(300);
  });
});

