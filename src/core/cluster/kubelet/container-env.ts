// What a container gets from its pod and namespace: its environment (service links, envFrom, env
// with $(VAR) references, the downward API), whether everything it refers to exists (a missing
// ConfigMap or key is CreateContainerConfigError; a missing volume source holds the whole pod),
// and its limits as numbers. Pure: the cluster's objects are read through `ObjectReader`.
import type { ConfigMap, Container, Node, ObjectFieldSelector, PersistentVolumeClaim, Pod, ResourceFieldSelector, Secret } from 'kubernetes-types/core/v1.js';
import type { KObject } from '../kinds/types.js';
import { serviceEnv, servicesForEnv } from '../network/env.js';
import { quantityFromJSON, quantityMilliValue, quantityValue } from '../validation/quantity.js';
import { dict, hasOwn, own } from '../own.js';
import { NODE_RESOURCES } from './node-status.js';

/** The cluster's objects as the kubelet reads them (the store answers this). */
export interface ObjectReader {
  get(resource: string, namespace: string | undefined, name: string): KObject | undefined;
  list(resource: string, namespace?: string): KObject[];
}

const configMap = (r: ObjectReader, ns: string, name: string) => r.get('/configmaps', ns, name) as ConfigMap | undefined;
const secret = (r: ObjectReader, ns: string, name: string) => r.get('/secrets', ns, name) as Secret | undefined;
const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const namespaceOf = (pod: Pod) => pod.metadata?.namespace ?? 'default';

/** The container's environment: service links, envFrom, then env (later entries win). */
export function environment(pod: Pod, spec: Container, podIP: string | undefined, r: ObjectReader): Record<string, string> {
  const ns = namespaceOf(pod);
  // Keyed by names the learner chose (`__proto__` is a valid variable name): no prototype.
  const env = dict<string>();
  env.HOSTNAME = pod.spec?.hostname ?? pod.metadata?.name ?? '';
  // The namespace's Services (unless links are off) and, always, the API server's own.
  const master = r.get('/services', 'default', 'kubernetes');
  const candidates = [...(master ? [master] : []), ...r.list('/services', ns)];
  Object.assign(env, serviceEnv(servicesForEnv(candidates, ns, pod.spec?.enableServiceLinks !== false)));
  for (const f of spec.envFrom ?? []) {
    const prefix = f.prefix ?? '';
    if (f.configMapRef?.name) for (const [k, v] of Object.entries(configMap(r, ns, f.configMapRef.name)?.data ?? {})) env[prefix + k] = v;
    if (f.secretRef?.name) for (const [k, v] of Object.entries(secret(r, ns, f.secretRef.name)?.data ?? {})) env[prefix + k] = decode(v);
  }
  // The node's allocatable stands for the limits a container does not set.
  const allocatable = (spec.env ?? []).some((e) => e.valueFrom?.resourceFieldRef) ? nodeAllocatable(r, pod.spec?.nodeName) : NODE_RESOURCES;
  for (const e of spec.env ?? []) {
    const from = e.valueFrom;
    if (e.value !== undefined) env[e.name] = String(e.value).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n: string) => own<string>(env, n) ?? m);
    else if (from?.configMapKeyRef) env[e.name] = own<string>(configMap(r, ns, from.configMapKeyRef.name ?? '')?.data, from.configMapKeyRef.key) ?? '';
    else if (from?.secretKeyRef) {
      const v = own<string>(secret(r, ns, from.secretKeyRef.name ?? '')?.data, from.secretKeyRef.key);
      env[e.name] = v === undefined ? '' : decode(v);
    } else if (from?.fieldRef) env[e.name] = fieldRef(pod, from.fieldRef, podIP);
    else if (from?.resourceFieldRef) env[e.name] = resourceFieldRef(pod, spec, from.resourceFieldRef, allocatable);
    else env[e.name] = '';
  }
  return env;
}

/** Why the container cannot be created yet, in the kubelet's words: a ConfigMap, Secret or key it needs is missing. */
export function configProblem(pod: Pod, spec: Container, r: ObjectReader): string | undefined {
  const ns = namespaceOf(pod);
  for (const e of spec.env ?? []) {
    const cm = e.valueFrom?.configMapKeyRef;
    if (cm && !cm.optional) {
      const obj = configMap(r, ns, cm.name ?? '');
      if (!obj) return `configmap "${cm.name}" not found`;
      if (!hasOwn(obj.data, cm.key) && !hasOwn(obj.binaryData, cm.key)) return `couldn't find key ${cm.key} in ConfigMap ${ns}/${cm.name}`;
    }
    const sk = e.valueFrom?.secretKeyRef;
    if (sk && !sk.optional) {
      const obj = secret(r, ns, sk.name ?? '');
      if (!obj) return `secret "${sk.name}" not found`;
      if (!hasOwn(obj.data, sk.key)) return `couldn't find key ${sk.key} in Secret ${ns}/${sk.name}`;
    }
  }
  for (const f of spec.envFrom ?? []) {
    if (f.configMapRef && !f.configMapRef.optional && !configMap(r, ns, f.configMapRef.name ?? '')) return `configmap "${f.configMapRef.name}" not found`;
    if (f.secretRef && !f.secretRef.optional && !secret(r, ns, f.secretRef.name ?? '')) return `secret "${f.secretRef.name}" not found`;
  }
  return undefined;
}

