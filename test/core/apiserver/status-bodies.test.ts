// The bodies of the API's common errors, byte for byte as kube-apiserver writes them: a Status
// with its members in metav1.Status's order (kind, apiVersion, metadata, status, message, reason,
// details, code), empty ones left out, and the newline Go's JSON encoder ends every value with.
// Clients that compare bodies or read them as a stream (the Python client's tests, client-node)
// see what a real cluster sends. The expected bodies are in test/golden/status/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../helpers/api.js';
import { expectGolden } from '../../helpers/golden.js';

const CM = '/api/v1/namespaces/default/configmaps';
const JSON_TYPE = { 'content-type': 'application/json' };

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
  expect((await api.request('POST', CM, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'taken' } }), headers: JSON_TYPE })).status).toBe(201);
});
afterAll(() => api.close());

/** The body is the golden file's, and ends in the encoder's one newline. */
function expectBody(name: string, r: { status: number; text: string }, code: number): void {
  expect(r.status).toBe(code);
  expect(r.text.endsWith('}\n')).toBe(true);
  expectGolden(`status/${name}.json`, r.text);
}

describe('an error body', () => {
  it('is 404 NotFound for a missing object', async () => {
    expectBody('404-not-found', await api.request('GET', `${CM}/nope`), 404);
  });

  it('is 404 NotFound with empty details for a path no resource serves', async () => {
    expectBody('404-no-resource', await api.request('GET', '/api/v1/nosuchthings'), 404);
  });

  it('is 409 AlreadyExists for a name taken', async () => {
    const r = await api.request('POST', CM, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'taken' } }), headers: JSON_TYPE });
    expectBody('409-already-exists', r, 409);
  });

  it('is 422 Invalid with one cause per field', async () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' }, data: { 'bad key': 'x' } });
    expectBody('422-invalid', await api.request('POST', CM, { body, headers: JSON_TYPE }), 422);
  });

  it('is 403 Forbidden for a user RBAC does not allow', async () => {
    const r = await api.request('GET', `${CM}/taken`, { headers: { 'impersonate-user': 'jane' } });
    expectBody('403-forbidden', r, 403);
  });

  it('is 401 Unauthorized for a token that opens nothing', async () => {
    expectBody('401-unauthorized', await api.request('GET', CM, { token: 'wrong' }), 401);
  });

  it('is 400 BadRequest for a body whose apiVersion is not a string', async () => {
    expectBody('400-bad-request', await api.request('POST', CM, { body: '{"apiVersion":1,"kind":"ConfigMap"}', headers: JSON_TYPE }), 400);
  });

  it('is 405 MethodNotAllowed with empty details for a method the path does not take', async () => {
    expectBody('405-method-not-allowed', await api.request('PUT', CM, { body: '{}', headers: JSON_TYPE }), 405);
  });

  it('is 406 NotAcceptable as raw JSON: the bare Status, indented, without a newline', async () => {
    const r = await api.request('GET', `${CM}/taken`, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(406);
    expect(r.text.endsWith('}')).toBe(true);
    expectGolden('status/406-not-acceptable.json', r.text);
  });

  it('is 429 TooManyRequests with its cause for an eviction the budget forbids', async () => {
    const pod = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    for (const name of ['db-0', 'db-1']) expect((await api.request('POST', '/api/v1/namespaces/default/pods', { body: pod(name), headers: JSON_TYPE })).status).toBe(201);
    for (let i = 0; i < 10; i++) api.clock.advance(1000);
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'db' } } } };
    expect((await api.request('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { body: JSON.stringify(pdb), headers: JSON_TYPE })).status).toBe(201);
    api.clock.advance(1000);
    const eviction = JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'db-0', namespace: 'default' } });
    expectBody('429-too-many-requests', await api.request('POST', '/api/v1/namespaces/default/pods/db-0/eviction', { body: eviction, headers: JSON_TYPE }), 429);
  });

  it('is 500 without a reason for an eviction two budgets cover, as the eviction handler answers it', async () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db-too' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'db' } } } };
    expect((await api.request('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { body: JSON.stringify(pdb), headers: JSON_TYPE })).status).toBe(201);
    const eviction = JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'db-1', namespace: 'default' } });
    expectBody('500-two-budgets', await api.request('POST', '/api/v1/namespaces/default/pods/db-1/eviction', { body: eviction, headers: JSON_TYPE }), 500);
  });

  it('is 500 with no reason for an error the apiserver passes on as it came', async () => {
    expectBody('500-unclassified', await api.request('GET', `${CM}?watch=true&resourceVersion=abc`), 500);
  });

  it('is a 410 Expired ERROR event, one line, for a watch from before the history', async () => {
    for (let i = 0; i < 2100; i++) api.cluster.store.put('/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'churn', namespace: 'default' } });
    const r = await api.request('GET', `${CM}?watch=true&resourceVersion=2`);
    expect(r.text.endsWith('}}\n')).toBe(true);
    // The resourceVersion the history now starts at depends on how much the cluster has written.
    expectGolden('status/410-expired-watch-event.json', r.text.replace(/\(\d+\)/, '(N)'));
  });
});

describe('an object body', () => {
  it('ends in a newline, and is indented without one for pretty=true', async () => {
    const plain = await api.request('GET', `${CM}/taken`);
    expect(plain.text).toMatch(/^\{[^\n]*"name":"taken"[^\n]*\}\n$/);
    const pretty = await api.request('GET', `${CM}/taken?pretty=true`);
    expect(pretty.text).toBe(JSON.stringify(plain.json(), null, 2));
  });

  it('is indented for curl, as a person reads it', async () => {
    const r = await api.request('GET', `${CM}/taken`, { headers: { 'user-agent': 'curl/8.5.0' } });
    expect(r.text).toBe(JSON.stringify(r.json(), null, 2));
    expect(r.text).toContain('\n  "kind": "ConfigMap",\n');
  });

  it('writes <, > and & as \\u escapes, as Go\'s encoder does', async () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'markup' }, data: { page: '<a href="x">&</a>' } });
    const r = await api.request('POST', CM, { body, headers: JSON_TYPE });
    expect(r.status).toBe(201);
    expect(r.text).toContain('"data":{"page":"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"}');
    expect(r.json().data.page).toBe('<a href="x">&</a>');
  });

  it('is escaped the same way in a watch event', async () => {
    // The watch ends after a second, and the request with it.
    const r = await api.request('GET', `${CM}?watch=true&fieldSelector=metadata.name%3Dmarkup&timeoutSeconds=1`);
    expect(r.text).toContain('"page":"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(r.text.endsWith('}}\n')).toBe(true);
  });

  it('is the version indented and without a newline at /version, as the apiserver writes raw JSON', async () => {
    const r = await api.request('GET', '/version');
    expect(r.text.startsWith('{\n  "major": "1",\n')).toBe(true);
    expect(r.text.endsWith('}')).toBe(true);
  });
});

describe('a delete answered with a Status', () => {
  it('orders the Success Status as the apiserver does', async () => {
    const r = await api.request('DELETE', `${CM}/markup`);
    expect(r.status).toBe(200);
    const uid = r.json().details.uid;
    expect(r.text).toBe(`{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"markup","kind":"configmaps","uid":"${uid}"}}\n`);
  });
});
