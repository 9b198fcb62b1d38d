// Deeply nested objects: a CRD whose schema nests 1,400 fields is an ordinary CRD to a real
// cluster, and so it is here, with its custom resources. Past the nesting this server can walk
// (three thousand levels; Go's decoder allows ten thousand) a body gets the decoder's own
// max-depth answer, and a patch that would nest an object that deep is refused as an invalid patch.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../helpers/api.js';
import { stringifyJson } from '../../../src/core/cluster/json-text.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

afterEach(async () => {
  const r = await api.request('GET', '/api/v1/namespaces/default/configmaps');
  expect(r.status).toBe(200);
});

/** `{a: {a: … leaf …}}`, `depth` objects deep. */
function nested(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

function schema(depth: number): unknown {
  let s: unknown = { type: 'string' };
  for (let i = 0; i < depth; i++) s = { type: 'object', properties: { a: s } };
  return s;
}

function crd(plural: string, kind: string, openAPIV3Schema: unknown) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.example.com` },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural, kind, singular: kind.toLowerCase() }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema } }] },
  };
}

const post = (path: string, body: unknown, query = '') => api.request('POST', `${path}${query}`, { body: stringifyJson(body), headers: JSON_TYPE });

describe('a CRD whose schema nests 1,400 fields', () => {
  it('is created, and so is a custom resource as deep as its schema, which reads back whole', async () => {
    const created = await post(CRDS, crd('deeps', 'Deep', schema(1400)));
    expect(created.status).toBe(201);
    expect(created.json().status.conditions.find((c: { type: string }) => c.type === 'Established').status).toBe('True');
    const cr = { apiVersion: 'example.com/v1', kind: 'Deep', metadata: { name: 'one' }, ...(nested(1400, 'leaf') as object) };
    const r = await post('/apis/example.com/v1/namespaces/default/deeps', cr);
    expect(r.status).toBe(201);
    const got = await api.request('GET', '/apis/example.com/v1/namespaces/default/deeps/one');
    expect(got.status).toBe(200);
    let v = got.json() as { a: unknown };
    for (let i = 0; i < 1400; i++) v = v.a as { a: unknown };
    expect(v).toBe('leaf');
    const applied = await api.request('PATCH', '/apis/example.com/v1/namespaces/default/deeps/two?fieldManager=learner', {
      body: stringifyJson({ ...cr, metadata: { name: 'two' } }),
      headers: { 'content-type': 'application/apply-patch+yaml' },
    });
    expect(applied.status).toBe(201);
  });
});

describe('an object nested deeper than this server walks', () => {
  it('is refused with the JSON decoder\'s max-depth answer, below Go\'s own limit', async () => {
    expect((await post(CRDS, crd('frees', 'Free', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }))).status).toBe(201);
    const r = await post('/apis/example.com/v1/namespaces/default/frees', { apiVersion: 'example.com/v1', kind: 'Free', metadata: { name: 'x' }, spec: nested(5000, 1) });
    expect(r.status).toBe(400);
    expect(r.json().message).toBe(`the object provided is unrecognized (must be of type Free): couldn't get version/kind; json parse error: invalid character '{' exceeded max depth ({"apiVersion":"example.com/v1" ...)`);
    expect((await api.request('GET', '/apis/example.com/v1/namespaces/default/frees/x')).status).toBe(404);
  });

  it('cannot be made by a patch either: the patched object fails to decode, an invalid patch', async () => {
    const ok = await post('/apis/example.com/v1/namespaces/default/frees', { apiVersion: 'example.com/v1', kind: 'Free', metadata: { name: 'grows' }, spec: nested(2000, 1) });
    expect(ok.status).toBe(201);
    let path = '/spec';
    for (let i = 0; i < 2000; i++) path += '/a';
    const r = await api.request('PATCH', '/apis/example.com/v1/namespaces/default/frees/grows', {
      body: stringifyJson([{ op: 'replace', path, value: nested(2000, 1) }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(r.status).toBe(422);
    expect(r.json().message).toMatch(/^ "" is invalid: patch: Invalid value: "\{.*\}": couldn't get version\/kind; json parse error: invalid character '\{' exceeded max depth$/s);
    const still = (await api.request('GET', '/apis/example.com/v1/namespaces/default/frees/grows')).json();
    expect(still.metadata.generation).toBe(1);
  });
});
