// One server, many clusters: each under its own path with its own token, sharing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../helpers/api.js';
import { newCluster } from '../../../src/core/cluster/factory.js';

let api: TestApi;
let other: { id: string; token: string };
beforeAll(async () => {
  api = await startApi();
  const hosted = api.server.host(newCluster(), 'team-b');
  other = { id: hosted.id, token: hosted.token };
});
afterAll(() => api.close());

describe('many clusters on one server', () => {
  it('keeps objects of one cluster out of the other', async () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'only-in-a' } });
    expect((await api.request('POST', '/api/v1/namespaces/default/configmaps', { body, headers: { 'content-type': 'application/json' } })).status).toBe(201);
    const inB = await api.request('GET', `/clusters/${other.id}/api/v1/namespaces/default/configmaps/only-in-a`, { token: other.token });
    expect(inB.status).toBe(404);
  });

  it("refuses one cluster's token on another cluster's path", async () => {
    const r = await api.request('GET', `/clusters/${other.id}/api/v1/namespaces`, { token: api.token });
    expect(r.status).toBe(401);
    expect(r.json().reason).toBe('Unauthorized');
  });

  it('lets anyone read health and version, as a default apiserver does', async () => {
    const health = await api.request('GET', `/clusters/${other.id}/healthz`, { token: null });
    expect([health.status, health.text]).toEqual([200, 'ok']);
    const version = await api.request('GET', `/clusters/${other.id}/version`, { token: null });
    expect(version.json()).toMatchObject({ major: '1', minor: '33', gitVersion: 'v1.33.1' });
  });
});
