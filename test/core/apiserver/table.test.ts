// Server-side printing of the default cluster, kind by kind, compared with golden files
// (UPDATE_GOLDEN=1 rewrites them after an intended change).
import { describe, it } from 'vitest';
import { newCluster } from '../../../src/core/cluster/factory.js';
import { ManualClock } from '../../../src/core/cluster/clock.js';
import { table } from '../../../src/core/apiserver/table.js';
import { expectGolden } from '../../helpers/golden.js';
import type { KObject } from '../../../src/core/cluster/kinds/types.js';

const clock = new ManualClock('2026-03-01T10:00:00Z');
const cluster = newCluster({ clock });
clock.advance(7 * 60 * 1000 + 5000);

function render(group: string, plural: string, namespace?: string, extra: KObject[] = []): string {
  const def = cluster.kinds.byGroupResource(group, plural)!;
  for (const o of extra) cluster.create(def, o.metadata.namespace, o);
  const t = table(def, cluster.list(def, namespace).items, cluster.ctx, 'None', 'v1', {}) as {
    columnDefinitions: Array<{ name: string; priority: number }>;
    rows: Array<{ cells: unknown[] }>;
  };
  const header = t.columnDefinitions.map((c) => (c.priority ? `(${c.name})` : c.name)).join(' | ');
  return [header, ...t.rows.map((r) => r.cells.map(String).join(' | '))].join('\n');
}

describe('printed columns of the default cluster', () => {
  it('prints nodes with status, roles and version', () => expectGolden('tables/nodes', render('', 'nodes')));
  it('prints kube-system pods with ready, status and restarts', () => expectGolden('tables/pods', render('', 'pods', 'kube-system')));
  it('prints services with type, cluster IP and ports', () =>
    expectGolden(
      'tables/services',
      render('', 'services', undefined, [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443, nodePort: 30443 }] } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'numbers-api', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'api.example.com' } },
      ]),
    ));
  it('prints deployments, replica sets and daemon sets', () =>
    expectGolden('tables/workloads', [render('apps', 'deployments'), render('apps', 'replicasets'), render('apps', 'daemonsets')].join('\n\n')));
  it('prints the default storage class with "(default)" after its name', () => expectGolden('tables/storageclasses', render('storage.k8s.io', 'storageclasses')));
  it('prints config maps, service accounts and namespaces', () =>
    expectGolden('tables/config', [render('', 'configmaps', 'kube-system'), render('', 'serviceaccounts', 'default'), render('', 'namespaces')].join('\n\n')));
});
