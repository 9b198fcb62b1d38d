// PodDisruptionBudget (policy/v1): how many selected pods must stay up (minAvailable) or may be
// down (maxUnavailable) during voluntary disruptions; one or the other, never both.
import type { KindDef, KObject } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { validateLabelSelector, type LabelSelector } from '../validation/label-selector.js';
import { isNotMoreThan100Percent, validatePositiveIntOrPercent, type IntOrString } from '../validation/int-or-percent.js';

interface PodDisruptionBudgetSpec {
  minAvailable?: IntOrString | null;
  maxUnavailable?: IntOrString | null;
  selector?: LabelSelector | null;
  unhealthyPodEvictionPolicy?: string | null;
}

const specOf = (obj: KObject): PodDisruptionBudgetSpec => (obj.spec ?? {}) as PodDisruptionBudgetSpec;
const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

function validateSpec(spec: PodDisruptionBudgetSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (isSet(spec.minAvailable) && isSet(spec.maxUnavailable)) {
    errs.push(fieldError.invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const key of ['minAvailable', 'maxUnavailable'] as const) {
    const value = spec[key];
    if (!isSet(value)) continue;
    errs.push(...validatePositiveIntOrPercent(value, `spec.${key}`));
    errs.push(...isNotMoreThan100Percent(value, `spec.${key}`));
  }
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  if (isSet(spec.unhealthyPodEvictionPolicy) && !UNHEALTHY_POD_EVICTION_POLICIES.includes(spec.unhealthyPodEvictionPolicy)) {
    errs.push(fieldError.notSupported('spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return errs;
}

export const podDisruptionBudget: KindDef = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  subresources: ['status'],
  columns: [
    { name: 'Min Available', type: 'string', description: 'The minimum number of pods that must be available.' },
    { name: 'Max Unavailable', type: 'string', description: 'The maximum number of pods that may be unavailable.' },
    { name: 'Allowed Disruptions', type: 'integer', description: 'Calculated number of pods that may be disrupted at this time.' },
    AGE_COLUMN,
  ],
  row(obj, ctx) {
    const spec = specOf(obj);
    const status = (obj.status ?? {}) as { disruptionsAllowed?: number };
    return [
      isSet(spec.minAvailable) ? String(spec.minAvailable) : 'N/A',
      isSet(spec.maxUnavailable) ? String(spec.maxUnavailable) : 'N/A',
      status.disruptionsAllowed ?? 0,
      creationAge(obj, ctx.now()),
    ];
  },
  prepareForCreate(obj) {
    obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  validate(obj) {
    return validateSpec(specOf(obj));
  },
};
