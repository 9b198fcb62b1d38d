// The apiserver's proxy subresources (`kubectl proxy` URLs such as
// /api/v1/namespaces/ns/services/web:80/proxy/): the apiserver picks one ready endpoint of the
// Service itself, or takes the pod's address, and relays the request to it.
import type { Cluster } from '../cluster.js';
import { ApiError, notFound } from '../errors.js';
import type { HttpRequest, HttpResponse } from '../kubelet/shell/types.js';
import { ingressVerdict, nodeParty, podParty } from './policy.js';
import type { PodServers } from './types.js';
import { storeView, type NetView } from './view.js';
import type { Unstructured } from '../kinds/types.js';

function serviceUnavailable(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'ServiceUnavailable', code: 503 });
}

/** `name`, `name:port` or `scheme:name:port`, as the proxy path names its target. */
export function splitSchemeNamePort(spec: string): { scheme: string; name: string; port: string } | undefined {
  const parts = spec.split(':');
  if (parts.length === 1) return { scheme: '', name: parts[0], port: '' };
  if (parts.length === 2) return { scheme: '', name: parts[0], port: parts[1] };
  if (parts.length === 3 && ['', 'http', 'https'].includes(parts[0])) return { scheme: parts[0], name: parts[1], port: parts[2] };
  return undefined;
}

export interface ProxyTarget {
  namespace: string;
  pod: string;
  ip: string;
  port: number;
}

/** Where the apiserver sends a Service proxy request: a random ready endpoint on the named port. */
export function serviceProxyTarget(view: NetView, namespace: string, spec: string, pick: (n: number) => number = (n) => Math.floor(Math.random() * n)): ProxyTarget {
  const parsed = splitSchemeNamePort(spec);
  if (!parsed || !parsed.name) throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `invalid service request "${spec}"`, reason: 'BadRequest', code: 400 });
  const svc = view.service(namespace, parsed.name);
  if (!svc) throw notFound({ group: '', resource: 'services' }, parsed.name);
  let portName = parsed.port;
  if (/^\d+$/.test(portName)) {
    // A port number stands for the Service port that listens on it.
    const sp = ((svc.spec?.ports ?? []) as Unstructured[]).find((p) => p.port === Number(portName));
    if (!sp) throw serviceUnavailable(`no service port ${portName} found for service "${parsed.name}"`);
    portName = sp.name ?? '';
  }
  const ep = view.endpoints(namespace, parsed.name);
  const subsets = (ep?.subsets ?? []) as Unstructured[];
  if (!subsets.length) throw serviceUnavailable(`no endpoints available for service "${parsed.name}"`);
  for (const s of subsets) {
    const addresses = (s.addresses ?? []) as Unstructured[];
    const port = ((s.ports ?? []) as Unstructured[]).find((p) => (p.name ?? '') === portName);
    if (!addresses.length || !port) continue;
    const a = addresses[pick(addresses.length) % addresses.length];
    const podName = a.targetRef?.kind === 'Pod' ? a.targetRef.name : view.pods().find((p) => p.status?.podIP === a.ip)?.metadata.name;
    if (!podName) continue;
    return { namespace: a.targetRef?.namespace ?? namespace, pod: podName, ip: a.ip, port: port.port };
  }
  throw serviceUnavailable(`no endpoints available for service "${spec}"`);
}

/** Where a pod proxy request goes: the pod's address on the given port (80 when none is given). */
export function podProxyTarget(view: NetView, namespace: string, spec: string): ProxyTarget {
  const parsed = splitSchemeNamePort(spec);
  if (!parsed || !parsed.name) throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `invalid pod request "${spec}"`, reason: 'BadRequest', code: 400 });
  const pod = view.pod(namespace, parsed.name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, parsed.name);
  const ip = pod.status?.podIP;
  if (!ip) throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `address not allowed`, reason: 'BadRequest', code: 400 });
  return { namespace, pod: parsed.name, ip, port: parsed.port ? Number(parsed.port) : 80 };
}

/**
 * Relays a request through the apiserver's proxy to a Service or pod. Throws the Status a real
 * apiserver answers when there is nowhere to send it or the backend does not answer.
 */
export function apiProxy(cluster: Cluster, resource: 'services' | 'pods', namespace: string, spec: string, req: Omit<HttpRequest, 'ip' | 'port'>, servers?: PodServers): HttpResponse {
  const view = storeView(cluster);
  const target = resource === 'services' ? serviceProxyTarget(view, namespace, spec) : podProxyTarget(view, namespace, spec);
  const node = servers ?? cluster.controlPlane?.kubelet;
  const answer = admitted(view, target) ? node?.serveHttp(target.namespace, target.pod, target.port, { ...req, ip: target.ip, port: target.port }, controlPlaneAddress(view)) : { error: 'timeout' as const };
  if (!answer || 'error' in answer) {
    const why = answer && 'error' in answer && answer.error === 'timeout' ? 'i/o timeout' : 'connect: connection refused';
    throw serviceUnavailable(`error trying to reach service: dial tcp ${target.ip}:${target.port}: ${why}`);
  }
  return answer;
}

/**
 * Whether the target pod's NetworkPolicies let the apiserver in: it connects from the
 * control-plane node, which only pods on that node always accept; elsewhere only an ipBlock
 * naming the node's address admits it.
 */
function admitted(view: NetView, target: ProxyTarget): boolean {
  const policies = view.networkPolicies?.() ?? [];
  const pod = view.pod(target.namespace, target.pod);
  const plane = controlPlaneNode(view);
  if (!policies.length || !pod || !plane) return true;
  return ingressVerdict({ from: nodeParty(view, plane.metadata.name), to: podParty(view, pod, target.ip), protocol: 'TCP', port: target.port }, policies).allowed;
}

function controlPlaneNode(view: NetView): Unstructured | undefined {
  return view.nodes().find((n) => 'node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {}));
}

/** The apiserver runs on the control-plane node: requests it relays come from there. */
function controlPlaneAddress(view: NetView): string | undefined {
  const node = controlPlaneNode(view);
  return ((node?.status?.addresses ?? []) as Unstructured[]).find((a) => a.type === 'InternalIP')?.address;
}
