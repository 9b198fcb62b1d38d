// NetworkPolicy (networking.k8s.io/v1) as a policy-enforcing CNI such as Calico applies it: a flow
// from one address to another is let through when the source may send it (egress) and the
// destination may receive it (ingress). Pure: the flow and the policies come in, a verdict goes out.
//
// What the API leaves to the plugin, chosen as Calico does it:
// - A denied packet is dropped, not rejected: the client sees a timeout, never "refused".
// - Traffic between a pod and the node it runs on is always allowed (the NetworkPolicy docs say
//   so, and Calico lets the host reach its local pods): this is why the kubelet's probes keep
//   working under a default deny. Probes never enter this module; they are the node talking to
//   its own pods.
// - Host-network pods are not workload endpoints: no policy selects them, and as peers they are
//   their node's address, which only an ipBlock can name.
// - ipBlock matches any address, pod addresses included.
// - A rule with ports opens only TCP, UDP or SCTP; a rule without ports opens every protocol,
//   ICMP included, so `ping` is judged like any other flow.
import { isIPv4 } from 'node:net';
import { selectorFromLabelSelector } from '../selectors.js';
import { nodeIP, type NetView } from './view.js';
import type { Unstructured } from '../kinds/types.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMP';

/** One end of a flow. */
export interface Party {
  ip: string;
  /** The pod holding the address (never a host-network pod: that is its node). */
  pod?: Unstructured;
  /** The labels of the pod's namespace. */
  namespaceLabels?: Record<string, string>;
  /** The node holding the address, when it is a node's (or a host-network pod's). */
  node?: string;
}

export interface Flow {
  from: Party;
  to: Party;
  protocol: Protocol;
  /** The destination port (none for ICMP). */
  port?: number;
}

export type Verdict =
  | { allowed: true }
  /** Which side's policies dropped the flow, and the pod they isolate. */
  | { allowed: false; direction: 'ingress' | 'egress'; namespace: string; pod: string };

export const ALLOWED: Verdict = { allowed: true };

