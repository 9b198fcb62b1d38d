// APIServices as a real cluster lists them: one Local, available APIService per group/version the
// API server serves (derived from what discovery serves, CRD groups included), shown by kubectl
// as upstream shows them; one a learner creates for a Service is never proxied to, and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../../helpers/api.js';
import { Kubectl } from '../../../helpers/kubectl.js';

const APISERVICES = '/apis/apiregistration.k8s.io/v1/apiservices';
const JSON_TYPE = { 'content-type': 'application/json' };

let api: TestApi;
let kubectl: Kubectl;

beforeAll(async () => {
  api = await startApi();
  kubectl = new Kubectl(api.kubeconfig);
});
afterAll(() => api.close());

/** Every group/version the cluster's discovery serves, as an APIService name. */
async function servedNames(): Promise<string[]> {
  const core = (await api.request('GET', '/api')).json().versions.map((v: string) => `${v}.`);
  const groups = (await api.request('GET', '/apis')).json().groups.flatMap((g: { name: string; versions: Array<{ version: string }> }) => g.versions.map((v) => `${v.version}.${g.name}`));
  return [...core, ...groups].sort();
}

describe('the local APIServices', () => {
  it('are one per group/version discovery serves, the aggregator\'s own group among them', async () => {
    const list = (await api.request('GET', APISERVICES)).json();
    expect(list.kind).toBe('APIServiceList');
    const names = list.items.map((o: { metadata: { name: string } }) => o.metadata.name);
    expect(names).toEqual(await servedNames());
    expect(names).toEqual(expect.arrayContaining(['v1.', 'v1.apps', 'v1.apiregistration.k8s.io', 'v1beta1.metrics.k8s.io']));
  });

  it('carry the priorities, the null service and the Local condition of a real cluster', async () => {
    const apps = (await api.request('GET', `${APISERVICES}/v1.apps`)).json();
    expect(apps.spec).toEqual({ group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15, service: null });
    expect(apps.metadata.labels).toEqual({ 'kube-aggregator.kubernetes.io/automanaged': 'onstart' });
    expect(apps.status.conditions).toEqual([
      { type: 'Available', status: 'True', lastTransitionTime: apps.metadata.creationTimestamp, reason: 'Local', message: 'Local APIServices are always available' },
    ]);
    const core = (await api.request('GET', `${APISERVICES}/v1.`)).json();
    expect(core.spec).toMatchObject({ group: '', version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 });
  });

  it('gain one for a CRD\'s group at the CRD priorities, and lose it with the CRD', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    };
    expect((await api.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: JSON.stringify(crd), headers: JSON_TYPE })).status).toBe(201);
    const widget = (await api.request('GET', `${APISERVICES}/v1.example.com`)).json();
    expect(widget.spec).toEqual({ group: 'example.com', version: 'v1', groupPriorityMinimum: 1000, versionPriority: 100, service: null });
    expect(widget.metadata.labels).toEqual({ 'kube-aggregator.kubernetes.io/automanaged': 'true' });
    expect((await api.request('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com')).status).toBe(200);
    for (let i = 0; i < 3; i++) api.clock.advance(1000);
    expect((await api.request('GET', `${APISERVICES}/v1.example.com`)).status).toBe(404);
  });

  it('are printed by kubectl as upstream prints them', async () => {
    const out = await kubectl.ok(['get', 'apiservices']);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SERVICE\s+AVAILABLE\s+AGE$/);
    expect(lines.find((l) => l.startsWith('v1.apps '))).toMatch(/^v1\.apps\s+Local\s+True\s+\S+$/);
  });

  it('are kept as they are: a change or delete is refused in words, a second one already exists', async () => {
    const del = await kubectl.run(['delete', 'apiservice', 'v1.apps']);
    expect(del.code).toBe(1);
    expect(del.stderr).toContain('apiservices.apiregistration.k8s.io "v1.apps" is forbidden: this cluster keeps the APIServices of the groups its API server serves itself');
    const again = await api.request('POST', APISERVICES, { body: JSON.stringify({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.apps' }, spec: { group: 'apps', version: 'v1', groupPriorityMinimum: 1, versionPriority: 1 } }), headers: JSON_TYPE });
    expect(again.status).toBe(409);
    expect((await api.request('GET', '/apis/apps/v1/namespaces/default/deployments')).status).toBe(200);
  });
});

describe('an APIService a learner creates for a Service', () => {
  const extension = (name: string, service: Record<string, unknown>) => ({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name },
    spec: { group: name.split('.').slice(1).join('.'), version: name.split('.')[0], groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true, service },
  });

  it('is unavailable because the Service is missing', async () => {
    const r = await api.request('POST', APISERVICES, { body: JSON.stringify(extension('v1alpha1.missing.example.io', { namespace: 'default', name: 'nowhere' })), headers: JSON_TYPE });
    expect(r.status).toBe(201);
    const got = (await api.request('GET', `${APISERVICES}/v1alpha1.missing.example.io`)).json();
    expect(got.spec.service).toEqual({ namespace: 'default', name: 'nowhere', port: 443 });
    expect(got.status.conditions[0]).toMatchObject({ type: 'Available', status: 'False', reason: 'ServiceNotFound', message: 'service/nowhere in "default" is not present' });
  });

  it('is unavailable, and never proxied to, when the Service exists; its group answers 503', async () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext-api' }, spec: { selector: { app: 'ext' }, ports: [{ port: 443 }] } };
    expect((await api.request('POST', '/api/v1/namespaces/default/services', { body: JSON.stringify(svc), headers: JSON_TYPE })).status).toBe(201);
    expect((await kubectl.run(['create', '-f', '-'], { input: JSON.stringify(extension('v1.ext.example.io', { namespace: 'default', name: 'ext-api' })) })).code).toBe(0);
    const out = await kubectl.ok(['get', 'apiservice', 'v1.ext.example.io']);
    expect(out).toMatch(/\nv1\.ext\.example\.io\s+default\/ext-api\s+False \(FailedDiscoveryCheck\)\s+\S+\n$/);
    const got = (await api.request('GET', `${APISERVICES}/v1.ext.example.io`)).json();
    expect(got.status.conditions[0].message).toMatch(/^failing or missing response from https:\/\/10\.\d+\.\d+\.\d+:443\/apis\/ext\.example\.io\/v1: this simulated cluster does not forward requests to extension API servers$/);
    for (const p of ['/apis/ext.example.io/v1', '/apis/ext.example.io/v1/namespaces/default/things']) {
      const r = await api.request('GET', p);
      expect(r.status).toBe(503);
      expect(r.text).toBe('service unavailable\n');
    }
  });

  it('is refused when its name is not version.group', async () => {
    const bad = extension('v1.ext.example.io', { namespace: 'default', name: 'ext-api' });
    bad.metadata.name = 'wrong-name';
    const r = await api.request('POST', APISERVICES, { body: JSON.stringify(bad), headers: JSON_TYPE });
    expect(r.status).toBe(422);
    expect(r.json().message).toBe('APIService.apiregistration.k8s.io "wrong-name" is invalid: metadata.name: Invalid value: "wrong-name": must be `spec.version+"."+spec.group`: "v1.ext.example.io"');
  });

  it('can be deleted', async () => {
    expect((await kubectl.run(['delete', 'apiservice', 'v1alpha1.missing.example.io'])).code).toBe(0);
    expect((await api.request('GET', `${APISERVICES}/v1alpha1.missing.example.io`)).status).toBe(404);
  });
});
