// Every built-in kind, in the order a real apiserver's discovery lists them (core first, then
// the groups in their registration order), because `kubectl api-resources` prints that order.
import { KindRegistry } from './registry.js';
import type { KindDef } from './types.js';
import { configMap } from './configmap.js';
import { namespace } from './namespace.js';
import { controllerRevision } from './controllerrevision.js';
import { daemonSet } from './daemonset.js';
import { statefulSet } from './statefulset.js';
import { horizontalPodAutoscaler, horizontalPodAutoscalerV1 } from './horizontalpodautoscaler.js';
import { cronJob } from './cronjob.js';
import { job } from './job.js';
import { podDisruptionBudget } from './poddisruptionbudget.js';

export const BUILTIN_KINDS: readonly KindDef[] = [
  configMap,
  namespace,
  controllerRevision,
  daemonSet,
  statefulSet,
  horizontalPodAutoscaler,
  horizontalPodAutoscalerV1,
  cronJob,
  job,
  podDisruptionBudget,
];

let registry: KindRegistry | undefined;

/** The built-in kinds, shared by every cluster of the process (each adds its own CRDs on top). */
export function builtinKinds(): KindRegistry {
  registry ??= new KindRegistry(BUILTIN_KINDS);
  return registry;
}