/** policyTypes as the API server defaults them: Ingress always, Egress when egress rules are given. */
export function policyTypes(policy: Unstructured): string[] {
  const given = policy.spec?.policyTypes;
  if (Array.isArray(given) && given.length) return given;
  return Array.isArray(policy.spec?.egress) && policy.spec.egress.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** A pod the policies can select: one with its own address on the pod network. */
function policed(p: Party): Unstructured | undefined {
  return p.pod && !p.pod.spec?.hostNetwork ? p.pod : undefined;
}

function labelsMatch(selector: unknown, labels: Record<string, string> | undefined): boolean {
  return selectorFromLabelSelector(selector as never).matches(labels ?? {});
}

/** The policies of the pod's namespace that select it for this direction. */
export function isolating(pod: Unstructured, policies: Unstructured[], type: 'Ingress' | 'Egress'): Unstructured[] {
  return policies.filter((np) => np.metadata?.namespace === pod.metadata?.namespace && policyTypes(np).includes(type) && np.spec?.podSelector && labelsMatch(np.spec.podSelector, pod.metadata?.labels));
}

function ipv4ToInt(ip: string): number | undefined {
  if (!isIPv4(ip)) return undefined;
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** Whether the address lies in the CIDR (`10.0.0.0/8`); a malformed CIDR contains nothing. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = String(cidr).split('/');
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(base);
  const n = Number(bits ?? 32);
  if (a === undefined || b === undefined || !Number.isInteger(n) || n < 0 || n > 32) return false;
  const size = 2 ** (32 - n);
  return Math.floor(a / size) === Math.floor(b / size);
}

/** Whether a peer of a rule of `policy` names the other end of the flow. */
function peerMatches(peer: Unstructured, policy: Unstructured, other: Party): boolean {
  if (peer.ipBlock) {
    const block = peer.ipBlock;
    return inCidr(other.ip, block.cidr) && !((block.except ?? []) as string[]).some((c) => inCidr(other.ip, c));
  }
  const pod = policed(other);
  if (!pod) return false;
  if (peer.namespaceSelector) {
    if (!labelsMatch(peer.namespaceSelector, other.namespaceLabels)) return false;
    return !peer.podSelector || labelsMatch(peer.podSelector, pod.metadata?.labels);
  }
  if (peer.podSelector) return pod.metadata?.namespace === policy.metadata?.namespace && labelsMatch(peer.podSelector, pod.metadata?.labels);
  return false;
}

/** The container port named `name` for this protocol on the destination pod. */
function namedPort(pod: Unstructured | undefined, name: string, protocol: Protocol): number | undefined {
  for (const c of (pod?.spec?.containers ?? []) as Unstructured[]) {
    for (const p of (c.ports ?? []) as Unstructured[]) if (p.name === name && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

function portMatches(entry: Unstructured, flow: Flow): boolean {
  if (flow.protocol === 'ICMP' || flow.port === undefined) return false;
  if ((entry.protocol ?? 'TCP') !== flow.protocol) return false;
  const port = entry.port;
  if (port === undefined || port === null) return true;
  if (typeof port === 'number' || /^\d+$/.test(String(port))) {
    const first = Number(port);
    const last = typeof entry.endPort === 'number' ? entry.endPort : first;
    return flow.port >= first && flow.port <= last;
  }
  // A named port means the port of that name on the pod receiving the traffic.
  return namedPort(policed(flow.to), String(port), flow.protocol) === flow.port;
}

function ruleAllows(rule: Unstructured, peers: unknown, policy: Unstructured, other: Party, flow: Flow): boolean {
  const list = Array.isArray(peers) ? (peers as Unstructured[]) : [];
  if (list.length && !list.some((p) => p && typeof p === 'object' && peerMatches(p, policy, other))) return false;
  const ports = Array.isArray(rule.ports) ? (rule.ports as Unstructured[]) : [];
  return !ports.length || ports.some((p) => p && typeof p === 'object' && portMatches(p, flow));
}

function allowedBy(isolators: Unstructured[], type: 'Ingress' | 'Egress', flow: Flow): boolean {
  const other = type === 'Ingress' ? flow.from : flow.to;
  return isolators.some((np) => {
    const rules = (type === 'Ingress' ? np.spec?.ingress : np.spec?.egress) ?? [];
    return Array.isArray(rules) && rules.some((r: Unstructured) => r && typeof r === 'object' && ruleAllows(r, type === 'Ingress' ? r.from : r.to, np, other, flow));
  });
}

const samePod = (a: Unstructured, b: Unstructured) => a.metadata?.namespace === b.metadata?.namespace && a.metadata?.name === b.metadata?.name;

/** Whether the source's policies let the flow leave it. */
export function egressVerdict(flow: Flow, policies: Unstructured[]): Verdict {
  const src = policed(flow.from);
  if (!src || (flow.to.node && flow.to.node === src.spec?.nodeName)) return ALLOWED;
  const dst = policed(flow.to);
  // A pod always reaches itself, whatever address it uses.
  if (dst && samePod(src, dst)) return ALLOWED;
  const egress = isolating(src, policies, 'Egress');
  return egress.length && !allowedBy(egress, 'Egress', flow) ? { allowed: false, direction: 'egress', namespace: src.metadata.namespace, pod: src.metadata.name } : ALLOWED;
}

/** Whether the destination's policies let the flow in. */
export function ingressVerdict(flow: Flow, policies: Unstructured[]): Verdict {
  const dst = policed(flow.to);
  if (!dst || (flow.from.node && flow.from.node === dst.spec?.nodeName)) return ALLOWED;
  const src = policed(flow.from);
  if (src && samePod(src, dst)) return ALLOWED;
  const ingress = isolating(dst, policies, 'Ingress');
  return ingress.length && !allowedBy(ingress, 'Ingress', flow) ? { allowed: false, direction: 'ingress', namespace: dst.metadata.namespace, pod: dst.metadata.name } : ALLOWED;
}

/** Whether the flow gets through: the source's egress policies, then the destination's ingress. */
export function judge(flow: Flow, policies: Unstructured[]): Verdict {
  const out = egressVerdict(flow, policies);
  return out.allowed ? ingressVerdict(flow, policies) : out;
}

/** Who holds an address, for a flow: a pod (with its namespace's labels), a node, or nobody known. */
export function partyAt(view: NetView, ip: string): Party {
  const pod = view.pods().find((p) => p.status?.podIP === ip && !p.spec?.hostNetwork && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  if (pod) return podParty(view, pod);
  const node = view.nodes().find((n) => nodeIP(n) === ip);
  return node ? { ip, node: node.metadata.name } : { ip };
}

/** A pod as one end of a flow; a host-network pod is its node. */
export function podParty(view: NetView, pod: Unstructured, ip: string = pod.status?.podIP): Party {
  if (pod.spec?.hostNetwork) return { ip, node: pod.spec?.nodeName };
  const ns = pod.metadata?.namespace;
  const labels = view.namespace?.(ns)?.metadata?.labels ?? {};
  // The API server labels every namespace with its name; a view without namespaces still knows it.
  return { ip, pod, namespaceLabels: { 'kubernetes.io/metadata.name': ns, ...labels } };
}

/** The node as one end of a flow. */
export function nodeParty(view: NetView, name: string): Party {
  const node = view.nodes().find((n) => n.metadata.name === name);
  return { ip: (node && nodeIP(node)) ?? '', node: name };
}
