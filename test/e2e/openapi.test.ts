// The OpenAPI documents as kubectl reads them: v3 for explain and server-side validation, v2
// (protobuf) when it validates a manifest on its own side.
import { beforeAll, describe, expect, it } from 'vitest';
import { useCluster } from './support.js';
import { Kubectl, kubectlBinaries } from '../helpers/kubectl.js';

const c = useCluster();
let k: Kubectl;
beforeAll(async () => {
  k = c.k;
});

describe('OpenAPI through the real kubectl', () => {
  it('explains a field with its real description', async () => {
    const out = await k.ok(['explain', 'pod.spec.containers.image']);
    expect(out).toMatch(/KIND:\s+Pod/);
    expect(out).toMatch(/FIELD:\s+image <string>/);
    expect(out).toContain('Container image name.');
  });

  it.each(Object.entries(kubectlBinaries()).filter(([v]) => v === '1.27' || v === '1.33'))('explains deploy.spec.strategy with kubectl %s', async (_v, bin) => {
    const out = await new Kubectl(c.kubeconfig, bin).ok(['explain', 'deploy.spec.strategy']);
    expect(out).toMatch(/KIND:\s+Deployment/);
    expect(out).toContain('rollingUpdate');
  });

  it('rejects a misspelt field as a strict decoding error', async () => {
    const r = await k.run(['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\ndta:\n  a: "1"\n',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dta"');
  });

  it('answers a removed API version with the resource-mapping error a real cluster gives', async () => {
    const r = await k.run(['apply', '-f', '-'], {
      input: 'apiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: old\nspec:\n  template:\n    spec:\n      containers: [{name: x, image: nginx}]\n',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no matches for kind "Deployment" in version "apps/v1beta2"');
  });
});
