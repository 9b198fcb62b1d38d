// Lease (coordination.k8s.io/v1): node heartbeats and leader election.
import type { KindDef } from './types.js';
import { AGE_COLUMN, creationAge } from './print.js';

export const lease: KindDef = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  columns: [{ name: 'Holder', type: 'string', description: 'The holder of the lease.' }, AGE_COLUMN],
  row: (obj, ctx) => [((obj.spec as Record<string, unknown>)?.holderIdentity as string) ?? '', creationAge(obj, ctx.now())],
};