/**
 * A volume the pod cannot mount yet, if any: `event` is the FailedMount warning to give (an
 * unbound claim waits without one).
 */
export function missingVolume(pod: Pod, r: ObjectReader): { event?: string } | undefined {
  const ns = namespaceOf(pod);
  for (const v of pod.spec?.volumes ?? []) {
    if (v.configMap && !v.configMap.optional && !configMap(r, ns, v.configMap.name ?? '')) {
      return { event: `MountVolume.SetUp failed for volume "${v.name}" : configmap "${v.configMap.name}" not found` };
    }
    if (v.secret && !v.secret.optional && !secret(r, ns, v.secret.secretName ?? '')) {
      return { event: `MountVolume.SetUp failed for volume "${v.name}" : secret "${v.secret.secretName}" not found` };
    }
    if (v.persistentVolumeClaim) {
      const pvc = r.get('/persistentvolumeclaims', ns, v.persistentVolumeClaim.claimName) as PersistentVolumeClaim | undefined;
      if (pvc?.status?.phase !== 'Bound') return {};
    }
  }
  return undefined;
}

/** The downward API's fieldRef: what the kubelet knows of the pod when it starts a container. */
export function fieldRef(pod: Pod, ref: ObjectFieldSelector, podIP: string | undefined): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(ref.fieldPath);
  if (m) return own<string>(m[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations, m[2]) ?? '';
  switch (ref.fieldPath) {
    case 'metadata.name':
      return pod.metadata?.name ?? '';
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata?.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return podIP ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return pod.status?.hostIP ?? '';
    default:
      return '';
  }
}

/** The resources whose limit the kubelet fills in from the node's allocatable when the container sets none. */
const DEFAULTED_LIMITS = ['cpu', 'memory', 'ephemeral-storage'];

/** The node's allocatable resources, as the kubelet reads them for the downward API. */
export function nodeAllocatable(r: Pick<ObjectReader, 'get'>, nodeName: string | undefined): Record<string, string | number> {
  const node = nodeName ? (r.get('/nodes', undefined, nodeName) as Node | undefined) : undefined;
  return node?.status?.allocatable ?? NODE_RESOURCES;
}

/** A container of the pod by name, init containers included, as the downward API looks one up. */
export function containerNamed(pod: Pod, name: string): Container | undefined {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);
}

/**
 * The downward API's resourceFieldRef: a request or limit in units of the divisor (1 when unset or
 * zero), rounded up; CPU counted in millicores, the rest in bytes. A limit the container does not
 * set (or sets to zero) is the node's allocatable; a request it does not set is 0. Undefined for a
 * resource the downward API does not expose or a quantity that does not parse.
 */
export function resourceFieldValue(container: Container | undefined, ref: ResourceFieldSelector, allocatable: Record<string, string | number>): string | undefined {
  const dot = ref.resource.indexOf('.');
  const which = ref.resource.slice(0, dot);
  const res = ref.resource.slice(dot + 1);
  if (dot < 0 || (which !== 'limits' && which !== 'requests')) return undefined;
  if (!DEFAULTED_LIMITS.includes(res) && !res.startsWith('hugepages-')) return undefined;
  try {
    let q = own<string | number>(which === 'limits' ? container?.resources?.limits : container?.resources?.requests, res) ?? 0;
    if (which === 'limits' && DEFAULTED_LIMITS.includes(res) && quantityMilliValue(quantityFromJSON(q)) === 0) q = own<string | number>(allocatable, res) ?? 0;
    const divisor = ref.divisor === undefined || quantityMilliValue(quantityFromJSON(ref.divisor)) === 0 ? '1' : ref.divisor;
    const value = res === 'cpu' ? quantityMilliValue : quantityValue;
    return String(Math.ceil(value(quantityFromJSON(q)) / value(quantityFromJSON(divisor))));
  } catch {
    return undefined;
  }
}

/** resourceFieldRef in a container's env: its own resources unless it names another container. */
export function resourceFieldRef(pod: Pod, spec: Container, ref: ResourceFieldSelector, allocatable: Record<string, string | number> = NODE_RESOURCES): string {
  const container = ref.containerName ? containerNamed(pod, ref.containerName) : spec;
  return resourceFieldValue(container, ref, allocatable) ?? '';
}

/** The container's memory limit in bytes, if it has one. */
export function memoryLimit(spec: Container): number | undefined {
  return parsed(spec.resources?.limits?.memory, quantityValue);
}

/** The container's CPU limit in nanocores, if it has one. */
export function cpuLimitNanos(spec: Container): number | undefined {
  const milli = parsed(spec.resources?.limits?.cpu, quantityMilliValue);
  return milli === undefined ? undefined : milli * 1_000_000;
}

function parsed(q: string | number | undefined, value: (q: ReturnType<typeof quantityFromJSON>) => number): number | undefined {
  if (q === undefined) return undefined;
  try {
    return value(quantityFromJSON(q));
  } catch {
    return undefined;
  }
}
