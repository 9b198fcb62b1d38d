// What the four RBAC kinds share: rule and binding validation, and their printed cells.
import { fieldError, type FieldError } from '../errors.js';
import type { KindDef, KObject, Unstructured } from './types.js';
import { AGE_COLUMN, creationAge } from './print.js';


export function validateRules(rules: Unstructured[] | undefined, field = 'rules'): FieldError[] {
  const errs: FieldError[] = [];
  (rules ?? []).forEach((r, i) => {
    if (!r.verbs?.length) errs.push(fieldError.required(`${field}[${i}].verbs`, 'verbs must contain at least one value'));
    if (r.nonResourceURLs?.length) {
      if (r.resources?.length || r.apiGroups?.length) errs.push(fieldError.invalid(`${field}[${i}].nonResourceURLs`, r.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    } else if (!r.apiGroups?.length) errs.push(fieldError.required(`${field}[${i}].apiGroups`, 'resource rules must supply at least one api group'));
    else if (!r.resources?.length) errs.push(fieldError.required(`${field}[${i}].resources`, 'resource rules must supply at least one resource'));
  });
  return errs;
}

const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

export function validateBinding(obj: KObject, clusterScoped: boolean): FieldError[] {
  const o = obj as Unstructured;
  const errs: FieldError[] = [];
  const ref = o.roleRef;
  if (!ref?.name) errs.push(fieldError.required('roleRef.name', ''));
  if (!ref?.kind) errs.push(fieldError.required('roleRef.kind', ''));
  else if (!(clusterScoped ? ['ClusterRole'] : ['Role', 'ClusterRole']).includes(ref.kind)) errs.push(fieldError.notSupported('roleRef.kind', ref.kind, clusterScoped ? ['ClusterRole'] : ['ClusterRole', 'Role']));
  if (ref?.apiGroup !== undefined && ref.apiGroup !== 'rbac.authorization.k8s.io') errs.push(fieldError.notSupported('roleRef.apiGroup', ref.apiGroup, ['rbac.authorization.k8s.io']));
  (o.subjects ?? []).forEach((s: Unstructured, i: number) => {
    if (!s.name) errs.push(fieldError.required(`subjects[${i}].name`, ''));
    if (!SUBJECT_KINDS.includes(s.kind)) errs.push(fieldError.notSupported(`subjects[${i}].kind`, s.kind, SUBJECT_KINDS));
    if (s.kind === 'ServiceAccount' && clusterScoped && !s.namespace) errs.push(fieldError.required(`subjects[${i}].namespace`, ''));
  });
  return errs;
}

export function roleRefImmutable(obj: KObject, old: KObject): FieldError[] {
  return JSON.stringify((obj as Unstructured).roleRef) !== JSON.stringify((old as Unstructured).roleRef) ? [fieldError.invalid('roleRef', (obj as Unstructured).roleRef, 'cannot change roleRef')] : [];
}

export function subjectsOfKind(obj: KObject, kind: string): string {
  const list: string[] = ((obj as Unstructured).subjects ?? []).filter((s: Unstructured) => s.kind === kind).map((s: Unstructured) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name));
  return list.join(', ');
}

/** RoleBinding and ClusterRoleBinding differ only in name and scope. */
export function bindingKind(kind: 'RoleBinding' | 'ClusterRoleBinding', plural: string, namespaced: boolean): KindDef {
  return {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind,
    plural,
    singular: plural.replace(/s$/, ''),
    namespaced,
    columns: [
      { name: 'Role', type: 'string', description: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.' },
      AGE_COLUMN,
      { name: 'Users', type: 'string', priority: 1, description: 'Users in the roleBinding' },
      { name: 'Groups', type: 'string', priority: 1, description: 'Groups in the roleBinding' },
      { name: 'ServiceAccounts', type: 'string', priority: 1, description: 'ServiceAccounts in the roleBinding' },
    ],
    row: (obj, ctx) => [`${(obj as Unstructured).roleRef?.kind}/${(obj as Unstructured).roleRef?.name}`, creationAge(obj, ctx.now()), subjectsOfKind(obj, 'User'), subjectsOfKind(obj, 'Group'), subjectsOfKind(obj, 'ServiceAccount')],
    validate: (obj) => validateBinding(obj, !namespaced),
    validateUpdate: roleRefImmutable,
  };
}
