// ResourceQuota: what a namespace uses, counted the way the quota evaluators count it
// (pkg/quota/v1/evaluator/core), and the admission plugin that refuses an object which would take
// the namespace past a quota's hard limits, worded as the apiserver words it.
import type { AdmissionRequest, Cluster } from '../cluster.js';
import { forbidden } from '../errors.js';
import type { KindDef, Unstructured } from '../kinds/types.js';
import { compareQuantities, formatQuantity, quantityFromJSON, type Quantity } from '../validation/quantity.js';
import { dict, own } from '../own.js';


const ZERO: Quantity = { unscaled: 0n, scale: 0, format: 'DecimalSI' };

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  if (a.unscaled === 0n) return { ...b, text: undefined };
  if (b.unscaled === 0n) return { ...a, text: undefined };
  const lo = Math.min(a.scale, b.scale);
  const up = (q: Quantity) => q.unscaled * 10n ** BigInt(q.scale - lo);
  return { unscaled: up(a) + up(b), scale: lo, format: a.format };
}

const maxQuantity = (a: Quantity, b: Quantity): Quantity => (compareQuantities(a, b) >= 0 ? a : b);
const count = (n: number): Quantity => ({ unscaled: BigInt(n), scale: 0, format: 'DecimalSI' });

/** Resources whose quota makes every container state them (the evaluator's validationSet). */
const MUST_SPECIFY: Record<string, ['requests' | 'limits', string]> = {
  cpu: ['requests', 'cpu'],
  memory: ['requests', 'memory'],
  'requests.cpu': ['requests', 'cpu'],
  'requests.memory': ['requests', 'memory'],
  'limits.cpu': ['limits', 'cpu'],
  'limits.memory': ['limits', 'memory'],
};

/** The objects counted by `count/…` and the legacy object-count names. */
const LEGACY_COUNTS: Record<string, string> = {
  pods: '/pods',
  services: '/services',
  configmaps: '/configmaps',
  secrets: '/secrets',
  persistentvolumeclaims: '/persistentvolumeclaims',
  replicationcontrollers: '/replicationcontrollers',
  resourcequotas: '/resourcequotas',
};

/** `count/deployments.apps` → `apps/deployments`; `count/pods` → `/pods`. */
function countedResource(name: string): string | undefined {
  const legacy = own<string>(LEGACY_COUNTS, name);
  if (legacy) return legacy;
  if (!name.startsWith('count/')) return undefined;
  const what = name.slice('count/'.length);
  const dot = what.indexOf('.');
  return dot < 0 ? `/${what}` : `${what.slice(dot + 1)}/${what.slice(0, dot)}`;
}

const isTerminalPod = (p: Unstructured) => ['Succeeded', 'Failed'].includes(p.status?.phase);

/** A pod's effective requests or limits of one resource: containers summed, init containers' max. */
function podResource(pod: Unstructured, which: 'requests' | 'limits', resource: string): Quantity {
  let sum = ZERO;
  for (const c of pod.spec?.containers ?? []) {
    const v = c.resources?.[which]?.[resource];
    if (v !== undefined) sum = addQuantities(sum, quantityFromJSON(v));
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const v = c.resources?.[which]?.[resource];
    if (v !== undefined) sum = maxQuantity(sum, quantityFromJSON(v));
  }
  const overhead = pod.spec?.overhead?.[resource];
  if (overhead !== undefined) sum = addQuantities(sum, quantityFromJSON(overhead));
  return sum;
}

/** What one object adds to the quota resource `name` (undefined: this resource does not count it). */
export function usageOf(resource: string, o: Unstructured, name: string): Quantity | undefined {
  const counted = countedResource(name);
  if (counted) {
    if (counted !== resource) return undefined;
    if (resource === '/pods' && isTerminalPod(o)) return ZERO;
    return count(1);
  }
  if (resource === '/pods') {
    if (isTerminalPod(o)) return ZERO;
    const m = /^(requests|limits)\.(.+)$/.exec(name);
    if (m) return podResource(o, m[1] as 'requests' | 'limits', m[2]);
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage') return podResource(o, 'requests', name);
    return undefined;
  }
  if (resource === '/persistentvolumeclaims') {
    const storage = o.spec?.resources?.requests?.storage;
    if (name === 'requests.storage') return storage === undefined ? ZERO : quantityFromJSON(storage);
    const m = /^(.+)\.storageclass\.storage\.k8s\.io\/(requests\.storage|persistentvolumeclaims)$/.exec(name);
    if (m) {
      if ((o.spec?.storageClassName ?? '') !== m[1]) return ZERO;
      return m[2] === 'persistentvolumeclaims' ? count(1) : storage === undefined ? ZERO : quantityFromJSON(storage);
    }
    return undefined;
  }
  if (resource === '/services') {
    const type = o.spec?.type ?? 'ClusterIP';
    if (name === 'services.loadbalancers') return count(type === 'LoadBalancer' ? 1 : 0);
    if (name === 'services.nodeports') return count(type === 'NodePort' || type === 'LoadBalancer' ? (o.spec?.ports ?? []).length : 0);
  }
  return undefined;
}

