// A request made as someone else (`--as`) and refused: which RBAC objects would grant it, and
// which bindings that subject already has.
import type { KubeObject } from '../../../kube/client.js';
import { lastCommand, lastOutput, list } from '../focus.js';
import type { Detector } from '../types.js';

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

function boundTo(binding: KubeObject, user: string): boolean {
  const subjects = (binding.subjects as Subject[] | undefined) ?? [];
  const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(user);
  return subjects.some((s) => (sa ? s.kind === 'ServiceAccount' && s.name === sa[2] && s.namespace === sa[1] : s.kind === 'User' && s.name === user));
}

export const forbiddenAs: Detector = {
  id: 'forbidden-as',
  about: 'Forbidden for a request made `--as` someone: which Role (or ClusterRole) and binding would grant it, and what the subject is bound to now',
  async detect(ctx) {
    const cmd = lastCommand(ctx);
    if (!cmd || typeof cmd.flags.as !== 'string') return undefined;
    const m = /User "([^"]+)" cannot ([\w-]+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)"| at the cluster scope)/.exec(lastOutput(ctx));
    if (!m) return undefined;
    const [, user, verb, resource, group, ns] = m;
    const res = group ? `${resource}.${group}` : resource;
    const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(user);
    const who = sa ? `--serviceaccount=${sa[1]}:${sa[2]}` : `--user=${user}`;
    const role = `${verb}-${resource.replace('/', '-')}`;
    const bindings = ns ? await list(ctx, 'rolebindings', ns) : [];
    const clusterBindings = await list(ctx, 'clusterrolebindings');
    // Items of a list carry no kind on a real server: name them from the list they came from.
    const held = [...bindings.map((b) => ['RoleBinding', b] as const), ...clusterBindings.map((b) => ['ClusterRoleBinding', b] as const)]
      .filter(([, b]) => boundTo(b, user))
      .map(([kind, b]) => ({ kind, name: b.metadata?.name ?? '', role: (b.roleRef ?? {}) as { kind: string; name: string } }));
    const scope = ns ? `in namespace ${ns}` : 'across the cluster';
    const holds = held.length
      ? ` It is bound now by ${held.map((b) => `${b.kind} ${b.name} (to ${b.role.kind} ${b.role.name})`).join(', ')}, which does not allow ${verb} on ${resource}: add the verb and resource to that role's rules, or bind a role that has them.`
      : ' Nothing binds it to a role that allows that.';
    const grant = ns
      ? `kubectl create role ${role} --verb=${verb} --resource=${res} -n ${ns} && kubectl create rolebinding ${role} --role=${role} ${who} -n ${ns}`
      : `kubectl create clusterrole ${role} --verb=${verb} --resource=${res} && kubectl create clusterrolebinding ${role} --clusterrole=${role} ${who}`;
    const edit = held[0] && `kubectl edit ${held[0].role.kind.toLowerCase()} ${held[0].role.name}${held[0].role.kind === 'Role' ? ` -n ${ns}` : ''}`;
    return {
      detector: this.id,
      mistake: `${user} may not ${verb} ${resource} ${scope}: that takes a ${ns ? 'Role' : 'ClusterRole'} whose rules allow verb ${verb} on ${resource} (apiGroup "${group}") and a ${ns ? 'RoleBinding' : 'ClusterRoleBinding'} that binds it to ${sa ? `ServiceAccount ${sa[2]}` : `User ${user}`}.${holds}`,
      fix: edit ?? grant,
    };
  },
};

export const ACCESS_DETECTORS: readonly Detector[] = [forbiddenAs];
