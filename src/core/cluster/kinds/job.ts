// Job (batch/v1): pods run to completion. On create the apiserver generates the selector and the
// template labels that tie the Job to its pods (batch.kubernetes.io/controller-uid and friends);
// the template is immutable afterwards, and the printer reports Running/Complete/Failed/....
import type { KindDef, KObject } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge, humanDuration, containerCells } from './print.js';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from './pod-spec.js';
import { formatLabelSelector } from '../selectors.js';
import { nonNegative } from '../validation/ports.js';
import { sameJSON } from '../validation/semantic-equal.js';
import { isDNS1123Label } from '../validation/names.js';
import { validateLabelSelector, labelSelectorAsSelector, type LabelSelector } from '../validation/label-selector.js';
import { copyJson } from '../own.js';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: {
    restartPolicy?: string;
    containers?: Array<{ name?: string }>;
    initContainers?: Array<{ name?: string }>;
    affinity?: { nodeAffinity?: unknown; [k: string]: unknown } | null;
    nodeSelector?: unknown;
    tolerations?: unknown;
    schedulingGates?: unknown;
    [k: string]: unknown;
  };
}

export interface JobSpec {
  parallelism?: number | null;
  completions?: number | null;
  activeDeadlineSeconds?: number | null;
  backoffLimit?: number | null;
  backoffLimitPerIndex?: number | null;
  maxFailedIndexes?: number | null;
  ttlSecondsAfterFinished?: number | null;
  completionMode?: string | null;
  suspend?: boolean | null;
  manualSelector?: boolean | null;
  podReplacementPolicy?: string | null;
  podFailurePolicy?: { rules?: Array<{ action?: string; onExitCodes?: unknown; onPodConditions?: Array<{ type?: string; status?: string }> }> } | null;
  successPolicy?: unknown;
  managedBy?: string | null;
  selector?: LabelSelector | null;
  template?: PodTemplate;
}

interface JobCondition {
  type: string;
  status: string;
}

interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
}

const specOf = (obj: KObject): JobSpec => (obj.spec ?? {}) as JobSpec;
const statusOf = (obj: KObject): JobStatus => (obj.status ?? {}) as JobStatus;
const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

const MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100000;
const POD_FAILURE_POLICY_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];

/**
 * validateJobSpec: what a Job's spec and a CronJob's jobTemplate.spec share (everything but the
 * selector). `path` is where the spec sits (`spec` or `spec.jobTemplate.spec`).
 */
