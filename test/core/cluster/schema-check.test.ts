// Field validation looks fields up among the schema's own properties: a field named after an
// Object.prototype member is as unknown as a typo, and is dropped as decoding into Go drops it.
import { describe, expect, it } from 'vitest';
import { checkFields } from '../../../src/core/cluster/schema-check.js';
import { configMap } from '../../../src/core/cluster/kinds/configmap.js';
import { pod } from '../../../src/core/cluster/kinds/pod.js';
import { deployment as deploymentDef } from '../../../src/core/cluster/kinds/deployment.js';
import { customResourceDefinition } from '../../../src/core/cluster/kinds/customresourcedefinition.js';

describe('checkFields', () => {
  it('reports `constructor`, `toString`, `__proto__` and `hasOwnProperty` as unknown fields', () => {
    const obj = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","__proto__":{}},"constructor":{},"toString":"x","data":{"a":"1"},"hasOwnProperty":1}');
    const problems = checkFields(configMap, obj);
    expect(problems.typeErrors).toEqual([]);
    expect(problems.unknown).toEqual(['metadata.__proto__', 'constructor', 'toString', 'hasOwnProperty']);
  });

  it('drops the unknown fields from the object it checks, nested ones included', () => {
    const obj = JSON.parse('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"prototype":1,"containers":[{"name":"c","image":"i","__proto__":{"polluted":1}}]}}');
    const problems = checkFields(pod, obj);
    expect(problems.unknown).toEqual(['spec.prototype', 'spec.containers[0].__proto__']);
    expect(JSON.stringify(obj)).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"c","image":"i"}]}}');
  });

  it('keeps map keys of any name: they are data, not fields', () => {
    const obj = JSON.parse('{"metadata":{"labels":{"constructor":"x"}},"data":{"__proto__":"p","toString":"t"}}');
    expect(checkFields(configMap, obj)).toEqual({ typeErrors: [], unknown: [], duplicates: [] });
    expect(JSON.stringify(obj.data)).toBe('{"__proto__":"p","toString":"t"}');
  });

  it('still reports a wrong type where the field is known', () => {
    const problems = checkFields(configMap, { immutable: 'yes' });
    expect(problems.typeErrors).toEqual(['json: cannot unmarshal string into Go struct field ConfigMap.immutable of type bool']);
  });

  it('names a number that is a fraction or too big for its Go integer, as Go does', () => {
    const deployment = { spec: { replicas: 3_000_000_000, selector: {}, template: {}, revisionHistoryLimit: 1.5 } };
    const problems = checkFields(deploymentDef, deployment);
    expect(problems.typeErrors).toEqual([
      'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32',
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.revisionHistoryLimit of type int32',
    ]);
  });

  it('walks a CRD schema nested thousands of levels deep without running out of stack', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 3000; i++) schema = { type: 'object', properties: { a: schema } };
    const crd = {
      metadata: { name: 'deeps.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'deeps', kind: 'Deep' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
    };
    expect(checkFields(customResourceDefinition, crd)).toEqual({ typeErrors: [], unknown: [], duplicates: [] });
  });
});
