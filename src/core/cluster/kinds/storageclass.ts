// StorageClass (storage.k8s.io/v1): the default class is marked "(default)" after its name.
import type { KindDef, Unstructured } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';


export function isDefaultClass(obj: Unstructured): boolean {
  const a = obj.metadata?.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

export const storageClass: KindDef = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  nameCell: (obj) => (isDefaultClass(obj as Unstructured) ? `${obj.metadata.name} (default)` : obj.metadata.name!),
  columns: [
    { name: 'Provisioner', type: 'string', description: 'Indicates the type of the provisioner.' },
    { name: 'ReclaimPolicy', type: 'string', description: 'Dynamically provisioned PersistentVolumes of this storage class are created with this reclaimPolicy.' },
    { name: 'VolumeBindingMode', type: 'string', description: 'VolumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.' },
    { name: 'AllowVolumeExpansion', type: 'string', description: 'AllowVolumeExpansion shows whether the storage class allow volume expand.' },
    AGE_COLUMN,
  ],
  row(obj, ctx) {
    const o = obj as Unstructured;
    return [o.provisioner ?? '', o.reclaimPolicy ?? 'Delete', o.volumeBindingMode ?? 'Immediate', String(!!o.allowVolumeExpansion), creationAge(obj, ctx.now())];
  },
  defaults(obj) {
    const o = obj as Unstructured;
    o.reclaimPolicy ??= 'Delete';
    o.volumeBindingMode ??= 'Immediate';
  },
  validate(obj) {
    return (obj as Unstructured).provisioner ? [] : [fieldError.required('provisioner', '')];
  },
  validateUpdate(obj, old) {
    const errs: FieldError[] = [];
    for (const f of ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode']) {
      if (JSON.stringify((obj as Unstructured)[f]) !== JSON.stringify((old as Unstructured)[f])) errs.push(fieldError.forbidden(f, 'updates to ' + f + ' are forbidden.'));
    }
    return errs;
  },
};
