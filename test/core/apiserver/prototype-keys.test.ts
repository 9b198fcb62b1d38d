// One API server hosts many learners' clusters. A learner who writes `__proto__`, `constructor` or
// `prototype` into a body, a patch or a JSON pointer gets the answer a real apiserver gives for
// that field name, nothing is stored, and no other learner sees any trace of it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../helpers/api.js';
import { newCluster } from '../../../src/core/cluster/factory.js';
import { ManualClock } from '../../../src/core/cluster/clock.js';
import { descriptorsFromBinary, kubectlPath } from '../../../src/core/apiserver/protobuf.js';
import type { HostedCluster } from '../../../src/core/apiserver/server.js';
import { configMapProtobuf } from '../../helpers/protobuf.js';

const PROTOTYPE_MEMBERS = Object.getOwnPropertyNames(Object.prototype).sort();
const CM = '/api/v1/namespaces/default/configmaps';
const JSON_TYPE = { 'content-type': 'application/json' };

let api: TestApi;
let other: HostedCluster;
let otherBefore: string;

beforeAll(async () => {
  api = await startApi();
  other = api.server.host(newCluster({ clock: new ManualClock(new Date()) }), 'neighbour');
  const r = await api.request('POST', CM, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target' }, data: { a: '1' } }), headers: JSON_TYPE });
  expect(r.status).toBe(201);
  const o = await neighbour('POST', CM, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs' }, data: { b: '2' } }));
  expect(o.status).toBe(201);
  otherBefore = (await neighbour('GET', `${CM}/theirs`)).text;
});
afterAll(() => api.close());

/** A request to the other learner's cluster, with its own token. */
function neighbour(method: string, p: string, body?: string) {
  return api.request(method, `/clusters/${other.id}${p}`, { token: other.token, body, headers: body ? JSON_TYPE : {} });
}

afterEach(async () => {
  // The server process's Object.prototype is untouched…
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_MEMBERS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  // …the learner's own object is as it was…
  const mine = await api.request('GET', `${CM}/target`);
  expect(mine.json().data).toEqual({ a: '1' });
  expect(Object.keys(mine.json())).toEqual(['apiVersion', 'kind', 'metadata', 'data']);
  // …and the other learner's cluster answers exactly as before, without warnings.
  const theirs = await neighbour('GET', `${CM}/theirs`);
  expect(theirs.status).toBe(200);
  expect(theirs.text).toBe(otherBefore);
  expect(theirs.headers.warning).toBeUndefined();
  const list = await neighbour('GET', CM);
  expect(list.headers.warning).toBeUndefined();
  expect(list.json().items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['kube-root-ca.crt', 'theirs']);
});

// As kubectl does, the writes ask for Strict; a client that does not is warned instead (see field-validation.test.ts).
const patch = (type: string, body: string, query = '?fieldValidation=Strict') =>
  api.request('PATCH', `${CM}/target${query}`, { body, headers: { 'content-type': type } });

describe('a JSON patch through prototype names', () => {
  for (const path of ['/__proto__/polluted', '/constructor/prototype/polluted', '/__proto__/deprecationWarning', '/data/constructor/prototype']) {
    it(`is 422 Invalid for ${path}, a path the object does not have`, async () => {
      const r = await patch('application/json-patch+json', JSON.stringify([{ op: 'add', path, value: 'attacker text' }]));
      expect(r.status).toBe(422);
      expect(r.json()).toMatchObject({
        reason: 'Invalid',
        message: 'the server rejected our request due to an error in our request',
        details: { causes: [{ message: `add operation does not apply: doc is missing path: "${path}": missing value` }] },
      });
    });
  }

  it('that adds a top-level `__proto__` field is a strict decoding error on the patched object', async () => {
    const r = await patch('application/json-patch+json', JSON.stringify([{ op: 'add', path: '/__proto__', value: { polluted: 'yes' } }]));
    expect(r.status).toBe(422);
    const s = r.json();
    expect(s.reason).toBe('Invalid');
    expect(s.message).toMatch(/^ "" is invalid: patch: Invalid value: "\{.*\}": strict decoding error: unknown field "__proto__"$/s);
    expect(s.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'patch' });
  });
});

describe('a merge patch naming prototype keys', () => {
  it('is refused under Strict with the patched object and the unknown field', async () => {
    const r = await patch('application/merge-patch+json', '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}');
    expect(r.status).toBe(422);
    expect(r.json().message).toMatch(/: strict decoding error: unknown field "__proto__", unknown field "constructor"$/);
  });

  it('drops them with a warning under Warn', async () => {
    const r = await patch('application/merge-patch+json', '{"__proto__":{"polluted":"yes"},"prototype":"x"}', '?fieldValidation=Warn');
    expect(r.status).toBe(200);
    expect(r.headers.warning).toBe('299 - "unknown field \\"__proto__\\"", 299 - "unknown field \\"prototype\\""');
    expect(Object.keys(r.json())).toEqual(['apiVersion', 'kind', 'metadata', 'data']);
  });
});

describe('a strategic merge patch naming prototype keys', () => {
  it('is refused under Strict, quoting the patch as Go prints a map', async () => {
    const r = await patch('application/strategic-merge-patch+json', '{"constructor":{"prototype":{"polluted":"yes"}}}');
    expect(r.status).toBe(422);
    expect(r.json().message).toBe(' "" is invalid: patch: Invalid value: "map[constructor:map[prototype:map[polluted:yes]]]": strict decoding error: unknown field "constructor"');
  });

  it('is silently dropped under Ignore', async () => {
    const r = await patch('application/strategic-merge-patch+json', '{"__proto__":{"polluted":"yes"}}', '?fieldValidation=Ignore');
    expect(r.status).toBe(200);
    expect(r.headers.warning).toBeUndefined();
    expect(Object.keys(r.json())).toEqual(['apiVersion', 'kind', 'metadata', 'data']);
  });
});

describe('a server-side apply with a prototype key', () => {
  it('cannot be typed: a 500 naming the undeclared field, as the field manager answers', async () => {
    const r = await patch('application/apply-patch+yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: target\n  namespace: default\n__proto__:\n  polluted: yes\n', '?fieldManager=learner');
    expect(r.status).toBe(500);
    expect(r.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'failed to create typed patch object (default/target; /v1, Kind=ConfigMap): .__proto__: field not declared in schema',
      code: 500,
    });
  });
});

