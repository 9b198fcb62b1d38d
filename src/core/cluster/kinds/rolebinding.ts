// RoleBinding (rbac.authorization.k8s.io/v1): grants a role to users, groups and service accounts.
import type { KindDef } from './types.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { roleRefImmutable, subjectsOfKind, validateBinding } from './rbac-common.js';

type Obj = Record<string, any>;

export const roleBinding: KindDef = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  columns: [
    { name: 'Role', type: 'string', description: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.' },
    AGE_COLUMN,
    { name: 'Users', type: 'string', priority: 1, description: 'Users in the roleBinding' },
    { name: 'Groups', type: 'string', priority: 1, description: 'Groups in the roleBinding' },
    { name: 'ServiceAccounts', type: 'string', priority: 1, description: 'ServiceAccounts in the roleBinding' },
  ],
  row: (obj, ctx) => [`${(obj as Obj).roleRef?.kind}/${(obj as Obj).roleRef?.name}`, creationAge(obj, ctx.now()), subjectsOfKind(obj, 'User'), subjectsOfKind(obj, 'Group'), subjectsOfKind(obj, 'ServiceAccount')],
  validate: (obj) => validateBinding(obj, false),
  validateUpdate: roleRefImmutable,
};
