// The scale subresource over HTTPS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../../helpers/api.js';

let api: TestApi;
const json = { 'content-type': 'application/json' };
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('the scale subresource', () => {
  it('reads and patches a deployment through its scale subresource', async () => {
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    expect((await api.request('POST', '/apis/apps/v1/namespaces/default/deployments', { body: JSON.stringify(dep), headers: json })).status).toBe(201);
    const scale = (await api.request('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale')).json();
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 1 }, status: { selector: 'app=web' } });
    const patched = await api.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', { body: '{"spec":{"replicas":4}}', headers: { 'content-type': 'application/merge-patch+json' } });
    expect(patched.json().spec.replicas).toBe(4);
    expect((await api.request('GET', '/apis/apps/v1/namespaces/default/deployments/web')).json().spec.replicas).toBe(4);
  });
});
