// Watch over HTTPS as clients use it: from a resourceVersion, with 410 Expired for one too old,
// bookmarks marking the end of initial events, and one-row Tables for kubectl get -w.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWatch, startApi, type TestApi } from '../../helpers/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

/** The first `count` events of a watch; the watch is closed after. */
async function watch(path: string, count: number, headers: Record<string, string> = {}): Promise<any[]> {
  const w = await openWatch(api, path, headers);
  try {
    return await w.events(count);
  } finally {
    w.close();
  }
}

const cm = (name: string, v: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v } });
const post = (body: string) => api.request('POST', '/api/v1/namespaces/default/configmaps', { body, headers: { 'content-type': 'application/json' } });

describe('watch', () => {
  it('resumes from a resourceVersion and sees only later changes', async () => {
    const first = (await post(cm('w1', 'a'))).json();
    await post(cm('w2', 'b'));
    const events = await watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${first.metadata.resourceVersion}`, 1);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w2']);
  });

  it('answers a resourceVersion older than its history with an ERROR event of 410 Expired', async () => {
    for (let i = 0; i < 2100; i++) api.cluster.store.put('/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'churn', namespace: 'default' } });
    const events = await watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2', 1);
    expect(events[0].type).toBe('ERROR');
    expect(events[0].object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(events[0].object.message).toMatch(/^too old resource version: 2 \(\d+\)$/);
  });

  it('sends initial events then a bookmark marking their end when asked', async () => {
    const events = await watch('/api/v1/namespaces/kube-public/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan', 3);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
    expect(events[2].object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('streams one-row Tables when kubectl get -w asks for them', async () => {
    const events = await watch('/api/v1/nodes?watch=true', 3, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(events[0].object.kind).toBe('Table');
    expect(events[0].object.columnDefinitions.map((c: any) => c.name)).toContain('Roles');
    expect(events.map((e) => e.object.rows[0].cells[0])).toEqual(['kubedojo-control-plane', 'kubedojo-worker', 'kubedojo-worker2']);
  });
});
