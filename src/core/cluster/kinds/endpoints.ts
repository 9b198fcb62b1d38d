// Endpoints: the addresses behind a Service, printed as ip:port pairs.
import type { KindDef, Unstructured } from './types.js';
import { AGE_COLUMN, creationAge, joinMax } from './print.js';


export function endpointsCell(ep: Unstructured): string {
  const pairs: string[] = [];
  // Port by port, then address by address, as kubectl's printer walks a subset.
  for (const s of ep.subsets ?? []) {
    const ports: Unstructured[] = s.ports?.length ? s.ports : [{}];
    for (const p of ports) for (const a of s.addresses ?? []) pairs.push(p.port ? `${a.ip}:${p.port}` : a.ip);
  }
  return joinMax(pairs, 3);
}

export const endpoints: KindDef = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  // As a v1.33 apiserver answers every request for Endpoints (KEP-4974).
  deprecationWarning: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
  columns: [{ name: 'Endpoints', type: 'string', description: 'Endpoints of the service.' }, AGE_COLUMN],
  row: (obj, ctx) => [endpointsCell(obj as Unstructured), creationAge(obj, ctx.now())],
};
