// A CustomResourceDefinition adds a kind to the learner's cluster: kubectl discovers it, creates
// its objects, prints its columns, validates against its schema, and forgets it when deleted.
import { beforeAll, describe, expect, it } from 'vitest';
import { useCluster } from './support.js';
import { Kubectl } from '../helpers/kubectl.js';

const c = useCluster();
let k: Kubectl;
beforeAll(async () => {
  k = c.k;
});

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              cronSpec: {type: string}
              image: {type: string}
              replicas: {type: integer, minimum: 1}
`;

describe('custom resources', () => {
  it('serves the kind a CRD defines, with its short name and printer columns', async () => {
    expect(await k.ok(['apply', '-f', '-'], { input: CRD })).toBe('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n');
    const ct = 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: my-cron\nspec:\n  cronSpec: "* * * * */5"\n  image: my-cron-image\n  replicas: 2\n';
    expect(await k.ok(['apply', '-f', '-'], { input: ct })).toBe('crontab.stable.example.com/my-cron created\n');
    const out = await k.ok(['get', 'ct']);
    expect(out).toMatch(/^NAME\s+SPEC\s+REPLICAS\nmy-cron\s+\* \* \* \* \*\/5\s+2\n$/);
  });

  it('rejects a custom object that breaks its schema', async () => {
    const bad = 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: bad\nspec:\n  replicas: "two"\n';
    const r = await k.run(['create', '-f', '-', '--validate=false'], { input: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
  });

  it('forgets the kind and its objects when the CRD is deleted', async () => {
    await k.ok(['delete', 'crd', 'crontabs.stable.example.com']);
    // A kubectl with a fresh discovery cache, as a new shell would have after the cache expires.
    const r = await new Kubectl(c.kubeconfig).run(['get', 'crontabs']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the server doesn't have a resource type "crontabs"`);
  });
});
