// List and watch query parameters read as the apiserver reads them: integers by Go's strconv,
// resourceVersions as the storage layer parses them, and a resourceVersion the store has not
// reached answered as the watch cache answers it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openWatch, startApi, type TestApi } from '../../helpers/api.js';

const CM = '/api/v1/namespaces/default/configmaps';

let api: TestApi;
let before: string;

beforeAll(async () => {
  api = await startApi();
  expect((await create('keep')).status).toBe(201);
  before = JSON.stringify((await api.request('GET', CM)).json().items);
});
afterAll(() => api.close());

afterEach(async () => {
  const list = await api.request('GET', CM);
  expect(list.status).toBe(200);
  expect(JSON.stringify(list.json().items.filter((o: { metadata: { name: string } }) => !o.metadata.name.startsWith('w-')))).toBe(before);
});

function create(name: string) {
  return api.request('POST', CM, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }), headers: { 'content-type': 'application/json' } });
}

const current = () => api.cluster.store.resourceVersion;

/** The watch cache's answer to a resourceVersion the store has not reached. */
const tooLarge = (ahead: number) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `Timeout: Too large resource version: ${ahead}, current: ${current()}`,
  reason: 'Timeout',
  details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
  code: 504,
});

/** Opens a watch on the ConfigMaps of default, with the query given. */
const openCmWatch = (query: string) => openWatch(api, `${CM}?watch=true&${query}`);

describe('a list', () => {
  for (const rv of ['abc', '1e20', '-1', '+5']) {
    it(`refuses resourceVersion=${rv} as the storage layer cannot parse it`, async () => {
      const r = await api.request('GET', `${CM}?resourceVersion=${encodeURIComponent(rv)}`);
      expect(r.status).toBe(400);
      expect(r.json()).toMatchObject({ reason: 'BadRequest', message: `invalid resource version: resourceVersion: Invalid value: "${rv}": strconv.ParseUint: parsing "${rv}": invalid syntax` });
    });
  }

  it('refuses a resourceVersion past 64 bits as out of range', async () => {
    const r = await api.request('GET', `${CM}?resourceVersion=18446744073709551616`);
    expect(r.json().message).toBe('invalid resource version: resourceVersion: Invalid value: "18446744073709551616": strconv.ParseUint: parsing "18446744073709551616": value out of range');
  });

  it('answers a resourceVersion the store has not reached with the watch cache\'s 504 and a Retry-After', async () => {
    const ahead = current() + 1000;
    const r = await api.request('GET', `${CM}?resourceVersion=${ahead}`);
    expect(r.status).toBe(504);
    expect(r.headers['retry-after']).toBe('1');
    expect(r.json()).toEqual(tooLarge(ahead));
  });

  it('serves a resourceVersion the store has reached', async () => {
    const r = await api.request('GET', `${CM}?resourceVersion=${current()}`);
    expect(r.status).toBe(200);
  });

  it('refuses a resourceVersion together with a continue token', async () => {
    const page = (await api.request('GET', `${CM}?limit=1`)).json();
    const r = await api.request('GET', `${CM}?limit=1&continue=${page.metadata.continue}&resourceVersion=5`);
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('specifying resource version is not allowed when using continue');
  });

  for (const [limit, why] of [
    ['abc', 'invalid syntax'],
    ['1e20', 'invalid syntax'],
    ['2.5', 'invalid syntax'],
    ['', 'invalid syntax'],
    ['99999999999999999999', 'value out of range'],
  ]) {
    it(`refuses limit=${limit} as strconv.ParseInt does`, async () => {
      const r = await api.request('GET', `${CM}?limit=${limit}`);
      expect(r.status).toBe(400);
      expect(r.json()).toMatchObject({ reason: 'BadRequest', message: `strconv.ParseInt: parsing "${limit}": ${why}` });
    });
  }

  it('lists everything for a negative limit, which asks for no paging', async () => {
    const r = await api.request('GET', `${CM}?limit=-5`);
    expect(r.status).toBe(200);
    expect(r.json().metadata.continue).toBeUndefined();
    expect(r.json().items.length).toBe(2);
  });
});

describe('a watch', () => {
  it('answers an unparseable resourceVersion with the 500 the cacher passes on unconverted', async () => {
    const r = await api.request('GET', `${CM}?watch=true&resourceVersion=1e20`);
    expect(r.status).toBe(500);
    expect(r.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'resourceVersion: Invalid value: "1e20": strconv.ParseUint: parsing "1e20": invalid syntax',
      code: 500,
    });
  });

  it('from a resourceVersion the store has not reached is established and silent until the store passes it', async () => {
    const from = current() + 2;
    const w = await openCmWatch(`resourceVersion=${from}`);
    expect(w.status).toBe(200);
    await create('w-first');
    await create('w-second');
    await create('w-third');
    const events = await w.events(1);
    w.close();
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w-third']);
    for (const n of ['w-first', 'w-second', 'w-third']) expect((await api.request('DELETE', `${CM}/${n}`)).status).toBe(200);
  });

  it('asking for initial events at a resourceVersion not reached ends with the watch cache\'s 504 as an ERROR event', async () => {
    const ahead = current() + 1000;
    const w = await openCmWatch(`resourceVersion=${ahead}&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`);
    expect(w.status).toBe(200);
    const events = await w.events(2);
    expect(events).toEqual([
      { type: 'ERROR', object: tooLarge(ahead) },
    ]);
  });

  it('with a negative timeoutSeconds ends at once', async () => {
    const r = await api.request('GET', `${CM}?watch=true&timeoutSeconds=-5`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
  });

  it('refuses a timeoutSeconds that is not an integer', async () => {
    const r = await api.request('GET', `${CM}?watch=true&timeoutSeconds=ten`);
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('strconv.ParseInt: parsing "ten": invalid syntax');
  });
});

describe('a field selector on a field the kind cannot select on', () => {
  it('is worded by the default conversion for a kind with no fields of its own, and by the kind\'s own otherwise', async () => {
    const cm = await api.request('GET', `${CM}?fieldSelector=spec.foo%3Dbar`);
    expect(cm.status).toBe(400);
    expect(cm.json().message).toBe('"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"');
    const pods = await api.request('GET', '/api/v1/namespaces/default/pods?fieldSelector=spec.color%3Dblue');
    expect(pods.status).toBe(400);
    expect(pods.json().message).toBe('field label not supported: spec.color');
  });
});
