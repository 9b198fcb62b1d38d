// Cluster DNS as CoreDNS's kubernetes plugin answers it in a kind cluster (the Kubernetes DNS
// specification, with `pods insecure`): Service names, headless Services' pods, pod A records,
// ExternalName aliases; names outside the cluster domain come from the docker network's resolver,
// which knows the node containers.
import type { DnsAnswer } from '../kubelet/shell/types.js';
import { CLUSTER_DOMAIN, DNS_SERVICE_IP, type Obj } from './types.js';
import { nodeIP, type NetView } from './view.js';

/** A DNS answer; `cname` when the name is an alias (an ExternalName Service). */
export type DnsRecord = DnsAnswer;

const NDOTS = 5;

/** The search domains of a pod in `namespace` with the default ClusterFirst DNS policy. */
export function searchDomains(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

/** /etc/resolv.conf as the kubelet writes it for a ClusterFirst pod. */
export function resolvConf(namespace: string): string {
  return `search ${searchDomains(namespace).join(' ')}\nnameserver ${DNS_SERVICE_IP}\noptions ndots:${NDOTS}\n`;
}

/** `10.244.1.5` → `10-244-1-5`, the label CoreDNS gives an address without a hostname. */
export function dashed(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}

function undashed(label: string): string | undefined {
  const m = /^(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})$/.exec(label);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) return undefined;
  return m.slice(1).join('.');
}

/** The ready addresses of a Service's Endpoints, with the DNS label each one answers to. */
function endpointRecords(view: NetView, svc: Obj): Array<{ label: string; ip: string }> {
  const ep = view.endpoints(svc.metadata.namespace, svc.metadata.name);
  const out: Array<{ label: string; ip: string }> = [];
  const seen = new Set<string>();
  for (const s of (ep?.subsets ?? []) as Obj[]) {
    for (const a of (s.addresses ?? []) as Obj[]) {
      const label = a.hostname || dashed(a.ip);
      if (seen.has(`${label}/${a.ip}`)) continue;
      seen.add(`${label}/${a.ip}`);
      out.push({ label, ip: a.ip });
    }
  }
  return out;
}

/**
 * Answers one fully qualified name (a trailing dot is allowed; case does not matter), or
 * undefined for NXDOMAIN. A name that exists without addresses (a headless Service with no ready
 * pod) answers with none.
 */
export function resolveName(view: NetView, fqdn: string, external: (name: string) => string[] | undefined = () => undefined): DnsRecord | undefined {
  const name = fqdn.toLowerCase().replace(/\.$/, '');
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (!name.endsWith(suffix)) return outside(view, name, external);
  const labels = name.slice(0, -suffix.length).split('.');
  // <a-b-c-d>.<ns>.pod.cluster.local
  if (labels.length === 3 && labels[2] === 'pod') {
    const ip = undashed(labels[0]);
    return ip ? { name, addresses: [ip] } : undefined;
  }
  if (labels[labels.length - 1] !== 'svc' || labels.length < 3 || labels.length > 4) return undefined;
  const [ns, svcName] = [labels[labels.length - 2], labels[labels.length - 3]];
  const svc = view.service(ns, svcName);
  if (!svc) return undefined;
  if (labels.length === 4) {
    // <hostname or a-b-c-d>.<svc>.<ns>.svc.cluster.local: one pod of a headless Service
    if (svc.spec?.clusterIP !== 'None') return undefined;
    const ips = endpointRecords(view, svc).filter((r) => r.label === labels[0]).map((r) => r.ip);
    return ips.length ? { name, addresses: ips } : undefined;
  }
  if (svc.spec?.type === 'ExternalName') {
    const target = String(svc.spec.externalName ?? '').toLowerCase().replace(/\.$/, '');
    const resolved = target.endsWith(suffix) ? resolveName(view, target, external)?.addresses : outside(view, target, external)?.addresses;
    return { name, cname: target, addresses: resolved ?? [] };
  }
  if (svc.spec?.clusterIP === 'None') return { name, addresses: endpointRecords(view, svc).map((r) => r.ip) };
  return svc.spec?.clusterIP ? { name, addresses: [svc.spec.clusterIP] } : undefined;
}

function outside(view: NetView, name: string, external: (name: string) => string[] | undefined): DnsRecord | undefined {
  // The docker network's embedded resolver knows the kind node containers by name.
  const node = view.nodes().find((n) => n.metadata.name === name);
  const ip = node && nodeIP(node);
  if (ip) return { name, addresses: [ip] };
  const addresses = external(name);
  return addresses ? { name, addresses } : undefined;
}

/**
 * Resolves a name as a pod's resolver does: with fewer than ndots dots the search domains are
 * tried first, then the name as given.
 */
export function resolveFromPod(view: NetView, namespace: string, name: string, external?: (name: string) => string[] | undefined): DnsRecord | undefined {
  const bare = name.replace(/\.$/, '');
  if (name.endsWith('.')) return resolveName(view, bare, external);
  const dots = bare.split('.').length - 1;
  const candidates = dots >= NDOTS ? [bare, ...searchDomains(namespace).map((d) => `${bare}.${d}`)] : [...searchDomains(namespace).map((d) => `${bare}.${d}`), bare];
  for (const c of candidates) {
    const r = resolveName(view, c, external);
    if (r) return r;
  }
  return undefined;
}
