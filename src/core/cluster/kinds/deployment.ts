// Deployment (apps/v1): defaults as the apiserver fills them, an immutable selector, and
// READY / UP-TO-DATE / AVAILABLE from status.
import type { KindDef, Unstructured } from './types.js';
import { AGE_COLUMN, creationAge, containerCells } from './print.js';
import { defaultPodTemplateSpec } from './pod-spec.js';
import { formatLabelSelector } from '../selectors.js';
import { selectorImmutable, validateReplicatedSpec } from './workload-template.js';


export const deployment: KindDef = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['scale', 'status'],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' },
  columns: [
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state' },
    { name: 'Up-to-date', type: 'string', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.' },
    { name: 'Available', type: 'string', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.' },
    AGE_COLUMN,
    { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.' },
    { name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.' },
    { name: 'Selector', type: 'string', priority: 1, description: 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.' },
  ],
  row(obj, ctx) {
    const o = obj as Unstructured;
    const [c, i] = containerCells(o.spec?.template);
    return [`${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`, String(o.status?.updatedReplicas ?? 0), String(o.status?.availableReplicas ?? 0), creationAge(obj, ctx.now()), c, i, formatLabelSelector(o.spec?.selector)];
  },
  defaults(obj) {
    const spec = (obj.spec ??= {}) as Unstructured;
    spec.replicas ??= 1;
    spec.strategy ??= {};
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    if (spec.template) defaultPodTemplateSpec(spec.template);
  },
  validate: (obj) => validateReplicatedSpec(obj, false),
  validateUpdate: selectorImmutable,
};
