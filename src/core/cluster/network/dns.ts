// Cluster DNS as a kind cluster's CoreDNS answers it: the kubernetes plugin after the Kubernetes
// DNS specification (with `pods insecure`): Service names, headless Services' pods, pod A records,
// ExternalName aliases, in each zone its Corefile line lists; names outside go to the docker
// network's resolver, which knows the node containers. Each CoreDNS answers with the Corefile it
// last loaded (rewrite, hosts, forward), as it reports when it starts or reloads.
import type { DnsAnswer } from '../kubelet/shell/types.js';
import { blockFor, inZone, normalName, rewriteName, type DnsConfig } from './corefile.js';
import { CLUSTER_DOMAIN, DNS_SERVICE_IP } from './types.js';
import { nodeIP, type NetView } from './view.js';
import type { Unstructured } from '../kinds/types.js';

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
function endpointRecords(view: NetView, svc: Unstructured): Array<{ label: string; ip: string }> {
  const ep = view.endpoints(svc.metadata.namespace, svc.metadata.name);
  const out: Array<{ label: string; ip: string }> = [];
  const seen = new Set<string>();
  for (const s of (ep?.subsets ?? []) as Unstructured[]) {
    for (const a of (s.addresses ?? []) as Unstructured[]) {
      const label = a.hostname || dashed(a.ip);
      if (seen.has(`${label}/${a.ip}`)) continue;
      seen.add(`${label}/${a.ip}`);
      out.push({ label, ip: a.ip });
    }
  }
  return out;
}

/**
 * The Corefile kind's CoreDNS starts with, as the answers go without a CoreDNS that says what it
 * loaded (a view of plain objects, a runtime that does not report it).
 */
const KIND_DEFAULT: DnsConfig = {
  blocks: [{ zones: [''], rewrites: [], kubernetes: { zones: [CLUSTER_DOMAIN] }, forward: { from: '', to: ['/etc/resolv.conf'] }, reloadMs: 30_000 }],
};

/** What each running CoreDNS has loaded, by its pod's uid: the last good Corefile and when it was read. */
const loaded = new Map<string, { config: DnsConfig; at: number }>();

/** A CoreDNS process (re)loaded its Corefile: the queries it answers follow it from now on. */
export function corednsLoaded(podUid: string, config: DnsConfig, at: number): void {
  loaded.set(podUid, { config, at });
}

/** The CoreDNS of a pod that is gone: it answers nothing any more. */
export function corednsGone(podUid: string): void {
  loaded.delete(podUid);
}

/**
 * The configuration the cluster's DNS answers with: that of the ready CoreDNS pods behind the
 * kube-dns Service (the one that loaded last, as a rollout's new pods take over), or none when
 * the Service has no ready pod (DNS is down).
 */
function servingConfig(view: NetView): DnsConfig | undefined {
  const ep = view.endpoints('kube-system', 'kube-dns');
  if (!ep) return KIND_DEFAULT;
  const ready = ((ep.subsets ?? []) as Unstructured[]).flatMap((s) => (s.addresses ?? []) as Unstructured[]);
  if (!ready.length) return undefined;
  let newest: { config: DnsConfig; at: number } | undefined;
  for (const a of ready) {
    const l = loaded.get(a.targetRef?.uid ?? '');
    if (l && (!newest || l.at > newest.at)) newest = l;
  }
  return newest?.config ?? KIND_DEFAULT;
}

/**
 * Answers one fully qualified name (a trailing dot is allowed; case does not matter) as the
 * cluster's CoreDNS would, or undefined when it has no answer. A name that exists without
 * addresses (a headless Service with no ready pod) answers with none.
 */
export function resolveName(view: NetView, fqdn: string, external: (name: string) => string[] | undefined = () => undefined): DnsRecord | undefined {
  const config = servingConfig(view);
  return config && answer(view, config, normalName(fqdn), external, 0);
}

/**
 * A query through the plugins of the server block that serves it, in CoreDNS's fixed order:
 * rewrite, hosts, kubernetes, forward. The answer carries the name that was asked.
 */
export function answer(view: NetView, config: DnsConfig, asked: string, external: (name: string) => string[] | undefined, depth: number): DnsRecord | undefined {
  const block = blockFor(config, asked);
  if (!block || depth > 8) return undefined;
  const name = rewriteName(block.rewrites, asked);
  const renamed = (r: DnsRecord | undefined) => r && { ...r, name: asked };
  if (block.hosts) {
    const addresses = block.hosts.entries.get(name);
    if (addresses) return { name: asked, addresses };
    // Without fallthrough, hosts has the last word on the names of its zones.
    if (!block.hosts.fallthrough?.some((z) => inZone(name, z))) return undefined;
  }
  const k = block.kubernetes;
  const zone = k?.zones.filter((z) => inZone(name, z)).sort((a, b) => b.length - a.length)[0];
  if (k && zone !== undefined) {
    const r = clusterRecord(view, name, zone, (target) => answer(view, config, target, external, depth + 1));
    if (r || !k.fallthrough?.some((z) => inZone(name, z))) return renamed(r);
  }
  if (block.forward && inZone(name, block.forward.from)) return renamed(outside(view, name, external));
  return undefined;
}

/** A name under one of the kubernetes plugin's zones: Services, their pods, pods by address. */
function clusterRecord(view: NetView, name: string, zone: string, lookup: (target: string) => DnsRecord | undefined): DnsRecord | undefined {
  const labels = (zone ? name.slice(0, -zone.length - 1) : name).split('.');
  // <a-b-c-d>.<ns>.pod.<zone>
  if (labels.length === 3 && labels[2] === 'pod') {
    const ip = undashed(labels[0]);
    return ip ? { name, addresses: [ip] } : undefined;
  }
  if (labels[labels.length - 1] !== 'svc' || labels.length < 3 || labels.length > 4) return undefined;
  const [ns, svcName] = [labels[labels.length - 2], labels[labels.length - 3]];
  const svc = view.service(ns, svcName);
  if (!svc) return undefined;
  if (labels.length === 4) {
    // <hostname or a-b-c-d>.<svc>.<ns>.svc.<zone>: one pod of a headless Service
    if (svc.spec?.clusterIP !== 'None') return undefined;
    const ips = endpointRecords(view, svc).filter((r) => r.label === labels[0]).map((r) => r.ip);
    return ips.length ? { name, addresses: ips } : undefined;
  }
  if (svc.spec?.type === 'ExternalName') {
    const target = normalName(String(svc.spec.externalName ?? ''));
    return { name, cname: target, addresses: lookup(target)?.addresses ?? [] };
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
