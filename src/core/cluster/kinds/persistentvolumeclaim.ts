// PersistentVolumeClaim: a request for storage, Pending until bound.
import type { KindDef, Unstructured } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { ACCESS_MODES, accessModesCell } from './volume-common.js';


export const persistentVolumeClaim: KindDef = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  subresources: ['status'],
  tracksGeneration: false,
  columns: [
    { name: 'Status', type: 'string', description: 'phase represents the current phase of PersistentVolumeClaim.' },
    { name: 'Volume', type: 'string', description: 'volumeName is the binding reference to the PersistentVolume backing this claim.' },
    { name: 'Capacity', type: 'string', description: 'capacity represents the actual resources of the underlying volume.' },
    { name: 'Access Modes', type: 'string', description: 'accessModes contains the actual access modes the volume backing the PVC has.' },
    { name: 'StorageClass', type: 'string', description: 'storageClassName is the name of the StorageClass required by the claim.' },
    { name: 'VolumeAttributesClass', type: 'string', description: 'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.' },
    AGE_COLUMN,
    { name: 'VolumeMode', type: 'string', priority: 1, description: 'volumeMode defines what type of volume is required by the claim.' },
  ],
  row(obj, ctx) {
    const o = obj as Unstructured;
    return [obj.metadata.deletionTimestamp ? 'Terminating' : o.status?.phase ?? '', o.spec?.volumeName ?? '', o.status?.capacity?.storage ?? '', accessModesCell(o.status?.accessModes), o.spec?.storageClassName ?? '', o.spec?.volumeAttributesClassName ?? '<unset>', creationAge(obj, ctx.now()), o.spec?.volumeMode ?? 'Filesystem'];
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending' };
  },
  defaults(obj) {
    const spec = ((obj as Unstructured).spec ??= {});
    spec.volumeMode ??= 'Filesystem';
  },
  validate(obj) {
    const spec = ((obj as Unstructured).spec ?? {}) as Unstructured;
    const errs: FieldError[] = [];
    if (!spec.accessModes?.length) errs.push(fieldError.required('spec.accessModes', 'at least 1 access mode is required'));
    for (const m of spec.accessModes ?? []) if (!ACCESS_MODES.includes(m)) errs.push(fieldError.notSupported('spec.accessModes', m, ACCESS_MODES));
    if (!spec.resources?.requests?.storage) errs.push(fieldError.required('spec.resources[storage]', ''));
    return errs;
  },
  validateUpdate(obj, old) {
    // The binder may set volumeName once, on a claim that had none.
    const strip = (o: Unstructured) => JSON.stringify({ ...o.spec, resources: undefined, volumeAttributesClassName: undefined, volumeName: (old as Unstructured).spec?.volumeName ? o.spec?.volumeName : undefined });
    if (strip(obj as Unstructured) !== strip(old as Unstructured)) return [fieldError.forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims')];
    return [];
  },
};
