// fieldValidation as the apiserver defaults it: a client that does not send it (the Python client,
// client-node, curl) is warned about unknown fields, which are dropped; kubectl sends its
// --validate explicitly (Strict unless told otherwise), so what kubectl shows does not change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../helpers/api.js';
import { Kubectl } from '../../helpers/kubectl.js';

const CM = '/api/v1/namespaces/default/configmaps';
const JSON_TYPE = { 'content-type': 'application/json' };

let api: TestApi;
let kubectl: Kubectl;

beforeAll(async () => {
  api = await startApi();
  kubectl = new Kubectl(api.kubeconfig);
});
afterAll(() => api.close());

const configMap = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' }, ...extra });

describe('a write that does not say how to validate fields', () => {
  it('is stored without the unknown fields, each named in a Warning header', async () => {
    const r = await api.request('POST', CM, { body: configMap('loose', { dta: { a: '1' }, spec: { foo: 1 } }), headers: JSON_TYPE });
    expect(r.status).toBe(201);
    expect(r.headers.warning).toBe('299 - "unknown field \\"dta\\"", 299 - "unknown field \\"spec\\""');
    const stored = (await api.request('GET', `${CM}/loose`)).json();
    expect(stored.data).toEqual({ k: 'v' });
    expect(stored.dta).toBeUndefined();
  });

  it('is warned the same when fieldValidation is empty', async () => {
    const r = await api.request('POST', `${CM}?fieldValidation=`, { body: configMap('empty-directive', { dta: 1 }), headers: JSON_TYPE });
    expect(r.status).toBe(201);
    expect(r.headers.warning).toBe('299 - "unknown field \\"dta\\""');
  });

  it('names a nested unknown field by its path, in a merge patch too', async () => {
    const r = await api.request('PATCH', `${CM}/loose`, { body: JSON.stringify({ metadata: { labelz: { a: 'b' } } }), headers: { 'content-type': 'application/merge-patch+json' } });
    expect(r.status).toBe(200);
    expect(r.headers.warning).toBe('299 - "unknown field \\"metadata.labelz\\""');
  });

  it('sends a field name beyond ASCII as its UTF-8 bytes, as Go writes the header', async () => {
    const r = await api.request('POST', CM, { body: configMap('unicode', { 'dätä✓': 1 }), headers: JSON_TYPE });
    expect(r.status).toBe(201);
    // Node reads header bytes as latin1; turned back into bytes they are the UTF-8 of the text.
    expect(Buffer.from(String(r.headers.warning), 'latin1').toString('utf8')).toBe('299 - "unknown field \\"dätä✓\\""');
  });

  it('leaves out a warning whose field name holds a control character, as the apiserver drops it', async () => {
    const r = await api.request('POST', CM, { body: configMap('control', { 'a\nb': 1 }), headers: JSON_TYPE });
    expect(r.status).toBe(201);
    expect(r.headers.warning).toBeUndefined();
  });
});

describe('kubectl, which sends its --validate', () => {
  const manifest = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndta:\n  a: "1"\n`;

  it('is still refused an unknown field by default', async () => {
    const r = await kubectl.run(['create', '-f', '-'], { input: manifest('by-kubectl') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('strict decoding error: unknown field "dta"');
    expect((await api.request('GET', `${CM}/by-kubectl`)).status).toBe(404);
  });

  it('is warned with --validate=warn', async () => {
    const r = await kubectl.run(['create', '--validate=warn', '-f', '-'], { input: manifest('warned-kubectl') });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Warning: unknown field "dta"');
  });
});
