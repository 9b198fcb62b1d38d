// StatefulSet (apps/v1): pods with stable names and storage. Most of its spec is fixed at
// creation: only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy
// and minReadySeconds may change. Its pod template is checked only for labels (as the apiserver
// does: invalid pods surface later, when the controller creates them).
import type { KindDef, KObject } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge, containerCells } from './print.js';
import { defaultPodTemplateSpec } from './pod-spec.js';
import { isDNS1123Label, isDNS1123Subdomain, validateLabels } from '../validation/names.js';
import { labelSelectorAsSelector, validateLabelSelector, type LabelSelector } from '../validation/label-selector.js';
import { nonNegative } from '../validation/ports.js';
import { sameJSON } from '../validation/semantic-equal.js';
import { intOrPercentValue, isNotMoreThan100Percent, validatePositiveIntOrPercent, type IntOrString } from '../validation/int-or-percent.js';

interface StatefulSetSpec {
  replicas?: number | null;
  selector?: LabelSelector | null;
  template?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: { restartPolicy?: string; activeDeadlineSeconds?: number | null; containers?: unknown[] };
  };
  volumeClaimTemplates?: Array<Record<string, unknown>> | null;
  serviceName?: string;
  podManagementPolicy?: string;
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number | null; maxUnavailable?: IntOrString | null } | null };
  revisionHistoryLimit?: number | null;
  minReadySeconds?: number;
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string } | null;
  ordinals?: { start?: number } | null;
}

interface StatefulSetStatus {
  replicas?: number;
  readyReplicas?: number;
}

const specOf = (obj: KObject): StatefulSetSpec => (obj.spec ?? {}) as StatefulSetSpec;
const statusOf = (obj: KObject): StatefulSetStatus => (obj.status ?? {}) as StatefulSetStatus;
const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

/** The one refusal every change outside the mutable fields gets. */
export const FORBIDDEN_SPEC_UPDATE =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

const MUTABLE_FIELDS = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy'] as const;

function validateRetentionPolicyType(policy: unknown, field: string): FieldError[] {
  if (policy === 'Retain' || policy === 'Delete') return [];
  return [fieldError.notSupported(field, policy ?? '', ['Retain', 'Delete'])];
}

