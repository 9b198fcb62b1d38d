// Endpoints: the addresses behind a Service, printed as ip:port pairs.
import type { KindDef } from './types.js';
import { AGE_COLUMN, creationAge, joinMax } from './print.js';

type Obj = Record<string, any>;

export function endpointsCell(ep: Obj): string {
  const pairs: string[] = [];
  for (const s of ep.subsets ?? []) {
    const ports: Obj[] = s.ports?.length ? s.ports : [{}];
    for (const a of s.addresses ?? []) for (const p of ports) pairs.push(p.port ? `${a.ip}:${p.port}` : a.ip);
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
  deprecationWarning: undefined,
  columns: [{ name: 'Endpoints', type: 'string', description: 'Endpoints of the service.' }, AGE_COLUMN],
  row: (obj, ctx) => [endpointsCell(obj as Obj), creationAge(obj, ctx.now())],
};
