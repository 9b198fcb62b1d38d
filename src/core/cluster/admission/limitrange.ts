// The LimitRanger admission plugin (plugin/pkg/admission/limitranger): a new pod's containers get
// the namespace's default requests and limits where they state none (noted in the
// kubernetes.io/limit-ranger annotation), then min, max and maxLimitRequestRatio are enforced,
// refusing with the plugin's own sentences.
import type { AdmissionRequest, Cluster } from '../cluster.js';
import { forbidden } from '../errors.js';
import { qosClass } from '../kinds/pod.js';
import { compareQuantities, formatQuantity, quantityFromJSON, quantityMilliValue, quantityValue, type Quantity } from '../validation/quantity.js';
import { addQuantities, admissionName } from './quota.js';
import { dict, own } from '../own.js';
import type { Unstructured } from '../kinds/types.js';


export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

function containerItems(cluster: Cluster, namespace: string, type: string): Unstructured[] {
  const out: Unstructured[] = [];
  for (const lr of cluster.store.list('/limitranges', namespace) as Unstructured[]) for (const item of lr.spec?.limits ?? []) if (item.type === type) out.push(item);
  return out;
}

/** mergeContainerResources: fills what is missing and says what it filled. */
function mergeDefaults(c: Unstructured, item: Unstructured, prefix: string, notes: string[]): void {
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  const res = (c.resources ??= {});
  for (const [k, v] of Object.entries(item.default ?? {})) {
    if (own(res.limits, k) !== undefined) continue;
    res.limits = { ...(res.limits ?? {}), [k]: v };
    setLimits.push(k);
  }
  for (const [k, v] of Object.entries(item.defaultRequest ?? {})) {
    if (own(res.requests, k) !== undefined) continue;
    res.requests = { ...(res.requests ?? {}), [k]: v };
    setRequests.push(k);
  }
  if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${c.name}`);
}

export function limitRangerDefaults(cluster: Cluster) {
  return (req: AdmissionRequest): void => {
    if (req.operation !== 'CREATE' || req.def.group !== '' || req.def.plural !== 'pods') return;
    const pod = req.object as Unstructured;
    const items = containerItems(cluster, pod.metadata.namespace, 'Container');
    if (!items.length) return;
    const notes: string[] = [];
    for (const item of items) {
      for (const c of pod.spec?.containers ?? []) mergeDefaults(c, item, 'container', notes);
      for (const c of pod.spec?.initContainers ?? []) mergeDefaults(c, item, 'init container', notes);
    }
    if (!notes.length) return;
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
    // The QoS class follows the resources the pod ends up with.
    if (pod.status) pod.status.qosClass = qosClass(pod.spec);
  };
}

const q = (v: unknown): Quantity => quantityFromJSON(v);
const str = (v: unknown): string => formatQuantity(q(v));

function minConstraint(kind: string, r: string, enforced: unknown, requests: Unstructured, limits: Unstructured): string | undefined {
  if (requests[r] === undefined) return `minimum ${r} usage per ${kind} is ${str(enforced)}.  No request is specified`;
  if (compareQuantities(q(requests[r]), q(enforced)) < 0) return `minimum ${r} usage per ${kind} is ${str(enforced)}, but request is ${str(requests[r])}`;
  if (limits[r] !== undefined && compareQuantities(q(limits[r]), q(enforced)) < 0) return `minimum ${r} usage per ${kind} is ${str(enforced)}, but limit is ${str(limits[r])}`;
  return undefined;
}

function maxConstraint(kind: string, r: string, enforced: unknown, requests: Unstructured, limits: Unstructured): string | undefined {
  if (limits[r] === undefined) return `maximum ${r} usage per ${kind} is ${str(enforced)}.  No limit is specified`;
  if (compareQuantities(q(limits[r]), q(enforced)) > 0) return `maximum ${r} usage per ${kind} is ${str(enforced)}, but limit is ${str(limits[r])}`;
  if (requests[r] !== undefined && compareQuantities(q(requests[r]), q(enforced)) > 0) return `maximum ${r} usage per ${kind} is ${str(enforced)}, but request is ${str(requests[r])}`;
  return undefined;
}

function ratioConstraint(kind: string, r: string, enforced: unknown, requests: Unstructured, limits: Unstructured): string | undefined {
  const milli = r === 'cpu';
  const value = (v: unknown) => (milli ? quantityMilliValue(q(v)) : quantityValue(q(v)));
  const req = requests[r] === undefined ? 0 : value(requests[r]);
  const lim = limits[r] === undefined ? 0 : value(limits[r]);
  if (!req) return `${r} max limit to request ratio per ${kind} is ${str(enforced)}, but no request is specified or request is 0`;
  if (!lim) return `${r} max limit to request ratio per ${kind} is ${str(enforced)}, but no limit is specified or limit is 0`;
  const ratio = lim / req;
  if (ratio * 1000 > quantityMilliValue(q(enforced))) return `${r} max limit to request ratio per ${kind} is ${str(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function check(item: Unstructured, kind: string, requested: Unstructured, limited: Unstructured, errs: string[]): void {
  // The LimitRange names resources, the pod's maps are looked up by them: own members only.
  const requests = Object.assign(dict<unknown>(), requested);
  const limits = Object.assign(dict<unknown>(), limited);
  const push = (e: string | undefined) => e && errs.push(e);
  for (const [r, v] of Object.entries(item.min ?? {})) push(minConstraint(kind, r, v, requests, limits));
  for (const [r, v] of Object.entries(item.max ?? {})) push(maxConstraint(kind, r, v, requests, limits));
  for (const [r, v] of Object.entries(item.maxLimitRequestRatio ?? {})) push(ratioConstraint(kind, r, v, requests, limits));
}

function sumOver(containers: Unstructured[], which: 'requests' | 'limits'): Unstructured {
  const out = dict<Quantity>();
  for (const c of containers) for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) out[k] = addQuantities(out[k] ?? { unscaled: 0n, scale: 0, format: 'DecimalSI' }, q(v));
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, formatQuantity(v)]));
}