function validateStatefulSetSpec(spec: StatefulSetSpec): FieldError[] {
  const errs: FieldError[] = [];
  const policy = spec.podManagementPolicy ?? '';
  if (policy === '') errs.push(fieldError.required('spec.podManagementPolicy'));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    errs.push(fieldError.invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  }

  const strategy = spec.updateStrategy ?? {};
  switch (strategy.type ?? '') {
    case '':
      errs.push(fieldError.required('spec.updateStrategy'));
      break;
    case 'OnDelete':
      if (isSet(strategy.rollingUpdate)) {
        errs.push(fieldError.invalid('spec.updateStrategy.rollingUpdate', strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      }
      break;
    case 'RollingUpdate':
      if (isSet(strategy.rollingUpdate)) {
        const path = 'spec.updateStrategy.rollingUpdate';
        errs.push(...nonNegative(strategy.rollingUpdate.partition ?? 0, `${path}.partition`));
        const maxUnavailable = strategy.rollingUpdate.maxUnavailable;
        if (isSet(maxUnavailable)) {
          errs.push(...validatePositiveIntOrPercent(maxUnavailable, `${path}.maxUnavailable`));
          if (intOrPercentValue(maxUnavailable) === 0) errs.push(fieldError.invalid(`${path}.maxUnavailable`, maxUnavailable, 'cannot be 0'));
          errs.push(...isNotMoreThan100Percent(maxUnavailable, `${path}.maxUnavailable`));
        }
      }
      break;
    default:
      errs.push(fieldError.invalid('spec.updateStrategy', strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }

  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (isSet(retention)) {
    errs.push(...validateRetentionPolicyType(retention.whenDeleted, 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted'));
    errs.push(...validateRetentionPolicyType(retention.whenScaled, 'spec.persistentVolumeClaimRetentionPolicy.whenScaled'));
  }

  errs.push(...nonNegative(spec.replicas ?? 0, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds ?? 0, 'spec.minReadySeconds'));
  if (isSet(spec.ordinals)) errs.push(...nonNegative(spec.ordinals.start ?? 0, 'spec.ordinals.start'));

  if (!isSet(spec.selector)) {
    errs.push(fieldError.required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions ?? []).length === 0) {
      errs.push(fieldError.invalid('spec.selector', spec.selector, 'empty selector is invalid for statefulset'));
    }
  }
  const selector = labelSelectorAsSelector(spec.selector);
  if (!selector) {
    errs.push(fieldError.invalid('spec.selector', spec.selector));
  } else {
    // ValidatePodTemplateSpecForStatefulSet: the selector must select the template; of the
    // template itself only the labels are checked.
    const labels = spec.template?.metadata?.labels;
    if (!selector.empty() && !selector.matches(labels)) {
      errs.push(fieldError.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    }
    errs.push(...validateLabels(labels, 'spec.template.labels'));
  }
  const restartPolicy = spec.template?.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always') errs.push(fieldError.notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  if (isSet(spec.template?.spec?.activeDeadlineSeconds)) {
    errs.push(fieldError.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

function defaultVolumeClaimTemplate(pvc: Record<string, unknown>): void {
  // The apps/v1 conversion stamps apiVersion/kind on each claim template (issue 87583).
  pvc.apiVersion = 'v1';
  pvc.kind = 'PersistentVolumeClaim';
  pvc.metadata ??= {};
  const spec = (pvc.spec ??= {}) as Record<string, unknown>;
  if (!isSet(spec.volumeMode)) spec.volumeMode = 'Filesystem';
  const status = (pvc.status ??= {}) as Record<string, unknown>;
  if (!status.phase) status.phase = 'Pending';
}

export const statefulSet: KindDef = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  subresources: ['scale', 'status'],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' },
  columns: [
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state' },
    AGE_COLUMN,
    { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.' },
    { name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.' },
  ],
  row(obj, ctx) {
    const spec = specOf(obj);
    const [names, images] = containerCells(spec.template);
    return [`${statusOf(obj).readyReplicas ?? 0}/${spec.replicas ?? 0}`, creationAge(obj, ctx.now()), names, images];
  },
  prepareForCreate(obj) {
    obj.status = { replicas: 0, availableReplicas: 0 };
  },
  defaults(obj) {
    const spec = (obj.spec ??= {}) as StatefulSetSpec;
    if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
    const strategy = (spec.updateStrategy ??= {});
    if (!strategy.type) {
      strategy.type = 'RollingUpdate';
      strategy.rollingUpdate ??= {};
    }
    // An explicit `type: RollingUpdate` without rollingUpdate stays without it.
    if (strategy.type === 'RollingUpdate' && isSet(strategy.rollingUpdate) && !isSet(strategy.rollingUpdate.partition)) {
      strategy.rollingUpdate.partition = 0;
    }
    const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
    if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
    if (!retention.whenScaled) retention.whenScaled = 'Retain';
    if (!isSet(spec.replicas)) spec.replicas = 1;
    if (!isSet(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
    if (spec.template && typeof spec.template === 'object') defaultPodTemplateSpec(spec.template as Record<string, unknown>);
    for (const pvc of spec.volumeClaimTemplates ?? []) {
      if (pvc && typeof pvc === 'object') defaultVolumeClaimTemplate(pvc);
    }
  },
  validate(obj) {
    const errs: FieldError[] = [];
    // StatefulSet names become pod hostnames, so they must be DNS labels, not just subdomains.
    const name = obj.metadata.name ?? '';
    if (name && isDNS1123Subdomain(name).length === 0) {
      for (const msg of isDNS1123Label(name)) errs.push(fieldError.invalid('metadata.name', name, msg));
    }
    errs.push(...validateStatefulSetSpec(specOf(obj)));
    return errs;
  },
  validateUpdate(obj, old) {
    const spec = { ...specOf(obj) } as Record<string, unknown>;
    const oldSpec = specOf(old) as Record<string, unknown>;
    for (const key of MUTABLE_FIELDS) {
      if (key in oldSpec) spec[key] = oldSpec[key];
      else delete spec[key];
    }
    if (!sameJSON(spec, oldSpec)) return [fieldError.forbidden('spec', FORBIDDEN_SPEC_UPDATE)];
    return [];
  },
};
