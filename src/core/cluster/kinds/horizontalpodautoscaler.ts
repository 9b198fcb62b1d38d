// HorizontalPodAutoscaler: autoscaling/v2, stored as such, plus the autoscaling/v1 view of the
// same objects (old kubectl `autoscale` posts v1), converted as the apiserver converts them:
// v1 carries only a CPU target and keeps every other metric, the behavior and the status
// conditions in `autoscaling.alpha.kubernetes.io/*` annotations.
import type { KindDef, KObject } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { isDNS1123Subdomain } from '../validation/names.js';

type Quantity = string | number;

interface MetricTarget {
  type?: string;
  value?: Quantity | null;
  averageValue?: Quantity | null;
  averageUtilization?: number | null;
}

interface MetricIdentifier {
  name?: string;
  selector?: unknown;
}

interface CrossVersionObjectReference {
  kind?: string;
  name?: string;
  apiVersion?: string;
}

interface MetricSpec {
  type?: string;
  object?: { describedObject?: CrossVersionObjectReference; target?: MetricTarget; metric?: MetricIdentifier } | null;
  pods?: { metric?: MetricIdentifier; target?: MetricTarget } | null;
  resource?: { name?: string; target?: MetricTarget } | null;
  containerResource?: { name?: string; target?: MetricTarget; container?: string } | null;
  external?: { metric?: MetricIdentifier; target?: MetricTarget } | null;
}

interface MetricValueStatus {
  value?: Quantity | null;
  averageValue?: Quantity | null;
  averageUtilization?: number | null;
}

interface MetricStatus {
  type?: string;
  object?: { describedObject?: CrossVersionObjectReference; current?: MetricValueStatus; metric?: MetricIdentifier } | null;
  pods?: { metric?: MetricIdentifier; current?: MetricValueStatus } | null;
  resource?: { name?: string; current?: MetricValueStatus } | null;
  containerResource?: { name?: string; current?: MetricValueStatus; container?: string } | null;
  external?: { metric?: MetricIdentifier; current?: MetricValueStatus } | null;
}

interface ScalingPolicy {
  type?: string;
  value?: number;
  periodSeconds?: number;
}

interface ScalingRules {
  stabilizationWindowSeconds?: number | null;
  selectPolicy?: string | null;
  policies?: ScalingPolicy[] | null;
  tolerance?: Quantity | null;
}

interface HPASpec {
  scaleTargetRef?: CrossVersionObjectReference;
  minReplicas?: number | null;
  maxReplicas?: number;
  metrics?: MetricSpec[] | null;
  behavior?: { scaleUp?: ScalingRules | null; scaleDown?: ScalingRules | null } | null;
}

interface HPAStatus {
  observedGeneration?: number;
  lastScaleTime?: string;
  currentReplicas?: number;
  desiredReplicas?: number;
  currentMetrics?: MetricStatus[] | null;
  conditions?: unknown[] | null;
}

const specOf = (obj: KObject): HPASpec => (obj.spec ?? {}) as HPASpec;
const statusOf = (obj: KObject): HPAStatus => (obj.status ?? {}) as HPAStatus;
const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

// ---------------------------------------------------------------- defaults

const DEFAULT_CPU_UTILIZATION = 80;

