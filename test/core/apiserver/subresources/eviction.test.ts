// The eviction subresource, as `kubectl drain` uses it: over HTTPS, and the budget arithmetic behind it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../../helpers/api.js';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { ApiError } from '../../../../src/core/cluster/errors.js';
import { evictPod } from '../../../../src/core/apiserver/subresources/eviction.js';

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

type Obj = Record<string, any>;

/** Two running, ready `db` pods and a budget that keeps one of them. */
function guarded(opts: { settleBudget: boolean }) {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const cluster = newCluster({ clock });
  const pods = cluster.kinds.byGroupResource('', 'pods')!;
  for (const name of ['a', 'b']) cluster.create(pods, 'default', { metadata: { name, labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  for (let i = 0; i < 10; i++) clock.advance(1000);
  const pdbs = cluster.kinds.byGroupResource('policy', 'poddisruptionbudgets')!;
  cluster.create(pdbs, 'default', { metadata: { name: 'db' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } });
  if (opts.settleBudget) clock.advance(1000);
  const pod = (name: string) => cluster.store.get('/pods', 'default', name);
  const budget = () => cluster.store.get('policy/poddisruptionbudgets', 'default', 'db') as Obj;
  const refusal = (name: string) => {
    try {
      evictPod(cluster, pod(name)!, {});
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      return (err as ApiError).status;
    }
    return undefined;
  };
  return { cluster, clock, pod, budget, refusal };
}

describe('an eviction', () => {
  it('claims one disruption of the budget at once, so a second one right after is refused', () => {
    const { cluster, pod, budget, refusal } = guarded({ settleBudget: true });
    expect(budget().status.disruptionsAllowed).toBe(1);
    evictPod(cluster, pod('a')!, {});
    expect(budget().status).toMatchObject({ disruptionsAllowed: 0, disruptedPods: { a: '2026-03-01T10:00:11Z' } });
    expect(pod('a')!.metadata.deletionTimestamp).toBeDefined();
    expect(refusal('b')).toMatchObject({ code: 429, details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget db needs 1 healthy pods and has 2 currently' }] } });
  });

  it('changes nothing when it is a dry run', () => {
    const { cluster, pod, budget } = guarded({ settleBudget: true });
    const before = budget().status;
    evictPod(cluster, pod('a')!, { dryRun: true });
    expect(pod('a')!.metadata.deletionTimestamp).toBeUndefined();
    expect(budget().status).toEqual(before);
  });

  it('asks the client to come back in ten seconds while the controller has not seen the budget', () => {
    const { refusal } = guarded({ settleBudget: false });
    const status = refusal('a');
    expect(status).toMatchObject({ code: 429, details: { retryAfterSeconds: 10, causes: [{ message: 'The disruption budget db is still being processed by the server.' }] } });
  });
});
