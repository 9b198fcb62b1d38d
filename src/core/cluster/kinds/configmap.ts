// ConfigMap: keys must be valid config keys; data and binaryData may not share a key.
import type { KindDef } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { hasOwn } from '../own.js';

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

/** core.MaxSecretSize: a ConfigMap's or Secret's values together may take at most 1 MiB. */
export const MAX_CONFIG_SIZE = 1024 * 1024;

/** The bytes a ConfigMap's values take: data as UTF-8, binaryData as the bytes it encodes. */
function configMapSize(data: unknown, binaryData: unknown): number {
  let total = 0;
  for (const v of Object.values((data ?? {}) as object)) total += typeof v === 'string' ? Buffer.byteLength(v) : 0;
  for (const v of Object.values((binaryData ?? {}) as object)) total += typeof v === 'string' ? Buffer.from(v, 'base64').length : 0;
  return total;
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
      if (hasOwn(obj.data, key)) errs.push(fieldError.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    }
    // The apiserver reports this one on the whole object: an empty field path, printed `[]`.
    if (configMapSize(obj.data, obj.binaryData) > MAX_CONFIG_SIZE) errs.push(fieldError.tooLong('[]', '', MAX_CONFIG_SIZE));
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
