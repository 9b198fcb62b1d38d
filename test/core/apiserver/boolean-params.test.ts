// Boolean query parameters read as the apiserver's conversion reads them: absent, "0" and "false"
// (any case) are false, anything else true. The Python client sends `True`, others `1`; kubectl
// sends `true`, which every reader took. Raw HTTP on loopback, and a WebSocket client for exec.
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openWatch, startApi, type TestApi } from '../../helpers/api.js';
import { boolParam, optionalBoolParam, prettyPrint } from '../../../src/core/apiserver/query.js';
import { KubeletStreams } from '../../../src/core/cluster/kubelet/streams.js';

const CM = '/api/v1/namespaces/default/configmaps';
const POD = '/api/v1/namespaces/default/pods';
const JSON_TYPE = { 'content-type': 'application/json' };

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
  api.server.streams = new KubeletStreams();
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'talker' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo said once; sleep 3600'] }] } };
  expect((await api.request('POST', POD, { body: JSON.stringify(pod), headers: JSON_TYPE })).status).toBe(201);
  for (let i = 0; i < 30 && (await api.request('GET', `${POD}/talker`)).json().status?.phase !== 'Running'; i++) api.clock.advance(1000);
  expect((await api.request('GET', `${POD}/talker`)).json().status.phase).toBe('Running');
});
afterAll(() => api.close());

/** A GET whose answer is read as it comes, to tell a followed stream from a finished one. */
function openStream(p: string): Promise<{ status: number; text(): string; endsWithin(ms: number): Promise<boolean>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port: api.server.port, path: `/clusters/${api.id}${p}`, headers: { authorization: `Bearer ${api.token}` }, ca: api.server.caCert }, (res) => {
      let body = '';
      let ended = false;
      const ends = new Promise<void>((done) => res.on('end', () => ((ended = true), done())));
      res.on('data', (d: Buffer) => (body += d));
      resolve({
        status: res.statusCode ?? 0,
        text: () => body,
        endsWithin: (ms) => Promise.race([ends.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(ended), ms))]),
        close: () => req.destroy(),
      });
    });
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
  });
}

describe('the one reader of boolean parameters', () => {
  const q = (s: string) => new URLSearchParams(s);

  it('reads only 0 and false in any case as false, and everything else present as true', () => {
    for (const v of ['0', 'false', 'False', 'FALSE', 'fAlSe']) expect(boolParam(q(`x=${v}`), 'x'), v).toBe(false);
    for (const v of ['1', 'true', 'True', 'TRUE', 'yes', 't', '']) expect(boolParam(q(`x=${v}`), 'x'), v).toBe(true);
    expect(boolParam(q(''), 'x')).toBe(false);
  });

  it('counts a repeated parameter by its first value, and tells absent from false for an optional one', () => {
    expect(boolParam(q('x=false&x=true'), 'x')).toBe(false);
    expect(boolParam(q('x=1&x=0'), 'x')).toBe(true);
    expect(optionalBoolParam(q(''), 'x')).toBeUndefined();
    expect(optionalBoolParam(q('x=False'), 'x')).toBe(false);
  });

  it('reads pretty as Go\'s ParseBool does, and falls back to the client being a person', () => {
    expect(prettyPrint(q('pretty=True'), 'python')).toBe(true);
    expect(prettyPrint(q('pretty=yes'), 'curl/8.0')).toBe(false);
    expect(prettyPrint(q('pretty=0'), 'curl/8.0')).toBe(false);
    expect(prettyPrint(q(''), 'curl/8.0')).toBe(true);
    expect(prettyPrint(q(''), 'OpenAPI-Generator/31.0.0/python')).toBe(false);
  });
});

