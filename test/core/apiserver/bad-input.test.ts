// Bad input gets the Status a real apiserver gives, the server keeps serving, and nothing stored
// is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../helpers/api.js';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
  const r = await api.request('POST', '/api/v1/namespaces/default/configmaps', {
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep' }, data: { a: '1' } }),
    headers: { 'content-type': 'application/json' },
  });
  expect(r.status).toBe(201);
});
afterAll(() => api.close());

async function storedIsIntact(): Promise<void> {
  const r = await api.request('GET', '/api/v1/namespaces/default/configmaps/keep');
  expect(r.status).toBe(200);
  expect(r.json().data).toEqual({ a: '1' });
}

const post = (body: string | Buffer, type = 'application/json', p = '/api/v1/namespaces/default/configmaps') =>
  api.request('POST', p, { body, headers: { 'content-type': type } });

describe('the API server given bad input', () => {
  it('answers malformed JSON with a 400 BadRequest Status', async () => {
    const r = await post('{"apiVersion": "v1", "kind": ');
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
    await storedIsIntact();
  });

  it('answers malformed YAML with a 400 BadRequest Status', async () => {
    const r = await post('metadata: {name: [unclosed', 'application/yaml');
    expect(r.status).toBe(400);
    expect(r.json().reason).toBe('BadRequest');
    // The JSON serializer reads YAML by converting it first; the 400 names the type it wanted and
    // quotes the body's start in hex, as it does for anything not opening with '{'.
    expect(r.json().message).toMatch(/^the object provided is unrecognized \(must be of type ConfigMap\): error converting YAML to JSON: yaml: .* \(6d657461646174613a207b6e616d653a205b756e636c6f736564\)$/);
    await storedIsIntact();
  });

  it('refuses a YAML alias bomb instead of expanding it', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    bomb.push('metadata: {name: bomb}', 'data: {k: *i}');
    const r = await post(bomb.join('\n'), 'application/yaml');
    expect(r.status).toBe(400);
    expect(r.json().message).toMatch(/alias/i);
    await storedIsIntact();
  });

  it('answers a 10 MB body with 413 RequestEntityTooLarge', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { k: 'x'.repeat(10 * 1024 * 1024) } });
    const r = await post(big);
    expect(r.status).toBe(413);
    expect(r.json()).toMatchObject({ reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' });
    await storedIsIntact();
  });

  it('rejects an invalid name with 422 Invalid and the RFC 1123 explanation', async () => {
    const r = await post(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } }));
    expect(r.status).toBe(422);
    const s = r.json();
    expect(s.reason).toBe('Invalid');
    expect(s.message).toBe(
      `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
    expect(s.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'metadata.name' });
    await storedIsIntact();
  });

  it('answers an unknown resource with 404 NotFound', async () => {
    const r = await api.request('GET', '/api/v1/namespaces/default/widgets');
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({ reason: 'NotFound', message: 'the server could not find the requested resource' });
  });

  it('answers a body of another kind with 400 BadRequest', async () => {
    const r = await post(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }));
    expect(r.status).toBe(400);
    expect(r.json().message).toMatch(/^Secret in version "v1" cannot be handled as a ConfigMap/);
  });

  it('answers a missing or wrong token with 401 Unauthorized', async () => {
    for (const token of [null, 'wrong-token']) {
      const r = await api.request('GET', '/api/v1/namespaces/default/configmaps', { token });
      expect(r.status).toBe(401);
      expect(r.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
    await storedIsIntact();
  });

  it('answers a token for another cluster path with 401', async () => {
    const r = await api.request('GET', '/clusters/nope/api/v1/namespaces');
    expect(r.status).toBe(401);
  });

  it('answers a stale update with 409 Conflict and keeps the stored object', async () => {
    const cur = (await api.request('GET', '/api/v1/namespaces/default/configmaps/keep')).json();
    const stale = { ...cur, metadata: { ...cur.metadata, resourceVersion: '1' }, data: { a: 'changed' } };
    const r = await api.request('PUT', '/api/v1/namespaces/default/configmaps/keep', { body: JSON.stringify(stale), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(409);
    expect(r.json().message).toBe('Operation cannot be fulfilled on configmaps "keep": the object has been modified; please apply your changes to the latest version and try again');
    await storedIsIntact();
  });

  it('answers a write to a read-only kind with 405 MethodNotAllowed', async () => {
    const r = await post(JSON.stringify({ apiVersion: 'v1', kind: 'ComponentStatus', metadata: { name: 'x' } }), 'application/json', '/api/v1/componentstatuses');
    expect(r.status).toBe(405);
    expect(r.json().reason).toBe('MethodNotAllowed');
  });

  it('answers an unknown field with a strict decoding error under Strict, or a warning when asked to warn', async () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typo' }, dta: { a: '1' } });
    const strict = await post(body, 'application/json', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict');
    expect(strict.status).toBe(400);
    expect(strict.json().message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dta"');
    const warn = await post(body, 'application/json', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn');
    expect(warn.status).toBe(201);
    expect(String(warn.headers.warning)).toContain('unknown field \\"dta\\"');
  });
});
