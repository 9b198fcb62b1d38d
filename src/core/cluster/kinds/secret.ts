// Secret: base64 data, stringData folded into data on write (and never read back), and the
// required keys of the well-known types.
import type { KindDef, Unstructured } from './types.js';
import { badRequest, fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { MAX_CONFIG_SIZE, validateConfigKeys } from './configmap.js';
import { own, setOwn } from '../own.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/basic-auth': [],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

function foldStringData(obj: Unstructured): void {
  for (const [k, v] of Object.entries(obj.data ?? {})) {
    if (typeof v !== 'string' || v.length % 4 !== 0 || !BASE64.test(v)) {
      const at = typeof v === 'string' ? [...v].findIndex((ch) => !/[A-Za-z0-9+/=]/.test(ch)) : 0;
      throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at < 0 ? Math.max(0, String(v).length - 1) : at}`);
    }
    void k;
  }
  if (obj.stringData) {
    obj.data = { ...(obj.data ?? {}) };
    for (const [k, v] of Object.entries(obj.stringData)) setOwn(obj.data, k, Buffer.from(String(v), 'utf8').toString('base64'));
    delete obj.stringData;
  }
}

export const secret: KindDef = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  columns: [
    { name: 'Type', type: 'string', description: 'The type of the secret' },
    { name: 'Data', type: 'string', description: 'The number of entries in data' },
    AGE_COLUMN,
  ],
  row: (obj, ctx) => [(obj as Unstructured).type ?? 'Opaque', String(Object.keys((obj as Unstructured).data ?? {}).length), creationAge(obj, ctx.now())],
  fieldSelectors: { type: (o) => (o as Unstructured).type ?? '' },
  prepareForCreate: (obj) => foldStringData(obj),
  prepareForUpdate: (obj) => foldStringData(obj),
  defaults(obj) {
    (obj as Unstructured).type ??= 'Opaque';
  },
  validate(obj) {
    const o = obj as Unstructured;
    const errs: FieldError[] = validateConfigKeys(o.data, 'data');
    let size = 0;
    for (const v of Object.values((o.data ?? {}) as object)) size += typeof v === 'string' ? Buffer.from(v, 'base64').length : 0;
    if (size > MAX_CONFIG_SIZE) errs.push(fieldError.tooLong('data', '', MAX_CONFIG_SIZE));
    for (const key of own<string[]>(REQUIRED_KEYS, o.type) ?? []) if (!own(o.data, key)) errs.push(fieldError.required(`data[${key}]`, ''));
    if (o.type === 'kubernetes.io/service-account-token' && !o.metadata?.annotations?.['kubernetes.io/service-account.name']) {
      errs.push(fieldError.required('metadata.annotations[kubernetes.io/service-account.name]', ''));
    }
    return errs;
  },
  validateUpdate(obj, old) {
    const errs: FieldError[] = [];
    if ((obj as Unstructured).type !== (old as Unstructured).type) errs.push(fieldError.invalid('type', (obj as Unstructured).type, 'field is immutable'));
    if ((old as Unstructured).immutable === true && JSON.stringify((obj as Unstructured).data) !== JSON.stringify((old as Unstructured).data)) errs.push(fieldError.forbidden('data', 'field is immutable when `immutable` is set'));
    return errs;
  },
};
