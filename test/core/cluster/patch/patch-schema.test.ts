import { describe, expect, it } from 'vitest';
import {
  MERGE_KEYS,
  OBJECT_META,
  childDefinition,
  fieldPatchMeta,
  isBuiltIn,
  listType,
  resetsStatus,
  rootDefinition,
} from '../../../../src/core/cluster/patch/patch-schema.js';

/** Follows a field path from a kind's root definition. */
function definitionAt(apiVersion: string, kind: string, path: string): string | undefined {
  let def = rootDefinition(apiVersion, kind);
  for (const field of path.split('.')) def = childDefinition(def, field);
  return def;
}

describe('merge-keys.json', () => {
  it('has exactly the shape shared with the OpenAPI generator', () => {
    for (const [def, fields] of Object.entries(MERGE_KEYS)) {
      expect(def).toMatch(/^io\.k8s\./);
      for (const [field, entry] of Object.entries(fields)) {
        expect(Object.keys(entry).every((k) => k === 'strategy' || k === 'key'), `${def}.${field}`).toBe(true);
        expect(['merge', 'merge,retainKeys', 'retainKeys']).toContain(entry.strategy);
        // A key only makes sense on a merged list of objects.
        if (entry.strategy === 'retainKeys') expect(entry.key, `${def}.${field}`).toBeUndefined();
      }
    }
  });

  it('holds the merge keys kubectl relies on', () => {
    expect(MERGE_KEYS['io.k8s.api.core.v1.PodSpec'].containers).toEqual({ strategy: 'merge', key: 'name' });
    expect(MERGE_KEYS['io.k8s.api.core.v1.PodSpec'].volumes).toEqual({ strategy: 'merge,retainKeys', key: 'name' });
    expect(MERGE_KEYS['io.k8s.api.core.v1.Container'].volumeMounts).toEqual({ strategy: 'merge', key: 'mountPath' });
    expect(MERGE_KEYS['io.k8s.api.apps.v1.DeploymentSpec'].strategy).toEqual({ strategy: 'retainKeys' });
    expect(MERGE_KEYS[OBJECT_META].finalizers).toEqual({ strategy: 'merge' });
    // No patch strategy in Go: replaced whole.
    expect(MERGE_KEYS['io.k8s.api.core.v1.PodSpec'].tolerations).toBeUndefined();
    expect(MERGE_KEYS['io.k8s.api.core.v1.NodeSpec'].taints).toBeUndefined();
  });
});

describe('patch schema', () => {
  it('names the root definition of built-in kinds and none for custom resources', () => {
    expect(rootDefinition('v1', 'Pod')).toBe('io.k8s.api.core.v1.Pod');
    expect(rootDefinition('apps/v1', 'Deployment')).toBe('io.k8s.api.apps.v1.Deployment');
    expect(rootDefinition('stable.example.com/v1', 'CronTab')).toBeUndefined();
    expect([isBuiltIn('rbac.authorization.k8s.io/v1'), isBuiltIn('stable.example.com/v1')]).toEqual([true, false]);
  });

  it('leads every pod template to PodSpec, CronJob jobTemplate included', () => {
    for (const [apiVersion, kind, path] of [
      ['v1', 'Pod', 'spec'],
      ['apps/v1', 'Deployment', 'spec.template.spec'],
      ['apps/v1', 'ReplicaSet', 'spec.template.spec'],
      ['apps/v1', 'DaemonSet', 'spec.template.spec'],
      ['apps/v1', 'StatefulSet', 'spec.template.spec'],
      ['v1', 'ReplicationController', 'spec.template.spec'],
      ['v1', 'PodTemplate', 'template.spec'],
      ['batch/v1', 'Job', 'spec.template.spec'],
      ['batch/v1', 'CronJob', 'spec.jobTemplate.spec.template.spec'],
    ]) {
      expect(definitionAt(apiVersion, kind, path), `${kind}.${path}`).toBe('io.k8s.api.core.v1.PodSpec');
    }
  });

  it('gives every object and template its ObjectMeta', () => {
    expect(definitionAt('v1', 'ConfigMap', 'metadata')).toBe(OBJECT_META);
    expect(definitionAt('apps/v1', 'Deployment', 'spec.template.metadata')).toBe(OBJECT_META);
    expect(definitionAt('apps/v1', 'StatefulSet', 'spec.volumeClaimTemplates.metadata')).toBe(OBJECT_META);
    expect(fieldPatchMeta(OBJECT_META, 'ownerReferences')).toEqual({ strategy: 'merge', retainKeys: false, key: 'uid' });
  });

  it('splits merge,retainKeys into a merge strategy plus retainKeys', () => {
    expect(fieldPatchMeta('io.k8s.api.core.v1.PodSpec', 'volumes')).toEqual({ strategy: 'merge', retainKeys: true, key: 'name' });
    expect(fieldPatchMeta('io.k8s.api.apps.v1.DeploymentSpec', 'strategy')).toEqual({ strategy: '', retainKeys: true });
    expect(fieldPatchMeta(undefined, 'anything')).toEqual({ strategy: '', retainKeys: false });
  });

  it('keys server-side apply lists by their list-map keys, with defaults', () => {
    expect(listType('io.k8s.api.core.v1.Container', 'ports')).toEqual({ type: 'map', keys: ['containerPort', 'protocol'], defaults: { protocol: 'TCP' } });
    expect(listType('io.k8s.api.core.v1.Container', 'env')).toEqual({ type: 'map', keys: ['name'], defaults: {} });
    expect(listType(OBJECT_META, 'finalizers')).toEqual({ type: 'set' });
    expect(listType('io.k8s.api.core.v1.PodSpec', 'tolerations')).toEqual({ type: 'atomic' });
  });

  it('knows which kinds reset status on their main resource', () => {
    expect([resetsStatus('apps/v1', 'Deployment'), resetsStatus('v1', 'Pod'), resetsStatus('v1', 'ConfigMap')]).toEqual([true, true, false]);
  });
});
