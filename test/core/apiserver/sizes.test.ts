// Objects too big to store are refused as a real cluster refuses them: a ConfigMap's or Secret's
// values over 1 MiB by validation, anything whose stored form passes etcd's 1.5 MiB request
// limit by etcd. Nothing is stored, and the server keeps serving.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../helpers/api.js';

const CM = '/api/v1/namespaces/default/configmaps';
const JSON_TYPE = { 'content-type': 'application/json' };
const MiB = 1024 * 1024;

let api: TestApi;
let before: string;

beforeAll(async () => {
  api = await startApi();
  expect((await post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep' }, data: { a: '1' } })).status).toBe(201);
  before = await stored();
});
afterAll(() => api.close());

/** Every ConfigMap and Secret the namespace holds, as stored. */
async function stored(): Promise<string> {
  const cms = await api.request('GET', CM);
  const secrets = await api.request('GET', '/api/v1/namespaces/default/secrets');
  expect([cms.status, secrets.status]).toEqual([200, 200]);
  return JSON.stringify([cms.json().items, secrets.json().items]);
}

afterEach(async () => {
  expect(await stored()).toBe(before);
});

function post(path: string, obj: unknown, query = '') {
  return api.request('POST', `${path}${query}`, { body: JSON.stringify(obj), headers: JSON_TYPE });
}

/** 100,000 keys with empty values: no data to speak of, but 1.4 MB of keys to own. */
function manyKeys(): Record<string, string> {
  const data: Record<string, string> = {};
  for (let i = 0; i < 100_000; i++) data[`k${String(i).padStart(7, '0')}`] = '';
  return data;
}

describe('a ConfigMap over the size limits', () => {
  it('with 2 MB of data is invalid on the whole object, reported on the path []', async () => {
    const r = await post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(2 * MiB) } });
    expect(r.status).toBe(422);
    expect(r.json()).toMatchObject({
      reason: 'Invalid',
      message: 'ConfigMap "big" is invalid: []: Too long: must have at most 1048576 bytes',
      details: { name: 'big', kind: 'ConfigMap', causes: [{ reason: 'FieldValueTooLong', message: 'Too long: must have at most 1048576 bytes', field: '[]' }] },
    });
  });

  it('counts data as UTF-8 and binaryData as the bytes it encodes', async () => {
    const half = 'é'.repeat(MiB / 4); // 512 KiB of UTF-8 in 256 Ki characters
    const binary = Buffer.alloc(MiB / 2 + 1).toString('base64');
    const r = await post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mixed' }, data: { a: half }, binaryData: { b: binary } });
    expect(r.status).toBe(422);
    expect(r.json().message).toBe('ConfigMap "mixed" is invalid: []: Too long: must have at most 1048576 bytes');
    const fits = await post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fits' }, data: { a: half } }, '?dryRun=All');
    expect(fits.status).toBe(201);
  });

  it('with 100,000 keys passes validation but is refused by etcd, and nothing of it is kept', async () => {
    const r = await post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'many' }, data: manyKeys() });
    expect(r.status).toBe(500);
    expect(r.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: request is too large', code: 500 });
    expect((await api.request('GET', `${CM}/many`)).status).toBe(404);
  });

  it('with 100,000 keys is answered as created on a dry run, which never reaches etcd', async () => {
    const r = await post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'many' }, data: manyKeys() }, '?dryRun=All');
    expect(r.status).toBe(201);
    expect((await api.request('GET', `${CM}/many`)).status).toBe(404);
  });
});

describe('a Secret over 1 MiB of data', () => {
  it('is invalid on its data', async () => {
    const r = await post('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'big' }, data: { a: Buffer.alloc(MiB + 1).toString('base64') } });
    expect(r.status).toBe(422);
    expect(r.json().message).toBe('Secret "big" is invalid: data: Too long: must have at most 1048576 bytes');
  });

  it('counts stringData once it is folded into data', async () => {
    const r = await post('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'big' }, stringData: { a: 'x'.repeat(MiB + 1) } });
    expect(r.json().message).toBe('Secret "big" is invalid: data: Too long: must have at most 1048576 bytes');
  });
});

describe('an update that would pass etcd\'s request limit', () => {
  it('is refused by etcd and leaves the stored object as it was', async () => {
    // 100 KB of values is well under 1 MiB, but owning 100,000 keys takes the object past 1.5 MiB.
    const patch = { data: Object.fromEntries(Object.keys(manyKeys()).map((k) => [k, 'v'])) };
    const r = await api.request('PATCH', `${CM}/keep`, { body: JSON.stringify(patch), headers: { 'content-type': 'application/merge-patch+json' } });
    expect(r.status).toBe(500);
    expect(r.json().message).toBe('etcdserver: request is too large');
  });
});

describe('metadata over its limits', () => {
  it('refuses annotations over 256 KiB in total', async () => {
    const r = await post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'noted', annotations: { note: 'x'.repeat(256 * 1024) } } });
    expect(r.status).toBe(422);
    expect(r.json().message).toBe('ConfigMap "noted" is invalid: metadata.annotations: Too long: must have at most 262144 bytes');
  });

  it('refuses a label value over 63 characters and a name over 253', async () => {
    const label = await post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'labelled', labels: { app: 'x'.repeat(64) } } });
    expect(label.status).toBe(422);
    expect(label.json().message).toMatch(/^ConfigMap "labelled" is invalid: metadata\.labels: Invalid value: "x{64}": must be no more than 63 characters$/);
    const name = await post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n'.repeat(254) } });
    expect(name.status).toBe(422);
    expect(name.json().message).toBe(`ConfigMap "${'n'.repeat(254)}" is invalid: metadata.name: Invalid value: "${'n'.repeat(254)}": must be no more than 253 characters`);
  });
});
