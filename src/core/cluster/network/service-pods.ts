// Which pods back a Service, on which port, and with which name: the rules the endpoints and
// EndpointSlice controllers share (pkg/controller/util/endpointslice, podutil.FindPort).
import type { Unstructured } from '../kinds/types.js';

/** A Service's selector, or undefined when it has none (its endpoints are then managed by hand). */
export function serviceSelector(svc: Unstructured): Record<string, string> | undefined {
  const sel = svc.spec?.selector;
  return sel && Object.keys(sel).length ? sel : undefined;
}

export function selects(selector: Record<string, string>, pod: Unstructured): boolean {
  const labels: Record<string, string> = pod.metadata?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function isHeadless(svc: Unstructured): boolean {
  const ip = svc.spec?.clusterIP;
  return !ip || ip === 'None';
}

export function isPodReady(pod: Unstructured): boolean {
  return ((pod.status?.conditions ?? []) as Unstructured[]).some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * Whether a pod gets an endpoint at all: it needs an IP and must not have finished; a terminating
 * pod only where terminating endpoints are wanted (slices always; Endpoints with
 * publishNotReadyAddresses).
 */
export function shouldPodBeInEndpoints(pod: Unstructured, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  if (!pod.status?.podIP) return false;
  if (pod.metadata?.deletionTimestamp && !includeTerminating) return false;
  return true;
}

/** A StatefulSet-style pod with hostname and subdomain naming this headless Service gets a DNS name. */
export function shouldSetHostname(pod: Unstructured, svc: Unstructured): boolean {
  return !!pod.spec?.hostname && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace && svc.spec?.clusterIP === 'None';
}

/**
 * The container port a Service port's targetPort names on this pod: a number as is, a name
 * looked up among the containers' ports of the same protocol; undefined when the pod has none.
 */
export function findPort(pod: Unstructured, svcPort: Unstructured): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  const protocol = svcPort.protocol ?? 'TCP';
  for (const c of (pod.spec?.containers ?? []) as Unstructured[]) {
    for (const p of (c.ports ?? []) as Unstructured[]) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}
