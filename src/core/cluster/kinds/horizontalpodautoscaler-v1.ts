// HorizontalPodAutoscaler autoscaling/v1: a second view of the stored autoscaling/v2 objects (old
// kubectl `autoscale` posts v1), converted as the apiserver converts them: v1 carries only a CPU
// target and keeps every other metric, the behavior and the status conditions in
// `autoscaling.alpha.kubernetes.io/*` annotations.
import type { KindDef, KObject, Unstructured } from './types.js';
import {
  HPA_RESOURCE,
  DEFAULT_CPU_UTILIZATION,
  defaultHPA,
  isSet,
  rowOfV2,
  specOf,
  statusOf,
  validateHPASpec,
  type HPASpec,
  type HPAStatus,
  type MetricSpec,
  type MetricStatus,
  type MetricTarget,
  type MetricValueStatus,
  type ScalingRules,
} from './horizontalpodautoscaler.js';

const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP_ANNOTATIONS = [METRICS_ANNOTATION, CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];

type V1Metric = Record<string, Record<string, unknown> | string | undefined>;

/** A v2 metric as autoscaling/v1's MetricSpec (the v2beta1 shape) writes it. */
function metricToV1(m: MetricSpec): V1Metric {
  const out: V1Metric = { type: m.type };
  if (m.object) {
    out.object = {
      target: m.object.describedObject,
      metricName: m.object.metric?.name,
      targetValue: m.object.target?.value ?? '0',
      ...(isSet(m.object.metric?.selector) ? { selector: m.object.metric?.selector } : {}),
      ...(isSet(m.object.target?.averageValue) ? { averageValue: m.object.target.averageValue } : {}),
    };
  }
  if (m.pods) {
    out.pods = {
      metricName: m.pods.metric?.name,
      targetAverageValue: m.pods.target?.averageValue ?? '0',
      ...(isSet(m.pods.metric?.selector) ? { selector: m.pods.metric?.selector } : {}),
    };
  }
  if (m.resource) {
    out.resource = {
      name: m.resource.name,
      ...(isSet(m.resource.target?.averageUtilization) ? { targetAverageUtilization: m.resource.target.averageUtilization } : {}),
      ...(isSet(m.resource.target?.averageValue) ? { targetAverageValue: m.resource.target.averageValue } : {}),
    };
  }
  if (m.containerResource) {
    out.containerResource = {
      name: m.containerResource.name,
      ...(isSet(m.containerResource.target?.averageUtilization) ? { targetAverageUtilization: m.containerResource.target.averageUtilization } : {}),
      ...(isSet(m.containerResource.target?.averageValue) ? { targetAverageValue: m.containerResource.target.averageValue } : {}),
      container: m.containerResource.container,
    };
  }
  if (m.external) {
    out.external = {
      metricName: m.external.metric?.name,
      ...(isSet(m.external.metric?.selector) ? { metricSelector: m.external.metric?.selector } : {}),
      ...(isSet(m.external.target?.value) ? { targetValue: m.external.target.value } : {}),
      ...(isSet(m.external.target?.averageValue) ? { targetAverageValue: m.external.target.averageValue } : {}),
    };
  }
  return out;
}

function metricFromV1(m: Unstructured): MetricSpec {
  const out: MetricSpec = { type: m.type };
  if (m.object) {
    out.object = {
      describedObject: m.object.target,
      metric: { name: m.object.metricName, ...(m.object.selector ? { selector: m.object.selector } : {}) },
      target: isSet(m.object.averageValue) ? { type: 'AverageValue', averageValue: m.object.averageValue } : { type: 'Value', value: m.object.targetValue },
    };
  }
  if (m.pods) {
    out.pods = {
      metric: { name: m.pods.metricName, ...(m.pods.selector ? { selector: m.pods.selector } : {}) },
      target: { type: 'AverageValue', averageValue: m.pods.targetAverageValue },
    };
  }
  for (const key of ['resource', 'containerResource'] as const) {
    const src = m[key];
    if (!src) continue;
    const target: MetricTarget = isSet(src.targetAverageUtilization)
      ? { type: 'Utilization', averageUtilization: src.targetAverageUtilization }
      : { type: 'AverageValue', averageValue: src.targetAverageValue };
    out[key] = key === 'resource' ? { name: src.name, target } : { name: src.name, target, container: src.container };
  }
  if (m.external) {
    out.external = {
      metric: { name: m.external.metricName, ...(m.external.metricSelector ? { selector: m.external.metricSelector } : {}) },
      target: isSet(m.external.targetAverageValue) ? { type: 'AverageValue', averageValue: m.external.targetAverageValue } : { type: 'Value', value: m.external.targetValue },
    };
  }
  return out;
}

