// Ingress (networking.k8s.io/v1): HTTP routing rules to Services.
import type { KindDef, Unstructured } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge } from './print.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateBackend(b: Unstructured | undefined, field: string, errs: FieldError[]): void {
  if (!b) {
    errs.push(fieldError.required(field, ''));
    return;
  }
  if (b.service && b.resource) errs.push(fieldError.invalid(field, '', 'cannot set both service and resource backends'));
  if (b.service) {
    if (!b.service.name) errs.push(fieldError.required(`${field}.service.name`, ''));
    const p = b.service.port ?? {};
    if (p.name === undefined && p.number === undefined) errs.push(fieldError.required(`${field}.service.port`, 'port name or number is required'));
  } else if (!b.resource) errs.push(fieldError.invalid(field, '', 'resource or service backend is required'));
}

export const ingress: KindDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  subresources: ['status'],
  columns: [
    { name: 'Class', type: 'string', description: 'The name of the IngressClass resource.' },
    { name: 'Hosts', type: 'string', description: 'Hosts that incoming requests are matched against before the ingress rule' },
    { name: 'Address', type: 'string', description: 'Address is a list containing ingress points for the load-balancer' },
    { name: 'Ports', type: 'string', description: 'Ports of TLS configurations that open' },
    AGE_COLUMN,
  ],
  row(obj, ctx) {
    const o = obj as Unstructured;
    const hosts = (o.spec?.rules ?? []).map((r: Unstructured) => r.host || '*');
    const addr = (o.status?.loadBalancer?.ingress ?? []).map((i: Unstructured) => i.ip || i.hostname).join(',');
    return [o.spec?.ingressClassName ?? '<none>', hosts.length ? hosts.join(',') : '*', addr, o.spec?.tls?.length ? '80, 443' : '80', creationAge(obj, ctx.now())];
  },
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  validate(obj) {
    const spec = ((obj as Unstructured).spec ?? {}) as Unstructured;
    const errs: FieldError[] = [];
    if (!spec.rules?.length && !spec.defaultBackend) errs.push(fieldError.invalid('spec', spec, 'either `defaultBackend` or `rules` must be specified'));
    if (spec.defaultBackend) validateBackend(spec.defaultBackend, 'spec.defaultBackend', errs);
    (spec.rules ?? []).forEach((r: Unstructured, i: number) => {
      (r.http?.paths ?? []).forEach((p: Unstructured, j: number) => {
        const f = `spec.rules[${i}].http.paths[${j}]`;
        if (!p.pathType) errs.push(fieldError.required(`${f}.pathType`, 'pathType must be specified'));
        else if (!PATH_TYPES.includes(p.pathType)) errs.push(fieldError.notSupported(`${f}.pathType`, p.pathType, PATH_TYPES));
        if (p.pathType !== 'ImplementationSpecific' && p.path && !String(p.path).startsWith('/')) errs.push(fieldError.invalid(`${f}.path`, p.path, "must be an absolute path"));
        validateBackend(p.backend, `${f}.backend`, errs);
      });
    });
    return errs;
  },
};
