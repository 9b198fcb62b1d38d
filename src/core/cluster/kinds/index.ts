// Every built-in kind, in the order a real apiserver's discovery lists them (core first, then
// the groups in their registration order), because `kubectl api-resources` prints that order.
import { KindRegistry } from './registry.js';
import type { KindDef } from './types.js';
import { componentStatus } from './componentstatus.js';
import { configMap } from './configmap.js';
import { endpoints } from './endpoints.js';
import { event } from './event.js';
import { limitRange } from './limitrange.js';
import { namespace } from './namespace.js';
import { node } from './node.js';
import { persistentVolumeClaim } from './persistentvolumeclaim.js';
import { persistentVolume } from './persistentvolume.js';
import { pod } from './pod.js';
import { replicationController } from './replicationcontroller.js';
import { resourceQuota } from './resourcequota.js';
import { secret } from './secret.js';
import { serviceAccount } from './serviceaccount.js';
import { service } from './service.js';
import { apiService } from './apiservice.js';
import { controllerRevision } from './controllerrevision.js';
import { daemonSet } from './daemonset.js';
import { deployment } from './deployment.js';
import { replicaSet } from './replicaset.js';
import { statefulSet } from './statefulset.js';
import { eventsV1Event } from './events-k8s-io.js';
import { selfSubjectReview } from './selfsubjectreview.js';
import { selfSubjectAccessReview, selfSubjectRulesReview } from './selfsubjectaccessreview.js';
import { horizontalPodAutoscaler } from './horizontalpodautoscaler.js';
import { horizontalPodAutoscalerV1 } from './horizontalpodautoscaler-v1.js';
import { cronJob } from './cronjob.js';
import { job } from './job.js';
import { certificateSigningRequest } from './certificatesigningrequest.js';
import { ingressClass } from './ingressclass.js';
import { ingress } from './ingress.js';
import { networkPolicy } from './networkpolicy.js';
import { podDisruptionBudget } from './poddisruptionbudget.js';
import { clusterRoleBinding } from './clusterrolebinding.js';
import { clusterRole } from './clusterrole.js';
import { roleBinding } from './rolebinding.js';
import { role } from './role.js';
import { storageClass } from './storageclass.js';
import { customResourceDefinition } from './customresourcedefinition.js';
import { priorityClass } from './priorityclass.js';
import { lease } from './lease.js';
import { endpointSlice } from './endpointslice.js';
import { nodeMetrics, podMetrics } from './metrics.js';

export const BUILTIN_KINDS: readonly KindDef[] = [
  componentStatus,
  configMap,
  endpoints,
  event,
  limitRange,
  namespace,
  node,
  persistentVolumeClaim,
  persistentVolume,
  pod,
  replicationController,
  resourceQuota,
  secret,
  serviceAccount,
  service,
  apiService,
  controllerRevision,
  daemonSet,
  deployment,
  replicaSet,
  statefulSet,
  eventsV1Event,
  selfSubjectReview,
  selfSubjectAccessReview,
  selfSubjectRulesReview,
  horizontalPodAutoscaler,
  horizontalPodAutoscalerV1,
  cronJob,
  job,
  certificateSigningRequest,
  ingressClass,
  ingress,
  networkPolicy,
  podDisruptionBudget,
  clusterRoleBinding,
  clusterRole,
  roleBinding,
  role,
  storageClass,
  customResourceDefinition,
  priorityClass,
  lease,
  endpointSlice,
  nodeMetrics,
  podMetrics,
];

let registry: KindRegistry | undefined;

/** The built-in kinds, shared by every cluster of the process (each adds its own CRDs on top). */
export function builtinKinds(): KindRegistry {
  registry ??= new KindRegistry(BUILTIN_KINDS);
  return registry;
}
