// The cluster pane's source: the server's tables for a namespace, with the timestamps ages count
// from, and the kinds the current step is graded on, against a real simulated cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterHost } from '../../../src/core/hosting/cluster-host.js';
import { kindsOfChecks, kindsOfStep, NamespaceView, type NamespaceSnapshot } from '../../../src/core/kube/namespace-view.js';
import type { Step } from '../../../src/core/lessons/types.js';

let host: ClusterHost;
beforeAll(async () => {
  host = await ClusterHost.start();
});
afterAll(async () => {
  await host?.close();
});

function changed(view: NamespaceView, until: (s: NamespaceSnapshot) => boolean): Promise<NamespaceSnapshot> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the view never showed it: ${JSON.stringify(view.snapshot)}`)), 10_000);
    const check = (s: NamespaceSnapshot) => {
      if (!until(s)) return;
      clearTimeout(timer);
      view.off('change', check);
      resolve(s);
    };
    view.on('change', check);
    check(view.snapshot);
  });
}

const step = (checks: Step['tasks'][number]['checks']): Step => ({ id: 's', title: 's', explanation: '', tasks: [{ text: '', checks }], hints: [], solution: [], outcome: '' });

describe('the namespace view', () => {
  it('names the kinds a step\'s checks read, as their authors wrote them', () => {
    const kinds = kindsOfStep(
      step([{ exists: { kind: 'ConfigMap', name: 'a' } }, { field: { kind: 'cm', name: 'a', path: 'data.x', equals: 'y' } }, { endpoints: { service: 'web' } }, { canI: { verb: 'get', resource: 'pods', expect: true } }, { pod: { name: 'p' } }]),
    );
    expect(kinds).toEqual(['ConfigMap', 'cm', 'endpoints', 'roles', 'rolebindings', 'pods']);
    // An exam task's checks, the same way.
    expect(kindsOfChecks([{ count: { kind: 'jobs', atLeast: 1 } }, { event: { reason: 'BackOff' } }])).toEqual(['jobs', 'events']);
  });

  it('keeps when each row was created, and shows a followed kind (ConfigMaps, Roles) with its own watch', async () => {
    const sandbox = host.create();
    const client = sandbox.client;
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'view' } });
    await client.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'view' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
    const view = new NamespaceView(client, 'view', 20).start();
    try {
      const first = await changed(view, (s) => (s.tables.find((t) => t.kind === 'pods')?.rows.length ?? 0) > 0);
      const pods = first.tables.find((t) => t.kind === 'pods')!;
      expect(pods.names).toEqual(['web']);
      expect(Date.parse(pods.since[0]!)).toBeGreaterThan(Date.now() - 60_000);
      expect(first.tables.map((t) => t.kind)).toEqual(['pods', 'deployments', 'services', 'events']);

      await view.follow(['cm', 'Role', 'nodes', 'no-such-kind']);
      expect(view.snapshot.tables.map((t) => t.kind)).toEqual(['pods', 'deployments', 'services', 'events', 'configmaps', 'roles']);
      await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'view' }, data: { a: '1' } });
      const later = await changed(view, (s) => s.tables.find((t) => t.kind === 'configmaps')?.names.includes('app-config') ?? false);
      expect(later.tables.find((t) => t.kind === 'configmaps')!.columns).toContain('Data');
    } finally {
      view.stop();
    }
  });
});
