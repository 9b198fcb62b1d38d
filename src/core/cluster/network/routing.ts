// Where a connection to ip:port goes, as kube-proxy's rules (iptables mode, as kind runs it) and
// the pod network deliver it: a Service's ClusterIP, a node's NodePort and a load balancer's IP
// lead through the Service port to one ready endpoint, picked at random; a pod IP leads to the
// pod. A Service without a ready endpoint rejects the connection; an address nobody holds drops it.
import type { Destination } from './types.js';
import { nodeIP, type NetView } from './view.js';
import type { Unstructured } from '../kinds/types.js';

/** Chooses one of `n` endpoints (random by default, as iptables' statistic match does). */
export type Pick = (n: number) => number;

export const randomPick: Pick = (n) => Math.floor(Math.random() * n);

/** A ready endpoint of the Service port: the pod behind it and the port it listens on. */
export function serviceBackend(view: NetView, svc: Unstructured, svcPort: Unstructured, pick: Pick, onNode?: string, client?: string): Destination {
  const ep = view.endpoints(svc.metadata.namespace, svc.metadata.name);
  const candidates: Array<{ address: Unstructured; port: number }> = [];
  for (const s of (ep?.subsets ?? []) as Unstructured[]) {
    const port = ((s.ports ?? []) as Unstructured[]).find((p) => (p.name ?? '') === (svcPort.name ?? '') && (p.protocol ?? 'TCP') === (svcPort.protocol ?? 'TCP'));
    if (!port) continue;
    for (const a of (s.addresses ?? []) as Unstructured[]) {
      if (onNode && a.nodeName !== onNode) continue;
      candidates.push({ address: a, port: port.port });
    }
  }
  if (!candidates.length) return { kind: 'failure', error: 'refused' };
  // ClientIP affinity keeps a client on one backend while the backends stay the same.
  const sticky = svc.spec?.sessionAffinity === 'ClientIP' && client !== undefined;
  const chosen = candidates[(sticky ? stableIndex(client, candidates.length) : pick(candidates.length)) % candidates.length];
  const via = { namespace: svc.metadata.namespace, service: svc.metadata.name };
  const ref = chosen.address.targetRef;
  if (ref?.kind === 'Pod') return { kind: 'pod', namespace: ref.namespace ?? svc.metadata.namespace, pod: ref.name, ip: chosen.address.ip, port: chosen.port, via };
  // An endpoint written by hand may point anywhere: follow its address.
  const pod = podByIP(view, chosen.address.ip);
  return pod ? { kind: 'pod', namespace: pod.metadata.namespace, pod: pod.metadata.name, ip: chosen.address.ip, port: chosen.port, via } : { kind: 'failure', error: 'timeout' };
}

function stableIndex(key: string, n: number): number {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % n;
}

function tcpPort(svc: Unstructured, match: (p: Unstructured) => boolean): Unstructured | undefined {
  return ((svc.spec?.ports ?? []) as Unstructured[]).find((p) => (p.protocol ?? 'TCP') === 'TCP' && match(p));
}

export function podByIP(view: NetView, ip: string): Unstructured | undefined {
  return view.pods().find((p) => p.status?.podIP === ip && !p.spec?.hostNetwork && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
}

/**
 * The destination of a TCP connection to ip:port. `from` is the connecting pod, which 127.0.0.1
 * and its own IP lead back to.
 */
export function route(view: NetView, ip: string, port: number, from?: { namespace: string; pod: string; ip?: string }, pick: Pick = randomPick): Destination {
  if (from && (ip === '127.0.0.1' || ip === from.ip)) return { kind: 'pod', namespace: from.namespace, pod: from.pod, ip, port };
  const services = view.services();
  for (const svc of services) {
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName') continue;
    const ips: string[] = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
    const external: string[] = [...(spec.externalIPs ?? []), ...((svc.status?.loadBalancer?.ingress ?? []) as Unstructured[]).map((i) => i.ip).filter(Boolean)];
    if (!((ip !== 'None' && ips.includes(ip)) || external.includes(ip))) continue;
    const sp = tcpPort(svc, (p) => p.port === port);
    // No rule for this port: the packet heads for an address no interface holds and is lost.
    if (!sp) return { kind: 'failure', error: 'timeout' };
    return serviceBackend(view, svc, sp, pick, undefined, from?.ip);
  }
  const node = view.nodes().find((n) => nodeIP(n) === ip);
  if (node) {
    for (const svc of services) {
      if (svc.spec?.type !== 'NodePort' && svc.spec?.type !== 'LoadBalancer') continue;
      const sp = tcpPort(svc, (p) => p.nodePort === port);
      if (!sp) continue;
      const local = svc.spec.externalTrafficPolicy === 'Local' ? node.metadata.name : undefined;
      return serviceBackend(view, svc, sp, pick, local, from?.ip);
    }
    // Host-network pods (the control plane, kube-proxy, kindnet) listen on the node's address.
    const hostPods = view.pods().filter((p) => p.spec?.hostNetwork && p.spec?.nodeName === node.metadata.name && p.status?.phase === 'Running');
    const owner = hostPods.find((p) => containerPorts(p).includes(port));
    if (owner) return { kind: 'pod', namespace: owner.metadata.namespace, pod: owner.metadata.name, ip, port };
    return { kind: 'failure', error: 'refused' };
  }
  const pod = podByIP(view, ip);
  if (pod) return { kind: 'pod', namespace: pod.metadata.namespace, pod: pod.metadata.name, ip, port };
  return { kind: 'failure', error: 'timeout' };
}

function containerPorts(pod: Unstructured): number[] {
  return ((pod.spec?.containers ?? []) as Unstructured[]).flatMap((c) => ((c.ports ?? []) as Unstructured[]).map((p) => p.containerPort));
}

/**
 * Whether an ICMP echo to the address is answered: pods, nodes and load balancers (containers on
 * the kind network) answer; a ClusterIP is only a rule in kube-proxy's tables and does not.
 */
export function answersPing(view: NetView, ip: string, from?: { ip?: string }): boolean {
  if (ip === '127.0.0.1' || (from?.ip && ip === from.ip)) return true;
  if (view.nodes().some((n) => nodeIP(n) === ip)) return true;
  if (podByIP(view, ip)) return true;
  return view.services().some((s) => ((s.status?.loadBalancer?.ingress ?? []) as Unstructured[]).some((i) => i.ip === ip));
}
