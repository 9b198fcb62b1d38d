// The eviction subresource over HTTPS, as `kubectl drain` uses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../../helpers/api.js';

let api: TestApi;
const json = { 'content-type': 'application/json' };
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('the eviction subresource', () => {
  it('refuses an eviction a PodDisruptionBudget does not allow with 429, and evicts otherwise', async () => {
    const pod = (name: string, app: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await api.request('POST', '/api/v1/namespaces/default/pods', { body: pod('guarded', 'db'), headers: json });
    await api.request('POST', '/api/v1/namespaces/default/pods', { body: pod('free', 'web'), headers: json });
    // A pod that is not running yet needs no budget to go: let both start.
    for (let i = 0; i < 10; i++) api.clock.advance(1000);
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } };
    expect((await api.request('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { body: JSON.stringify(pdb), headers: json })).status).toBe(201);
    const eviction = (name: string) => JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });
    const blocked = await api.request('POST', '/api/v1/namespaces/default/pods/guarded/eviction', { body: eviction('guarded'), headers: json });
    expect(blocked.status).toBe(429);
    expect(blocked.json().message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
    const ok = await api.request('POST', '/api/v1/namespaces/default/pods/free/eviction', { body: eviction('free'), headers: json });
    expect(ok.status).toBe(201);
    for (let i = 0; i < 5; i++) api.clock.advance(1000);
    expect((await api.request('GET', '/api/v1/namespaces/default/pods/free')).status).toBe(404);
    expect((await api.request('GET', '/api/v1/namespaces/default/pods/guarded')).status).toBe(200);
  });
});
