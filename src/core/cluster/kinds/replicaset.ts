// ReplicaSet (apps/v1): DESIRED, CURRENT and READY replicas.
import type { KindDef, Unstructured } from './types.js';
import { creationAge, containerCells } from './print.js';
import { defaultPodTemplateSpec } from './pod-spec.js';
import { formatLabelSelector } from '../selectors.js';
import { selectorImmutable, validateReplicatedSpec, replicatedColumns } from './workload-template.js';


export const replicaSet: KindDef = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: ['scale', 'status'],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' },
  columns: replicatedColumns('replica set'),
  row(obj, ctx) {
    const o = obj as Unstructured;
    const [c, i] = containerCells(o.spec?.template);
    return [o.spec?.replicas ?? 0, o.status?.replicas ?? 0, o.status?.readyReplicas ?? 0, creationAge(obj, ctx.now()), c, i, formatLabelSelector(o.spec?.selector)];
  },
  fieldSelectors: { 'status.replicas': (o) => String((o.status as Unstructured)?.replicas ?? 0) },
  defaults(obj) {
    const spec = (obj.spec ??= {}) as Unstructured;
    spec.replicas ??= 1;
    if (spec.template) defaultPodTemplateSpec(spec.template);
  },
  validate: (obj) => validateReplicatedSpec(obj, false),
  validateUpdate: selectorImmutable,
};
