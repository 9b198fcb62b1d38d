// Making clusters. The kind-like default state is built once per process through the API and
// then shared, frozen, by every new cluster: a fresh cluster costs its maps, not its objects.
import { Cluster } from './cluster.js';
import type { Clock } from './clock.js';
import { RealClock } from './clock.js';
import { bootstrapCluster } from './bootstrap.js';
import type { ClusterShape } from './shapes.js';
import { installCrdSupport } from './crds.js';
import { installAdmission } from './admission/index.js';
import { installApiServices } from './apiservices.js';
import { builtinKinds } from './kinds/index.js';
import type { Snapshot } from './snapshot.js';
import { startControlPlane } from './controllers/index.js';
import { snapshotOf } from './snapshot.js';

export interface NewClusterOptions {
  clock?: Clock;
  /** Start empty instead of with the kind-like default objects. */
  empty?: boolean;
  /** The CA the kube-root-ca.crt config maps carry. */
  caCert?: string;
  /** Without controllers, scheduler and kubelets: a bare store and registry (for unit tests). */
  controlPlane?: boolean;
  /** What the cluster is made as: kind's three nodes (the default) or Killercoda's two. */
  shape?: ClusterShape;
}

const templates = new Map<string, Snapshot>();

function template(caCert: string, shape: ClusterShape): Snapshot {
  const key = `${shape}\n${caCert}`;
  let t = templates.get(key);
  if (!t) {
    const seed = new Cluster({ kinds: builtinKinds(), clock: new RealClock() });
    installCrdSupport(seed);
    bootstrapCluster(seed, caCert, shape);
    t = snapshotOf(seed);
    templates.set(key, t);
  }
  return t;
}

export function newCluster(opts: NewClusterOptions = {}): Cluster {
  const cluster = new Cluster({ kinds: builtinKinds(), clock: opts.clock });
  installCrdSupport(cluster);
  installApiServices(cluster);
  installAdmission(cluster);
  if (!opts.empty) {
    if (opts.clock) {
      // A cluster on its own clock (tests) gets objects stamped by that clock.
      bootstrapCluster(cluster, opts.caCert ?? '', opts.shape);
    } else {
      cluster.store.load(template(opts.caCert ?? '', opts.shape ?? 'kind'), true);
      cluster.reloaded();
    }
  }
  if (opts.controlPlane !== false) cluster.controlPlane = startControlPlane(cluster);
  return cluster;
}
