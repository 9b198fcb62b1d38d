// ControllerRevision (apps/v1): an immutable snapshot of a DaemonSet's or StatefulSet's template,
// numbered by revision; `kubectl rollout history` reads them.
import type { KindDef } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { nonNegative } from '../validation/ports.js';
import { sameJSON } from '../validation/semantic-equal.js';

export const controllerRevision: KindDef = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  columns: [
    { name: 'Controller', type: 'string', description: 'Controller of the object' },
    { name: 'Revision', type: 'string', description: 'Revision indicates the revision of the state represented by Data.' },
    AGE_COLUMN,
  ],
  row(obj, ctx) {
    const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
    let controller = '<none>';
    if (ref) {
      // formatResourceName: `<kind>.<group>/<name>`, the kind lower-cased, the group left out for core.
      const slash = ref.apiVersion.indexOf('/');
      const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
      const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
      controller = groupKind ? `${groupKind.toLowerCase()}/${ref.name}` : ref.name;
    }
    return [controller, typeof obj.revision === 'number' ? obj.revision : 0, creationAge(obj, ctx.now())];
  },
  defaults(obj) {
    if (obj.revision === undefined || obj.revision === null) obj.revision = 0;
  },
  validate(obj) {
    const errs: FieldError[] = [];
    if (obj.data === undefined || obj.data === null) errs.push(fieldError.required('data', 'data is mandatory'));
    errs.push(...nonNegative(obj.revision, 'revision'));
    return errs;
  },
  validateUpdate(obj, old) {
    if (!sameJSON(obj.data, old.data)) return [fieldError.invalid('data', obj.data ?? null, 'field is immutable')];
    return [];
  },
};
