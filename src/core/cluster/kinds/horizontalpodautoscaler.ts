// HorizontalPodAutoscaler (autoscaling/v2), stored as such. The autoscaling/v1 view of the same
// objects is in horizontalpodautoscaler-v1.ts.
import type { KindDef, KObject } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { isDNS1123Subdomain } from '../validation/names.js';

type Quantity = string | number;

export interface MetricTarget {
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

export interface MetricSpec {
  type?: string;
  object?: { describedObject?: CrossVersionObjectReference; target?: MetricTarget; metric?: MetricIdentifier } | null;
  pods?: { metric?: MetricIdentifier; target?: MetricTarget } | null;
  resource?: { name?: string; target?: MetricTarget } | null;
  containerResource?: { name?: string; target?: MetricTarget; container?: string } | null;
  external?: { metric?: MetricIdentifier; target?: MetricTarget } | null;
}

export interface MetricValueStatus {
  value?: Quantity | null;
  averageValue?: Quantity | null;
  averageUtilization?: number | null;
}

export interface MetricStatus {
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

export interface ScalingRules {
  stabilizationWindowSeconds?: number | null;
  selectPolicy?: string | null;
  policies?: ScalingPolicy[] | null;
  tolerance?: Quantity | null;
}

export interface HPASpec {
  scaleTargetRef?: CrossVersionObjectReference;
  minReplicas?: number | null;
  maxReplicas?: number;
  metrics?: MetricSpec[] | null;
  behavior?: { scaleUp?: ScalingRules | null; scaleDown?: ScalingRules | null } | null;
}

export interface HPAStatus {
  observedGeneration?: number;
  lastScaleTime?: string;
  currentReplicas?: number;
  desiredReplicas?: number;
  currentMetrics?: MetricStatus[] | null;
  conditions?: unknown[] | null;
}

export const specOf = (obj: KObject): HPASpec => (obj.spec ?? {}) as HPASpec;
export const statusOf = (obj: KObject): HPAStatus => (obj.status ?? {}) as HPAStatus;
export const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

// ---------------------------------------------------------------- defaults

export const DEFAULT_CPU_UTILIZATION = 80;

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

export function defaultHPA(obj: KObject): void {
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

export const COLUMNS: KindDef['columns'] = [
  { name: 'Reference', type: 'string', description: 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.' },
  { name: 'Targets', type: 'string', description: 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).' },
  { name: 'MinPods', type: 'string', description: 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.' },
  { name: 'MaxPods', type: 'string', description: 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.' },
  { name: 'Replicas', type: 'string', description: 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.' },
  AGE_COLUMN,
];

export function rowOfV2(obj: KObject, now: Date): unknown[] {
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

/** What both versions of the kind share: its names, scope, status subresource and columns. */
export const HPA_RESOURCE = {
  group: 'autoscaling',
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
} satisfies Omit<KindDef, 'version'>;

export const horizontalPodAutoscaler: KindDef = {
  ...HPA_RESOURCE,
  version: 'v2',
  row: (obj, ctx) => rowOfV2(obj, ctx.now()),
  prepareForCreate(obj) {
    obj.status = { desiredReplicas: 0 };
  },
  defaults: (obj) => defaultHPA(obj),
  validate: (obj) => validateHPASpec(specOf(obj)),
};
