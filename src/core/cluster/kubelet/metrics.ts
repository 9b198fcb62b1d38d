// metrics-server's view of the cluster: PodMetrics and NodeMetrics computed from the kubelets'
// measurements at the moment they are read, in the units metrics-server reports.
import type { Cluster } from '../cluster.js';
import type { KObject } from '../kinds/types.js';
import { rfc3339 } from '../clock.js';
import type { Kubelet } from './kubelet.js';
import { isRunning } from './pod-state.js';

/** What the node's own system (kubelet, runtime, OS) uses besides pods. */
const NODE_OVERHEAD = { cpu: 60_000_000, memory: 520 * 1024 * 1024 };
const CONTROL_PLANE_OVERHEAD = { cpu: 140_000_000, memory: 700 * 1024 * 1024 };

const cpuText = (nanos: number) => `${Math.round(nanos)}n`;
const memText = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

export function installMetrics(cluster: Cluster, kubelet: Kubelet): void {
  const podMetrics = (namespace?: string): KObject[] => {
    const now = cluster.clock.now();
    const out: KObject[] = [];
    for (const [key, state] of kubelet.pods) {
      const [ns, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      if (namespace !== undefined && ns !== namespace) continue;
      if (!state.containers.some(isRunning)) continue;
      const pod = cluster.store.get('/pods', ns, name);
      if (!pod) continue;
      out.push({
        kind: 'PodMetrics',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: { name, namespace: ns, creationTimestamp: rfc3339(now), ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}) },
        timestamp: rfc3339(new Date(now.getTime() - 5000)),
        window: '15.012s',
        containers: state.containers
          .filter(isRunning)
          .map((c) => {
            const u = kubelet.usage(c, now.getTime());
            return { name: c.name, usage: { cpu: cpuText(u.cpu), memory: memText(u.memory) } };
          }),
      } as KObject);
    }
    return out.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  };
  const nodeMetrics = (): KObject[] => {
    const now = cluster.clock.now();
    return cluster.store.list('/nodes').map((node) => {
      const cp = node.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined;
      const base = cp ? CONTROL_PLANE_OVERHEAD : NODE_OVERHEAD;
      let cpu = base.cpu;
      let memory = base.memory;
      for (const state of kubelet.pods.values()) {
        if (state.node !== node.metadata.name) continue;
        for (const c of state.containers) {
          const u = kubelet.usage(c, now.getTime());
          cpu += u.cpu;
          memory += u.memory;
        }
      }
      return {
        kind: 'NodeMetrics',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: { name: node.metadata.name, creationTimestamp: rfc3339(now), ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
        timestamp: rfc3339(new Date(now.getTime() - 5000)),
        window: '20.05s',
        usage: { cpu: cpuText(cpu), memory: memText(memory) },
      } as KObject;
    });
  };
  cluster.computed.set('metrics.k8s.io/pods', podMetrics);
  cluster.computed.set('metrics.k8s.io/nodes', () => nodeMetrics());
}
