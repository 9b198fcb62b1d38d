// What Deployment, ReplicaSet and ReplicationController share: a selector that must match the
// template's labels, a pod template that must restart Always, and the CONTAINERS/IMAGES cells.
import { fieldError, printValue, type FieldError } from '../errors.js';
import type { Column, KObject, Unstructured } from './types.js';
import { AGE_COLUMN } from './print.js';
import { selectorFromLabelSelector, type LabelSelectorObject } from '../selectors.js';
import { validatePodTemplateSpec } from './pod-spec.js';
import { validateLabelSelector } from '../validation/label-selector.js';


export function validateReplicatedSpec(obj: KObject, selectorIsMap: boolean): FieldError[] {
  const spec = (obj.spec ?? {}) as Unstructured;
  const errs: FieldError[] = [];
  const labels = spec.template?.metadata?.labels ?? {};
  if (selectorIsMap) {
    const sel = spec.selector ?? {};
    if (!Object.keys(sel).length) errs.push(fieldError.required('spec.selector', ''));
    else if (!Object.entries(sel).every(([k, v]) => labels[k] === v)) errs.push(fieldError.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  } else if (!spec.selector) {
    errs.push(fieldError.required('spec.selector', ''));
  } else {
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    const sel = spec.selector as LabelSelectorObject;
    if (!sel.matchLabels && !sel.matchExpressions?.length) errs.push(fieldError.invalid('spec.selector', sel, 'empty selector is invalid for deployment'));
    else if (!selectorFromLabelSelector(sel).matches(labels)) errs.push(fieldError.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  if (spec.replicas !== undefined && (typeof spec.replicas !== 'number' || spec.replicas < 0)) errs.push(fieldError.invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  if (!spec.template) errs.push(fieldError.required('spec.template', ''));
  else {
    errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
    const rp = spec.template.spec?.restartPolicy;
    if (rp !== undefined && rp !== 'Always') errs.push(fieldError.notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  }
  return errs;
}

export function selectorImmutable(obj: KObject, old: KObject): FieldError[] {
  const a = (obj.spec as Unstructured)?.selector;
  const b = (old.spec as Unstructured)?.selector;
  if (JSON.stringify(a) !== JSON.stringify(b)) return [fieldError.invalid('spec.selector', a, 'field is immutable')];
  return [];
}

export { printValue };

/** DESIRED, CURRENT, READY, AGE and the wide columns ReplicaSets and ReplicationControllers share. */
export function replicatedColumns(noun: string): Column[] {
  return [
    { name: 'Desired', type: 'integer', description: 'Number of desired pods.' },
    { name: 'Current', type: 'integer', description: 'Replicas is the most recently observed number of replicas.' },
    { name: 'Ready', type: 'integer', description: `The number of ready replicas for this ${noun}.` },
    AGE_COLUMN,
    { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.' },
    { name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.' },
    { name: 'Selector', type: 'string', priority: 1, description: 'Selector is a label query over pods that should match the replica count.' },
  ];
}
