// PriorityClass (scheduling.k8s.io/v1): a name for a pod priority; the value is immutable.
import type { KindDef, Unstructured } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';


export const priorityClass: KindDef = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  columns: [
    { name: 'Value', type: 'integer', description: 'The value of this priority class.' },
    { name: 'Global-Default', type: 'boolean', description: 'globalDefault specifies whether this PriorityClass should be considered as the default priority.' },
    AGE_COLUMN,
    { name: 'PreemptionPolicy', type: 'string', description: 'PreemptionPolicy is the Policy for preempting pods with lower priority.' },
  ],
  row: (obj, ctx) => [(obj as Unstructured).value ?? 0, !!(obj as Unstructured).globalDefault, creationAge(obj, ctx.now()), (obj as Unstructured).preemptionPolicy ?? 'PreemptLowerPriority'],
  defaults(obj) {
    (obj as Unstructured).preemptionPolicy ??= 'PreemptLowerPriority';
  },
  validate(obj) {
    const o = obj as Unstructured;
    const errs: FieldError[] = [];
    if (typeof o.value !== 'number') errs.push(fieldError.required('value', ''));
    else if (o.value > 1000000000 && !String(o.metadata.name).startsWith('system-')) errs.push(fieldError.forbidden('value', 'maximum allowed value of a user defined priority is 1000000000'));
    return errs;
  },
  validateUpdate(obj, old) {
    return (obj as Unstructured).value !== (old as Unstructured).value ? [fieldError.forbidden('value', 'may not be changed in an update.')] : [];
  },
};
