// The flows a pod's connection makes once kube-proxy has translated it, judged by NetworkPolicy.
// Calico judges a packet in the filter table, after kube-proxy's DNAT and before its masquerade:
// - A connection to a ClusterIP, or to a node port of the pod's own node, is translated on the pod's
//   node, so its egress is judged on the backend pod's address and target port.
// - A node port of another node is translated there: the sender's egress sees that node's address
//   and node port.
// - The backend's ingress sees the original sender when the node that translated the packet is
//   the backend's own; when it forwards the packet on to another node it masquerades it first, and
//   the backend sees that node's address, which only an ipBlock can name. A client outside the
//   cluster would meet the same rule (the simulation has no such client yet).
// The kubelet's probes never pass through here: the node always reaches its own pods (policy.ts).
import { ALLOWED, egressVerdict, ingressVerdict, judge, nodeParty, partyAt, podParty, type Protocol, type Verdict } from './policy.js';
import { serviceBackend, type Pick } from './routing.js';
import type { Destination } from './types.js';
import { nodeIP, type NetView } from './view.js';
import type { Unstructured } from '../kinds/types.js';

/** The verdict on a connection from pod `from` to `dialed`, which kube-proxy delivered to `dest`. */
export function connectionVerdict(view: NetView, from: Unstructured, dialed: { ip: string; port?: number }, dest: Destination, protocol: Protocol): Verdict {
  const policies = view.networkPolicies?.() ?? [];
  if (!policies.length) return ALLOWED;
  const me = podParty(view, from);
  // Nothing answers behind the address: only the sender's egress can drop the packet first.
  if (dest.kind !== 'pod') return egressVerdict({ from: me, to: partyAt(view, dialed.ip), protocol, port: dialed.port }, policies);
  const target = view.pod(dest.namespace, dest.pod);
  if (!target) return ALLOWED;
  const to = podParty(view, target, dest.ip);
  const dialedNode = view.nodes().find((n) => nodeIP(n) === dialed.ip);
  // The node whose node port translated the connection.
  const entered = dialedNode && dest.via ? dialedNode.metadata.name : undefined;
  const remote = entered && entered !== from.spec?.nodeName;
  const out = egressVerdict(remote ? { from: me, to: nodeParty(view, entered), protocol, port: dialed.port } : { from: me, to, protocol, port: dest.port }, policies);
  if (!out.allowed) return out;
  const forwarded = entered && entered !== target.spec?.nodeName;
  return ingressVerdict({ from: forwarded ? nodeParty(view, entered) : me, to, protocol, port: dest.port }, policies);
}

/** The verdict on an ICMP echo from the pod to the address. */
export function pingVerdict(view: NetView, from: Unstructured, ip: string): Verdict {
  const policies = view.networkPolicies?.() ?? [];
  return policies.length ? judge({ from: podParty(view, from), to: partyAt(view, ip), protocol: 'ICMP' }, policies) : ALLOWED;
}

/**
 * Whether the pod's DNS queries (UDP, port 53) reach the nameserver: through the Service holding
 * that address (kube-dns) to one of its pods, or straight to the address.
 */
export function dnsVerdict(view: NetView, from: Unstructured, nameserver: string, pick: Pick): Verdict {
  const policies = view.networkPolicies?.() ?? [];
  if (!policies.length) return ALLOWED;
  const svc = view.services().find((s) => s.spec?.clusterIP === nameserver || (s.spec?.clusterIPs ?? []).includes(nameserver));
  const port = ((svc?.spec?.ports ?? []) as Unstructured[]).find((p) => p.port === 53 && p.protocol === 'UDP');
  if (!svc || !port) return connectionVerdict(view, from, { ip: nameserver, port: 53 }, { kind: 'failure', error: 'timeout' }, 'UDP');
  const dest = serviceBackend(view, svc, port, pick);
  // Without a DNS pod the cluster's names are still answered here; policy has nothing to judge.
  if (dest.kind !== 'pod') return ALLOWED;
  return connectionVerdict(view, from, { ip: nameserver, port: 53 }, dest, 'UDP');
}
