// ClusterRoleBinding (rbac.authorization.k8s.io/v1): grants a cluster role everywhere.
import { bindingKind } from './rbac-common.js';

export const clusterRoleBinding = bindingKind('ClusterRoleBinding', 'clusterrolebindings', false);
