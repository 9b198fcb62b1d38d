// HorizontalPodAutoscaler: every 15 s of cluster time, read the target's pods' CPU and memory
// from the metrics API (what the kubelets measure), compute desired = ceil(current * usage/target)
// outside a 10% tolerance, bound it by min/max and the scale-up rate, hold scale-downs for the
// stabilisation window (the highest recommendation of the last 5 minutes), and write the new size
// to the target (pkg/controller/podautoscaler: horizontal.go, replica_calculator.go).
import { rfc3339 } from '../clock.js';
import type { Cluster } from '../cluster.js';
import { storageKey } from '../cluster.js';
import type { Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerStatus, MetricStatus, MetricTarget } from 'kubernetes-types/autoscaling/v2.js';
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Stored } from '../kinds/types.js';
import { selectorFromLabelSelector, selectorFromMap, type LabelSelectorMatcher } from '../selectors.js';
import type { Controller, ControllerContext } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import { isPodReady, kind, mutate, sameJson, writeStatus } from './util.js';

/** What a scale target is read for: replicas, a selector (a LabelSelector or a map), the template's labels. */
type Scalable = Stored<Deployment> | Stored<ReplicaSet> | Stored<StatefulSet> | Stored<ReplicationController>;

/** metrics.k8s.io PodMetrics, which kubernetes-types does not declare: usage per container. */
interface PodMetrics {
  containers?: Array<{ name?: string; usage?: Record<string, string> }>;
}

const HPAS = 'autoscaling/horizontalpodautoscalers';
const SOURCE = { component: 'horizontal-pod-autoscaler' };
export const SYNC_PERIOD_MS = 15_000;
export const TOLERANCE = 0.1;
export const DOWNSCALE_STABILISATION_MS = 300_000;

// ---------------------------------------------------------------- pure helpers

