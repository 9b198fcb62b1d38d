// The metrics API (metrics.k8s.io/v1beta1) that metrics-server serves and `kubectl top` reads:
// NodeMetrics and PodMetrics, computed from what the kubelets measure when they are read.
import type { KindDef } from './types.js';

export const nodeMetrics: KindDef = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind: 'NodeMetrics',
  plural: 'nodes',
  singular: '',
  namespaced: false,
  verbs: ['get', 'list'],
};

export const podMetrics: KindDef = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind: 'PodMetrics',
  plural: 'pods',
  singular: '',
  namespaced: true,
  verbs: ['get', 'list'],
};