function defaultScaleUpRules(): ScalingRules {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

function defaultScaleDownRules(): ScalingRules {
  // StabilizationWindowSeconds stays unset: the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** copyHPAScalingRules: what the user set wins, the defaults fill the rest. */
function fillRules(from: ScalingRules | null | undefined, defaults: ScalingRules): ScalingRules {
  if (!from) return defaults;
  const out: ScalingRules = { ...defaults };
  if (isSet(from.selectPolicy)) out.selectPolicy = from.selectPolicy;
  if (isSet(from.stabilizationWindowSeconds)) out.stabilizationWindowSeconds = from.stabilizationWindowSeconds;
  if (isSet(from.policies)) out.policies = from.policies;
  return out;
}

function defaultHPA(obj: KObject): void {
  const spec = (obj.spec ??= {}) as HPASpec;
  if (!isSet(spec.minReplicas)) spec.minReplicas = 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  if (isSet(spec.behavior)) {
    spec.behavior.scaleUp = fillRules(spec.behavior.scaleUp, defaultScaleUpRules());
    spec.behavior.scaleDown = fillRules(spec.behavior.scaleDown, defaultScaleDownRules());
  }
}

// ---------------------------------------------------------------- validation

const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];

/** The sign of a quantity: 1, 0 or -1 (NaN for something that is not a quantity). */
function quantitySign(q: Quantity): number {
  const n = typeof q === 'number' ? q : Number.parseFloat(String(q).trim());
  return Number.isNaN(n) ? Number.NaN : Math.sign(n);
}

/** path.IsValidPathSegmentName. */
function pathSegmentProblems(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const illegal of ['/', '%']) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
}

function validateCrossVersionObjectReference(ref: CrossVersionObjectReference | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref?.kind) errs.push(fieldError.required(`${field}.kind`));
  else for (const msg of pathSegmentProblems(ref.kind)) errs.push(fieldError.invalid(`${field}.kind`, ref.kind, msg));
  if (!ref?.name) errs.push(fieldError.required(`${field}.name`));
  else for (const msg of pathSegmentProblems(ref.name)) errs.push(fieldError.invalid(`${field}.name`, ref.name, msg));
  return errs;
}

