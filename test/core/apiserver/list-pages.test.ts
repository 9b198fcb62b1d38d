// A list read in pages while the cluster changes, answered as the apiserver answers it from etcd:
// every page after the first reads the instant the first page was read at (its resourceVersion,
// carried by the continue token), so objects created, changed or deleted in between neither
// appear, change nor vanish; when that instant has been compacted away, 410 Expired with a token
// that goes on from the latest state instead.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../helpers/api.js';
import { Kubectl, removeKubectlCaches } from '../../helpers/kubectl.js';

// Secrets: no controller writes any of its own into a new namespace (ConfigMaps get the root CA's).
// Each test lists its own namespace, so one that fails leaves the others' lists as they were.
let NS = '';
let SECRETS = '';
let namespaces = 0;
const TABLE = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json' };
const JSON_BODY = { 'content-type': 'application/json' };

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
beforeEach(async () => {
  NS = `paging-${++namespaces}`;
  SECRETS = `/api/v1/namespaces/${NS}/secrets`;
  const r = await api.request('POST', '/api/v1/namespaces', { body: JSON.stringify({ metadata: { name: NS } }), headers: JSON_BODY });
  expect(r.status).toBe(201);
});
afterAll(async () => {
  await api.close();
  removeKubectlCaches();
});

async function create(name: string, data: Record<string, string> = {}) {
  const r = await api.request('POST', SECRETS, { body: JSON.stringify({ metadata: { name }, data }), headers: JSON_BODY });
  expect(r.status).toBe(201);
  return r.json();
}

async function remove(name: string) {
  expect((await api.request('DELETE', `${SECRETS}/${name}`)).status).toBe(200);
}

async function page(query: string, headers: Record<string, string> = {}) {
  const r = await api.request('GET', `${SECRETS}?${query}`, { headers });
  expect(r.status).toBe(200);
  return r.json();
}

/** Writes one Secret outside the listed namespace `times` times, straight into the store. */
async function churn(times: number) {
  const r = await api.request('POST', '/api/v1/namespaces/default/secrets', { body: JSON.stringify({ metadata: { name: `churn-${NS}` } }), headers: JSON_BODY });
  expect(r.status).toBe(201);
  for (let i = 0; i < times; i++) {
    const s = api.cluster.store.get('/secrets', 'default', `churn-${NS}`)!;
    api.cluster.store.put('/secrets', { ...s, metadata: { ...s.metadata, labels: { i: String(i) } } });
  }
}

/** Makes a Secret named prefix-l for each letter l. */
async function fresh(prefix: string, letters: string) {
  const made: Record<string, any> = {};
  for (const l of letters) made[l] = await create(`${prefix}-${l}`, { v: 'MQ==' });
  return made;
}