function statusMetricToV1(m: MetricStatus): V1Metric {
  const out: V1Metric = { type: m.type };
  if (m.object) {
    out.object = {
      target: m.object.describedObject, metricName: m.object.metric?.name, currentValue: m.object.current?.value ?? '0',
      ...(isSet(m.object.metric?.selector) ? { selector: m.object.metric?.selector } : {}),
      ...(isSet(m.object.current?.averageValue) ? { averageValue: m.object.current.averageValue } : {}),
    };
  }
  if (m.pods) {
    out.pods = { metricName: m.pods.metric?.name, currentAverageValue: m.pods.current?.averageValue ?? '0', ...(isSet(m.pods.metric?.selector) ? { selector: m.pods.metric?.selector } : {}) };
  }
  if (m.resource) {
    out.resource = {
      name: m.resource.name,
      ...(isSet(m.resource.current?.averageUtilization) ? { currentAverageUtilization: m.resource.current.averageUtilization } : {}),
      currentAverageValue: m.resource.current?.averageValue ?? '0',
    };
  }
  if (m.containerResource) {
    out.containerResource = {
      name: m.containerResource.name,
      ...(isSet(m.containerResource.current?.averageUtilization) ? { currentAverageUtilization: m.containerResource.current.averageUtilization } : {}),
      currentAverageValue: m.containerResource.current?.averageValue ?? '0',
      container: m.containerResource.container,
    };
  }
  if (m.external) {
    out.external = {
      metricName: m.external.metric?.name, currentValue: m.external.current?.value ?? '0',
      ...(isSet(m.external.metric?.selector) ? { metricSelector: m.external.metric?.selector } : {}),
      ...(isSet(m.external.current?.averageValue) ? { currentAverageValue: m.external.current.averageValue } : {}),
    };
  }
  return out;
}

function statusMetricFromV1(m: Unstructured): MetricStatus {
  const out: MetricStatus = { type: m.type };
  if (m.object) {
    out.object = {
      describedObject: m.object.target, metric: { name: m.object.metricName, ...(m.object.selector ? { selector: m.object.selector } : {}) },
      current: { value: m.object.currentValue, ...(isSet(m.object.averageValue) ? { averageValue: m.object.averageValue } : {}) },
    };
  }
  if (m.pods) out.pods = { metric: { name: m.pods.metricName }, current: { averageValue: m.pods.currentAverageValue } };
  for (const key of ['resource', 'containerResource'] as const) {
    const src = m[key];
    if (!src) continue;
    const current: MetricValueStatus = { averageValue: src.currentAverageValue, ...(isSet(src.currentAverageUtilization) ? { averageUtilization: src.currentAverageUtilization } : {}) };
    out[key] = key === 'resource' ? { name: src.name, current } : { name: src.name, current, container: src.container };
  }
  if (m.external) {
    out.external = {
      metric: { name: m.external.metricName, ...(m.external.metricSelector ? { selector: m.external.metricSelector } : {}) },
      current: { value: m.external.currentValue, ...(isSet(m.external.currentAverageValue) ? { averageValue: m.external.currentAverageValue } : {}) },
    };
  }
  return out;
}

/** The internal (Go field names, no json tags) encoding the behavior annotation has always used. */
function behaviorToAnnotation(b: NonNullable<HPASpec['behavior']>): string {
  const rules = (r: ScalingRules | null | undefined) =>
    r
      ? {
          StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
          SelectPolicy: r.selectPolicy ?? null,
          Policies: (r.policies ?? []).map((p) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })),
          Tolerance: r.tolerance ?? null,
        }
      : null;
  return JSON.stringify({ ScaleUp: rules(b.scaleUp), ScaleDown: rules(b.scaleDown) });
}

function behaviorFromAnnotation(text: string): HPASpec['behavior'] | undefined {
  try {
    const raw = JSON.parse(text) as Unstructured;
    const rules = (r: any): ScalingRules | null =>
      r
        ? {
            ...(isSet(r.StabilizationWindowSeconds) ? { stabilizationWindowSeconds: r.StabilizationWindowSeconds } : {}),
            ...(isSet(r.SelectPolicy) ? { selectPolicy: r.SelectPolicy } : {}),
            policies: (r.Policies ?? []).map((p: any) => ({ type: p.Type, value: p.Value, periodSeconds: p.PeriodSeconds })),
          }
        : null;
    return { scaleUp: rules(raw.ScaleUp), scaleDown: rules(raw.ScaleDown) };
  } catch {
    return undefined;
  }
}

