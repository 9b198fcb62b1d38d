// Reading pods as a learner's mistakes show in them: container states, the controller that owns a
// pod, the pods a check or the last command is about.
import type { KubeObject } from '../../kube/client.js';
import { checkRef, commandRef, equalitySelector, getObject, lessonPods, nameOf, namespaceOfObject } from './focus.js';
import type { DiagnoseContext } from './types.js';
import { isJsonObject, own } from '../../own.js';

export interface ContainerState {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number }; running?: unknown };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
}

export interface ContainerSpec {
  name: string;
  image?: string;
  ports?: Array<{ containerPort?: number; name?: string }>;
  env?: Array<{ name: string; valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } } }>;
  resources?: { requests?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

export interface Probe {
  httpGet?: { port?: number | string; path?: string };
  tcpSocket?: { port?: number | string };
  grpc?: { port?: number };
}

export interface PodSpec {
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  nodeSelector?: Record<string, string>;
}

export function podSpec(o: KubeObject): PodSpec {
  return (o.spec ?? {}) as PodSpec;
}

export function containerStates(pod: KubeObject): ContainerState[] {
  const s = (pod.status ?? {}) as { containerStatuses?: ContainerState[]; initContainerStatuses?: ContainerState[] };
  return [...(s.initContainerStatuses ?? []), ...(s.containerStatuses ?? [])];
}

export function containersOf(pod: KubeObject): ContainerSpec[] {
  const spec = podSpec(pod);
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

interface OwnerRef {
  kind: string;
  name: string;
  controller?: boolean;
}

function controllerRef(o: KubeObject): OwnerRef | undefined {
  return (o.metadata?.ownerReferences as OwnerRef[] | undefined)?.find((r) => r.controller);
}

/** The object a learner should change for this pod: its Deployment (through its ReplicaSet), its Job, its StatefulSet… or undefined for a bare pod. */
export async function topController(ctx: DiagnoseContext, pod: KubeObject): Promise<{ kind: string; name: string } | undefined> {
  const ns = namespaceOfObject(pod);
  let ref = controllerRef(pod);
  if (!ref) return undefined;
  for (let depth = 0; depth < 3; depth++) {
    if (ref.kind !== 'ReplicaSet' && ref.kind !== 'Job') return { kind: ref.kind, name: ref.name };
    const owner = await getObject(ctx, ref.kind === 'ReplicaSet' ? 'replicasets' : 'jobs', ref.name, ns);
    const up = owner && controllerRef(owner);
    if (!up) return { kind: ref.kind, name: ref.name };
    ref = up;
  }
  return { kind: ref.kind, name: ref.name };
}

/** `deployment/web`, or `pod/web` for a bare pod: what `kubectl set …` takes. */
export async function whatToChange(ctx: DiagnoseContext, pod: KubeObject): Promise<string> {
  const top = await topController(ctx, pod);
  return top ? `${top.kind.toLowerCase()}/${top.name}` : `pod/${nameOf(pod)}`;
}

/**
 * How to change a pod's spec: in its workload's template (`deployment/web`), or, for a bare pod
 * whose containers' env, probes and ports cannot change in place, by replacing it.
 */
export function changeSpec(target: string, ns: string, change: string): string {
  if (!target.startsWith('pod/')) return `kubectl edit ${target.replace('/', ' ')} -n ${ns} (${change})`;
  return `in the pod's manifest write ${change}, then kubectl replace --force -f FILE -n ${ns} (a pod's containers cannot change in place)`;
}

/**
 * The pods a diagnosis looks at: those the check or the last command names (a named pod, the
 * pods of a named workload by name prefix, those a selector picks), or every pod of the lesson
 * when they name none of them. A pod the learner is not asking about is not their mistake now.
 */
export async function podsInFocus(ctx: DiagnoseContext): Promise<KubeObject[]> {
  const pods = await lessonPods(ctx);
  const refs = [checkRef(ctx), commandRef(ctx)].filter((r): r is NonNullable<typeof r> => !!r);
  // A named Service or workload picks its pods by its selector.
  const selectors: Array<{ namespace: string; labels: Record<string, string> }> = [];
  for (const r of refs) {
    if (!r.name) continue;
    const obj = await getObject(ctx, r.kind, r.name, r.namespace).catch(() => undefined);
    const sel = (obj?.spec as { selector?: Record<string, unknown> } | undefined)?.selector;
    const labels = (sel && isJsonObject(sel.matchLabels) ? sel.matchLabels : sel) as Record<string, string> | undefined;
    if (labels && Object.keys(labels).length && Object.values(labels).every((v) => typeof v === 'string')) selectors.push({ namespace: r.namespace, labels });
  }
  const named = (p: KubeObject) =>
    selectors.some((s) => s.namespace === namespaceOfObject(p) && Object.entries(s.labels).every(([k, v]) => own(p.metadata?.labels ?? {}, k) === v)) ||
    refs.some((r) => {
      if (r.namespace !== namespaceOfObject(p)) return false;
      const name = nameOf(p);
      if (r.name && (name === r.name || name.startsWith(`${r.name}-`))) return true;
      const pairs = 'selector' in r && typeof r.selector === 'string' ? equalitySelector(r.selector) : undefined;
      return !!pairs?.length && pairs.every(([k, v]) => own(p.metadata?.labels ?? {}, k) === v);
    });
  const focused = pods.filter(named);
  if (focused.length) return focused;
  // A check about a ConfigMap or a Role is not about whatever pod happens to be unwell.
  for (const r of refs) {
    const kind = await ctx.client.resolve(r.kind).then((x) => x.kind, () => '');
    if (!POD_BEARING.has(kind)) return [];
  }
  return pods;
}

const POD_BEARING = new Set(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service', 'Endpoints', 'EndpointSlice', 'ReplicationController']);
