// ConfigMap: keys must be valid config keys; data and binaryData may not share a key.
import type { KindDef } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

export function validateConfigKeys(data: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (data === undefined || data === null) return errs;
  for (const key of Object.keys(data as object)) {
    if (!CONFIG_KEY.test(key)) {
      errs.push(fieldError.invalid(`${field}[${key}]`, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
    } else if (key.length > 253) {
      errs.push(fieldError.invalid(`${field}[${key}]`, key, 'must be no more than 253 characters'));
    }
  }
  return errs;
}

export const configMap: KindDef = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  columns: [{ name: 'Data', type: 'integer', description: 'Number of data in configmap' }, AGE_COLUMN],
  row: (obj, ctx) => [
    Object.keys((obj.data as object) ?? {}).length + Object.keys((obj.binaryData as object) ?? {}).length,
    creationAge(obj, ctx.now()),
  ],
  validate(obj) {
    const errs = [...validateConfigKeys(obj.data, 'data'), ...validateConfigKeys(obj.binaryData, 'binaryData')];
    for (const key of Object.keys((obj.binaryData as object) ?? {})) {
      if (obj.data && key in (obj.data as object)) errs.push(fieldError.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    }
    return errs;
  },
  validateUpdate(obj, old) {
    if (old.immutable === true && (JSON.stringify(obj.data) !== JSON.stringify(old.data) || JSON.stringify(obj.binaryData) !== JSON.stringify(old.binaryData))) {
      return [fieldError.forbidden('data', 'field is immutable when `immutable` is set')];
    }
    if (old.immutable === true && obj.immutable !== true) return [fieldError.forbidden('immutable', 'field is immutable when `immutable` is set')];
    return [];
  },
};