describe('a list or a watch', () => {
  for (const v of ['True', '1', 'TRUE', '']) {
    it(`is a watch for watch=${v || '(empty)'}`, async () => {
      const w = await openWatch(api, `${CM}?watch=${v}&timeoutSeconds=5`);
      expect(w.status).toBe(200);
      const [first] = await w.events(1);
      w.close();
      expect(first.type).toBe('ADDED');
      expect(first.object.kind).toBe('ConfigMap');
    });
  }

  for (const v of ['False', '0', 'FALSE']) {
    it(`is a list for watch=${v}`, async () => {
      const r = await api.request('GET', `${CM}?watch=${v}`);
      expect(r.status).toBe(200);
      expect(r.json().kind).toBe('ConfigMapList');
    });
  }

  it('sends bookmarks when allowWatchBookmarks=TRUE and sendInitialEvents=True ask for them', async () => {
    const w = await openWatch(api, `${CM}?watch=True&allowWatchBookmarks=TRUE&sendInitialEvents=True&resourceVersionMatch=NotOlderThan&timeoutSeconds=1`);
    const events = await w.events(50);
    w.close();
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });
});

describe('a pod\'s log', () => {
  it('stays open for follow=True while the container runs', async () => {
    const r = await openStream(`${POD}/talker/log?follow=True`);
    expect(r.status).toBe(200);
    expect(await r.endsWithin(500)).toBe(false);
    expect(r.text()).toBe('said once\n');
    r.close();
  });

  it('is read once without follow, and with follow=False', async () => {
    for (const p of [`${POD}/talker/log`, `${POD}/talker/log?follow=False`]) {
      const r = await api.request('GET', p);
      expect(r.status).toBe(200);
      expect(r.text).toBe('said once\n');
    }
  });

  it('carries timestamps for timestamps=True', async () => {
    const r = await api.request('GET', `${POD}/talker/log?timestamps=True`);
    expect(r.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z said once\n$/);
  });

  it('asks for the previous container for previous=1, which this one has not had', async () => {
    const r = await api.request('GET', `${POD}/talker/log?previous=1`);
    expect(r.status).toBe(400);
    expect(r.json().message).toMatch(/previous terminated container "c" in pod "talker" not found/);
  });
});

describe('exec over WebSocket', () => {
  function exec(query: string): Promise<{ stdout: string; status: unknown }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`wss://127.0.0.1:${api.server.port}/clusters/${api.id}${POD}/talker/exec?command=echo&command=hello&${query}`, 'v5.channel.k8s.io', {
        ca: api.server.caCert,
        headers: { authorization: `Bearer ${api.token}` },
      });
      let stdout = '';
      let status: unknown;
      ws.on('message', (data: Buffer) => {
        if (data[0] === 1) stdout += data.subarray(1).toString();
        if (data[0] === 3) status = JSON.parse(data.subarray(1).toString());
      });
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => reject(new Error(`HTTP ${res.statusCode}: ${body}`)));
      });
      ws.on('error', reject);
      ws.on('close', () => resolve({ stdout, status }));
    });
  }

  it('runs with stdout=True&stderr=True, as the Python client asks', async () => {
    const r = await exec('stdout=True&stderr=True&stdin=False&tty=False');
    expect(r.stdout).toBe('hello\n');
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('runs with stdout=1', async () => {
    expect((await exec('stdout=1')).stdout).toBe('hello\n');
  });

  it('is refused when every stream is off, in any spelling', async () => {
    await expect(exec('stdout=FALSE&stderr=0&stdin=False')).rejects.toThrow(/HTTP 400: .*you must specify at least 1 of stdin, stdout, stderr/);
  });
});

describe('a delete', () => {
  it('orphans the dependents for orphanDependents=True', async () => {
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'orphaner' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'orphaner' } }, template: { metadata: { labels: { app: 'orphaner' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    expect((await api.request('POST', '/apis/apps/v1/namespaces/default/replicasets', { body: JSON.stringify(rs), headers: JSON_TYPE })).status).toBe(201);
    for (let i = 0; i < 3; i++) api.clock.advance(1000);
    const owned = () => api.cluster.store.list('/pods').filter((p) => p.metadata.labels?.app === 'orphaner');
    expect(owned()).toHaveLength(1);
    expect((await api.request('DELETE', '/apis/apps/v1/namespaces/default/replicasets/orphaner?orphanDependents=True')).status).toBe(200);
    for (let i = 0; i < 5; i++) api.clock.advance(1000);
    expect(owned()).toHaveLength(1);
    expect(owned()[0].metadata.ownerReferences ?? []).toEqual([]);
  });
});
