// Limits of a shared host's sandbox cluster (the Slack bot's): how many objects and pods a learner
// may make, and how many replicas a workload may ask for, so one learner cannot slow the others.
// They are refused as a ResourceQuota refuses: 403 Forbidden, saying which limit and what it is.
import type { AdmissionRequest, Cluster } from '../cluster.js';
import { forbidden } from '../errors.js';

export interface SandboxLimits {
  /** Objects the learner may add to the cluster as it was made (events not counted). */
  maxObjects: number;
  maxPods: number;
  /** The most replicas one Deployment, ReplicaSet, StatefulSet or ReplicationController may ask for. */
  maxReplicas: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { maxObjects: 300, maxPods: 60, maxReplicas: 20 };

const SCALED = new Set(['deployments', 'replicasets', 'statefulsets', 'replicationcontrollers']);

function objectCount(cluster: Cluster): number {
  let n = 0;
  for (const r of cluster.store.resourcesStored()) if (!r.endsWith('/events')) n += cluster.store.count(r);
  return n;
}

export function sandboxLimits(cluster: Cluster, limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS): (req: AdmissionRequest) => void {
  const baseline = objectCount(cluster);
  return (req) => {
    const { def, object } = req;
    const gr = { group: def.group, resource: def.plural };
    const name = object.metadata?.name ?? '';
    if (SCALED.has(def.plural) && (req.subresource === undefined || req.subresource === 'scale')) {
      const replicas = (object.spec as { replicas?: number } | undefined)?.replicas ?? 1;
      if (replicas > limits.maxReplicas) {
        throw forbidden(gr, name, `exceeded sandbox limit: requested replicas=${replicas}, limited: replicas=${limits.maxReplicas}`);
      }
    }
    if (req.operation !== 'CREATE' || def.plural === 'events') return;
    if (def.plural === 'pods' && cluster.store.count('/pods') >= limits.maxPods) {
      throw forbidden(gr, name, `exceeded sandbox limit: pods=${limits.maxPods}; delete some pods (or scale a workload down) first`);
    }
    if (objectCount(cluster) - baseline >= limits.maxObjects) {
      throw forbidden(gr, name, `exceeded sandbox limit: objects=${limits.maxObjects}; delete what you no longer need first`);
    }
  };
}
