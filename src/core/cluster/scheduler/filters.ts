// The scheduler's filter plugins as pure functions: each says why a node cannot take a pod, in the
// words kube-scheduler puts into "0/3 nodes are available: …". `unresolvable` marks reasons that
// evicting other pods could not fix (the preemption part of the message depends on it).
import type { KObject } from '../kinds/types.js';
import { selectorFromLabelSelector } from '../selectors.js';
import type { Resources } from './resources.js';
import { own } from '../own.js';

type Obj = Record<string, any>;

export interface Rejection {
  reason: string;
  unresolvable: boolean;
}

export interface NodeInfo {
  node: KObject;
  requested: Resources;
  allocatable: Resources;
  pods: KObject[];
}

const reject = (reason: string, unresolvable = true): Rejection => ({ reason, unresolvable });

export function tolerates(tolerations: Obj[] | undefined, taint: Obj): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

export function nodeUnschedulable(pod: KObject, node: KObject): Rejection | undefined {
  if (!(node as Obj).spec?.unschedulable) return undefined;
  const ok = tolerates((pod as Obj).spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
  return ok ? undefined : reject('node(s) were unschedulable');
}

export function taintToleration(pod: KObject, node: KObject): Rejection | undefined {
  const taints: Obj[] = (node as Obj).spec?.taints ?? [];
  const bad = taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates((pod as Obj).spec?.tolerations, t));
  return bad ? reject(`node(s) had untolerated taint {${bad.key}: ${bad.value ?? ''}}`) : undefined;
}

function matchExpression(expr: Obj, value: string | undefined): boolean {
  const values: string[] = expr.values ?? [];
  switch (expr.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && /^-?\d+$/.test(value) && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && /^-?\d+$/.test(value) && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** A NodeSelectorTerm: all its expressions and fields must match. */
export function matchesTerm(term: Obj, node: KObject): boolean {
  const labels = node.metadata.labels ?? {};
  const exprs: Obj[] = term.matchExpressions ?? [];
  const fields: Obj[] = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  return exprs.every((e) => matchExpression(e, own<string>(labels, e.key))) && fields.every((f) => f.key === 'metadata.name' && matchExpression(f, node.metadata.name));
}

export function nodeAffinity(pod: KObject, node: KObject): Rejection | undefined {
  const spec = ((pod as Obj).spec ?? {}) as Obj;
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries((spec.nodeSelector ?? {}) as Record<string, string>)) {
    if (labels[k] !== v) return reject("node(s) didn't match Pod's node affinity/selector");
  }
  const terms: Obj[] | undefined = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t) => matchesTerm(t, node))) return reject("node(s) didn't match Pod's node affinity/selector");
  return undefined;
}

export function resourcesFit(pod: KObject, info: NodeInfo, request: Resources): Rejection[] {
  const out: Rejection[] = [];
  const { requested, allocatable } = info;
  if (requested.pods + 1 > allocatable.pods) out.push(reject('Too many pods', false));
  if (request.milliCPU > 0 && requested.milliCPU + request.milliCPU > allocatable.milliCPU) out.push(reject('Insufficient cpu', false));
  if (request.memory > 0 && requested.memory + request.memory > allocatable.memory) out.push(reject('Insufficient memory', false));
  for (const [name, v] of Object.entries(request.other)) {
    if (v > 0 && (requested.other[name] ?? 0) + v > (allocatable.other[name] ?? 0)) out.push(reject(`Insufficient ${name}`, false));
  }
  return out;
}

export function hostPorts(pod: KObject, info: NodeInfo): Rejection | undefined {
  const want = new Set<string>();
  for (const c of ((pod as Obj).spec?.containers ?? []) as Obj[]) for (const p of c.ports ?? []) if (p.hostPort) want.add(`${p.protocol ?? 'TCP'}/${p.hostPort}`);
  if (!want.size) return undefined;
  for (const other of info.pods) {
    for (const c of ((other as Obj).spec?.containers ?? []) as Obj[]) {
      for (const p of c.ports ?? []) if (p.hostPort && want.has(`${p.protocol ?? 'TCP'}/${p.hostPort}`)) return reject("node(s) didn't have free ports for the requested pod ports");
    }
  }
  return undefined;
}

/** A pod (anti-)affinity term matches `other` when its selector and namespaces do. */
function termSelects(term: Obj, owner: KObject, other: KObject): boolean {
  const namespaces: string[] = term.namespaces?.length ? term.namespaces : [owner.metadata.namespace!];
  if (!term.namespaceSelector && !namespaces.includes(other.metadata.namespace!)) return false;
  return selectorFromLabelSelector(term.labelSelector).matches(other.metadata.labels);
}

/**
 * Required pod affinity and anti-affinity. `domainPods(key, value)` lists the pods on nodes whose
 * label `key` equals `value` (a topology domain: a node for kubernetes.io/hostname, a zone…).
 */
export function interPodAffinity(pod: KObject, node: KObject, domainPods: (key: string, value: string) => KObject[], anyPodMatches: (term: Obj) => boolean): Rejection | undefined {
  const aff = ((pod as Obj).spec?.affinity ?? {}) as Obj;
  const labels = node.metadata.labels ?? {};
  for (const term of (aff.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Obj[]) {
    const value = labels[term.topologyKey];
    const matched = value !== undefined && domainPods(term.topologyKey, value).some((p) => termSelects(term, pod, p));
    // The first pod of a group may land anywhere when it would match its own term.
    if (!matched && !(anyPodMatches(term) === false && termSelects(term, pod, pod))) return reject("node(s) didn't match pod affinity rules");
  }
  for (const term of (aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Obj[]) {
    const value = labels[term.topologyKey];
    if (value !== undefined && domainPods(term.topologyKey, value).some((p) => termSelects(term, pod, p))) return reject("node(s) didn't match pod anti-affinity rules");
  }
  return undefined;
}

/** FitError.Error(): the message of a FailedScheduling event and of the PodScheduled condition. */
/**
 * NodeAffinity's PreFilter: when every required term names nodes by `metadata.name In [...]`
 * (as DaemonSet pods are pinned), only those nodes need filtering; undefined means all do.
 */
export function preFilterNodeNames(pod: KObject): Set<string> | undefined {
  const terms = ((pod as Obj).spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) as Obj[];
  if (!terms.length) return undefined;
  const names = new Set<string>();
  for (const term of terms) {
    const byName = ((term.matchFields ?? []) as Obj[]).find((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (!byName) return undefined;
    for (const v of byName.values ?? []) names.add(v);
  }
  return names;
}

/** How a node the pre-filter left out counts in the failure message. */
export const NOT_NAMED_BY_AFFINITY = reject("node(s) didn't match Pod's node affinity/selector");

export function fitErrorMessage(total: number, rejections: Rejection[][]): string {
  const reasons = new Map<string, number>();
  let unresolvable = 0;
  for (const list of rejections) {
    for (const r of list) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    if (list.some((r) => r.unresolvable)) unresolvable++;
  }
  const parts = [...reasons].map(([reason, n]) => `${n} ${reason}`).sort();
  const head = `0/${total} nodes are available: ${parts.join(', ')}.`;
  const victims = rejections.length - unresolvable;
  const pre = [
    ...(unresolvable ? [`${unresolvable} Preemption is not helpful for scheduling`] : []),
    ...(victims ? [`${victims} No preemption victims found for incoming pod`] : []),
  ].sort();
  return `${head} preemption: 0/${total} nodes are available: ${pre.join(', ')}.`;
}
