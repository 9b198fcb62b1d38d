// The scheduler's filter plugins as pure functions: each says why a node cannot take a pod, in the
// words kube-scheduler puts into "0/3 nodes are available: …". `unresolvable` marks reasons that
// evicting other pods could not fix (the preemption part of the message depends on it).
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodAffinityTerm, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Stored } from '../kinds/types.js';
import { selectorFromLabelSelector } from '../selectors.js';
import type { Resources } from './resources.js';
import { own } from '../own.js';

export interface Rejection {
  reason: string;
  unresolvable: boolean;
}

export interface NodeInfo {
  node: Stored<Node>;
  requested: Resources;
  allocatable: Resources;
  pods: Stored<Pod>[];
}

const reject = (reason: string, unresolvable = true): Rejection => ({ reason, unresolvable });

/** ToleratesTaint: whether any of the tolerations tolerates the taint (read for its key, value and effect). */
export function tolerates(tolerations: readonly Toleration[] | undefined, taint: Partial<Taint>): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

export function nodeUnschedulable(pod: Stored<Pod>, node: Stored<Node>): Rejection | undefined {
  if (!node.spec?.unschedulable) return undefined;
  const ok = tolerates(pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
  return ok ? undefined : reject('node(s) were unschedulable');
}

export function taintToleration(pod: Stored<Pod>, node: Stored<Node>): Rejection | undefined {
  const taints = node.spec?.taints;
  if (!taints?.length) return undefined;
  const bad = taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod.spec?.tolerations, t));
  return bad ? reject(`node(s) had untolerated taint {${bad.key}: ${bad.value ?? ''}}`) : undefined;
}

function matchExpression(expr: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = expr.values ?? [];
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
export function matchesTerm(term: NodeSelectorTerm, node: Stored<Node>): boolean {
  const labels = node.metadata.labels ?? {};
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  return exprs.every((e) => matchExpression(e, own<string>(labels, e.key))) && fields.every((f) => f.key === 'metadata.name' && matchExpression(f, node.metadata.name));
}

export function nodeAffinity(pod: Stored<Pod>, node: Stored<Node>): Rejection | undefined {
  const spec = pod.spec;
  const labels = node.metadata.labels ?? {};
  const selector = spec?.nodeSelector;
  if (selector) {
    for (const [k, v] of Object.entries(selector)) {
      if (labels[k] !== v) return reject("node(s) didn't match Pod's node affinity/selector");
    }
  }
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t) => matchesTerm(t, node))) return reject("node(s) didn't match Pod's node affinity/selector");
  return undefined;
}

/** What resourcesFit answers for a node with room: one array for all of them (never changed). */
const FITS: Rejection[] = [];

/**
 * Run for each pod against hundreds of nodes, so a node that fits costs no allocation. `others`
 * are the names in request.other, when the caller has them already.
 */
export function resourcesFit(pod: Stored<Pod>, info: NodeInfo, request: Resources, others: readonly string[] = Object.keys(request.other)): Rejection[] {
  let out: Rejection[] | undefined;
  const { requested, allocatable } = info;
  if (requested.pods + 1 > allocatable.pods) (out ??= []).push(reject('Too many pods', false));
  if (request.milliCPU > 0 && requested.milliCPU + request.milliCPU > allocatable.milliCPU) (out ??= []).push(reject('Insufficient cpu', false));
  if (request.memory > 0 && requested.memory + request.memory > allocatable.memory) (out ??= []).push(reject('Insufficient memory', false));
  for (const name of others) {
    const v = request.other[name];
    if (v > 0 && (requested.other[name] ?? 0) + v > (allocatable.other[name] ?? 0)) (out ??= []).push(reject(`Insufficient ${name}`, false));
  }
  return out ?? FITS;
}

/** The host ports a pod's containers ask for, as `protocol/port`. */
export function wantedHostPorts(pod: Stored<Pod>): Set<string> {
  const want = new Set<string>();
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.hostPort) want.add(`${p.protocol ?? 'TCP'}/${p.hostPort}`);
  return want;
}

/** NodePorts: `want` is the pod's wantedHostPorts, read once for all the nodes it is checked against. */
export function hostPorts(pod: Stored<Pod>, info: NodeInfo, want: ReadonlySet<string> = wantedHostPorts(pod)): Rejection | undefined {
  if (!want.size) return undefined;
  for (const other of info.pods) {
    for (const c of other.spec?.containers ?? []) {
      for (const p of c.ports ?? []) if (p.hostPort && want.has(`${p.protocol ?? 'TCP'}/${p.hostPort}`)) return reject("node(s) didn't have free ports for the requested pod ports");
    }
  }
  return undefined;
}

/** A pod (anti-)affinity term matches `other` when its selector and namespaces do. */
function termSelects(term: PodAffinityTerm, owner: Stored<Pod>, other: Stored<Pod>): boolean {
  const namespaces = term.namespaces?.length ? term.namespaces : [owner.metadata.namespace!];
  if (!term.namespaceSelector && !namespaces.includes(other.metadata.namespace!)) return false;
  return selectorFromLabelSelector(term.labelSelector).matches(other.metadata.labels);
}

/**
 * Required pod affinity and anti-affinity. `domainPods(key, value)` lists the pods on nodes whose
 * label `key` equals `value` (a topology domain: a node for kubernetes.io/hostname, a zone…).
 */
export function interPodAffinity(pod: Stored<Pod>, node: Stored<Node>, domainPods: (key: string, value: string) => Stored<Pod>[], anyPodMatches: (term: PodAffinityTerm) => boolean): Rejection | undefined {
  const aff = pod.spec?.affinity ?? {};
  const labels = node.metadata.labels ?? {};
  for (const term of aff.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    const value = labels[term.topologyKey];
    const matched = value !== undefined && domainPods(term.topologyKey, value).some((p) => termSelects(term, pod, p));
    // The first pod of a group may land anywhere when it would match its own term.
    if (!matched && !(anyPodMatches(term) === false && termSelects(term, pod, pod))) return reject("node(s) didn't match pod affinity rules");
  }
  for (const term of aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
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
export function preFilterNodeNames(pod: Stored<Pod>): Set<string> | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (!terms.length) return undefined;
  const names = new Set<string>();
  for (const term of terms) {
    const byName = (term.matchFields ?? []).find((f) => f.key === 'metadata.name' && f.operator === 'In');
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
