// A CRD's `pattern` is a learner's regular expression run by the process every learner shares.
// Patterns RE2 cannot compile are refused when the CRD is written, as the apiserver refuses
// them, and a pattern that makes a backtracking engine take exponential time still answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../helpers/api.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

function crd(plural: string, pattern: string) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.example.com` },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural, kind: plural.charAt(0).toUpperCase() + plural.slice(1, -1), singular: plural.slice(0, -1) },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { name: { type: 'string', pattern } } } } } } }],
    },
  };
}

const post = (path: string, body: unknown) => api.request('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('a CRD pattern', () => {
  for (const [pattern, why] of [
    ['^(a+)\\1$', 'invalid escape sequence: `\\1`'],
    ['^(?=a)a$', 'invalid or unsupported Perl syntax: `(?=`'],
    ['^(?<!b)a$', 'invalid or unsupported Perl syntax: `(?<!`'],
  ]) {
    it(`that RE2 cannot compile (${pattern}) is refused with the CRD`, async () => {
      const r = await post(CRDS, crd('refuseds', pattern));
      expect(r.status).toBe(422);
      expect(r.json().message).toBe(
        `CustomResourceDefinition.apiextensions.k8s.io "refuseds.example.com" is invalid: spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[name].pattern: Invalid value: ${JSON.stringify(pattern)}: must be a valid regular expression, but isn't: error parsing regexp: ${why}`,
      );
      expect((await api.request('GET', `${CRDS}/refuseds.example.com`)).status).toBe(404);
    });
  }

  it('that would backtrack exponentially still answers, and the server with it', async () => {
    expect((await post(CRDS, crd('nesteds', '^(a+)+$'))).status).toBe(201);
    const r = await post('/apis/example.com/v1/namespaces/default/nesteds', { apiVersion: 'example.com/v1', kind: 'Nested', metadata: { name: 'x' }, spec: { name: `${'a'.repeat(64)}!` } });
    expect(r.status).toBe(422);
    expect(r.json().message).toBe(`Nested.example.com "x" is invalid: spec.name: Invalid value: "${'a'.repeat(64)}!": spec.name in body should match '^(a+)+$'`);
    expect((await api.request('GET', '/api/v1/namespaces')).status).toBe(200);
  });

  it('in RE2 syntax JavaScript cannot read is accepted and not enforced, rather than failing writes', async () => {
    // RE2's inline flags: (?i) makes the match case-insensitive, so a real cluster takes ABC too.
    expect((await post(CRDS, crd('flaggeds', '^(?i)abc$'))).status).toBe(201);
    const r = await post('/apis/example.com/v1/namespaces/default/flaggeds', { apiVersion: 'example.com/v1', kind: 'Flagged', metadata: { name: 'x' }, spec: { name: 'ABC' } });
    expect(r.status).toBe(201);
  });
});
