// The RBAC authorizer, as a pure evaluation of the cluster's roles and bindings: does this user
// (with these groups) get to do this verb on this resource? Every request not made with the
// cluster's admin token is authorised by it, and `kubectl auth can-i` asks it.
import type { KObject, Unstructured } from './kinds/types.js';


export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
  /** What the authenticator adds (a bound token's pod, its credential id). */
  extra?: Record<string, string[]>;
}

export interface ResourceAttributes {
  verb: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface RbacObjects {
  roles: KObject[];
  clusterRoles: KObject[];
  roleBindings: KObject[];
  clusterRoleBindings: KObject[];
}

/** The identity behind a kubedojo token: the cluster's admin, as on a fresh kind cluster. */
export const ADMIN: UserInfo = { name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };

/** Groups Kubernetes adds to a user, and to a service account's user name. */
export function withImplicitGroups(name: string, groups: string[]): UserInfo {
  const all = new Set([...groups, 'system:authenticated']);
  const sa = /^system:serviceaccount:([^:]+):[^:]+$/.exec(name);
  if (sa) {
    all.add('system:serviceaccounts');
    all.add(`system:serviceaccounts:${sa[1]}`);
  }
  return { name, groups: [...all] };
}

function subjectMatches(s: Unstructured, user: UserInfo, bindingNamespace: string | undefined): boolean {
  if (s.kind === 'User') return s.name === user.name;
  if (s.kind === 'Group') return user.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') return user.name === `system:serviceaccount:${s.namespace ?? bindingNamespace}:${s.name}`;
  return false;
}

function has(list: string[] | undefined, value: string): boolean {
  return !!list && (list.includes('*') || list.includes(value));
}

function ruleAllows(rule: Unstructured, a: ResourceAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resource) return false;
  if (!has(rule.apiGroups, a.group ?? '')) return false;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resources: string[] = rule.resources ?? [];
  const resourceOk = resources.includes('*') || resources.includes(resource) || (a.subresource !== undefined && resources.includes(`*/${a.subresource}`));
  if (!resourceOk) return false;
  if (rule.resourceNames?.length) return !!a.name && rule.resourceNames.includes(a.name);
  return true;
}

function rulesOf(ref: Unstructured, namespace: string | undefined, objs: RbacObjects): Unstructured[] {
  if (ref.kind === 'ClusterRole') return (objs.clusterRoles.find((r) => r.metadata.name === ref.name)?.rules as Unstructured[]) ?? [];
  return (objs.roles.find((r) => r.metadata.name === ref.name && r.metadata.namespace === namespace)?.rules as Unstructured[]) ?? [];
}

export function authorize(objs: RbacObjects, user: UserInfo, a: ResourceAttributes): { allowed: boolean; reason: string } {
  if (user.groups.includes('system:masters')) return { allowed: true, reason: '' };
  for (const b of objs.clusterRoleBindings) {
    if (!((b.subjects as Unstructured[]) ?? []).some((s) => subjectMatches(s, user, undefined))) continue;
    if (rulesOf(b.roleRef as Unstructured, undefined, objs).some((r) => ruleAllows(r, a))) {
      return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${b.metadata.name}" of ClusterRole "${(b.roleRef as Unstructured).name}" to User "${user.name}"` };
    }
  }
  if (a.namespace) {
    for (const b of objs.roleBindings) {
      if (b.metadata.namespace !== a.namespace) continue;
      if (!((b.subjects as Unstructured[]) ?? []).some((s) => subjectMatches(s, user, b.metadata.namespace))) continue;
      if (rulesOf(b.roleRef as Unstructured, a.namespace, objs).some((r) => ruleAllows(r, a))) {
        return { allowed: true, reason: `RBAC: allowed by RoleBinding "${b.metadata.name}/${a.namespace}" of ${(b.roleRef as Unstructured).kind} "${(b.roleRef as Unstructured).name}" to User "${user.name}"` };
      }
    }
  }
  return { allowed: false, reason: '' };
}

/** The rules that apply to a user in a namespace (cluster-wide bindings included). */
export function rulesFor(objs: RbacObjects, user: UserInfo, namespace: string): { resourceRules: Unstructured[]; nonResourceRules: Unstructured[] } {
  if (user.groups.includes('system:masters')) {
    return { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }] };
  }
  const resourceRules: Unstructured[] = [];
  const nonResourceRules: Unstructured[] = [];
  const take = (rules: Unstructured[]) => {
    for (const r of rules) {
      if (r.nonResourceURLs) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
      else resourceRules.push({ verbs: r.verbs, ...(r.apiGroups ? { apiGroups: r.apiGroups } : {}), ...(r.resources ? { resources: r.resources } : {}), ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) });
    }
  };
  for (const b of objs.clusterRoleBindings) {
    if (((b.subjects as Unstructured[]) ?? []).some((s) => subjectMatches(s, user, undefined))) take(rulesOf(b.roleRef as Unstructured, undefined, objs));
  }
  for (const b of objs.roleBindings) {
    if (b.metadata.namespace !== namespace) continue;
    if (((b.subjects as Unstructured[]) ?? []).some((s) => subjectMatches(s, user, namespace))) take(rulesOf(b.roleRef as Unstructured, namespace, objs));
  }
  return { resourceRules, nonResourceRules };
}

/** The reason a request is refused, as the RBAC authorizer words it for a Forbidden error. */
export function deniedReason(user: UserInfo, a: ResourceAttributes): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.group ?? ''}" ${scope}`;
}

export function rbacObjects(list: (plural: string) => KObject[]): RbacObjects {
  return { roles: list('roles'), clusterRoles: list('clusterroles'), roleBindings: list('rolebindings'), clusterRoleBindings: list('clusterrolebindings') };
}