describe('a list read in pages while objects are written', () => {
  it('shows every page as the cluster stood at the first page: later creates absent, deletes still there, changes not yet made', async () => {
    const made = await fresh('s', 'abcdef');
    const first = await page('limit=2');
    expect(first.items.map((o: any) => o.metadata.name)).toEqual(['s-a', 's-b']);
    expect(first.metadata.remainingItemCount).toBe(4);
    const rv = first.metadata.resourceVersion;

    await remove('s-d');
    await create('s-c2');
    const changed = await api.request('PUT', `${SECRETS}/s-e`, { body: JSON.stringify({ ...made.e, data: { v: 'Mg==' } }), headers: JSON_BODY });
    expect(changed.status).toBe(200);
    await create('s-g');

    const second = await page(`limit=2&continue=${first.metadata.continue}`);
    expect(second.items.map((o: any) => o.metadata.name)).toEqual(['s-c', 's-d']);
    expect(second.metadata.resourceVersion).toBe(rv);
    expect(second.metadata.remainingItemCount).toBe(2);
    const third = await page(`limit=2&continue=${second.metadata.continue}`);
    expect(third.items.map((o: any) => o.metadata.name)).toEqual(['s-e', 's-f']);
    expect(third.items[0]).toEqual(made.e);
    expect(third.metadata.resourceVersion).toBe(rv);
    expect(third.metadata.continue).toBeUndefined();
    expect(third.metadata.remainingItemCount).toBeUndefined();

    // A new list sees the cluster as it is now.
    const now = await page('limit=10');
    expect(now.items.map((o: any) => o.metadata.name)).toEqual(['s-a', 's-b', 's-c', 's-c2', 's-e', 's-f', 's-g']);
    expect(now.items[4].data).toEqual({ v: 'Mg==' });
  });

  it('keeps a Table\'s pages on the first page\'s instant too, rows and remaining count included', async () => {
    await fresh('t', 'abcd');
    const first = await page('limit=2', TABLE);
    expect(first.kind).toBe('Table');
    expect(first.rows.map((r: any) => r.cells[0])).toEqual(['t-a', 't-b']);
    await remove('t-c');
    await create('t-bb');
    const rest = await page(`limit=2&continue=${first.metadata.continue}`, TABLE);
    expect(rest.rows.map((r: any) => r.cells[0])).toEqual(['t-c', 't-d']);
    expect(rest.rows[0].object.metadata.name).toBe('t-c');
    expect(rest.metadata).toEqual({ resourceVersion: first.metadata.resourceVersion });
  });

  it('still reads the first page\'s instant after more changes than the store\'s log keeps', async () => {
    await fresh('l', 'abcd');
    const first = await page('limit=2');
    await remove('l-c');
    await create('l-bb');
    await churn(2001);
    const rest = await page(`limit=5&continue=${first.metadata.continue}`);
    expect(rest.items.map((o: any) => o.metadata.name)).toEqual(['l-c', 'l-d']);
    expect(rest.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it('rebuilds the first page\'s instant from the store\'s log once many other paged lists have begun since', async () => {
    await fresh('o', 'abcd');
    const first = await page('limit=2');
    await remove('o-c');
    await create('o-bb');
    for (let i = 0; i < 10; i++) {
      await create(`o-other-${i}`);
      expect((await page('limit=1')).metadata.continue).toBeDefined();
    }
    const rest = await page(`limit=5&continue=${first.metadata.continue}`);
    expect(rest.items.map((o: any) => o.metadata.name)).toEqual(['o-c', 'o-d']);
    expect(rest.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it('answers a token whose instant is no longer kept with 410 Expired, the apiserver\'s message, and a token for the rest as it is now', async () => {
    await fresh('x', 'abcd');
    const first = await page('limit=2');
    expect(first.items.map((o: any) => o.metadata.name)).toEqual(['x-a', 'x-b']);
    await remove('x-c');
    await create('x-bb');
    // Many other paged lists begun since, and more changes than the store's log keeps: etcd
    // would have compacted the first page's revision.
    for (let i = 0; i < 10; i++) {
      await create(`x-other-${i}`);
      expect((await page('limit=1')).metadata.continue).toBeDefined();
    }
    await churn(2001);

    const r = await api.request('GET', `${SECRETS}?limit=2&continue=${first.metadata.continue}`);
    expect(r.status).toBe(410);
    const status = r.json();
    expect(status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: { continue: expect.any(String) },
      status: 'Failure',
      message:
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      reason: 'Expired',
      code: 410,
    });
    // Going on with the token it gave: the rest of the list as it is now.
    const rest = await page(`limit=20&continue=${status.metadata.continue}`);
    expect(rest.items.map((o: any) => o.metadata.name)).toEqual(['x-bb', 'x-d', ...Array.from({ length: 10 }, (_, i) => `x-other-${i}`)]);
    expect(rest.metadata.resourceVersion).toBe(String(api.cluster.store.resourceVersion));
  });

  it('serves every object exactly once and in key order across pages while others are created and deleted at random', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `r-${String(i).padStart(3, '0')}`);
    for (const n of names) await create(n);
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const first = await page('limit=7');
    const seen = first.items.map((o: any) => o.metadata.name);
    let next = first.metadata.continue;
    const alive = new Set(names);
    while (next) {
      for (let k = 0; k < 5; k++) {
        const n = `r-${String(rand(120)).padStart(3, '0')}`;
        if (alive.has(n)) {
          await remove(n);
          alive.delete(n);
        } else {
          await create(n);
          alive.add(n);
        }
      }
      const p = await page(`limit=7&continue=${next}`);
      expect(p.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
      seen.push(...p.items.map((o: any) => o.metadata.name));
      next = p.metadata.continue;
    }
    expect(seen).toEqual(names);
    const now = await page('limit=500');
    expect(now.items.map((o: any) => o.metadata.name)).toEqual([...alive].sort());
  });
});

describe('kubectl reading a list in pages', () => {
  it('prints the pages of a list as the one table it prints unpaged, each object once', async () => {
    await fresh('k', 'abcde');
    const kubectl = new Kubectl(api.kubeconfig);
    const whole = await kubectl.ok(['get', 'secrets', '-n', NS, '--chunk-size=0']);
    expect(whole.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['NAME', 'k-a', 'k-b', 'k-c', 'k-d', 'k-e']);
    expect(await kubectl.ok(['get', 'secrets', '-n', NS, '--chunk-size=2'])).toBe(whole);
    const names = await kubectl.ok(['get', 'secrets', '-A', '--chunk-size=3', '-o', 'name']);
    expect(names.split('\n').filter((l) => l.startsWith('secret/k-'))).toEqual(['secret/k-a', 'secret/k-b', 'secret/k-c', 'secret/k-d', 'secret/k-e']);
  });
});
