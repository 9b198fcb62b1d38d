// LimitRange: per-container defaults and bounds in a namespace.
import type { KindDef, Unstructured } from './types.js';
import { fieldError, type FieldError } from '../errors.js';

const TYPES = ['Container', 'Pod', 'PersistentVolumeClaim'];

export const limitRange: KindDef = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],
  columns: [{ name: 'Created At', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' }],
  row: (obj) => [obj.metadata.creationTimestamp ?? ''],
  defaults(obj) {
    // SetDefaults_LimitRangeItem: max fills default, default and min fill defaultRequest.
    for (const item of ((obj as Unstructured).spec?.limits ?? []) as Unstructured[]) {
      if (item.type !== 'Container') continue;
      item.default = { ...(item.max ?? {}), ...(item.default ?? {}) };
      item.defaultRequest = { ...(item.min ?? {}), ...item.default, ...(item.defaultRequest ?? {}) };
      if (!Object.keys(item.default).length) delete item.default;
      if (!Object.keys(item.defaultRequest).length) delete item.defaultRequest;
    }
  },
  validate(obj) {
    const errs: FieldError[] = [];
    ((obj as Unstructured).spec?.limits ?? []).forEach((l: Unstructured, i: number) => {
      if (!TYPES.includes(l.type)) errs.push(fieldError.notSupported(`spec.limits[${i}].type`, l.type, TYPES));
    });
    return errs;
  },
};
