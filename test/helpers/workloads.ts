// Workload objects the controller tests start from, written as a learner's manifest would be.
import type { KObject } from '../../src/core/cluster/kinds/types.js';

/** A ReplicaSet of nginx pods labelled app=NAME. */
export function replicaSet(name: string, replicas: number): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  };
}
