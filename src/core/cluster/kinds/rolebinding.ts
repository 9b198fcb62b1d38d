// RoleBinding (rbac.authorization.k8s.io/v1): grants a role within one namespace.
import { bindingKind } from './rbac-common.js';

export const roleBinding = bindingKind('RoleBinding', 'rolebindings', true);
