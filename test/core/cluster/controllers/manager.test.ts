// The controller manager's work queue: each change queues the keys it concerns, and each queued
// key is reconciled once, in the order it was first queued, however long the queue grows.
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import type { Cluster } from '../../../../src/core/cluster/cluster.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { ControllerManager, keyOf, type Controller } from '../../../../src/core/cluster/controllers/manager.js';

let cluster: Cluster;
let clock: ManualClock;
let seen: string[];
const cmDef = () => cluster.kinds.byGroupResource('', 'configmaps')!;
const configMap = (name: string, v = '1') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v } });

function recorder(again: Set<string> = new Set()): Controller {
  return {
    name: 'recorder',
    watches: [{ resource: '/configmaps', keys: (e) => [keyOf(e.object)] }],
    reconcile(key, ctx) {
      seen.push(key);
      // Queued again by its own reconcile: it runs once more, after what was already waiting.
      if (again.delete(key)) ctx.enqueue('recorder', key);
    },
  };
}

beforeEach(() => {
  clock = new ManualClock('2026-03-01T10:00:00Z');
  cluster = newCluster({ clock, empty: true });
  cluster.create(cluster.kinds.byGroupResource('', 'namespaces')!, undefined, { metadata: { name: 'default' } });
  seen = [];
});

describe('the controller manager', () => {
  it('reconciles each queued key once, in the order first queued, and a key its own reconcile queues again after the rest', () => {
    const manager = new ControllerManager(cluster).register(recorder(new Set(['default/a'])));
    cluster.create(cmDef(), 'default', configMap('a'));
    cluster.create(cmDef(), 'default', configMap('b'));
    cluster.patch(cmDef(), 'default', 'a', 'merge', { data: { v: '2' } });
    cluster.create(cmDef(), 'default', configMap('c'));
    manager.drain();
    expect(seen).toEqual(['default/a', 'default/b', 'default/c', 'default/a']);
    manager.stop();
  });

  it('keeps that order and that once over tens of thousands of keys queued at a time', () => {
    const manager = new ControllerManager(cluster).register(recorder());
    const names = Array.from({ length: 20_000 }, (_, i) => `cm-${String(i).padStart(5, '0')}`);
    for (const n of names) cluster.create(cmDef(), 'default', configMap(n));
    // Changed again while waiting: still once, in its first place.
    for (const n of names.slice(0, 100)) cluster.patch(cmDef(), 'default', n, 'merge', { data: { v: '2' } });
    manager.drain();
    expect(seen).toEqual(names.map((n) => `default/${n}`));
    manager.stop();
  });
});
