// ResourceQuota: limits on what a namespace may use, printed as used/hard pairs.
import type { KindDef, Unstructured } from './types.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { own } from '../own.js';


function pairs(hard: Unstructured, used: Unstructured, pick: (k: string) => boolean): string {
  return Object.keys(hard)
    .filter(pick)
    .sort()
    .map((k) => `${k}: ${own(used, k) ?? '0'}/${hard[k]}`)
    .join(', ');
}

export const resourceQuota: KindDef = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  subresources: ['status'],
  tracksGeneration: false,
  columns: [
    AGE_COLUMN,
    { name: 'Request', type: 'string', description: 'Request represents a minimum amount of cpu/memory that a container may consume.' },
    { name: 'Limit', type: 'string', description: 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.' },
  ],
  row(obj, ctx) {
    const hard = (obj as Unstructured).status?.hard ?? (obj as Unstructured).spec?.hard ?? {};
    const used = (obj as Unstructured).status?.used ?? {};
    return [creationAge(obj, ctx.now()), pairs(hard, used, (k) => !k.startsWith('limits.')), pairs(hard, used, (k) => k.startsWith('limits.'))];
  },
  prepareForCreate(obj) {
    const hard = (obj as Unstructured).spec?.hard ?? {};
    obj.status = { hard, used: Object.fromEntries(Object.keys(hard).map((k) => [k, '0'])) };
  },
};