/** The stored resources a quota's hard names read from. */
export function resourcesCounted(hard: Unstructured): Set<string> {
  const out = new Set<string>();
  for (const name of Object.keys(hard ?? {})) {
    const counted = countedResource(name);
    if (counted) out.add(counted);
    else if (/^(requests|limits)\.(cpu|memory|ephemeral-storage)$|^(cpu|memory|ephemeral-storage)$/.test(name)) out.add('/pods');
    else if (name.includes('storage')) out.add('/persistentvolumeclaims');
    else if (name.startsWith('services.')) out.add('/services');
  }
  return out;
}

/** status.used of a quota: every hard resource, summed over what the namespace holds now. */
export function usedIn(cluster: Cluster, namespace: string, hard: Unstructured): Record<string, Quantity> {
  const used = dict<Quantity>();
  for (const name of Object.keys(hard ?? {})) used[name] = ZERO;
  for (const resource of resourcesCounted(hard)) {
    for (const o of cluster.store.list(resource, namespace)) {
      for (const name of Object.keys(hard)) {
        const u = usageOf(resource, o as Unstructured, name);
        if (u) used[name] = addQuantities(used[name], u);
      }
    }
  }
  return used;
}

export function formatUsed(used: Record<string, Quantity>, hard: Unstructured): Record<string, string> {
  // A total of binary quantities reads best in binary units, as the hard limit does.
  return Object.fromEntries(
    Object.entries(used).map(([k, q]) => {
      const h = own(hard, k) !== undefined ? quantityFromJSON(hard[k]) : undefined;
      return [k, formatQuantity(q.unscaled === 0n ? ZERO : h?.format === 'BinarySI' && q.format !== 'BinarySI' ? { ...q, format: 'BinarySI' } : q)];
    }),
  );
}

const pretty = (m: Map<string, string>) =>
  [...m.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** Containers missing a request or limit a quota insists on: `must specify limits.cpu for: c; …`. */
function missingConstraints(pod: Unstructured, hard: Unstructured): string | undefined {
  const missing = new Map<string, Set<string>>();
  for (const name of Object.keys(hard)) {
    const need = own<['requests' | 'limits', string]>(MUST_SPECIFY, name);
    if (!need) continue;
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
      if (c.resources?.[need[0]]?.[need[1]] !== undefined) continue;
      const set = missing.get(name) ?? new Set<string>();
      set.add(c.name);
      missing.set(name, set);
    }
  }
  if (!missing.size) return undefined;
  return `must specify ${[...missing.keys()]
    .sort()
    .map((k) => `${k} for: ${[...missing.get(k)!].sort().join(',')}`)
    .join('; ')}`;
}

function storageKeyOf(def: KindDef): string {
  return `${def.group}/${def.plural}`;
}

/**
 * The name an admission error gives: a real apiserver admits before it generates a name, so a
 * ReplicaSet's refused pod reads `pods "web-7d454c87-" is forbidden` (admission.NewForbidden).
 */
export function admissionName(obj: Unstructured): string {
  const { name, generateName } = obj.metadata ?? {};
  if (generateName && typeof name === 'string' && name.length === generateName.length + 5 && name.startsWith(generateName)) return generateName;
  return name ?? generateName ?? 'Unknown';
}

/** The ResourceQuota admission plugin: creations are checked against every quota of the namespace. */
export function quotaAdmission(cluster: Cluster) {
  return (req: AdmissionRequest): void => {
    if (req.operation !== 'CREATE' || !req.def.namespaced) return;
    const obj = req.object as Unstructured;
    const ns = obj.metadata.namespace as string;
    const quotas = cluster.store.list('/resourcequotas', ns) as Unstructured[];
    if (!quotas.length) return;
    const resource = storageKeyOf(req.def);
    const gr = { group: req.def.group, resource: req.def.plural };
    const name = admissionName(obj);
    for (const q of quotas) {
      const hard: Unstructured = q.spec?.hard ?? {};
      if (resource === '/pods' && !isTerminalPod(obj)) {
        const missing = missingConstraints(obj, hard);
        if (missing) throw forbidden(gr, name, `failed quota: ${q.metadata.name}: ${missing}`);
      }
      const requested = new Map<string, string>();
      const used = new Map<string, string>();
      const limited = new Map<string, string>();
      let current: Record<string, Quantity> | undefined;
      for (const [rname, limit] of Object.entries(hard)) {
        const delta = usageOf(resource, obj, rname);
        if (!delta || delta.unscaled === 0n) continue;
        current ??= usedIn(cluster, ns, hard);
        const after = addQuantities(current[rname], delta);
        if (compareQuantities(after, quantityFromJSON(limit)) > 0) {
          requested.set(rname, formatQuantity(delta));
          used.set(rname, formatUsed({ [rname]: current[rname] }, hard)[rname]);
          limited.set(rname, formatQuantity(quantityFromJSON(limit)));
        }
      }
      if (requested.size) {
        throw forbidden(gr, name, `exceeded quota: ${q.metadata.name}, requested: ${pretty(requested)}, used: ${pretty(used)}, limited: ${pretty(limited)}`);
      }
    }
  };
}
