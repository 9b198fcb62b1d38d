// The control plane that runs beside every simulated cluster: controllers, scheduler and kubelets.
import type { Cluster } from '../cluster.js';
import { ControllerManager } from './manager.js';
import { replicaSetController, replicationControllerController } from './replicaset.js';

export function startControlPlane(cluster: Cluster): ControllerManager {
  const manager = new ControllerManager(cluster).register(replicaSetController, replicationControllerController);
  cluster.reloadHooks.push(() => manager.resync());
  manager.resync();
  return manager;
}

export { ControllerManager } from './manager.js';