/** A Kubernetes quantity in base units (cores, bytes): `250m` → 0.25, `64Mi` → 67108864. */
export function parseQuantity(q: unknown): number {
  const m = /^([+-]?\d*\.?\d+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(String(q ?? '').trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const mult: Record<string, number> = { '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  return n * (mult[m[2]] ?? 1);
}

export interface PodSample {
  name: string;
  ready: boolean;
  /** Usage in base units, undefined when the metrics API has none for the pod (not running yet). */
  usage?: number;
  /** Sum of the containers' requests; undefined when a container has none. */
  request?: number;
  /** The container without a request, for the error message. */
  missingRequestIn?: string;
}

export type Recommendation =
  | { ok: true; replicas: number; utilization: number; averageValue: number }
  | { ok: false; reason: string; message: string };

/**
 * GetResourceReplicas: the replica count that brings average utilisation to `target` percent.
 * Pods without metrics, and unready ones, are counted pessimistically so that they never cause a
 * scale in the direction they would exaggerate.
 */
export function resourceReplicas(current: number, target: number, pods: PodSample[], resource: string): Recommendation {
  if (!pods.length) return { ok: false, reason: 'FailedGetResourceMetric', message: `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API` };
  for (const p of pods) {
    if (p.request === undefined) return { ok: false, reason: 'FailedGetResourceMetric', message: `failed to get ${resource} utilization: missing request for ${resource} in container ${p.missingRequestIn} of Pod ${p.name}` };
  }
  const measured = pods.filter((p) => p.ready && p.usage !== undefined);
  const pending = pods.filter((p) => !(p.ready && p.usage !== undefined));
  if (!measured.length) return { ok: false, reason: 'FailedGetResourceMetric', message: `failed to get ${resource} utilization: did not receive metrics for targeted pods (pods might be unready)` };
  const usage = measured.reduce((n, p) => n + p.usage!, 0);
  const requests = measured.reduce((n, p) => n + p.request!, 0);
  const utilization = requests > 0 ? Math.trunc((usage * 100) / requests) : 0;
  const averageValue = usage / measured.length;
  const ratio = requests > 0 ? (usage * 100) / requests / target : 0;
  if (!pending.length) {
    if (Math.abs(ratio - 1) <= TOLERANCE) return { ok: true, replicas: current, utilization, averageValue };
    return { ok: true, replicas: Math.ceil(ratio * measured.length), utilization, averageValue };
  }
  // Scaling down, pods without metrics count as using exactly the target; scaling up, nothing.
  let u = usage;
  let r = requests;
  for (const p of pending) {
    r += p.request!;
    if (ratio < 1) u += (p.request! * target) / 100;
  }
  const newRatio = (u * 100) / r / target;
  if (Math.abs(newRatio - 1) <= TOLERANCE || (ratio > 1) !== (newRatio > 1)) return { ok: true, replicas: current, utilization, averageValue };
  return { ok: true, replicas: Math.ceil(newRatio * pods.length), utilization, averageValue };
}

interface Rules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: string;
  policies?: Array<{ type: string; value: number; periodSeconds: number }>;
}

/** How far one step may go up: the default behaviour allows doubling, or 4 pods, per 15 s. */
export function scaleUpLimit(current: number, rules: Rules | undefined): number {
  const policies = rules?.policies ?? [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ];
  if (rules?.selectPolicy === 'Disabled') return current;
  const limits = policies.map((p) => (p.type === 'Pods' ? current + p.value : Math.ceil(current * (1 + p.value / 100))));
  return rules?.selectPolicy === 'Min' ? Math.min(...limits) : Math.max(...limits);
}

// ---------------------------------------------------------------- per-cluster memory

/** The controller keeps its recent recommendations in memory, as the real one does. */
const recommendations = new WeakMap<Cluster, Map<string, Array<{ at: number; replicas: number }>>>();

function history(cluster: Cluster, uid: string): Array<{ at: number; replicas: number }> {
  let m = recommendations.get(cluster);
  if (!m) recommendations.set(cluster, (m = new Map()));
  let list = m.get(uid);
  if (!list) m.set(uid, (list = []));
  return list;
}

// ---------------------------------------------------------------- the controller

export const hpaController: Controller = {
  name: 'horizontal-pod-autoscaler',
  watches: [
    {
      resource: HPAS,
      // Its own status writes must not make it sync early: only a new or changed spec does.
      keys: (e) => (e.type === 'DELETED' || (e.previous && sameJson(e.previous.spec, e.object.spec)) ? [] : [keyOf(e.object)]),
    },
  ],
  initialKeys: (ctx) => ctx.cluster.store.list(HPAS).map(keyOf),
  reconcile(key, ctx) {
    const [ns, name] = splitKey(key);
    const hpa = ctx.cluster.store.get(HPAS, ns, name);
    if (!hpa || hpa.metadata.deletionTimestamp) {
      return;
    }
    ctx.requeueAfter(key, SYNC_PERIOD_MS);
    syncHPA(hpa, ctx);
  },
};

function targetOf(cluster: Cluster, ref: Partial<CrossVersionObjectReference>, namespace: string): { def: ReturnType<typeof kind>; object?: Scalable } | undefined {
  const group = String(ref?.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/')[0] : '';
  const def = cluster.kinds.byKind(group, ref?.kind ?? '');
  if (!def) return undefined;
  // Validation requires the reference's name.
  return { def, object: cluster.store.get(storageKey(def), namespace, ref.name!) };
}

/** A ReplicationController's selector is a map of labels; the other kinds' a LabelSelector. */
const isLabelSelector = (sel: LabelSelector | Record<string, string>): sel is LabelSelector => !!(sel.matchLabels || sel.matchExpressions);

function selectorOf(target: Scalable): LabelSelectorMatcher {
  const sel = target.spec?.selector;
  if (sel && isLabelSelector(sel)) return selectorFromLabelSelector(sel);
  return selectorFromMap(sel ?? target.spec?.template?.metadata?.labels);
}

/** What the metrics API and the pods' specs say about each pod the target selects. */
function samples(cluster: Cluster, namespace: string, selector: LabelSelectorMatcher, resource: string): PodSample[] {
  const metrics = new Map((cluster.computed.get('metrics.k8s.io/pods')?.(namespace) ?? []).map((m: Stored<PodMetrics>) => [m.metadata.name!, m]));
  const out: PodSample[] = [];
  const pods: Stored<Pod>[] = cluster.store.list('/pods', namespace);
  for (const pod of pods) {
    if (!selector.matches(pod.metadata.labels) || pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') continue;
    let request: number | undefined = 0;
    let missingRequestIn: string | undefined;
    for (const c of pod.spec?.containers ?? []) {
      const r = c.resources?.requests?.[resource];
      if (r === undefined) {
        request = undefined;
        missingRequestIn = c.name;
        break;
      }
      request += parseQuantity(r);
    }
    const m = metrics.get(pod.metadata.name!);
    const usage = m ? (m.containers ?? []).reduce((n, c) => n + parseQuantity(c.usage?.[resource]), 0) : undefined;
    out.push({ name: pod.metadata.name!, ready: isPodReady(pod), usage, request, missingRequestIn });
  }
  return out;
}

const describeMetric = (resource: string) => `${resource} resource utilization (percentage of request)`;

function syncHPA(hpa: Stored<HorizontalPodAutoscaler>, ctx: ControllerContext): void {
  const { cluster } = ctx;
  const hpaDef = kind(cluster, 'autoscaling', 'horizontalpodautoscalers');
  const on = { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', object: hpa };
  const now = ctx.now();
  const nowText = rfc3339(now);
  const ns = hpa.metadata.namespace!;
  const ref: Partial<CrossVersionObjectReference> = hpa.spec?.scaleTargetRef ?? {};
  const status: Partial<HorizontalPodAutoscalerStatus> = { ...(hpa.status ?? {}) };
  let conditions: HorizontalPodAutoscalerCondition[] = status.conditions ?? [];
  const setCond = (type: string, st: string, reason: string, message: string) => {
    const old = conditions.find((c) => c.type === type);
    const next = { type, status: st, lastTransitionTime: old && old.status === st ? old.lastTransitionTime : nowText, reason, message };
    conditions = old ? conditions.map((c) => (c.type === type ? next : c)) : [...conditions, next];
  };
  const finish = () => {
    const order = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];
    status.conditions = [...conditions].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
    const current = cluster.store.get(HPAS, ns, hpa.metadata.name!);
    if (current) writeStatus(cluster, hpaDef, current, status);
  };

  const target = targetOf(cluster, ref, ns);
  const resourceName = target ? `${target.def.plural}/scale${target.def.group ? `.${target.def.group}` : ''}` : `${String(ref.kind ?? '').toLowerCase()}s/scale`;
  if (!target?.object) {
    const message = `the HPA controller was unable to get the target's current scale: ${resourceName} "${ref.name}" not found`;
    setCond('AbleToScale', 'False', 'FailedGetScale', message);
    ctx.events.record(SOURCE, on, 'Warning', 'FailedGetScale', `${resourceName} "${ref.name}" not found`);
    finish();
    return;
  }
  const t = target.object;
  const currentReplicas: number = t.spec?.replicas ?? 1;
  status.currentReplicas = t.status?.replicas ?? 0;
  const minReplicas: number = hpa.spec?.minReplicas ?? 1;
  const maxReplicas: number = hpa.spec?.maxReplicas ?? 1;

  // Scaling to zero by hand switches the autoscaler off (ScalingDisabled).
  if (currentReplicas === 0 && minReplicas !== 0) {
    setCond('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    status.desiredReplicas = 0;
    finish();
    return;
  }

  const selector = selectorOf(t);
  let proposal = 0;
  let proposalMetric = '';
  const currentMetrics: MetricStatus[] = [];
  let failure: { reason: string; message: string } | undefined;
  for (const metric of hpa.spec?.metrics ?? []) {
    if (metric.type !== 'Resource' || !metric.resource) {
      currentMetrics.push({ type: '' });
      continue;
    }
    const name: string = metric.resource.name;
    const targetSpec: Partial<MetricTarget> = metric.resource.target ?? {};
    const pods = samples(cluster, ns, selector, name);
    if (targetSpec.type === 'AverageValue') {
      const measured = pods.filter((p) => p.usage !== undefined);
      if (!measured.length) {
        failure ??= { reason: 'FailedGetResourceMetric', message: `failed to get ${name} usage: did not receive metrics for targeted pods (pods might be unready)` };
        currentMetrics.push({ type: '' });
        continue;
      }
      const avg = measured.reduce((n, p) => n + p.usage!, 0) / measured.length;
      const ratio = avg / parseQuantity(targetSpec.averageValue);
      const replicas = Math.abs(ratio - 1) <= TOLERANCE ? currentReplicas : Math.ceil(ratio * measured.length);
      currentMetrics.push({ type: 'Resource', resource: { name, current: { averageValue: quantityOf(name, avg) } } });
      if (replicas > proposal) [proposal, proposalMetric] = [replicas, `${name} resource`];
      continue;
    }
    const r = resourceReplicas(currentReplicas, targetSpec.averageUtilization ?? 80, pods, name);
    if (!r.ok) {
      failure ??= { reason: r.reason, message: r.message };
      currentMetrics.push({ type: '' });
      continue;
    }
    currentMetrics.push({ type: 'Resource', resource: { name, current: { averageUtilization: r.utilization, averageValue: quantityOf(name, r.averageValue) } } });
    if (r.replicas > proposal) [proposal, proposalMetric] = [r.replicas, describeMetric(name)];
  }
  status.currentMetrics = currentMetrics;

  if (failure && !proposalMetric) {
    // No metric could be read: say why, and leave the size alone.
    ctx.events.record(SOURCE, on, 'Warning', failure.reason, failure.message);
    ctx.events.record(SOURCE, on, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${currentMetrics.length} invalid out of ${currentMetrics.length}), first error is: failed to get ${failure.message.includes('memory') ? 'memory' : 'cpu'} resource metric value: ${failure.message}`);
    setCond('AbleToScale', 'True', 'SucceededGetScale', 'the HPA controller was able to get the target\'s current scale');
    setCond('ScalingActive', 'False', failure.reason, `the HPA was unable to compute the replica count: ${failure.message}`);
    status.desiredReplicas = status.desiredReplicas ?? currentReplicas;
    finish();
    return;
  }
  setCond('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${proposalMetric}`);

  // Scale-downs follow the highest recommendation of the stabilisation window.
  const recent = history(cluster, hpa.metadata.uid!);
  const windowMs = (hpa.spec?.behavior?.scaleDown?.stabilizationWindowSeconds ?? DOWNSCALE_STABILISATION_MS / 1000) * 1000;
  recent.push({ at: now.getTime(), replicas: proposal });
  while (recent.length && recent[0].at < now.getTime() - Math.max(windowMs, 0)) recent.shift();
  let desired = proposal;
  let stabilised = false;
  if (proposal < currentReplicas) {
    const highest = Math.max(...recent.map((x) => x.replicas));
    if (highest > proposal) {
      desired = Math.min(currentReplicas, highest);
      stabilised = desired !== proposal;
    }
  }
  const upLimit = scaleUpLimit(currentReplicas, hpa.spec?.behavior?.scaleUp);
  let limited: [string, string] | undefined;
  if (desired > maxReplicas) {
    desired = maxReplicas;
    limited = ['TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
  } else if (desired < minReplicas) {
    desired = minReplicas;
    limited = ['TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
  }
  if (desired > upLimit) {
    desired = upLimit;
    limited = ['ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'];
  }
  if (limited) setCond('ScalingLimited', 'True', limited[0], limited[1]);
  else setCond('ScalingLimited', 'False', 'DesiredWithinRange', 'the desired count is within the acceptable range');

  if (desired !== currentReplicas) {
    mutate(cluster, target.def, t, (o) => (o.spec!.replicas = desired));
    const reason = desired > currentReplicas ? `${proposalMetric} above target` : 'All metrics below target';
    ctx.events.record(SOURCE, on, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
    setCond('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
    status.lastScaleTime = nowText;
  } else if (stabilised) {
    setCond('AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
  } else {
    setCond('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  }
  status.desiredReplicas = desired;
  finish();
}

/** A usage as metrics-server prints it: millicores for CPU, whole bytes (Ki-rounded) for memory. */
function quantityOf(resource: string, v: number): string {
  if (resource === 'cpu') return `${Math.round(v * 1000)}m`;
  return String(Math.round(v));
}
