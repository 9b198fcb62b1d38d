// IngressClass (networking.k8s.io/v1): which controller serves an Ingress.
import type { KindDef, Unstructured } from './types.js';
import { fieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';


export const ingressClass: KindDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  columns: [
    { name: 'Controller', type: 'string', description: 'Controller that is responsible for handling this class' },
    { name: 'Parameters', type: 'string', description: 'A reference to a resource with additional parameters' },
    AGE_COLUMN,
  ],
  row(obj, ctx) {
    const p = (obj as Unstructured).spec?.parameters;
    return [(obj as Unstructured).spec?.controller ?? '', p ? `${p.kind}/${p.name}` : '<none>', creationAge(obj, ctx.now())];
  },
  validate: (obj) => ((obj as Unstructured).spec?.controller ? [] : [fieldError.required('spec.controller', '')]),
};