/** A claim's storage request against PersistentVolumeClaim limits (only requests count there). */
function checkClaim(cluster: Cluster, pvc: Unstructured): string[] {
  const errs: string[] = [];
  const requests = Object.assign(dict<unknown>(), pvc.spec?.resources?.requests);
  for (const item of containerItems(cluster, pvc.metadata.namespace, 'PersistentVolumeClaim')) {
    for (const [r, v] of Object.entries(item.min ?? {})) {
      if (requests[r] === undefined) errs.push(`minimum ${r} usage per PersistentVolumeClaim is ${str(v)}.  No request is specified`);
      else if (compareQuantities(q(requests[r]), q(v)) < 0) errs.push(`minimum ${r} usage per PersistentVolumeClaim is ${str(v)}, but request is ${str(requests[r])}`);
    }
    for (const [r, v] of Object.entries(item.max ?? {})) {
      if (requests[r] === undefined) errs.push(`maximum ${r} usage per PersistentVolumeClaim is ${str(v)}.  No request is specified`);
      else if (compareQuantities(q(requests[r]), q(v)) > 0) errs.push(`maximum ${r} usage per PersistentVolumeClaim is ${str(v)}, but request is ${str(requests[r])}`);
    }
  }
  return errs;
}

export function limitRangerValidation(cluster: Cluster) {
  return (req: AdmissionRequest): void => {
    if (req.operation !== 'CREATE' || req.def.group !== '') return;
    if (req.def.plural === 'persistentvolumeclaims') {
      const errs = checkClaim(cluster, req.object as Unstructured);
      if (errs.length) throw forbidden({ group: '', resource: 'persistentvolumeclaims' }, admissionName(req.object as Unstructured), errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
      return;
    }
    if (req.def.plural !== 'pods') return;
    const pod = req.object as Unstructured;
    const errs: string[] = [];
    const containers: Unstructured[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    for (const item of containerItems(cluster, pod.metadata.namespace, 'Container')) {
      for (const c of containers) check(item, 'Container', c.resources?.requests ?? {}, c.resources?.limits ?? {}, errs);
    }
    for (const item of containerItems(cluster, pod.metadata.namespace, 'Pod')) {
      check(item, 'Pod', sumOver(pod.spec?.containers ?? [], 'requests'), sumOver(pod.spec?.containers ?? [], 'limits'), errs);
    }
    if (!errs.length) return;
    throw forbidden({ group: '', resource: 'pods' }, admissionName(pod), errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  };
}
