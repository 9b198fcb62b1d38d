// Namespace: cluster-scoped, named as a DNS label, born Active with the `kubernetes` finalizer.
import type { KindDef } from './types.js';
import { AGE_COLUMN, creationAge } from './print.js';

export const namespace: KindDef = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['finalize', 'status'],
  hasStatus: true,
  tracksGeneration: false,
  columns: [
    { name: 'Status', type: 'string', description: 'The status of the namespace' },
    AGE_COLUMN,
  ],
  row: (obj, ctx) => [(obj.status as { phase?: string } | undefined)?.phase ?? '', creationAge(obj, ctx.now())],
  fieldSelectors: {
    'status.phase': (o) => (o.status as { phase?: string } | undefined)?.phase ?? '',
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Active' };
    obj.spec = { finalizers: ['kubernetes'] };
  },
  defaults(obj) {
    // The apiserver labels every namespace with its own name so selectors can pick namespaces.
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name! };
  },
  prepareForUpdate(obj, old) {
    obj.spec = old.spec;
  },
};