describe('a create or update with prototype keys', () => {
  it('answers `constructor` and `toString` under Strict as any unknown field', async () => {
    const r = await api.request('POST', `${CM}?fieldValidation=Strict`, { body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"typo"},"constructor":{"a":1},"toString":"x"}', headers: JSON_TYPE });
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({
      reason: 'BadRequest',
      message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "constructor", unknown field "toString"',
    });
    expect((await api.request('GET', `${CM}/typo`)).status).toBe(404);
  });

  it('names a nested `__proto__` by its path', async () => {
    const r = await api.request('POST', `${CM}?fieldValidation=Strict`, { body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"typo","__proto__":{"name":"other"}}}', headers: JSON_TYPE });
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.__proto__"');
  });

  it('drops them with a warning under Warn, storing the rest', async () => {
    const r = await api.request('POST', `${CM}?fieldValidation=Warn`, { body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"warned"},"__proto__":{"polluted":"yes"},"data":{"k":"v"}}', headers: JSON_TYPE });
    expect(r.status).toBe(201);
    expect(r.headers.warning).toBe('299 - "unknown field \\"__proto__\\""');
    const stored = (await api.request('GET', `${CM}/warned`)).json();
    expect(Object.keys(stored)).toEqual(['apiVersion', 'kind', 'metadata', 'data']);
    expect((await api.request('DELETE', `${CM}/warned`)).status).toBe(200);
  });

  it('refuses an update carrying them and keeps the stored object', async () => {
    const cur = (await api.request('GET', `${CM}/target`)).json();
    const body = JSON.stringify({ ...cur, data: { a: 'changed' } }).replace('"data"', '"prototype":{},"data"');
    const r = await api.request('PUT', `${CM}/target?fieldValidation=Strict`, { body, headers: JSON_TYPE });
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "prototype"');
  });

  it('stores data keys named `__proto__` and `constructor`, valid config keys, as plain members', async () => {
    const r = await api.request('POST', CM, { body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"odd-keys"},"data":{"__proto__":"p","constructor":"c"}}', headers: JSON_TYPE });
    expect(r.status).toBe(201);
    const got = await api.request('GET', `${CM}/odd-keys`);
    expect(got.text).toContain('"data":{"__proto__":"p","constructor":"c"}');
    const table = await api.request('GET', `${CM}/odd-keys`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    expect(table.json().rows[0].cells.slice(0, 2)).toEqual(['odd-keys', 2]);
    expect((await api.request('DELETE', `${CM}/odd-keys`)).status).toBe(200);
  });

  it('accepts a Secret whose type is `constructor`, a free-form type with no required keys', async () => {
    const r = await api.request('POST', '/api/v1/namespaces/default/secrets', { body: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"odd-type"},"type":"constructor"}', headers: JSON_TYPE });
    expect(r.status).toBe(201);
    expect(r.json().type).toBe('constructor');
    expect((await api.request('DELETE', '/api/v1/namespaces/default/secrets/odd-type')).status).toBe(200);
  });
});

const kubectl = kubectlPath();
const hasDescriptors = !!kubectl && descriptorsFromBinary(kubectl).has('.k8s.io.api.core.v1.ConfigMap');

describe('a protobuf body with map keys named after prototype members', () => {
  it.skipIf(!hasDescriptors)('is decoded into plain members', async () => {
    const r = await api.request('POST', CM, { body: configMapProtobuf('from-proto', JSON.parse('{"__proto__":"p","constructor":"c"}')), headers: { 'content-type': 'application/vnd.kubernetes.protobuf' } });
    expect(r.status).toBe(201);
    expect(r.text).toContain('"data":{"__proto__":"p","constructor":"c"}');
    expect((await api.request('DELETE', `${CM}/from-proto`)).status).toBe(200);
  });
});
