// Role (rbac.authorization.k8s.io/v1): rules granting verbs on resources; printed with CREATED AT.
import type { KindDef, Unstructured } from './types.js';
import { validateRules } from './rbac-common.js';

export const role: KindDef = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  columns: [{ name: 'Created At', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' }],
  row: (obj) => [obj.metadata.creationTimestamp ?? ''],
  validate: (obj) => validateRules(obj.rules as Unstructured[] | undefined),
};
