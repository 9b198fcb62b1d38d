// PersistentVolume: cluster-scoped storage, Available until a claim binds it.
import type { KindDef, Unstructured } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { ACCESS_MODES, accessModesCell } from './volume-common.js';


export const persistentVolume: KindDef = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  subresources: ['status'],
  tracksGeneration: false,
  columns: [
    { name: 'Capacity', type: 'string', description: 'capacity is the description of the persistent volume\'s resources and capacity.' },
    { name: 'Access Modes', type: 'string', description: 'accessModes contains all ways the volume can be mounted.' },
    { name: 'Reclaim Policy', type: 'string', description: 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.' },
    { name: 'Status', type: 'string', description: 'phase indicates if a volume is available, bound to a claim, or released by a claim.' },
    { name: 'Claim', type: 'string', description: 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.' },
    { name: 'StorageClass', type: 'string', description: 'storageClassName is the name of StorageClass to which this persistent volume belongs.' },
    { name: 'VolumeAttributesClass', type: 'string', description: 'Name of VolumeAttributesClass to which this persistent volume belongs.' },
    { name: 'Reason', type: 'string', description: 'reason is a brief CamelCase string that describes any failure.' },
    AGE_COLUMN,
    { name: 'VolumeMode', type: 'string', priority: 1, description: 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.' },
  ],
  row(obj, ctx) {
    const o = obj as Unstructured;
    const claim = o.spec?.claimRef ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}` : '';
    return [o.spec?.capacity?.storage ?? '', accessModesCell(o.spec?.accessModes), o.spec?.persistentVolumeReclaimPolicy ?? '', obj.metadata.deletionTimestamp ? 'Terminating' : o.status?.phase ?? '', claim, o.spec?.storageClassName ?? '', o.spec?.volumeAttributesClassName ?? '<unset>', o.status?.reason ?? '', creationAge(obj, ctx.now()), o.spec?.volumeMode ?? 'Filesystem'];
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending' };
  },
  defaults(obj) {
    const spec = ((obj as Unstructured).spec ??= {});
    spec.persistentVolumeReclaimPolicy ??= 'Retain';
    spec.volumeMode ??= 'Filesystem';
  },
  validate(obj) {
    const spec = ((obj as Unstructured).spec ?? {}) as Unstructured;
    const errs: FieldError[] = [];
    if (!spec.capacity?.storage) errs.push(fieldError.required('spec.capacity', ''));
    if (!spec.accessModes?.length) errs.push(fieldError.required('spec.accessModes', ''));
    for (const m of spec.accessModes ?? []) if (!ACCESS_MODES.includes(m)) errs.push(fieldError.notSupported('spec.accessModes', m, ACCESS_MODES));
    return errs;
  },
};
