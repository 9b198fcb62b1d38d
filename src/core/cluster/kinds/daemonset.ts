// DaemonSet (apps/v1): one pod per (selected) node. Defaults to a RollingUpdate of one node at a
// time; its selector must match the template and may not change; the template must restart Always.
// The apiserver counts template changes in the `deprecated.daemonset.template.generation` annotation.
import type { KindDef, KObject } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge, mapToString, containerCells } from './print.js';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from './pod-spec.js';
import { formatLabelSelector } from '../selectors.js';
import { labelSelectorAsSelector, validateLabelSelector, type LabelSelector } from '../validation/label-selector.js';
import { nonNegative } from '../validation/ports.js';
import { sameJSON } from '../validation/semantic-equal.js';
import { intOrPercentValue, isNotMoreThan100Percent, validatePositiveIntOrPercent, type IntOrString } from '../validation/int-or-percent.js';

/** The annotation apps/v1 carries the internal spec.templateGeneration in. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

interface DaemonSetSpec {
  selector?: LabelSelector | null;
  template?: { metadata?: { labels?: Record<string, string> }; spec?: { nodeSelector?: Record<string, string>; restartPolicy?: string; activeDeadlineSeconds?: number | null } };
  updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString } | null };
  minReadySeconds?: number;
  revisionHistoryLimit?: number | null;
}

interface DaemonSetStatus {
  desiredNumberScheduled?: number;
  currentNumberScheduled?: number;
  numberReady?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
}

const specOf = (obj: KObject): DaemonSetSpec => (obj.spec ?? {}) as DaemonSetSpec;
const statusOf = (obj: KObject): DaemonSetStatus => (obj.status ?? {}) as DaemonSetStatus;

function validateUpdateStrategy(strategy: DaemonSetSpec['updateStrategy']): FieldError[] {
  const field = 'spec.updateStrategy';
  const type = strategy?.type ?? '';
  if (type === 'OnDelete') return [];
  if (type === 'RollingUpdate') {
    const ru = strategy?.rollingUpdate;
    if (!ru) return [fieldError.required(`${field}.rollingUpdate`)];
    const errs: FieldError[] = [];
    const path = `${field}.rollingUpdate`;
    const maxUnavailable = ru.maxUnavailable ?? 0;
    const maxSurge = ru.maxSurge ?? 0;
    errs.push(...validatePositiveIntOrPercent(maxUnavailable, `${path}.maxUnavailable`));
    errs.push(...validatePositiveIntOrPercent(maxSurge, `${path}.maxSurge`));
    errs.push(...isNotMoreThan100Percent(maxUnavailable, `${path}.maxUnavailable`));
    errs.push(...isNotMoreThan100Percent(maxSurge, `${path}.maxSurge`));
    const hasUnavailable = intOrPercentValue(maxUnavailable) !== 0;
    const hasSurge = intOrPercentValue(maxSurge) !== 0;
    if (hasUnavailable && hasSurge) {
      errs.push(fieldError.invalid(`${path}.maxSurge`, maxSurge, 'may not be set when maxUnavailable is non-zero'));
    } else if (!hasUnavailable && !hasSurge) {
      errs.push(fieldError.required(`${path}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
    }
    return errs;
  }
  return [fieldError.notSupported(field, strategy ?? {}, ['RollingUpdate', 'OnDelete'])];
}

function validateDaemonSetSpec(spec: DaemonSetSpec): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  // A nil selector selects nothing, so it never matches the template: that is the error it gets.
  const selector = labelSelectorAsSelector(spec.selector);
  const labels = spec.template?.metadata?.labels;
  if (selector && !selector.matches(labels)) {
    errs.push(fieldError.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  if (spec.selector && Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions ?? []).length === 0) {
    errs.push(fieldError.invalid('spec.selector', spec.selector, 'empty selector is invalid for daemonset'));
  }
  errs.push(...validatePodTemplateSpec(spec.template ?? {}, 'spec.template'));
  const restartPolicy = spec.template?.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always') errs.push(fieldError.notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  const ads = spec.template?.spec?.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    errs.push(fieldError.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errs.push(...nonNegative(spec.minReadySeconds ?? 0, 'spec.minReadySeconds'));
  errs.push(...validateUpdateStrategy(spec.updateStrategy));
  if (spec.revisionHistoryLimit !== undefined && spec.revisionHistoryLimit !== null) {
    errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  }
  return errs;
}

function templateGeneration(obj: KObject): number | undefined {
  const raw = obj.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (raw === undefined || !/^-?[0-9]+$/.test(raw)) return undefined;
  return Number(raw);
}

function setTemplateGeneration(obj: KObject, generation: number): void {
  obj.metadata.annotations = { ...obj.metadata.annotations, [TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
}

export const daemonSet: KindDef = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  subresources: ['status'],
  columns: [
    { name: 'Desired', type: 'integer', description: 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/' },
    { name: 'Current', type: 'integer', description: 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/' },
    { name: 'Ready', type: 'integer', description: 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.' },
    { name: 'Up-to-date', type: 'integer', description: 'The total number of nodes that are running updated daemon pod' },
    { name: 'Available', type: 'integer', description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)' },
    { name: 'Node Selector', type: 'string', description: "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/" },
    AGE_COLUMN,
    { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.' },
    { name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.' },
    { name: 'Selector', type: 'string', priority: 1, description: "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors" },
  ],
  row(obj, ctx) {
    const spec = specOf(obj);
    const status = statusOf(obj);
    const [names, images] = containerCells(spec.template);
    return [
      status.desiredNumberScheduled ?? 0,
      status.currentNumberScheduled ?? 0,
      status.numberReady ?? 0,
      status.updatedNumberScheduled ?? 0,
      status.numberAvailable ?? 0,
      mapToString(spec.template?.spec?.nodeSelector),
      creationAge(obj, ctx.now()),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
  prepareForCreate(obj) {
    obj.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    const generation = templateGeneration(obj);
    setTemplateGeneration(obj, generation !== undefined && generation >= 1 ? generation : 1);
  },
  prepareForUpdate(obj, old) {
    // The template generation is the server's: kept, and bumped when the template changes.
    const previous = templateGeneration(old) ?? 1;
    const changed = !sameJSON(specOf(obj).template, specOf(old).template);
    setTemplateGeneration(obj, changed ? previous + 1 : previous);
  },
  defaults(obj) {
    const spec = (obj.spec ??= {}) as DaemonSetSpec;
    const strategy = (spec.updateStrategy ??= {});
    if (!strategy.type) strategy.type = 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = (strategy.rollingUpdate ??= {});
      if (ru.maxUnavailable === undefined || ru.maxUnavailable === null) ru.maxUnavailable = 1;
      if (ru.maxSurge === undefined || ru.maxSurge === null) ru.maxSurge = 0;
    }
    if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10;
    if (spec.template && typeof spec.template === 'object') defaultPodTemplateSpec(spec.template as Record<string, unknown>);
  },
  validate(obj) {
    return validateDaemonSetSpec(specOf(obj));
  },
  validateUpdate(obj, old) {
    // apps/v1 refuses a new selector (extensions/v1beta1 used to allow it).
    const selector = specOf(obj).selector;
    if (!sameJSON(selector, specOf(old).selector)) return [fieldError.invalid('spec.selector', selector ?? null, 'field is immutable')];
    return [];
  },
};
