// OpenAPI v2 and v3 documents built from the generated definitions: v2 as one document, v3 as
// an index plus one document per group-version (what `kubectl explain` and kubectl's check for
// server-side field validation read). Documents are cached per set of resources.
import { createHash } from 'node:crypto';
import { definitions, definitionName, type Schema } from '../cluster/schema/definitions.js';

export interface OpenApiResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  verbs: string[];
  subresources: string[];
}

const INFO = { title: 'Kubernetes', version: 'v1.33.1' };
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const ALWAYS = [`${META}.Status`, `${META}.DeleteOptions`, `${META}.WatchEvent`, `${META}.APIResourceList`];

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export { definitionName as definitionNameFor };

function query(name: string, description: string): object {
  return { name, in: 'query', description, schema: { type: 'string', uniqueItems: true } };
}

const WRITE_PARAMS = [
  query('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed'),
  query('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  query('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.'),
];

function operations(r: OpenApiResource, ref: string | undefined, item: boolean, v3: boolean): Record<string, object> {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const body = (types: string[]) =>
    v3 ? { requestBody: { content: Object.fromEntries(types.map((t) => [t, { schema: ref ? { $ref: ref } : { type: 'object' } }])), required: true } } : {};
  const ok = { responses: { '200': { description: 'OK', ...(v3 && ref ? { content: { 'application/json': { schema: { $ref: ref } } } } : {}) } } };
  const op = (action: string, extra: object = {}, params: object[] = []) => ({
    operationId: `${action}${r.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: v3 ? params : params.map((p) => ({ ...(p as { schema?: unknown }), type: 'string', schema: undefined })),
    ...extra,
    ...ok,
  });
  const out: Record<string, object> = {};
  const has = (v: string) => r.verbs.includes(v);
  if (item) {
    if (has('get')) out.get = op('get');
    if (has('update')) out.put = op('put', body(['*/*']), WRITE_PARAMS);
    if (has('patch')) {
      out.patch = op(
        'patch',
        body(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']),
        [...WRITE_PARAMS, query('force', 'Force is going to "force" Apply requests.')],
      );
    }
    if (has('delete')) out.delete = op('delete', {}, [WRITE_PARAMS[0]]);
  } else {
    if (has('list')) out.get = op('list');
    if (has('create')) out.post = op('post', body(['*/*']), WRITE_PARAMS);
    if (has('deletecollection')) out.delete = op('deletecollection', {}, [WRITE_PARAMS[0]]);
  }
  return out;
}

function pathsFor(resources: OpenApiResource[], v3: boolean, refPrefix: string): Record<string, object> {
  const paths: Record<string, object> = {};
  for (const r of resources) {
    const name = definitionName(r.group, r.version, r.kind);
    const ref = name ? `${refPrefix}${name}` : undefined;
    const base = `/${gvPath(r.group, r.version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    paths[base] = operations(r, ref, false, v3);
    paths[`${base}/{name}`] = operations(r, ref, true, v3);
    for (const sub of r.subresources) {
      if (sub === 'status' || sub === 'scale') paths[`${base}/{name}/${sub}`] = operations({ ...r, verbs: ['get', 'patch', 'update'] }, ref, true, v3);
    }
  }
  return paths;
}

/** Every definition reachable from `start`. */
function closure(start: string[]): string[] {
  const defs = definitions();
  const seen = new Set<string>();
  const todo = [...start];
  while (todo.length) {
    const n = todo.pop()!;
    if (seen.has(n) || !defs[n]) continue;
    seen.add(n);
    const text = JSON.stringify(defs[n]);
    for (const m of text.matchAll(/#\/definitions\/([^"]+)/g)) todo.push(m[1]);
  }
  return [...seen].sort();
}

/** v2 → v3 shape: refs under components, a described ref wrapped in allOf. */
function toV3(schema: Schema): Schema {
  const walk = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(walk);
    if (!s || typeof s !== 'object') return s;
    const o = s as Record<string, unknown>;
    if (typeof o.$ref === 'string') {
      const ref = o.$ref.replace('#/definitions/', '#/components/schemas/');
      const { $ref: _r, ...rest } = o;
      if (Object.keys(rest).length) return { ...rest, allOf: [{ $ref: ref }], default: {} };
      return { $ref: ref };
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, walk(v)]));
  };
  return walk(schema) as Schema;
}

const cache = new Map<string, unknown>();

function cached<T>(key: string, make: () => T): T {
  if (!cache.has(key)) {
    if (cache.size > 64) cache.clear();
    cache.set(key, make());
  }
  return cache.get(key) as T;
}

function keyOf(resources: OpenApiResource[]): string {
  return resources.map((r) => `${r.group}/${r.version}/${r.plural}`).join(',');
}

export function openapiV2(resources: OpenApiResource[]): object {
  return cached(`v2|${keyOf(resources)}`, () => ({
    swagger: '2.0',
    info: INFO,
    paths: pathsFor(resources, false, '#/definitions/'),
    definitions: definitions(),
  }));
}

export function openapiV3GroupVersion(path: string, resources: OpenApiResource[]): object | undefined {
  return cached(`v3|${path}|${keyOf(resources)}`, () => {
    const mine = resources.filter((r) => gvPath(r.group, r.version) === path);
    if (!mine.length) return undefined;
    const roots = mine.map((r) => definitionName(r.group, r.version, r.kind)).filter((n): n is string => !!n);
    const defs = definitions();
    const schemas = Object.fromEntries(closure([...roots, ...ALWAYS]).map((n) => [n, toV3(defs[n])]));
    return { openapi: '3.0.0', info: INFO, paths: pathsFor(mine, true, '#/components/schemas/'), components: { schemas } };
  });
}

export function openapiV3Hash(path: string, resources: OpenApiResource[]): string {
  return cached(`hash|${path}|${keyOf(resources)}`, () =>
    createHash('sha512').update(JSON.stringify(openapiV3GroupVersion(path, resources) ?? {})).digest('hex').toUpperCase(),
  );
}

export function openapiV3Index(prefix: string, resources: OpenApiResource[]): object {
  const gvs = [...new Set(resources.map((r) => gvPath(r.group, r.version)))];
  const paths: Record<string, object> = {};
  for (const gv of gvs) paths[gv] = { serverRelativeURL: `${prefix}/openapi/v3/${gv}?hash=${openapiV3Hash(gv, resources)}` };
  return { paths };
}
