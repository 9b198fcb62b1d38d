// ServiceAccount: an identity for pods.
import type { KindDef } from './types.js';
import { AGE_COLUMN, creationAge } from './print.js';

export const serviceAccount: KindDef = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  subresources: ['token'],
  columns: [{ name: 'Secrets', type: 'string', description: 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.' }, AGE_COLUMN],
  row: (obj, ctx) => [String(((obj.secrets as unknown[]) ?? []).length), creationAge(obj, ctx.now())],
};
