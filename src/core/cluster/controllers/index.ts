// The control plane that runs beside every simulated cluster: controllers, scheduler and kubelets.
import type { Cluster } from '../cluster.js';
import type { ControlPlane } from '../control-plane.js';
import { Kubelet } from '../kubelet/kubelet.js';
import { SimRuntime } from '../kubelet/runtime.js';
import { installMetrics } from '../kubelet/metrics.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { cronJobController } from './cronjob.js';
import { daemonSetController } from './daemonset.js';
import { endpointsController } from './endpoints.js';
import { endpointSliceController, endpointSliceMirroringController } from './endpointslice.js';
import { serviceController } from './service.js';
import { deploymentController } from './deployment.js';
import { hpaController } from './hpa.js';
import { jobController } from './job.js';
import { ControllerManager } from './manager.js';
import { NodeLifecycle } from './node-lifecycle.js';
import { taintEvictionController } from './taint-eviction.js';
import { replicaSetController, replicationControllerController } from './replicaset.js';
import { statefulSetController } from './statefulset.js';
import { namespaceController, rootCaPublisher } from './namespace.js';
import { serviceAccountController, tokensController } from './serviceaccount.js';
import { persistentVolumeController } from './volumes.js';
import { resourceQuotaController } from './quota.js';
import { disruptionController } from './disruption.js';
import { csrApprovingController, csrCleaner, csrSigningController } from './csr.js';

export function startControlPlane(cluster: Cluster): ControlPlane {
  const kubelet = new Kubelet(new SimRuntime(cluster));
  const manager = new ControllerManager(cluster).register(
    deploymentController,
    replicaSetController,
    replicationControllerController,
    daemonSetController,
    jobController,
    cronJobController,
    hpaController,
    statefulSetController,
    new NodeLifecycle(),
    taintEvictionController,
    namespaceController(cluster),
    rootCaPublisher,
    serviceAccountController,
    tokensController,
    csrApprovingController,
    csrSigningController,
    csrCleaner,
    persistentVolumeController,
    resourceQuotaController(cluster),
    disruptionController,
    endpointsController,
    endpointSliceController,
    endpointSliceMirroringController,
    serviceController(),
    new Scheduler(),
    kubelet,
  );
  installMetrics(cluster, kubelet);
  cluster.reloadHooks.push(() => manager.resync());
  manager.resync();
  return { kubelet, stop: () => manager.stop() };
}

export { ControllerManager } from './manager.js';
