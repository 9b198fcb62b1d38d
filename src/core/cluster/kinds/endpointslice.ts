// EndpointSlice (discovery.k8s.io/v1): the scalable form of Endpoints.
import type { KindDef, Unstructured } from './types.js';
import { fieldError } from '../errors.js';
import { AGE_COLUMN, creationAge, joinMax } from './print.js';


export const endpointSlice: KindDef = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  columns: [
    { name: 'AddressType', type: 'string', description: 'The IP protocol for this slice.' },
    { name: 'Ports', type: 'string', description: 'Ports of the slice.' },
    { name: 'Endpoints', type: 'string', description: 'Endpoints of the slice.' },
    AGE_COLUMN,
  ],
  row(obj, ctx) {
    const o = obj as Unstructured;
    const ports: Unstructured[] = o.ports ?? [];
    const addrs: string[] = (o.endpoints ?? []).flatMap((e: Unstructured) => e.addresses ?? []);
    const endpointsCell = addrs.length ? joinMax(addrs, 3) : '<unset>';
    return [o.addressType ?? '', ports.length ? ports.map((p) => p.port ?? '<unset>').join(',') : '<unset>', endpointsCell, creationAge(obj, ctx.now())];
  },
  validate(obj) {
    const t = (obj as Unstructured).addressType;
    if (!t) return [fieldError.required('addressType', '')];
    if (!['IPv4', 'IPv6', 'FQDN'].includes(t)) return [fieldError.notSupported('addressType', t, ['FQDN', 'IPv4', 'IPv6'])];
    return [];
  },
};
