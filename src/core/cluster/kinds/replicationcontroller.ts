// ReplicationController (core/v1): the original replicated pods, with a plain map selector that
// defaults to the template's labels.
import type { KindDef, Unstructured } from './types.js';
import { creationAge, mapToString, containerCells } from './print.js';
import { defaultPodTemplateSpec } from './pod-spec.js';
import { validateReplicatedSpec, replicatedColumns } from './workload-template.js';


export const replicationController: KindDef = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  subresources: ['scale', 'status'],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' },
  columns: replicatedColumns('replication controller'),
  row(obj, ctx) {
    const o = obj as Unstructured;
    const [c, i] = containerCells(o.spec?.template);
    return [o.spec?.replicas ?? 0, o.status?.replicas ?? 0, o.status?.readyReplicas ?? 0, creationAge(obj, ctx.now()), c, i, mapToString(o.spec?.selector)];
  },
  fieldSelectors: { 'status.replicas': (o) => String((o.status as Unstructured)?.replicas ?? 0) },
  defaults(obj) {
    const spec = (obj.spec ??= {}) as Unstructured;
    spec.replicas ??= 1;
    const labels = spec.template?.metadata?.labels;
    if (labels && !spec.selector) spec.selector = { ...labels };
    if (labels && !obj.metadata.labels) obj.metadata.labels = { ...labels };
    if (spec.template) defaultPodTemplateSpec(spec.template);
  },
  validate: (obj) => validateReplicatedSpec(obj, true),
};