function parseJSONList(text: string | undefined): Unstructured[] | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** autoscaling/v1 → the stored autoscaling/v2 form (Convert_v1_HorizontalPodAutoscaler_To_autoscaling_...). */
export function hpaV1ToV2(v1: KObject): KObject {
  const annotations = { ...(v1.metadata.annotations ?? {}) };
  const spec = (v1.spec ?? {}) as Unstructured;
  const status = v1.status as Unstructured | undefined;
  let metrics: MetricSpec[] = [];
  const other = parseJSONList(annotations[METRICS_ANNOTATION]);
  if (other) metrics = other.map(metricFromV1);
  if (isSet(spec.targetCPUUtilizationPercentage)) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  // v1 used to leave the CPU target to the controller; the conversion makes it explicit.
  if (metrics.length === 0) {
    metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  const v2spec: HPASpec = {
    ...(spec.scaleTargetRef !== undefined ? { scaleTargetRef: spec.scaleTargetRef } : {}),
    ...(isSet(spec.minReplicas) ? { minReplicas: spec.minReplicas } : {}),
    maxReplicas: spec.maxReplicas ?? 0,
    metrics,
  };
  const behavior = annotations[BEHAVIOR_ANNOTATION] !== undefined ? behaviorFromAnnotation(annotations[BEHAVIOR_ANNOTATION]) : undefined;
  if (behavior) v2spec.behavior = behavior;
  let v2status: HPAStatus | undefined;
  if (status) {
    v2status = {
      ...(isSet(status.observedGeneration) ? { observedGeneration: status.observedGeneration } : {}),
      ...(isSet(status.lastScaleTime) ? { lastScaleTime: status.lastScaleTime } : {}),
      ...(status.currentReplicas ? { currentReplicas: status.currentReplicas } : {}),
      desiredReplicas: status.desiredReplicas ?? 0,
    };
    const current = parseJSONList(annotations[CURRENT_METRICS_ANNOTATION]);
    if (current) v2status.currentMetrics = current.map(statusMetricFromV1);
    else if (isSet(status.currentCPUUtilizationPercentage)) {
      v2status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
    }
    const conditions = parseJSONList(annotations[CONDITIONS_ANNOTATION]);
    if (conditions) v2status.conditions = conditions;
  }
  for (const key of ROUND_TRIP_ANNOTATIONS) delete annotations[key];
  const metadata: KObject["metadata"] = { ...v1.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete metadata.annotations;
  const out: KObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: v2spec };
  if (v2status) out.status = v2status;
  defaultHPA(out);
  return out;
}

/** The stored autoscaling/v2 form → autoscaling/v1 (Convert_autoscaling_HorizontalPodAutoscaler_To_v1_...). */
export function hpaV2ToV1(v2: KObject): KObject {
  const spec = specOf(v2);
  const status = v2.status === undefined ? undefined : statusOf(v2);
  const annotations = { ...(v2.metadata.annotations ?? {}) };
  let targetCPU: number | undefined;
  const other: V1Metric[] = [];
  for (const m of spec.metrics ?? []) {
    if (m.type === 'Resource' && m.resource?.name === 'cpu' && isSet(m.resource.target?.averageUtilization)) {
      targetCPU = m.resource.target.averageUtilization;
      continue;
    }
    other.push(metricToV1(m));
  }
  if (other.length) annotations[METRICS_ANNOTATION] = JSON.stringify(other);
  if (status?.currentMetrics?.length) annotations[CURRENT_METRICS_ANNOTATION] = JSON.stringify(status.currentMetrics.map(statusMetricToV1));
  if (isSet(spec.behavior)) annotations[BEHAVIOR_ANNOTATION] = behaviorToAnnotation(spec.behavior);
  if (status?.conditions?.length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions);
  const metadata = { ...v2.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  const v1spec: Record<string, unknown> = {
    ...(spec.scaleTargetRef !== undefined ? { scaleTargetRef: spec.scaleTargetRef } : {}),
    ...(isSet(spec.minReplicas) ? { minReplicas: spec.minReplicas } : {}),
    maxReplicas: spec.maxReplicas ?? 0,
    ...(targetCPU !== undefined ? { targetCPUUtilizationPercentage: targetCPU } : {}),
  };
  const out: KObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata, spec: v1spec };
  if (status) {
    const cpu = (status.currentMetrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu' && isSet(m.resource.current?.averageUtilization));
    out.status = {
      ...(isSet(status.observedGeneration) ? { observedGeneration: status.observedGeneration } : {}),
      ...(isSet(status.lastScaleTime) ? { lastScaleTime: status.lastScaleTime } : {}),
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
      ...(cpu ? { currentCPUUtilizationPercentage: cpu.resource!.current!.averageUtilization } : {}),
    };
  }
  return out;
}

/**
 * The autoscaling/v1 view of the same objects, registered beside `horizontalPodAutoscaler`
 * (discovery lists autoscaling v2 and v1).
 */
export const horizontalPodAutoscalerV1: KindDef = {
  ...HPA_RESOURCE,
  version: 'v1',
  storedAs: { group: 'autoscaling', plural: 'horizontalpodautoscalers', toStored: hpaV1ToV2, fromStored: hpaV2ToV1 },
  row: (obj, ctx) => rowOfV2(hpaV1ToV2(obj), ctx.now()),
  prepareForCreate(obj) {
    obj.status = { currentReplicas: 0, desiredReplicas: 0 };
  },
  defaults(obj) {
    const spec = (obj.spec ??= {}) as Record<string, unknown>;
    if (!isSet(spec.minReplicas)) spec.minReplicas = 1;
  },
  validate: (obj) => validateHPASpec(specOf(hpaV1ToV2(obj))),
};
