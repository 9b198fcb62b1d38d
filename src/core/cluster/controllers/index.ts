// The control plane that runs beside every simulated cluster: controllers, scheduler and kubelets.
import type { Cluster } from '../cluster.js';
import { Kubelet } from '../kubelet/kubelet.js';
import { interimRuntime } from '../kubelet/interim-runtime.js';
import { installMetrics } from '../kubelet/metrics.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { deploymentController } from './deployment.js';
import { ControllerManager } from './manager.js';
import { NodeLifecycle } from './node-lifecycle.js';
import { replicaSetController, replicationControllerController } from './replicaset.js';

export function startControlPlane(cluster: Cluster): ControllerManager {
  const kubelet = new Kubelet(interimRuntime);
  const manager = new ControllerManager(cluster).register(deploymentController, replicaSetController, replicationControllerController, new NodeLifecycle(), new Scheduler(), kubelet);
  manager.kubelet = kubelet;
  installMetrics(cluster, kubelet);
  cluster.reloadHooks.push(() => manager.resync());
  manager.resync();
  return manager;
}

export { ControllerManager } from './manager.js';