function validateMetricTarget(mt: MetricTarget | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = mt?.type ?? '';
  if (type === '') errs.push(fieldError.required(`${field}.type`, 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') {
    errs.push(fieldError.invalid(`${field}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  }
  if (isSet(mt?.value) && quantitySign(mt.value) !== 1) errs.push(fieldError.invalid(`${field}.value`, mt.value, 'must be positive'));
  if (isSet(mt?.averageValue) && quantitySign(mt.averageValue) !== 1) {
    errs.push(fieldError.invalid(`${field}.averageValue`, mt.averageValue, 'must be positive'));
  }
  if (isSet(mt?.averageUtilization) && mt.averageUtilization < 1) {
    errs.push(fieldError.invalid(`${field}.averageUtilization`, mt.averageUtilization, 'must be greater than 0'));
  }
  return errs;
}

function validateMetricIdentifier(id: MetricIdentifier | undefined, field: string): FieldError[] {
  if (!id?.name) return [fieldError.required(`${field}.name`, 'must specify a metric name')];
  return pathSegmentProblems(id.name).map((msg) => fieldError.invalid(`${field}.name`, id.name, msg));
}

function validateResourceName(name: string | undefined, field: string): FieldError[] {
  if (!name) return [fieldError.required(`${field}.name`, 'must specify a resource name')];
  // ValidateContainerResourceName: a standard name (cpu, memory...) or a qualified one with a domain.
  const errs: FieldError[] = [];
  if (!name.includes('/')) {
    if (!['cpu', 'memory', 'ephemeral-storage', 'storage'].includes(name) && !name.startsWith('hugepages-')) {
      errs.push(fieldError.invalid(`${field}.name`, name, 'must be a standard resource for containers'));
    }
  } else if (isDNS1123Subdomain(name.split('/')[0]!).length) {
    errs.push(fieldError.invalid(`${field}.name`, name, 'must be a standard resource for containers'));
  }
  return errs;
}

function validateMetricSpec(spec: MetricSpec, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = spec.type ?? '';
  if (type === '') errs.push(fieldError.required(`${field}.type`, 'must specify a metric source type'));
  const present: string[] = [];
  if (isSet(spec.object)) {
    present.push('object');
    if (present.length === 1) {
      const src = spec.object;
      const path = `${field}.object`;
      errs.push(...validateCrossVersionObjectReference(src.describedObject, `${path}.describedObject`));
      errs.push(...validateMetricIdentifier(src.metric, `${path}.metric`));
      errs.push(...validateMetricTarget(src.target, `${path}.target`));
      if (!isSet(src.target?.value) && !isSet(src.target?.averageValue)) {
        errs.push(fieldError.required(`${path}.target.averageValue`, 'must set either a target value or averageValue'));
      }
    }
  }
  if (isSet(spec.external)) {
    present.push('external');
    if (present.length === 1) {
      const src = spec.external;
      const path = `${field}.external`;
      errs.push(...validateMetricIdentifier(src.metric, `${path}.metric`));
      errs.push(...validateMetricTarget(src.target, `${path}.target`));
      if (!isSet(src.target?.value) && !isSet(src.target?.averageValue)) {
        errs.push(fieldError.required(`${path}.target.averageValue`, 'must set either a target value for metric or a per-pod target'));
      }
      if (isSet(src.target?.value) && isSet(src.target?.averageValue)) {
        errs.push(fieldError.forbidden(`${path}.target.value`, 'may not set both a target value for metric and a per-pod target'));
      }
    }
  }
  if (isSet(spec.pods)) {
    present.push('pods');
    if (present.length === 1) {
      const src = spec.pods;
      const path = `${field}.pods`;
      errs.push(...validateMetricIdentifier(src.metric, `${path}.metric`));
      errs.push(...validateMetricTarget(src.target, `${path}.target`));
      if (!isSet(src.target?.averageValue)) errs.push(fieldError.required(`${path}.target.averageValue`, 'must specify a positive target averageValue'));
    }
  }
  if (isSet(spec.resource)) {
    present.push('resource');
    if (present.length === 1) {
      const src = spec.resource;
      const path = `${field}.resource`;
      errs.push(...validateResourceName(src.name, path));
      errs.push(...validateMetricTarget(src.target, `${path}.target`));
      if (!isSet(src.target?.averageUtilization) && !isSet(src.target?.averageValue)) {
        errs.push(fieldError.required(`${path}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
      }
      if (isSet(src.target?.averageUtilization) && isSet(src.target?.averageValue)) {
        errs.push(fieldError.forbidden(`${path}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
      }
    }
  }
  if (isSet(spec.containerResource)) {
    present.push('containerResource');
    if (present.length === 1) {
      const src = spec.containerResource;
      const path = `${field}.containerResource`;
      errs.push(...validateResourceName(src.name, path));
      if (!src.container) errs.push(fieldError.required(`${path}.container`, 'must specify a container'));
      errs.push(...validateMetricTarget(src.target, `${path}.target`));
      if (!isSet(src.target?.averageUtilization) && !isSet(src.target?.averageValue)) {
        errs.push(fieldError.required(`${path}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
      }
      if (isSet(src.target?.averageUtilization) && isSet(src.target?.averageValue)) {
        errs.push(fieldError.forbidden(`${path}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
      }
    }
  }
  const expected: Record<string, string> = {
    Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource',
  };
  const expectedField = expected[type];
  if (expectedField === undefined) {
    errs.push(fieldError.notSupported(`${field}.type`, type, METRIC_SOURCE_TYPES));
  } else if (!present.includes(expectedField)) {
    errs.push(fieldError.required(`${field}.${expectedField}`, 'must populate information for the given metric source'));
  }
  if (present.length !== 1) {
    for (const other of present.filter((p) => p !== expectedField)) {
      errs.push(fieldError.forbidden(`${field}.${other}`, 'must populate the given metric source only'));
    }
  }
  return errs;
}

function validateScalingRules(rules: ScalingRules | null | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!rules) return errs;
  const window = rules.stabilizationWindowSeconds;
  if (isSet(window) && window < 0) errs.push(fieldError.invalid(`${field}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
  if (isSet(window) && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(fieldError.invalid(`${field}.stabilizationWindowSeconds`, window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (isSet(rules.selectPolicy) && !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy)) {
    errs.push(fieldError.notSupported(`${field}.selectPolicy`, rules.selectPolicy, ['Disabled', 'Max', 'Min']));
  }
  const policies = rules.policies ?? [];
  if (policies.length === 0) errs.push(fieldError.required(`${field}.policies`, 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const path = `${field}.policies[${i}]`;
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(fieldError.notSupported(`${path}.type`, p.type ?? '', ['Percent', 'Pods']));
    if ((p.value ?? 0) <= 0) errs.push(fieldError.invalid(`${path}.value`, p.value ?? 0, 'must be greater than zero'));
    if ((p.periodSeconds ?? 0) <= 0) errs.push(fieldError.invalid(`${path}.periodSeconds`, p.periodSeconds ?? 0, 'must be greater than zero'));
    if ((p.periodSeconds ?? 0) > MAX_PERIOD_SECONDS) {
      errs.push(fieldError.invalid(`${path}.periodSeconds`, p.periodSeconds, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
    }
  });
  return errs;
}

/** validateHorizontalPodAutoscalerSpec, on the (v2) spec; min replicas 1 (HPAScaleToZero is off). */
export function validateHPASpec(spec: HPASpec, minReplicasLowerBound = 1): FieldError[] {
  const errs: FieldError[] = [];
  if (isSet(spec.minReplicas) && spec.minReplicas < minReplicasLowerBound) {
    errs.push(fieldError.invalid('spec.minReplicas', spec.minReplicas, `must be greater than or equal to ${minReplicasLowerBound}`));
  }
  const max = spec.maxReplicas ?? 0;
  if (max < 1) errs.push(fieldError.invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (isSet(spec.minReplicas) && max < spec.minReplicas) {
    errs.push(fieldError.invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  }
  const refErrs = validateCrossVersionObjectReference(spec.scaleTargetRef, 'spec.scaleTargetRef');
  if (refErrs.length) return [...errs, ...refErrs];
  const metricErrs: FieldError[] = [];
  (spec.metrics ?? []).forEach((m, i) => metricErrs.push(...validateMetricSpec(m ?? {}, `spec.metrics[${i}]`)));
  if (spec.minReplicas === 0 && !(spec.metrics ?? []).some((m) => m?.type === 'Object' || m?.type === 'External')) {
    metricErrs.push(fieldError.forbidden('spec.metrics', 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  if (metricErrs.length) return [...errs, ...metricErrs];
  if (isSet(spec.behavior)) {
    errs.push(...validateScalingRules(spec.behavior.scaleUp, 'spec.behavior.scaleUp'));
    errs.push(...validateScalingRules(spec.behavior.scaleDown, 'spec.behavior.scaleDown'));
  }
  return errs;
}


// ---------------------------------------------------------------- printing

function quantityText(q: Quantity | null | undefined): string {
  return isSet(q) ? String(q) : '<nil>';
}

/** formatHPAMetrics: each metric's current value against its target, two of them at most. */
export function formatHPAMetrics(specs: MetricSpec[] | null | undefined, statuses: MetricStatus[] | null | undefined): string {
  const list: string[] = [];
  const st = statuses ?? [];
  if (!specs || specs.length === 0) return '<none>';
  specs.forEach((spec, i) => {
    const status = st[i];
    switch (spec.type) {
      case 'External': {
        const target = spec.external?.target;
        if (isSet(target?.averageValue)) {
          const current = isSet(status?.external) && isSet(status.external.current?.averageValue) ? String(status.external.current.averageValue) : '<unknown>';
          list.push(`${current}/${String(target.averageValue)} (avg)`);
        } else {
          const current = isSet(status?.external) ? quantityText(status.external.current?.value) : '<unknown>';
          list.push(`${current}/${quantityText(target?.value)}`);
        }
        break;
      }
      case 'Pods': {
        const current = isSet(status?.pods) ? quantityText(status.pods.current?.averageValue) : '<unknown>';
        list.push(`${current}/${quantityText(spec.pods?.target?.averageValue)}`);
        break;
      }
      case 'Object': {
        const target = spec.object?.target;
        if (isSet(target?.averageValue)) {
          const current = isSet(status?.object) && isSet(status.object.current?.averageValue) ? String(status.object.current.averageValue) : '<unknown>';
          list.push(`${current}/${String(target.averageValue)} (avg)`);
        } else {
          const current = isSet(status?.object) ? quantityText(status.object.current?.value) : '<unknown>';
          list.push(`${current}/${quantityText(target?.value)}`);
        }
        break;
      }
      case 'Resource':
      case 'ContainerResource': {
        const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
        const cur = spec.type === 'Resource' ? status?.resource : status?.containerResource;
        const name = src?.name ?? '';
        if (isSet(src?.target?.averageValue)) {
          const current = isSet(cur) ? quantityText(cur.current?.averageValue) : '<unknown>';
          list.push(`${name}: ${current}/${String(src.target.averageValue)}`);
        } else {
          const current = isSet(cur) && isSet(cur.current?.averageUtilization) ? `${cur.current.averageUtilization}%` : '<unknown>';
          const target = isSet(src?.target?.averageUtilization) ? `${src.target.averageUtilization}%` : '<auto>';
          list.push(`${name}: ${current}/${target}`);
        }
        break;
      }
      default:
        list.push('<unknown type>');
    }
  });
  if (list.length > 2) return `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...`;
  return list.join(', ');
}

const COLUMNS: KindDef['columns'] = [
  { name: 'Reference', type: 'string', description: 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.' },
  { name: 'Targets', type: 'string', description: 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).' },
  { name: 'MinPods', type: 'string', description: 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.' },
  { name: 'MaxPods', type: 'string', description: 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.' },
  { name: 'Replicas', type: 'string', description: 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.' },
  AGE_COLUMN,
];

function rowOfV2(obj: KObject, now: Date): unknown[] {
  const spec = specOf(obj);
  const status = statusOf(obj);
  return [
    `${spec.scaleTargetRef?.kind ?? ''}/${spec.scaleTargetRef?.name ?? ''}`,
    formatHPAMetrics(spec.metrics, status.currentMetrics),
    isSet(spec.minReplicas) ? String(spec.minReplicas) : '<unset>',
    spec.maxReplicas ?? 0,
    status.currentReplicas ?? 0,
    creationAge(obj, now),
  ];
}

// ---------------------------------------------------------------- autoscaling/v2

export const horizontalPodAutoscaler: KindDef = {
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: ['status'],
  // The registry strategy never sets metadata.generation for HPAs.
  tracksGeneration: false,
  columns: COLUMNS,
  row: (obj, ctx) => rowOfV2(obj, ctx.now()),
  prepareForCreate(obj) {
    obj.status = { desiredReplicas: 0 };
  },
  defaults: (obj) => defaultHPA(obj),
  validate: (obj) => validateHPASpec(specOf(obj)),
};

// ---------------------------------------------------------------- autoscaling/v1 view

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

function metricFromV1(m: Record<string, any>): MetricSpec {
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

function statusMetricFromV1(m: Record<string, any>): MetricStatus {
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
    const raw = JSON.parse(text) as Record<string, any>;
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

function parseJSONList(text: string | undefined): Record<string, any>[] | undefined {
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
  const spec = (v1.spec ?? {}) as Record<string, any>;
  const status = v1.status as Record<string, any> | undefined;
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
 * The autoscaling/v1 view of the same objects. Not in BUILTIN_KINDS yet: register it next to
 * `horizontalPodAutoscaler` to serve v1 (discovery then lists autoscaling v2 and v1).
 */
export const horizontalPodAutoscalerV1: KindDef = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: ['status'],
  tracksGeneration: false,
  storedAs: { group: 'autoscaling', plural: 'horizontalpodautoscalers', toStored: hpaV1ToV2, fromStored: hpaV2ToV1 },
  columns: COLUMNS,
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
