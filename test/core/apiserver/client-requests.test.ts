// Requests the official Python client makes that kubectl does not, over raw HTTP: the same
// behaviour test/e2e/python-client.test.ts checks through the client, kept here so a machine
// without python3-kubernetes still tests it. (Its boolean parameters, `watch=True`, `follow=True`,
// `stdout=True`, are in boolean-params.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../helpers/api.js';

const JSON_TYPE = { 'content-type': 'application/json' };

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('the discovery roots and the version', () => {
  for (const [p, kind] of [
    ['/api/', 'APIVersions'],
    ['/apis/', 'APIGroupList'],
  ] as const) {
    it(`answer at ${p}, with the trailing slash the client's paths carry`, async () => {
      const r = await api.request('GET', p);
      expect(r.status).toBe(200);
      expect(r.json().kind).toBe(kind);
    });
  }

  it('answers /version/ as /version', async () => {
    const r = await api.request('GET', '/version/');
    expect(r.status).toBe(200);
    expect(r.text).toBe((await api.request('GET', '/version')).text);
  });
});

describe('a delete done at once', () => {
  it('answers with the pod as it was, as the pod registry returns the deleted object', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gone' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const created = (await api.request('POST', '/api/v1/namespaces/default/pods', { body: JSON.stringify(pod), headers: JSON_TYPE })).json();
    const r = await api.request('DELETE', '/api/v1/namespaces/default/pods/gone?gracePeriodSeconds=0');
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'gone', uid: created.metadata.uid } });
    expect((await api.request('GET', '/api/v1/namespaces/default/pods/gone')).status).toBe(404);
  });

  it('answers with a Success Status for a kind whose registry does not return it', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone' } };
    expect((await api.request('POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify(cm), headers: JSON_TYPE })).status).toBe(201);
    const r = await api.request('DELETE', '/api/v1/namespaces/default/configmaps/gone');
    expect(r.json()).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'gone', kind: 'configmaps' } });
  });
});