export function validateJobSpecCommon(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (isSet(spec.parallelism)) errs.push(...nonNegative(spec.parallelism, `${path}.parallelism`));
  if (isSet(spec.completions)) errs.push(...nonNegative(spec.completions, `${path}.completions`));
  if (isSet(spec.activeDeadlineSeconds)) errs.push(...nonNegative(spec.activeDeadlineSeconds, `${path}.activeDeadlineSeconds`));
  if (isSet(spec.backoffLimit)) errs.push(...nonNegative(spec.backoffLimit, `${path}.backoffLimit`));
  if (isSet(spec.ttlSecondsAfterFinished)) errs.push(...nonNegative(spec.ttlSecondsAfterFinished, `${path}.ttlSecondsAfterFinished`));
  if (isSet(spec.backoffLimitPerIndex)) errs.push(...nonNegative(spec.backoffLimitPerIndex, `${path}.backoffLimitPerIndex`));
  if (isSet(spec.maxFailedIndexes)) {
    errs.push(...nonNegative(spec.maxFailedIndexes, `${path}.maxFailedIndexes`));
    if (!isSet(spec.backoffLimitPerIndex)) errs.push(fieldError.required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (isSet(spec.completionMode)) {
    if (spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
      errs.push(fieldError.notSupported(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
    }
    if (spec.completionMode === 'Indexed') {
      if (!isSet(spec.completions)) errs.push(fieldError.required(`${path}.completions`, 'when completion mode is Indexed'));
      if (isSet(spec.parallelism) && spec.parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        errs.push(fieldError.invalid(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
      }
      if (isSet(spec.completions) && isSet(spec.maxFailedIndexes) && spec.maxFailedIndexes > spec.completions) {
        errs.push(fieldError.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'must be less than or equal to completions'));
      }
      if (isSet(spec.maxFailedIndexes) && spec.maxFailedIndexes > MAX_FAILED_INDEXES_FOR_INDEXED_JOB) {
        errs.push(fieldError.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_FOR_INDEXED_JOB}`));
      }
    }
  }
  if (!isSet(spec.completionMode) || spec.completionMode === 'NonIndexed') {
    if (isSet(spec.backoffLimitPerIndex)) errs.push(fieldError.invalid(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (isSet(spec.maxFailedIndexes)) errs.push(fieldError.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (isSet(spec.podFailurePolicy)) {
    (spec.podFailurePolicy.rules ?? []).forEach((rule, i) => {
      const rulePath = `${path}.podFailurePolicy.rules[${i}]`;
      if (!rule.action) {
        errs.push(fieldError.required(`${rulePath}.action`, `valid values: ["${POD_FAILURE_POLICY_ACTIONS.join('" "')}"]`));
      } else if (rule.action === 'FailIndex') {
        if (!isSet(spec.backoffLimitPerIndex)) errs.push(fieldError.invalid(`${rulePath}.action`, rule.action, 'requires the backoffLimitPerIndex to be set'));
      } else if (!POD_FAILURE_POLICY_ACTIONS.includes(rule.action)) {
        errs.push(fieldError.notSupported(`${rulePath}.action`, rule.action, POD_FAILURE_POLICY_ACTIONS));
      }
      const hasExit = isSet(rule.onExitCodes);
      const hasConditions = (rule.onPodConditions ?? []).length > 0;
      if (hasExit && hasConditions) errs.push({ type: 'FieldValueInvalid', field: rulePath, hasValue: false, detail: 'specifying both OnExitCodes and OnPodConditions is not supported' });
      if (!hasExit && !hasConditions) errs.push({ type: 'FieldValueInvalid', field: rulePath, hasValue: false, detail: 'specifying one of OnExitCodes and OnPodConditions is required' });
    });
  }
  if (isSet(spec.podReplacementPolicy)) {
    if (isSet(spec.podFailurePolicy)) {
      if (spec.podReplacementPolicy !== 'Failed') errs.push(fieldError.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed']));
    } else if (!['Failed', 'TerminatingOrFailed'].includes(spec.podReplacementPolicy)) {
      errs.push(fieldError.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
    }
  }
  errs.push(...validatePodTemplateSpec(spec.template ?? {}, `${path}.template`));
  // restartPolicy is defaulted to Always when left out, so Always and "" both mean "not given".
  const restartPolicy = spec.template?.spec?.restartPolicy ?? '';
  if (restartPolicy === 'Always' || restartPolicy === '') {
    errs.push(fieldError.required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(fieldError.notSupported(`${path}.template.spec.restartPolicy`, restartPolicy, ['OnFailure', 'Never']));
  } else if (isSet(spec.podFailurePolicy) && restartPolicy !== 'Never') {
    errs.push(fieldError.invalid(`${path}.template.spec.restartPolicy`, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

/** ValidateJobSpec: the common checks plus the selector, which must select the template. */
function validateJobSpec(spec: JobSpec): FieldError[] {
  const errs = validateJobSpecCommon(spec, 'spec');
  if (!isSet(spec.selector)) errs.push(fieldError.required('spec.selector'));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const selector = labelSelectorAsSelector(spec.selector);
  if (selector) {
    if (selector.empty()) errs.push(fieldError.required('spec.selector'));
    const labels = spec.template?.metadata?.labels;
    if (!selector.matches(labels)) {
      errs.push(fieldError.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    }
  }
  return errs;
}

function validateHasLabel(labels: Record<string, string> | undefined, key: string, expected: string): FieldError[] {
  const field = `spec.template.metadata.labels[${key}]`;
  if (!labels || !(key in labels)) return [fieldError.required(field, `must be '${expected}'`)];
  if (labels[key] !== expected) return [fieldError.invalid(field, labels, `must be '${expected}'`)];
  return [];
}

/** validateGeneratedSelector: with an automatic selector, the generated labels must be intact. */
function validateGeneratedSelector(obj: KObject): FieldError[] {
  const spec = specOf(obj);
  if (spec.manualSelector === true || !isSet(spec.selector)) return [];
  const errs: FieldError[] = [];
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  if (!uid) errs.push(fieldError.required('metadata.uid'));
  const labels = spec.template?.metadata?.labels;
  errs.push(...validateHasLabel(labels, LEGACY_CONTROLLER_UID_LABEL, uid));
  errs.push(...validateHasLabel(labels, LEGACY_JOB_NAME_LABEL, name));
  errs.push(...validateHasLabel(labels, CONTROLLER_UID_LABEL, uid));
  errs.push(...validateHasLabel(labels, JOB_NAME_LABEL, name));
  const expected = {
    [CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
    [LEGACY_CONTROLLER_UID_LABEL]: uid,
    [LEGACY_JOB_NAME_LABEL]: name,
  };
  const selector = labelSelectorAsSelector(spec.selector);
  if (selector && !selector.matches(expected)) {
    errs.push(fieldError.invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
  }
  return errs;
}

/** generateSelector: labels that tie the pods to this Job alone, and a selector for them. */
function generateSelector(obj: KObject): void {
  const spec = (obj.spec ??= {}) as JobSpec;
  const template = (spec.template ??= {});
  const metadata = (template.metadata ??= {});
  const labels = { ...(metadata.labels ?? {}) };
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(key in labels)) labels[key] = obj.metadata.name ?? '';
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(key in labels)) labels[key] = obj.metadata.uid ?? '';
  metadata.labels = sortedMap(labels);
  const selector = (spec.selector ??= {});
  const matchLabels = { ...(selector.matchLabels ?? {}) };
  if (!(CONTROLLER_UID_LABEL in matchLabels)) matchLabels[CONTROLLER_UID_LABEL] = obj.metadata.uid ?? '';
  selector.matchLabels = sortedMap(matchLabels);
}

function sortedMap(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function hasCondition(status: JobStatus, type: string): boolean {
  const c = (status.conditions ?? []).find((x) => x.type === type);
  return c !== undefined && c.status === 'True';
}

/** The STATUS cell as the 1.33 printer computes it. */
export function jobStatusCell(obj: KObject): string {
  const status = statusOf(obj);
  if (hasCondition(status, 'Complete')) return 'Complete';
  if (hasCondition(status, 'Failed')) return 'Failed';
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(status, 'Suspended')) return 'Suspended';
  if (hasCondition(status, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(status, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** The template an update may change without tripping immutability, as validatePodTemplateUpdate sees it. */
function comparableOldTemplate(template: PodTemplate | undefined, oldTemplate: PodTemplate | undefined, mutableScheduling: boolean): PodTemplate | undefined {
  if (!mutableScheduling) return oldTemplate;
  const old = copyJson<PodTemplate>(oldTemplate ?? {});
  const newSpec = template?.spec ?? {};
  const oldSpec = (old.spec ??= {});
  if (!isSet(newSpec.affinity) && isSet(oldSpec.affinity)) {
    const rest = { ...oldSpec.affinity };
    delete rest.nodeAffinity;
    if (Object.keys(rest).length === 0) delete oldSpec.affinity;
    else oldSpec.affinity = rest;
  } else if (isSet(newSpec.affinity) && !isSet(oldSpec.affinity)) {
    oldSpec.affinity = isSet(newSpec.affinity.nodeAffinity) ? { nodeAffinity: newSpec.affinity.nodeAffinity } : {};
  } else if (isSet(newSpec.affinity) && isSet(oldSpec.affinity)) {
    oldSpec.affinity = { ...oldSpec.affinity, nodeAffinity: newSpec.affinity.nodeAffinity };
    if (oldSpec.affinity.nodeAffinity === undefined) delete oldSpec.affinity.nodeAffinity;
  }
  for (const key of ['nodeSelector', 'tolerations', 'schedulingGates'] as const) {
    if (newSpec[key] === undefined) delete oldSpec[key];
    else oldSpec[key] = newSpec[key];
  }
  const meta = (old.metadata ??= {});
  for (const key of ['annotations', 'labels'] as const) {
    if (template?.metadata?.[key] === undefined) delete meta[key];
    else meta[key] = template.metadata[key];
  }
  return old;
}

const immutable = (field: string, value: unknown): FieldError => fieldError.invalid(field, value, 'field is immutable');

export const job: KindDef = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  subresources: ['status'],
  columns: [
    { name: 'Status', type: 'string', description: 'Status of the job.' },
    { name: 'Completions', type: 'string', description: 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.' },
    { name: 'Duration', type: 'string', description: 'Time required to complete the job.' },
    AGE_COLUMN,
    { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.' },
    { name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.' },
    { name: 'Selector', type: 'string', priority: 1, description: 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors' },
  ],
  row(obj, ctx) {
    const spec = specOf(obj);
    const status = statusOf(obj);
    const now = ctx.now();
    const succeeded = status.succeeded ?? 0;
    let completions: string;
    if (isSet(spec.completions)) completions = `${succeeded}/${spec.completions}`;
    else if ((spec.parallelism ?? 0) > 1) completions = `${succeeded}/1 of ${spec.parallelism}`;
    else completions = `${succeeded}/1`;
    let duration = '';
    if (status.startTime) {
      const start = new Date(status.startTime).getTime();
      const end = status.completionTime ? new Date(status.completionTime).getTime() : now.getTime();
      duration = humanDuration(end - start);
    }
    const [names, images] = containerCells(spec.template);
    return [jobStatusCell(obj), completions, duration, creationAge(obj, now), names, images, formatLabelSelector(spec.selector)];
  },
  fieldSelectors: {
    'status.successful': (o) => String(statusOf(o).succeeded ?? 0),
  },
  prepareForCreate(obj) {
    if (specOf(obj).manualSelector !== true) generateSelector(obj);
    obj.status = {};
  },
  defaults(obj) {
    const spec = (obj.spec ??= {}) as JobSpec;
    // A non-parallel job may leave both unset; then both are 1.
    if (!isSet(spec.completions) && !isSet(spec.parallelism)) {
      spec.completions = 1;
      spec.parallelism = 1;
    }
    if (!isSet(spec.parallelism)) spec.parallelism = 1;
    if (!isSet(spec.backoffLimit)) spec.backoffLimit = isSet(spec.backoffLimitPerIndex) ? 2147483647 : 6;
    const templateLabels = spec.template?.metadata?.labels;
    if (templateLabels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...templateLabels };
    if (!isSet(spec.completionMode)) spec.completionMode = 'NonIndexed';
    if (!isSet(spec.suspend)) spec.suspend = false;
    if (!isSet(spec.manualSelector)) spec.manualSelector = false;
    for (const rule of spec.podFailurePolicy?.rules ?? []) {
      for (const pattern of rule.onPodConditions ?? []) if (!pattern.status) pattern.status = 'True';
    }
    if (!isSet(spec.podReplacementPolicy)) spec.podReplacementPolicy = isSet(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
    if (spec.template && typeof spec.template === 'object') defaultPodTemplateSpec(spec.template as Record<string, unknown>);
  },
  validate(obj) {
    const spec = specOf(obj);
    const errs = [...validateGeneratedSelector(obj), ...validateJobSpec(spec)];
    if (spec.completionMode === 'Indexed' && isSet(spec.completions) && spec.completions > 0) {
      // Indexed pods are named `<job>-<index>`, which must be a DNS label.
      const name = obj.metadata.name ?? '';
      const maxHostname = `${name}-${spec.completions - 1}`;
      if (isDNS1123Label(maxHostname).length) {
        errs.push(fieldError.invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${maxHostname}`));
      }
    }
    return errs;
  },
  validateUpdate(obj, old) {
    const spec = specOf(obj);
    const oldSpec = specOf(old);
    const errs: FieldError[] = [];
    // Completions may change only for Indexed jobs, and then together with parallelism.
    const indexed = spec.completionMode === 'Indexed';
    if (!sameJSON(spec.completions, oldSpec.completions)) {
      if (!indexed) errs.push(immutable('spec.completions', spec.completions ?? null));
      else if (isSet(spec.completions) && spec.completions !== spec.parallelism) {
        errs.push(fieldError.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
      }
    }
    if (!sameJSON(spec.selector, oldSpec.selector)) errs.push(immutable('spec.selector', spec.selector ?? null));
    // A suspended Job that never started may still change where its pods will run.
    const mutableScheduling = oldSpec.suspend === true && !statusOf(old).startTime;
    if (!sameJSON(spec.template, comparableOldTemplate(spec.template, oldSpec.template, mutableScheduling))) {
      errs.push(immutable('spec.template', spec.template ?? null));
    }
    for (const key of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const) {
      if (!sameJSON(spec[key], oldSpec[key])) errs.push(immutable(`spec.${key}`, spec[key] ?? null));
    }
    return errs;
  },
};
